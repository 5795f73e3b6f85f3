package io.sluice.route;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/**
 * Envoy's {@code RegexMatchAndSubstitute}: every non-overlapping match of {@code pattern} is
 * replaced by {@code substitution}, in which {@code \0}..{@code \9} insert the whole match or a
 * capture group and {@code \\} a backslash (RE2's {@code GlobalReplace} syntax).
 */
public final class RegexRewrite {
  private final Pattern pattern;
  private final String substitution;

  private RegexRewrite(Pattern pattern, String substitution) {
    this.pattern = pattern;
    this.substitution = substitution;
  }

  /**
   * A rewrite of {@code pattern} by {@code substitution}.
   *
   * @throws IllegalArgumentException when the substitution is malformed or names a group the
   *     pattern does not have
   */
  public static RegexRewrite of(Pattern pattern, String substitution) {
    int groups = pattern.groupCount();
    for (int i = 0; i < substitution.length(); i++) {
      char c = substitution.charAt(i);
      if (c != '\\') {
        continue;
      }
      if (i + 1 >= substitution.length()) {
        throw new IllegalArgumentException("invalid rewrite pattern: " + substitution + " ends with a lone \\");
      }
      char d = substitution.charAt(++i);
      if (d >= '0' && d <= '9') {
        if (d - '0' > groups) {
          throw new IllegalArgumentException(
              "Rewrite schema requests "
                  + (d - '0')
                  + " matches, but the regexp only has "
                  + groups
                  + " parenthesized subexpressions.");
        }
      } else if (d != '\\') {
        throw new IllegalArgumentException(
            "invalid rewrite pattern: " + substitution + " (\\" + d + " is not \\0-\\9 or \\\\)");
      }
    }
    return new RegexRewrite(pattern, substitution);
  }

  /** The input with every match replaced. */
  public String apply(String input) {
    Matcher m = pattern.matcher(input);
    StringBuilder out = null;
    int copied = 0;
    int searchFrom = 0;
    int lastMatchEnd = -1;
    while (searchFrom <= input.length() && m.find(searchFrom)) {
      int start = m.start();
      int end = m.end();
      if (start == end && start == lastMatchEnd) {
        // RE2 never takes an empty match right where the previous match ended.
        if (start >= input.length()) {
          break;
        }
        searchFrom = start + 1;
        continue;
      }
      if (out == null) {
        out = new StringBuilder(input.length() + 16);
      }
      out.append(input, copied, start);
      appendSubstitution(out, m);
      copied = end;
      lastMatchEnd = end;
      searchFrom = end == start ? end + 1 : end;
    }
    if (out == null) {
      return input;
    }
    out.append(input, copied, input.length());
    return out.toString();
  }

  private void appendSubstitution(StringBuilder out, Matcher m) {
    for (int i = 0; i < substitution.length(); i++) {
      char c = substitution.charAt(i);
      if (c == '\\') {
        char d = substitution.charAt(++i);
        if (d == '\\') {
          out.append('\\');
        } else {
          String g = m.group(d - '0');
          if (g != null) {
            out.append(g);
          }
        }
      } else {
        out.append(c);
      }
    }
  }

  /** The pattern. */
  public Pattern pattern() {
    return pattern;
  }

  /** The substitution as written. */
  public String substitution() {
    return substitution;
  }
}
