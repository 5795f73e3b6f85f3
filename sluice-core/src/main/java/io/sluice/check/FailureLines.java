package io.sluice.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.check.TestExpectations.ExpectedHeaderMatch;
import io.sluice.route.HeaderMatcher;
import io.sluice.route.Headers;
import io.sluice.route.StringMatcher;

/** The failure lines of Envoy's route checker, character for character. */
public final class FailureLines {
  private FailureLines() {}

  /** A value that differs: {@code expected: [E], actual: [A], test type: T}. */
  public static String mismatch(String expected, String actual, String testType) {
    return "expected: [" + expected + "], actual: [" + actual + "], test type: " + testType;
  }

  /**
   * A header matcher that failed; {@code field} is {@code request_header_matches} or {@code
   * response_header_matches}. The text depends only on the matcher's kind and {@code
   * invert_match}, never on why it failed:
   *
   * <ul>
   *   <li>presence (or no specifier): {@code expected: [has(N):X], actual: [has(N):!X]} with X
   *       false when inverted;
   *   <li>{@code string_match.exact}: {@code expected: [N: V], actual: [N: A]}, {@code actual: NOT
   *       [...]} when inverted;
   *   <li>anything else: {@code actual: [N: A]} only.
   * </ul>
   *
   * N is the name as written, A the header's first value or {@code NULL} when it is absent.
   */
  public static String headerMatch(String field, ExpectedHeaderMatch expected, Headers headers) {
    HeaderMatcher m = expected.matcher();
    String name = m.writtenName();
    String type = " test type: " + field + "." + kind(m);
    if (m.type() == HeaderMatcher.Type.PRESENT) {
      boolean want = !m.invert();
      return "expected: [has(" + name + "):" + want + "], actual: [has(" + name + "):" + !want + "]," + type;
    }
    String actual = headers.first(m.name());
    String shown = "[" + name + ": " + (actual == null ? "NULL" : actual) + "],";
    if (m.type() == HeaderMatcher.Type.STRING && m.stringMatcher().kind() == StringMatcher.Kind.EXACT) {
      return "expected: [" + name + ": " + exactAsWritten(expected.config()) + "], actual: "
          + (m.invert() ? "NOT " : "") + shown + type;
    }
    return "actual: " + shown + type;
  }

  /** The matcher's kind as Envoy names it: the specifier field, with the string matcher's kind. */
  static String kind(HeaderMatcher m) {
    return m.type() == HeaderMatcher.Type.STRING
        ? "string_match." + m.stringMatcher().kind().field()
        : m.type().field();
  }

  private static String exactAsWritten(JsonNode config) {
    // The compiled matcher lower-cases an ignore_case value; the line quotes it as written.
    JsonNode sm = config.has("string_match") ? config.get("string_match") : config.get("stringMatch");
    JsonNode exact = sm == null ? null : sm.get("exact");
    return exact == null || exact.isNull() ? "" : exact.asText();
  }
}
