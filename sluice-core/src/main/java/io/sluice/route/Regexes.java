package io.sluice.route;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.sluice.config.MessageReader;
import java.util.Set;

/**
 * Compiles Envoy {@code RegexMatcher}s with RE2/J, which like Envoy's RE2 runs in time linear in
 * the input: a hostile header cannot make matching backtrack.
 */
public final class Regexes {
  static final String REGEX_MATCHER = "envoy.type.matcher.v3.RegexMatcher";

  private Regexes() {}

  /**
   * Reads a {@code RegexMatcher} ({@code {google_re2: {}, regex: "..."}}) and compiles it; null
   * (after recording the error) when it is missing or invalid.
   */
  public static Pattern read(MessageReader m) {
    if (m == null) {
      return null;
    }
    MessageReader engine = m.message("google_re2", "envoy.type.matcher.v3.RegexMatcher.GoogleRE2");
    if (engine != null) {
      // max_program_size is deprecated in Envoy (runtime keys replaced it); RE2/J has no program
      // size to compare against, so it is accepted and not enforced.
      engine.skip("max_program_size");
      engine.finish();
    }
    String regex = m.string("regex");
    m.finish(Set.of());
    if (regex == null || regex.isEmpty()) {
      m.error("regex", "value length must be at least 1 characters");
      return null;
    }
    return compile(regex, m, "regex");
  }

  /** Compiles {@code regex}, recording Envoy's message at {@code field} of {@code where} if invalid. */
  public static Pattern compile(String regex, MessageReader where, String field) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      where.error(field, "Invalid regex '" + regex + "': " + e.getDescription());
      return null;
    }
  }
}
