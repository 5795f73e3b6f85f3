package io.sluice.route;

import io.sluice.config.MessageReader;

/**
 * Envoy's {@code QueryParameterMatcher}: only the first value of the parameter counts; a matcher
 * with neither {@code string_match} nor {@code present_match} means "present"; {@code
 * present_match: false} means "absent".
 */
public final class QueryParameterMatcher {
  private final String name;
  private final StringMatcher value;
  private final Boolean present;

  QueryParameterMatcher(String name, StringMatcher value, Boolean present) {
    this.name = name;
    this.value = value;
    this.present = present;
  }

  /** Reads a {@code QueryParameterMatcher}; null (after recording why) if invalid. */
  public static QueryParameterMatcher read(MessageReader m) {
    String name = m.string("name", "");
    String which = m.oneOf("query_parameter_match_specifier", "string_match", "present_match");
    StringMatcher value = null;
    Boolean present = null;
    boolean ok = true;
    if (name.isEmpty()) {
      m.error("name", "value length must be at least 1 characters");
      ok = false;
    }
    if ("string_match".equals(which)) {
      value = StringMatcher.read(m.message("string_match", StringMatcher.TYPE));
      ok &= value != null;
    } else if ("present_match".equals(which)) {
      present = m.bool("present_match", false);
    }
    m.finish();
    return ok ? new QueryParameterMatcher(name, value, present) : null;
  }

  /** Whether the request's query satisfies this matcher. */
  public boolean matches(RouteRequest request) {
    String v = request.queryParameter(name);
    if (present != null) {
      return (v != null) == present;
    }
    if (v == null) {
      return false;
    }
    return value == null || value.matches(v);
  }

  /** The parameter name. */
  public String name() {
    return name;
  }
}
