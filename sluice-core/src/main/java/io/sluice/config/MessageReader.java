package io.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one protobuf-style message (an Envoy config object) from a Jackson tree, the way Envoy's
 * loader reads proto3 JSON: field names in snake_case or lowerCamelCase, scalars coerced as proto3
 * JSON allows, and a field the message type does not have is an error naming its path. Every
 * problem is added to a shared {@link Problems}; reading goes on so that all of them are reported.
 *
 * <p>A reader is used once: the caller asks for each field it understands, then calls {@link
 * #finish} with the names of fields that Envoy knows but Sluice does not implement (those warn).
 */
public final class MessageReader {
  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private final String path;
  private final String type;
  private final Problems problems;
  private final Map<String, JsonNode> fields = new LinkedHashMap<>();
  private final Map<String, Boolean> consumed = new LinkedHashMap<>();

  private MessageReader(JsonNode node, String path, String type, Problems problems) {
    this.path = path;
    this.type = type;
    this.problems = problems;
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = snakeCase(e.getKey());
      if (fields.containsKey(name)) {
        problems.error(childPath(path, name), "field given twice (as snake_case and lowerCamelCase)");
        continue;
      }
      fields.put(name, e.getValue());
      consumed.put(name, Boolean.FALSE);
    }
  }

  /**
   * A reader for {@code node}, or null (after recording an error) when the node is not an object.
   *
   * @param type the protobuf type name, such as {@code envoy.config.route.v3.RouteConfiguration};
   *     it appears in unknown-field errors as Envoy prints it
   */
  public static MessageReader of(JsonNode node, String path, String type, Problems problems) {
    if (node == null || !node.isObject()) {
      problems.error(path, "expected an object (" + type + "), got " + describe(node));
      return null;
    }
    return new MessageReader(node, path, type, problems);
  }

  /** The path of this message, such as {@code virtual_hosts[0].routes[1]}; empty for the root. */
  public String path() {
    return path;
  }

  /** The problem collector shared by the whole document. */
  public Problems problems() {
    return problems;
  }

  /** The path of a field of this message. */
  public String pathOf(String field) {
    return childPath(path, field);
  }

  /** Whether the field is present (and not JSON null). */
  public boolean has(String field) {
    JsonNode n = fields.get(key(field));
    return n != null && !n.isNull();
  }

  /** The raw value of a field (marking it read), or null when absent or null. */
  public JsonNode raw(String field) {
    String key = key(field);
    if (!fields.containsKey(key)) {
      return null;
    }
    consumed.put(key, Boolean.TRUE);
    JsonNode n = fields.get(key);
    return n == null || n.isNull() ? null : n;
  }

  /**
   * The key under which a field was given. A name with a digit after an underscore has a JSON name
   * that does not convert back ({@code consecutive_5xx} is {@code consecutive5xx}), so that spelling
   * is looked up too.
   */
  private String key(String field) {
    if (fields.containsKey(field)) {
      return field;
    }
    String json = snakeCase(jsonName(field));
    return fields.containsKey(json) ? json : field;
  }

  /** The proto3 JSON name of a field: {@code consecutive_5xx} is {@code consecutive5xx}. */
  static String jsonName(String field) {
    StringBuilder sb = new StringBuilder(field.length());
    boolean upper = false;
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '_') {
        upper = true;
      } else {
        sb.append(upper && c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c);
        upper = false;
      }
    }
    return sb.toString();
  }

  /** Records an error at a field of this message. */
  public void error(String field, String message) {
    problems.error(field == null ? path : pathOf(field), message);
  }

  /** Records a warning at a field of this message. */
  public void warn(String field, String message) {
    problems.warn(field == null ? path : pathOf(field), message);
  }

  /** A string field, or null when absent. Numbers and booleans are taken as written. */
  public String string(String field) {
    JsonNode n = raw(field);
    if (n == null) {
      return null;
    }
    if (!n.isValueNode()) {
      error(field, "expected a string, got " + describe(n));
      return null;
    }
    return n.asText();
  }

  /** A string field with a default for when it is absent. */
  public String string(String field, String defaultValue) {
    String s = string(field);
    return s == null ? defaultValue : s;
  }

  /** A bool field (proto3 JSON: true/false, or the strings "true"/"false"), or null when absent. */
  public Boolean optBool(String field) {
    JsonNode n = raw(field);
    if (n == null) {
      return null;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isTextual() && (n.asText().equals("true") || n.asText().equals("false"))) {
      return Boolean.valueOf(n.asText());
    }
    if (n.isObject() && n.size() == 1 && n.has("value") && n.get("value").isBoolean()) {
      return n.get("value").booleanValue();
    }
    error(field, "expected true or false, got " + describe(n));
    return null;
  }

  /** A bool field with a default. */
  public boolean bool(String field, boolean defaultValue) {
    Boolean b = optBool(field);
    return b == null ? defaultValue : b;
  }

  /** An unsigned 32-bit field, or null when absent. */
  public Long optUint32(String field) {
    BigInteger v = integer(field, BigInteger.ZERO, BigInteger.valueOf(0xFFFF_FFFFL), "uint32");
    return v == null ? null : v.longValue();
  }

  /** An unsigned 32-bit field with a default. */
  public long uint32(String field, long defaultValue) {
    Long v = optUint32(field);
    return v == null ? defaultValue : v;
  }

  /** A signed 64-bit field, or null when absent. */
  public Long optInt64(String field) {
    BigInteger v =
        integer(
            field, BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE), "int64");
    return v == null ? null : v.longValue();
  }

  /**
   * An unsigned 64-bit field as the bit pattern of a {@code long} (compare it with the {@code
   * Long.*Unsigned} methods), or null when absent.
   */
  public Long optUint64(String field) {
    BigInteger v = integer(field, BigInteger.ZERO, UINT64_MAX, "uint64");
    return v == null ? null : v.longValue();
  }

  private BigInteger integer(String field, BigInteger min, BigInteger max, String typeName) {
    JsonNode n = raw(field);
    if (n == null) {
      return null;
    }
    BigInteger v = null;
    if (n.isIntegralNumber()) {
      v = n.bigIntegerValue();
    } else if (n.isFloatingPointNumber()) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && !Double.isInfinite(d)) {
        v = n.decimalValue().toBigInteger();
      }
    } else if (n.isTextual()) {
      try {
        v = new BigInteger(n.asText().trim());
      } catch (NumberFormatException e) {
        v = null;
      }
    }
    if (v == null) {
      error(field, "expected an integer (" + typeName + "), got " + describe(n));
      return null;
    }
    if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
      error(field, "value " + v + " is out of range for " + typeName);
      return null;
    }
    return v;
  }

  /** A double field, or null when absent. */
  public Double optDouble(String field) {
    JsonNode n = raw(field);
    if (n == null) {
      return null;
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isTextual()) {
      try {
        return Double.parseDouble(n.asText().trim());
      } catch (NumberFormatException e) {
        // fall through to the error
      }
    }
    error(field, "expected a number, got " + describe(n));
    return null;
  }

  /**
   * An enum field written as its name or its number, or {@code defaultValue} when absent.
   *
   * @param values the enum's constants in protobuf number order (number = index)
   */
  public <E extends Enum<E>> E enumValue(String field, E[] values, E defaultValue) {
    JsonNode n = raw(field);
    if (n == null) {
      return defaultValue;
    }
    if (n.isIntegralNumber()) {
      int i = n.intValue();
      if (i >= 0 && i < values.length) {
        return values[i];
      }
    } else if (n.isTextual()) {
      for (E e : values) {
        if (e.name().equals(n.asText())) {
          return e;
        }
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : values) {
      names.add(e.name());
    }
    error(field, "unknown value " + n + "; expected one of " + String.join(", ", names));
    return defaultValue;
  }

  /**
   * A {@code google.protobuf.Duration} field, or null when absent: a proto3 JSON string such as
   * {@code "1.5s"}, or an object {@code {seconds, nanos}} as YAML configs often write it.
   */
  public Duration duration(String field) {
    JsonNode n = raw(field);
    if (n == null) {
      return null;
    }
    Duration d = Durations.parse(n);
    if (d == null) {
      error(field, "expected a duration such as \"1.5s\" or {seconds: 1, nanos: 500000000}, got " + describe(n));
    }
    return d;
  }

  /** A nested message, or null when absent (or not an object, after recording an error). */
  public MessageReader message(String field, String fieldType) {
    JsonNode n = raw(field);
    if (n == null) {
      return null;
    }
    return of(n, pathOf(field), fieldType, problems);
  }

  /** A repeated message field; absent means empty. Items that are not objects are reported. */
  public List<MessageReader> messages(String field, String itemType) {
    JsonNode n = raw(field);
    List<MessageReader> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (!n.isArray()) {
      error(field, "expected a list, got " + describe(n));
      return out;
    }
    for (int i = 0; i < n.size(); i++) {
      MessageReader r = of(n.get(i), pathOf(field) + "[" + i + "]", itemType, problems);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  /** A repeated string field; absent means empty. */
  public List<String> strings(String field) {
    JsonNode n = raw(field);
    List<String> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (!n.isArray()) {
      error(field, "expected a list of strings, got " + describe(n));
      return out;
    }
    for (int i = 0; i < n.size(); i++) {
      JsonNode item = n.get(i);
      if (item == null || !item.isValueNode() || item.isNull()) {
        problems.error(pathOf(field) + "[" + i + "]", "expected a string, got " + describe(item));
      } else {
        out.add(item.asText());
      }
    }
    return out;
  }

  /**
   * Of the fields of a protobuf {@code oneof}, the one that is set, or null when none is. Two or
   * more set is an error, as in Envoy's loader.
   */
  public String oneOf(String oneofName, String... candidates) {
    String found = null;
    for (String c : candidates) {
      if (has(c)) {
        if (found != null) {
          problems.error(
              path,
              "only one of "
                  + String.join(", ", candidates)
                  + " may be set ("
                  + oneofName
                  + "), found both "
                  + found
                  + " and "
                  + c);
          raw(c);
        } else {
          found = c;
        }
      }
    }
    return found;
  }

  /** Marks a field as read without interpreting it (its value is kept elsewhere, or irrelevant). */
  public void skip(String... names) {
    for (String name : names) {
      String key = key(name);
      if (consumed.containsKey(key)) {
        consumed.put(key, Boolean.TRUE);
      }
    }
  }

  /**
   * Ends reading: a field not read is a warning when {@code knownUnsupported} names it (Envoy has
   * it; Sluice ignores it), and an error otherwise (Envoy would reject it too).
   */
  public void finish(Set<String> knownUnsupported) {
    for (Map.Entry<String, Boolean> e : consumed.entrySet()) {
      if (e.getValue()) {
        continue;
      }
      String name = e.getKey();
      if (knownUnsupported.contains(name) || knownUnsupported.stream().anyMatch(k -> key(k).equals(name))) {
        problems.warn(pathOf(name), "not supported by Sluice yet; ignored");
      } else {
        problems.error(
            pathOf(name),
            "unknown field (INVALID_ARGUMENT: " + type + " has no field named \"" + name + "\")");
      }
    }
  }

  /** {@link #finish(Set)} for a message whose every field Sluice reads. */
  public void finish() {
    finish(Set.of());
  }

  /** Converts a lowerCamelCase proto3 JSON name to the proto field name. */
  public static String snakeCase(String name) {
    StringBuilder sb = null;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        if (sb == null) {
          sb = new StringBuilder(name.length() + 4).append(name, 0, i);
        }
        sb.append('_').append((char) (c + ('a' - 'A')));
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? name : sb.toString();
  }

  static String childPath(String parent, String field) {
    return parent.isEmpty() ? field : parent + "." + field;
  }

  /** A short description of a JSON value for error messages. */
  public static String describe(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    if (n.isNull()) {
      return "null";
    }
    if (n.isObject()) {
      return "an object";
    }
    if (n.isArray()) {
      return "a list";
    }
    if (n.isTextual()) {
      return "\"" + n.asText() + "\"";
    }
    return n.toString().toLowerCase(Locale.ROOT);
  }
}
