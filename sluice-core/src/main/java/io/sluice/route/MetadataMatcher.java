package io.sluice.route;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.config.MessageReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Envoy's {@code MetadataMatcher} for {@code match.dynamic_metadata}: the value found at {@code
 * filter} + {@code path} in the request's dynamic metadata, tested by a value matcher, optionally
 * inverted. A missing value fails every value matcher except {@code null_match} and {@code
 * present_match: false}.
 */
public final class MetadataMatcher {
  static final String TYPE = "envoy.type.matcher.v3.MetadataMatcher";

  private final String filter;
  private final List<String> path;
  private final ValueMatcher value;
  private final boolean invert;

  private MetadataMatcher(String filter, List<String> path, ValueMatcher value, boolean invert) {
    this.filter = filter;
    this.path = List.copyOf(path);
    this.value = value;
    this.invert = invert;
  }

  /** Reads a {@code MetadataMatcher}; null (after recording why) if invalid. */
  public static MetadataMatcher read(MessageReader m) {
    String filter = m.string("filter", "");
    if (filter.isEmpty()) {
      m.error("filter", "value length must be at least 1 characters");
    }
    List<String> keys = new ArrayList<>();
    List<MessageReader> segments = m.messages("path", "envoy.type.matcher.v3.MetadataMatcher.PathSegment");
    if (segments.isEmpty()) {
      m.error("path", "value must contain at least 1 item(s)");
    }
    for (MessageReader s : segments) {
      String key = s.string("key", "");
      if (key.isEmpty()) {
        s.error("key", "value length must be at least 1 characters");
      }
      keys.add(key);
      s.finish();
    }
    MessageReader vm = m.message("value", ValueMatcher.TYPE);
    ValueMatcher value = vm == null ? null : ValueMatcher.read(vm);
    if (vm == null) {
      m.error("value", "value is required");
    }
    boolean invert = m.bool("invert", false);
    m.finish(Set.of());
    if (value == null || filter.isEmpty() || keys.isEmpty()) {
      return null;
    }
    return new MetadataMatcher(filter, keys, value, invert);
  }

  /** Whether the request's dynamic metadata satisfies this matcher. */
  public boolean matches(RouteRequest request) {
    JsonNode node = request.dynamicMetadata(filter);
    for (String key : path) {
      node = node == null || !node.isObject() ? null : node.get(key);
    }
    return value.matches(node) != invert;
  }

  /** Envoy's {@code ValueMatcher} over a protobuf {@code Value} (here a JSON node). */
  static final class ValueMatcher {
    static final String TYPE = "envoy.type.matcher.v3.ValueMatcher";

    private enum Kind {
      NULL,
      DOUBLE,
      STRING,
      BOOL,
      PRESENT,
      LIST,
      OR
    }

    private final Kind kind;
    private final StringMatcher string;
    private final Double exact;
    private final double rangeStart;
    private final double rangeEnd;
    private final boolean bool;
    private final List<ValueMatcher> nested;

    private ValueMatcher(
        Kind kind, StringMatcher string, Double exact, double rangeStart, double rangeEnd, boolean bool,
        List<ValueMatcher> nested) {
      this.kind = kind;
      this.string = string;
      this.exact = exact;
      this.rangeStart = rangeStart;
      this.rangeEnd = rangeEnd;
      this.bool = bool;
      this.nested = nested;
    }

    static ValueMatcher read(MessageReader m) {
      String which =
          m.oneOf("match_pattern", "null_match", "double_match", "string_match", "bool_match", "present_match",
              "list_match", "or_match");
      ValueMatcher out = null;
      if (which == null) {
        m.error(null, "match_pattern: value is required");
      } else {
        switch (which) {
          case "null_match" -> {
            m.raw(which);
            out = new ValueMatcher(Kind.NULL, null, null, 0, 0, false, List.of());
          }
          case "string_match" -> {
            StringMatcher s = StringMatcher.read(m.message(which, StringMatcher.TYPE));
            out = s == null ? null : new ValueMatcher(Kind.STRING, s, null, 0, 0, false, List.of());
          }
          case "bool_match" -> out = new ValueMatcher(Kind.BOOL, null, null, 0, 0, m.bool(which, false), List.of());
          case "present_match" -> out =
              new ValueMatcher(Kind.PRESENT, null, null, 0, 0, m.bool(which, false), List.of());
          case "double_match" -> {
            MessageReader d = m.message(which, "envoy.type.matcher.v3.DoubleMatcher");
            if (d != null) {
              String dm = d.oneOf("match_pattern", "range", "exact");
              if ("exact".equals(dm)) {
                out = new ValueMatcher(Kind.DOUBLE, null, d.optDouble("exact"), 0, 0, false, List.of());
              } else if ("range".equals(dm)) {
                MessageReader r = d.message("range", "envoy.type.v3.DoubleRange");
                if (r != null) {
                  Double start = r.optDouble("start");
                  Double end = r.optDouble("end");
                  r.finish();
                  out =
                      new ValueMatcher(
                          Kind.DOUBLE, null, null, start == null ? 0 : start, end == null ? 0 : end, false, List.of());
                }
              } else {
                d.error(null, "match_pattern: value is required");
              }
              d.finish();
            }
          }
          case "list_match" -> {
            MessageReader l = m.message(which, "envoy.type.matcher.v3.ListMatcher");
            if (l != null) {
              MessageReader one = l.message("one_of", TYPE);
              ValueMatcher inner = one == null ? null : read(one);
              l.finish();
              out = inner == null ? null : new ValueMatcher(Kind.LIST, null, null, 0, 0, false, List.of(inner));
            }
          }
          default -> {
            MessageReader or = m.message(which, "envoy.type.matcher.v3.OrMatcher");
            if (or != null) {
              List<ValueMatcher> all = new ArrayList<>();
              for (MessageReader v : or.messages("value_matchers", TYPE)) {
                ValueMatcher vm = read(v);
                if (vm != null) {
                  all.add(vm);
                }
              }
              or.finish();
              out = new ValueMatcher(Kind.OR, null, null, 0, 0, false, List.copyOf(all));
            }
          }
        }
      }
      m.finish();
      return out;
    }

    boolean matches(JsonNode v) {
      boolean present = v != null && !v.isNull() && !v.isMissingNode();
      switch (kind) {
        case NULL:
          return v != null && v.isNull();
        case PRESENT:
          return present == bool;
        case STRING:
          return present && v.isTextual() && string.matches(v.asText());
        case BOOL:
          return present && v.isBoolean() && v.booleanValue() == bool;
        case DOUBLE:
          if (!present || !v.isNumber()) {
            return false;
          }
          double d = v.doubleValue();
          return exact != null ? d == exact : d >= rangeStart && d < rangeEnd;
        case LIST:
          if (!present || !v.isArray()) {
            return false;
          }
          for (JsonNode item : v) {
            if (nested.get(0).matches(item)) {
              return true;
            }
          }
          return false;
        case OR:
          for (ValueMatcher m : nested) {
            if (m.matches(v)) {
              return true;
            }
          }
          return false;
        default:
          throw new AssertionError(kind);
      }
    }
  }
}
