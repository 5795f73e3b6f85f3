package io.sluice.resource;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.config.MessageReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one object of a Kubernetes manifest field by field, as the API server's strict decoding
 * does: a field the type does not have is an error naming its path, a {@code null} value is the
 * same as an absent field, and scalars must have their declared JSON type. Every problem goes to a
 * shared {@link FieldErrors}; reading goes on so that all of them are reported.
 */
final class FieldReader {
  private final Map<String, JsonNode> fields = new LinkedHashMap<>();
  private final Set<String> read = new LinkedHashSet<>();
  private final Set<String> quiet = new LinkedHashSet<>();
  private final String path;
  private final FieldErrors errors;

  private FieldReader(JsonNode node, String path, FieldErrors errors) {
    this.path = path;
    this.errors = errors;
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      fields.put(e.getKey(), e.getValue());
    }
  }

  /** A reader for {@code node}, or null (after recording an error) when it is not an object. */
  static FieldReader of(JsonNode node, String path, FieldErrors errors) {
    if (node == null || !node.isObject()) {
      errors.error(path, "expected an object, got " + MessageReader.describe(node));
      return null;
    }
    return new FieldReader(node, path, errors);
  }

  String path() {
    return path;
  }

  FieldErrors errors() {
    return errors;
  }

  String pathOf(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  void error(String field, String message) {
    errors.error(field == null ? path : pathOf(field), message);
  }

  /** Whether the field is present and not null. */
  boolean has(String field) {
    JsonNode n = fields.get(field);
    return n != null && !n.isNull();
  }

  /** The raw value (marking the field read), or null when absent or null. */
  JsonNode raw(String field) {
    read.add(field);
    JsonNode n = fields.get(field);
    return n == null || n.isNull() ? null : n;
  }

  /** Marks fields as read without looking at them (fields Sluice accepts and does not use). */
  void skip(String... names) {
    read.addAll(List.of(names));
  }

  /** Marks fields as read and leaves them out of the unknown-field hint (server-set fields). */
  void skipQuietly(String... names) {
    read.addAll(List.of(names));
    quiet.addAll(List.of(names));
  }

  /** A string field, or null when absent. */
  String string(String field) {
    JsonNode n = raw(field);
    if (n == null) {
      return null;
    }
    if (!n.isTextual()) {
      error(field, "expected a string, got " + MessageReader.describe(n));
      return null;
    }
    return n.asText();
  }

  /** A string field that must be present and not empty. */
  String requiredString(String field) {
    boolean present = has(field);
    String s = string(field);
    if (!present) {
      error(field, "required");
    } else if (s != null && s.isEmpty()) {
      error(field, "must not be empty");
      return null;
    }
    return s;
  }

  /** An integer field within [min, max], or null when absent or invalid. */
  Long integer(String field, long min, long max) {
    JsonNode n = raw(field);
    if (n == null) {
      return null;
    }
    if (!n.isIntegralNumber() && !(n.isFloatingPointNumber() && n.doubleValue() == Math.rint(n.doubleValue()))) {
      error(field, "expected an integer, got " + MessageReader.describe(n));
      return null;
    }
    if (!n.canConvertToLong() || n.longValue() < min || n.longValue() > max) {
      error(field, "must be between " + min + " and " + max + ", got " + n.asText());
      return null;
    }
    return n.longValue();
  }

  /** A boolean field, or null when absent or invalid. */
  Boolean bool(String field) {
    JsonNode n = raw(field);
    if (n == null) {
      return null;
    }
    if (!n.isBoolean()) {
      error(field, "expected true or false, got " + MessageReader.describe(n));
      return null;
    }
    return n.booleanValue();
  }

  /** A nested object, or null when absent (or not an object, after recording an error). */
  FieldReader object(String field) {
    JsonNode n = raw(field);
    return n == null ? null : of(n, pathOf(field), errors);
  }

  /** A list of objects; absent is empty. Items beyond {@code maxItems} are an error. */
  List<FieldReader> objects(String field, int maxItems) {
    List<FieldReader> out = new ArrayList<>();
    JsonNode n = list(field, maxItems);
    if (n == null) {
      return out;
    }
    for (int i = 0; i < n.size(); i++) {
      FieldReader r = of(n.get(i), pathOf(field) + "[" + i + "]", errors);
      out.add(r);
    }
    return out;
  }

  /** A list of strings; absent is empty; non-string items are reported and left out. */
  List<String> strings(String field, int maxItems) {
    List<String> out = new ArrayList<>();
    JsonNode n = list(field, maxItems);
    if (n == null) {
      return out;
    }
    for (int i = 0; i < n.size(); i++) {
      JsonNode item = n.get(i);
      if (item == null || !item.isTextual()) {
        errors.error(pathOf(field) + "[" + i + "]", "expected a string, got " + MessageReader.describe(item));
      } else {
        out.add(item.asText());
      }
    }
    return out;
  }

  /** A list of integers within [min, max]; absent is empty; duplicates are an error (a set). */
  List<Long> integers(String field, long min, long max) {
    List<Long> out = new ArrayList<>();
    JsonNode n = list(field, Integer.MAX_VALUE);
    if (n == null) {
      return out;
    }
    for (int i = 0; i < n.size(); i++) {
      JsonNode item = n.get(i);
      String at = pathOf(field) + "[" + i + "]";
      if (item == null || !item.isIntegralNumber()) {
        errors.error(at, "expected an integer, got " + MessageReader.describe(item));
      } else if (!item.canConvertToLong() || item.longValue() < min || item.longValue() > max) {
        errors.error(at, "must be between " + min + " and " + max + ", got " + item.asText());
      } else if (out.contains(item.longValue())) {
        errors.error(at, "Duplicate value: " + item.asText());
      } else {
        out.add(item.longValue());
      }
    }
    return out;
  }

  /** A map of strings to strings ({@code labels}, {@code selector}), or null when absent. */
  Map<String, String> stringMap(String field) {
    JsonNode n = raw(field);
    if (n == null) {
      return null;
    }
    if (!n.isObject()) {
      error(field, "expected an object of strings, got " + MessageReader.describe(n));
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = n.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        errors.error(pathOf(field) + "." + e.getKey(), "expected a string, got " + MessageReader.describe(e.getValue()));
      } else {
        out.put(e.getKey(), e.getValue().asText());
      }
    }
    return out;
  }

  private JsonNode list(String field, int maxItems) {
    JsonNode n = raw(field);
    if (n == null) {
      return null;
    }
    if (!n.isArray()) {
      error(field, "expected a list, got " + MessageReader.describe(n));
      return null;
    }
    if (n.size() > maxItems) {
      error(field, "must have at most " + maxItems + " items, got " + n.size());
    }
    return n;
  }

  /** Reports every field that was not read as unknown, listing the fields the type has. */
  void finish(String... known) {
    Set<String> expected = new TreeSet<>(List.of(known));
    expected.addAll(read);
    expected.removeAll(quiet);
    for (String name : fields.keySet()) {
      if (!read.contains(name)) {
        error(name, "unknown field" + (expected.isEmpty() ? "" : " (expected one of: " + String.join(", ", expected) + ")"));
      }
    }
  }
}
