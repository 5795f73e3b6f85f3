package io.sluice.check;

/**
 * A test file broke a schema rule. The message is Envoy's: {@code Proto constraint validation
 * failed (<violation>): <the file in protobuf text format>}.
 */
public final class TestFileConstraintException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TestFileConstraintException(String message) {
    super(message, null, false, false);
  }
}
