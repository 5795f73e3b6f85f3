package io.sluice.check;

import io.sluice.check.TestInput.HeaderEntry;
import io.sluice.check.TestInput.SetMetadataEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The schema rules of the test file (protoc-gen-validate annotations of Envoy's {@code
 * validation.proto} and of the Envoy types it embeds), checked as PGV checks them: fields in
 * declaration order, stopping at the first violation, which is described as a chain such as {@code
 * ValidationValidationError.Tests[2]: embedded message failed validation | caused by
 * ValidationItemValidationError.TestName: value length must be at least 1 characters}.
 */
final class TestFileConstraints {
  private static final String EMBEDDED = ": embedded message failed validation | caused by ";
  private static final int MAX_HEADER_BYTES = 16384;

  private TestFileConstraints() {}

  /** The first violation, or null when the file satisfies every rule. */
  static String firstViolation(RouteCheckTestFile file) {
    List<RouteCheckTest> tests = file.tests();
    if (tests.isEmpty()) {
      return "ValidationValidationError.Tests: value must contain at least 1 item(s)";
    }
    for (int i = 0; i < tests.size(); i++) {
      String v = item(tests.get(i));
      if (v != null) {
        return "ValidationValidationError.Tests[" + i + "]" + EMBEDDED + v;
      }
    }
    return null;
  }

  private static String item(RouteCheckTest t) {
    String err = minLength(t.name(), 1);
    if (err != null) {
      return "ValidationItemValidationError.TestName: " + err;
    }
    if (t.input() == null) {
      return "ValidationItemValidationError.Input: value is required";
    }
    String v = input(t.input());
    if (v != null) {
      return "ValidationItemValidationError.Input" + EMBEDDED + v;
    }
    if (t.expect() == null) {
      return "ValidationItemValidationError.Validate: value is required";
    }
    v = expectations(t.expect());
    if (v != null) {
      return "ValidationItemValidationError.Validate" + EMBEDDED + v;
    }
    return null;
  }

  private static String input(TestInput in) {
    String err = minLength(in.authority(), 1);
    if (err != null) {
      return "ValidationInputValidationError.Authority: " + err;
    }
    err = minLength(in.path(), 1);
    if (err != null) {
      return "ValidationInputValidationError.Path: " + err;
    }
    err = minLength(in.method(), 3);
    if (err != null) {
      return "ValidationInputValidationError.Method: " + err;
    }
    err = headerValues("ValidationInputValidationError.AdditionalRequestHeaders", in.additionalRequestHeaders());
    if (err != null) {
      return err;
    }
    err = headerValues("ValidationInputValidationError.AdditionalResponseHeaders", in.additionalResponseHeaders());
    if (err != null) {
      return err;
    }
    List<SetMetadataEntry> metadata = in.dynamicMetadata();
    for (int i = 0; i < metadata.size(); i++) {
      err = minLength(metadata.get(i).namespace(), 1);
      if (err != null) {
        return "ValidationInputValidationError.DynamicMetadata[" + i + "]" + EMBEDDED
            + "MetadataValidationError.MetadataNamespace: " + err;
      }
    }
    return null;
  }

  private static String expectations(TestExpectations e) {
    String err = headerValues("ValidationAssertValidationError.RequestHeaderFields", e.requestHeaderFields());
    if (err != null) {
      return err;
    }
    return headerValues("ValidationAssertValidationError.ResponseHeaderFields", e.responseHeaderFields());
  }

  /** {@code HeaderValue.key}: 1 to 16384 bytes, no NUL/CR/LF; {@code value}: at most 16384 bytes, no NUL/CR/LF. */
  private static String headerValues(String field, List<HeaderEntry> entries) {
    for (int i = 0; i < entries.size(); i++) {
      HeaderEntry h = entries.get(i);
      String err = minLength(h.key(), 1);
      String which = "Key";
      if (err == null) {
        err = headerText(h.key());
      }
      if (err == null) {
        which = "Value";
        err = headerText(h.value());
      }
      if (err != null) {
        return field + "[" + i + "]" + EMBEDDED + "HeaderValueValidationError." + which + ": " + err;
      }
    }
    return null;
  }

  private static String headerText(String s) {
    if (s.getBytes(StandardCharsets.UTF_8).length > MAX_HEADER_BYTES) {
      return "value length must be at most " + MAX_HEADER_BYTES + " bytes";
    }
    if (s.indexOf('\0') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0) {
      return "value does not match regex pattern \"^[^\\x00\\n\\r]*$\"";
    }
    return null;
  }

  /** PGV's {@code string.min_len}, which counts code points. */
  private static String minLength(String s, int min) {
    int n = s == null ? 0 : s.codePointCount(0, s.length());
    return n < min ? "value length must be at least " + min + " characters" : null;
  }
}
