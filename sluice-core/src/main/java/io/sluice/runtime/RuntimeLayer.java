package io.sluice.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.config.Problems;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One named layer of runtime values: a static layer from the bootstrap, or the admin layer that
 * {@code /runtime_modify} writes. Immutable; changes make a new layer.
 */
public record RuntimeLayer(String name, Kind kind, Map<String, RuntimeEntry> values) {

  /** Where a layer's values come from. */
  public enum Kind {
    STATIC,
    ADMIN
  }

  public RuntimeLayer {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** An empty admin layer. */
  public static RuntimeLayer admin(String name) {
    return new RuntimeLayer(name, Kind.ADMIN, Map.of());
  }

  /**
   * A static layer from a YAML/JSON tree. Nested objects are flattened into dotted keys, as Envoy
   * does ({@code {a: {b: 1}}} is key {@code a.b}), except an object with a {@code numerator} or
   * {@code denominator} field (a fractional percent) or an empty object, which is one value. A list
   * or null value is an error, as in Envoy.
   */
  public static RuntimeLayer fromTree(String name, JsonNode tree, String path, Problems problems) {
    Map<String, RuntimeEntry> values = new LinkedHashMap<>();
    if (tree != null && !tree.isNull()) {
      if (!tree.isObject()) {
        problems.error(path, "a static runtime layer must be an object of keys and values");
      } else {
        walk(tree, "", path, values, problems);
      }
    }
    return new RuntimeLayer(name, Kind.STATIC, values);
  }

  /** A copy of this layer with {@code key} set to {@code value}; an empty value removes the key. */
  public RuntimeLayer with(String key, String value) {
    Map<String, RuntimeEntry> next = new LinkedHashMap<>(values);
    if (value == null || value.isEmpty()) {
      next.remove(key);
    } else {
      next.put(key, RuntimeEntry.parse(value));
    }
    return new RuntimeLayer(name, kind, next);
  }

  private static void walk(
      JsonNode node, String prefix, String path, Map<String, RuntimeEntry> out, Problems problems) {
    if (node.isObject()) {
      boolean fraction = node.has("numerator") || node.has("denominator");
      if (!prefix.isEmpty() && (node.isEmpty() || fraction)) {
        out.put(prefix, RuntimeEntry.of(node));
        return;
      }
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
        walk(e.getValue(), key, path + "." + e.getKey(), out, problems);
      }
    } else if (node.isArray() || node.isNull()) {
      problems.error(path, "Invalid runtime entry value for " + prefix);
    } else {
      out.put(prefix, RuntimeEntry.of(node));
    }
  }
}
