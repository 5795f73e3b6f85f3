package io.sluice.route;

import com.google.re2j.Pattern;

/**
 * The path specifier of a route: {@code prefix}, {@code path}, {@code safe_regex}, {@code
 * path_separated_prefix} or {@code connect_matcher}. Matching looks at the path with its query and
 * fragment removed (everything from the first {@code ?} or {@code #}), as Envoy does; case is
 * ignored (ASCII only) when {@code case_sensitive} is false, except for regexes.
 */
public final class PathMatcher {

  /** The specifier the route was written with. */
  public enum Kind {
    PREFIX("prefix"),
    PATH("path"),
    SAFE_REGEX("safe_regex"),
    PATH_SEPARATED_PREFIX("path_separated_prefix"),
    CONNECT("connect_matcher");

    private final String field;

    Kind(String field) {
      this.field = field;
    }

    /** The protobuf field name. */
    public String field() {
      return field;
    }
  }

  private final Kind kind;
  private final String value;
  private final Pattern regex;
  private final boolean caseSensitive;
  private final boolean ignorePathParameters;

  PathMatcher(Kind kind, String value, Pattern regex, boolean caseSensitive, boolean ignorePathParameters) {
    this.kind = kind;
    this.value = value;
    this.regex = regex;
    this.caseSensitive = caseSensitive;
    this.ignorePathParameters = ignorePathParameters;
  }

  /** Whether a request with this {@code :path} and {@code :method} matches. */
  public boolean matches(String path, String method) {
    if (kind == Kind.CONNECT) {
      return "CONNECT".equals(method);
    }
    if (path == null) {
      return false;
    }
    // The literal kinds compare the value first: in an ordered table most routes fail there, within
    // a few characters, and need no scan of the path for where its query starts.
    switch (kind) {
      case PREFIX:
        return StringMatcher.regionEquals(path, 0, value, !caseSensitive) && matchEnd(path) >= value.length();
      case PATH:
        return StringMatcher.regionEquals(path, 0, value, !caseSensitive) && matchEnd(path) == value.length();
      case PATH_SEPARATED_PREFIX: {
        if (!StringMatcher.regionEquals(path, 0, value, !caseSensitive)) {
          return false;
        }
        int end = matchEnd(path);
        return end >= value.length() && (end == value.length() || path.charAt(value.length()) == '/');
      }
      case SAFE_REGEX: {
        int end = matchEnd(path);
        return regex.matches(end == path.length() ? path : path.substring(0, end));
      }
      default:
        throw new AssertionError(kind);
    }
  }

  /**
   * The length of the part of {@code path} that a prefix rewrite replaces: the configured prefix
   * or path, or for a regex route the whole path without its query and fragment.
   */
  public int matchedLength(String path) {
    return switch (kind) {
      case PREFIX, PATH, PATH_SEPARATED_PREFIX -> value.length();
      case SAFE_REGEX, CONNECT -> pathEnd(path);
    };
  }

  private int matchEnd(String path) {
    int end = pathEnd(path);
    if (ignorePathParameters) {
      int semi = path.indexOf(';');
      if (semi >= 0 && semi < end) {
        end = semi;
      }
    }
    return end;
  }

  /** Index of the first {@code ?} or {@code #}, or the length when there is neither. */
  public static int pathEnd(String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '?' || c == '#') {
        return i;
      }
    }
    return path.length();
  }

  /** The specifier. */
  public Kind kind() {
    return kind;
  }

  /** The configured prefix or path, or the regex source. */
  public String value() {
    return value;
  }

  /** Whether case matters. */
  public boolean caseSensitive() {
    return caseSensitive;
  }

  @Override
  public String toString() {
    return kind.field() + ": " + value + (caseSensitive ? "" : " (case-insensitive)");
  }
}
