package io.sluice.route;

import com.google.re2j.Pattern;
import io.sluice.config.MessageReader;
import java.util.Locale;
import java.util.Set;

/**
 * Envoy's {@code StringMatcher}: exact, prefix, suffix, contains (optionally ignoring ASCII case)
 * or a full-match RE2 regex (case is up to the regex).
 */
public final class StringMatcher {
  static final String TYPE = "envoy.type.matcher.v3.StringMatcher";

  /** The kind of comparison. */
  public enum Kind {
    EXACT("exact"),
    PREFIX("prefix"),
    SUFFIX("suffix"),
    CONTAINS("contains"),
    SAFE_REGEX("safe_regex");

    private final String field;

    Kind(String field) {
      this.field = field;
    }

    /** The protobuf field name of this kind. */
    public String field() {
      return field;
    }
  }

  private final Kind kind;
  private final String value;
  private final boolean ignoreCase;
  private final Pattern regex;

  private StringMatcher(Kind kind, String value, boolean ignoreCase, Pattern regex) {
    this.kind = kind;
    this.ignoreCase = ignoreCase && kind != Kind.SAFE_REGEX;
    this.value = this.ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
    this.regex = regex;
  }

  /** An exact matcher. */
  public static StringMatcher exact(String value) {
    return new StringMatcher(Kind.EXACT, value, false, null);
  }

  /** A matcher of the given kind; {@code value} is the regex source for {@code SAFE_REGEX}. */
  public static StringMatcher of(Kind kind, String value, boolean ignoreCase) {
    Pattern p = kind == Kind.SAFE_REGEX ? Pattern.compile(value) : null;
    return new StringMatcher(kind, value, ignoreCase, p);
  }

  /** A regex matcher from a compiled pattern. */
  static StringMatcher regex(Pattern p) {
    return new StringMatcher(Kind.SAFE_REGEX, p.pattern(), false, p);
  }

  /** Reads an {@code envoy.type.matcher.v3.StringMatcher}; null (after recording why) if invalid. */
  public static StringMatcher read(MessageReader m) {
    if (m == null) {
      return null;
    }
    String which = m.oneOf("match_pattern", "exact", "prefix", "suffix", "safe_regex", "contains", "custom");
    boolean ignoreCase = m.bool("ignore_case", false);
    StringMatcher out = null;
    if (which == null) {
      m.error(null, "match_pattern: value is required (one of exact, prefix, suffix, safe_regex, contains)");
    } else if (which.equals("custom")) {
      m.raw("custom");
      m.error("custom", "custom string matcher extensions are not supported by Sluice");
    } else if (which.equals("safe_regex")) {
      Pattern p = Regexes.read(m.message("safe_regex", Regexes.REGEX_MATCHER));
      out = p == null ? null : regex(p);
    } else {
      String v = m.string(which, "");
      Kind kind =
          switch (which) {
            case "exact" -> Kind.EXACT;
            case "prefix" -> Kind.PREFIX;
            case "suffix" -> Kind.SUFFIX;
            default -> Kind.CONTAINS;
          };
      if (kind != Kind.EXACT && v.isEmpty()) {
        m.error(which, "value length must be at least 1 characters");
        return null;
      }
      out = new StringMatcher(kind, v, ignoreCase, null);
    }
    m.finish(Set.of());
    return out;
  }

  /** Whether {@code s} matches; a null input never does. */
  public boolean matches(String s) {
    if (s == null) {
      return false;
    }
    switch (kind) {
      case EXACT:
        return ignoreCase ? equalsIgnoreAsciiCase(s, value) : s.equals(value);
      case PREFIX:
        return s.length() >= value.length() && regionEquals(s, 0, value, ignoreCase);
      case SUFFIX:
        return s.length() >= value.length()
            && regionEquals(s, s.length() - value.length(), value, ignoreCase);
      case CONTAINS:
        return ignoreCase ? s.toLowerCase(Locale.ROOT).contains(value) : s.contains(value);
      case SAFE_REGEX:
        return regex.matches(s);
      default:
        throw new AssertionError(kind);
    }
  }

  /** The kind of comparison. */
  public Kind kind() {
    return kind;
  }

  /** The value compared against (lower-cased when ignoring case), or the regex source. */
  public String value() {
    return value;
  }

  /** Whether ASCII case is ignored. */
  public boolean ignoreCase() {
    return ignoreCase;
  }

  @Override
  public String toString() {
    return kind.field() + (ignoreCase ? "(ignore_case)" : "") + ": " + value;
  }

  /** Compares ASCII letters without case; every other character exactly, as Envoy does. */
  static boolean equalsIgnoreAsciiCase(String a, String b) {
    return a.length() == b.length() && regionEquals(a, 0, b, true);
  }

  /** Whether {@code s} holds {@code expected} at {@code offset}, optionally ignoring ASCII case. */
  static boolean regionEquals(String s, int offset, String expected, boolean ignoreCase) {
    int n = expected.length();
    if (offset < 0 || offset + n > s.length()) {
      return false;
    }
    if (!ignoreCase) {
      return s.startsWith(expected, offset);
    }
    for (int i = 0; i < n; i++) {
      char a = s.charAt(offset + i);
      char b = expected.charAt(i);
      if (a != b && lowerAscii(a) != lowerAscii(b)) {
        return false;
      }
    }
    return true;
  }

  static char lowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }
}
