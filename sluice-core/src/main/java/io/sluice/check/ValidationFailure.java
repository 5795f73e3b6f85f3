package io.sluice.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a failing test records for {@code -o} (Envoy's {@code ValidationFailure}): each scalar that
 * differed with both values, and each header matcher that failed with the header's first value.
 * Timeout and route metadata mismatches are left out, as their field numbers in Envoy's schema are
 * not known.
 */
public record ValidationFailure(
    List<ScalarMismatch> scalars, List<HeaderMatchFailure> requestHeaders, List<HeaderMatchFailure> responseHeaders) {

  public ValidationFailure {
    scalars = List.copyOf(scalars);
    requestHeaders = List.copyOf(requestHeaders);
    responseHeaders = List.copyOf(responseHeaders);
  }

  /** A checked scalar, by its {@code expected_*} field number; {@code actual_*} is the next number. */
  public enum Scalar {
    CLUSTER_NAME(1),
    VIRTUAL_CLUSTER_NAME(3),
    VIRTUAL_HOST_NAME(5),
    HOST_REWRITE(7),
    PATH_REWRITE(9),
    PATH_REDIRECT(11),
    /** A {@code UInt32Value}; the others are {@code StringValue}s. */
    CODE_REDIRECT(13);

    private final int expectedField;

    Scalar(int expectedField) {
      this.expectedField = expectedField;
    }

    /** The field number of {@code expected_<name>}. */
    public int expectedField() {
      return expectedField;
    }
  }

  /** A scalar that differed; the code's values are decimal text. */
  public record ScalarMismatch(Scalar field, String expected, String actual) {}

  /**
   * A header matcher that failed.
   *
   * @param matcher the test's {@code HeaderMatcher} as written
   * @param actualValue the header's first value, {@code ""} when absent
   */
  public record HeaderMatchFailure(JsonNode matcher, String actualValue) {}
}
