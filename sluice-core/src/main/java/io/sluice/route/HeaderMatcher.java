package io.sluice.route;

import com.google.re2j.Pattern;
import io.sluice.config.MessageReader;
import java.util.Locale;
import java.util.Set;

/**
 * Envoy's {@code HeaderMatcher}, with the semantics of {@code HeaderUtility::matchHeaders}: a
 * repeated header is matched as its values joined with {@code ","}; an absent header matches only a
 * presence matcher asking for absence (inversion does not rescue it) unless {@code
 * treat_missing_header_as_empty} makes it {@code ""}.
 */
public final class HeaderMatcher {
  static final String TYPE = "envoy.config.route.v3.HeaderMatcher";

  /** Which specifier the matcher was written with. */
  public enum Type {
    PRESENT("present_match"),
    EXACT("exact_match"),
    REGEX("safe_regex_match"),
    RANGE("range_match"),
    PREFIX("prefix_match"),
    SUFFIX("suffix_match"),
    CONTAINS("contains_match"),
    STRING("string_match");

    private final String field;

    Type(String field) {
      this.field = field;
    }

    /** The protobuf field name. */
    public String field() {
      return field;
    }
  }

  private final String name;
  private final String writtenName;
  private final Type type;
  private final boolean present;
  private final String value;
  private final Pattern regex;
  private final long rangeStart;
  private final long rangeEnd;
  private final StringMatcher stringMatcher;
  private final boolean invert;
  private final boolean treatMissingAsEmpty;

  private HeaderMatcher(
      String writtenName,
      Type type,
      boolean present,
      String value,
      Pattern regex,
      long rangeStart,
      long rangeEnd,
      StringMatcher stringMatcher,
      boolean invert,
      boolean treatMissingAsEmpty) {
    this.writtenName = writtenName;
    this.name = writtenName.toLowerCase(Locale.ROOT);
    this.type = type;
    this.present = present;
    this.value = value;
    this.regex = regex;
    this.rangeStart = rangeStart;
    this.rangeEnd = rangeEnd;
    this.stringMatcher = stringMatcher;
    this.invert = invert;
    this.treatMissingAsEmpty = treatMissingAsEmpty;
  }

  /** A matcher with a {@code string_match}. */
  public static HeaderMatcher of(String name, StringMatcher matcher, boolean invert) {
    return new HeaderMatcher(name, Type.STRING, false, null, null, 0, 0, matcher, invert, false);
  }

  /** A presence matcher. */
  public static HeaderMatcher present(String name, boolean present, boolean invert) {
    return new HeaderMatcher(name, Type.PRESENT, present, null, null, 0, 0, null, invert, false);
  }

  /** Reads a {@code HeaderMatcher}; null (after recording why) if invalid. */
  public static HeaderMatcher read(MessageReader m) {
    String name = m.string("name", "");
    boolean invert = m.bool("invert_match", false);
    boolean missingAsEmpty = m.bool("treat_missing_header_as_empty", false);
    String which =
        m.oneOf(
            "header_match_specifier",
            "exact_match",
            "safe_regex_match",
            "range_match",
            "present_match",
            "prefix_match",
            "suffix_match",
            "contains_match",
            "string_match");
    boolean ok = true;
    if (name.isEmpty()) {
      m.error("name", "value length must be at least 1 characters");
      ok = false;
    }
    HeaderMatcher out = null;
    if (which == null) {
      // No specifier: Envoy treats it as "the header is present".
      out = new HeaderMatcher(name, Type.PRESENT, true, null, null, 0, 0, null, invert, missingAsEmpty);
    } else {
      switch (which) {
        case "exact_match" -> out =
            new HeaderMatcher(name, Type.EXACT, false, m.string(which, ""), null, 0, 0, null, invert, missingAsEmpty);
        case "safe_regex_match" -> {
          Pattern p = Regexes.read(m.message(which, Regexes.REGEX_MATCHER));
          if (p != null) {
            out = new HeaderMatcher(name, Type.REGEX, false, null, p, 0, 0, null, invert, missingAsEmpty);
          }
        }
        case "range_match" -> {
          MessageReader r = m.message(which, "envoy.type.v3.Int64Range");
          if (r != null) {
            Long start = r.optInt64("start");
            Long end = r.optInt64("end");
            r.finish();
            out =
                new HeaderMatcher(
                    name, Type.RANGE, false, null, null, start == null ? 0 : start, end == null ? 0 : end,
                    null, invert, missingAsEmpty);
          }
        }
        case "present_match" -> out =
            new HeaderMatcher(name, Type.PRESENT, m.bool(which, false), null, null, 0, 0, null, invert, missingAsEmpty);
        case "prefix_match", "suffix_match", "contains_match" -> {
          String v = m.string(which, "");
          if (v.isEmpty()) {
            m.error(which, "value length must be at least 1 characters");
          } else {
            Type t =
                which.equals("prefix_match") ? Type.PREFIX : which.equals("suffix_match") ? Type.SUFFIX : Type.CONTAINS;
            out = new HeaderMatcher(name, t, false, v, null, 0, 0, null, invert, missingAsEmpty);
          }
        }
        default -> {
          StringMatcher sm = StringMatcher.read(m.message(which, StringMatcher.TYPE));
          if (sm != null) {
            out = new HeaderMatcher(name, Type.STRING, false, null, null, 0, 0, sm, invert, missingAsEmpty);
          }
        }
      }
    }
    m.finish(Set.of());
    return ok ? out : null;
  }

  /** Whether the headers satisfy this matcher. */
  public boolean matches(Headers headers) {
    String v = headers.get(name);
    if (v == null) {
      if (!treatMissingAsEmpty) {
        // Decided before inversion: only "must be absent" matches a missing header.
        return type == Type.PRESENT && (present == invert);
      }
      v = "";
    }
    boolean match;
    switch (type) {
      case PRESENT:
        match = present;
        break;
      case EXACT:
        match = value.isEmpty() || v.equals(value);
        break;
      case REGEX:
        match = regex.matches(v);
        break;
      case RANGE:
        match = inRange(v);
        break;
      case PREFIX:
        match = v.startsWith(value);
        break;
      case SUFFIX:
        match = v.endsWith(value);
        break;
      case CONTAINS:
        match = v.contains(value);
        break;
      case STRING:
        match = stringMatcher.matches(v);
        break;
      default:
        throw new AssertionError(type);
    }
    return match != invert;
  }

  private boolean inRange(String v) {
    // absl::SimpleAtoi: optional surrounding ASCII whitespace and sign, decimal digits only.
    String s = v.strip();
    if (s.isEmpty()) {
      return false;
    }
    try {
      long n = Long.parseLong(s);
      return n >= rangeStart && n < rangeEnd;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The header name, lower-cased. */
  public String name() {
    return name;
  }

  /** The header name as written in the configuration. */
  public String writtenName() {
    return writtenName;
  }

  /** The specifier used. */
  public Type type() {
    return type;
  }

  /** For {@code present_match}: the value asked for. */
  public boolean present() {
    return present;
  }

  /** Whether the result is inverted. */
  public boolean invert() {
    return invert;
  }

  /** For {@code string_match}: the matcher, else null. */
  public StringMatcher stringMatcher() {
    return stringMatcher;
  }

  /** For the deprecated value specifiers: the value, else null. */
  public String value() {
    return value;
  }
}
