package io.sluice.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds the JSON trees of manifests, statuses and generated Envoy configuration. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /**
   * A deep copy with every number in one canonical node type (int when it fits, else long, else
   * big integer; doubles), so that trees read by different parsers (YAML with big integers, JSON
   * from a state file) compare equal when their values are.
   */
  static JsonNode canonical(JsonNode n) {
    if (n == null) {
      return null;
    }
    if (n.isObject()) {
      ObjectNode out = object();
      n.fields().forEachRemaining(e -> out.set(e.getKey(), canonical(e.getValue())));
      return out;
    }
    if (n.isArray()) {
      ArrayNode out = array();
      n.forEach(item -> out.add(canonical(item)));
      return out;
    }
    if (n.isIntegralNumber()) {
      if (n.canConvertToInt()) {
        return JsonNodeFactory.instance.numberNode(n.intValue());
      }
      if (n.canConvertToLong()) {
        return JsonNodeFactory.instance.numberNode(n.longValue());
      }
      return JsonNodeFactory.instance.numberNode(n.bigIntegerValue());
    }
    if (n.isFloatingPointNumber()) {
      return JsonNodeFactory.instance.numberNode(n.doubleValue());
    }
    return n.deepCopy();
  }

  /** The text of a field, or null when absent, null or not text. */
  static String text(JsonNode node, String field) {
    JsonNode n = node == null ? null : node.get(field);
    return n == null || !n.isTextual() ? null : n.asText();
  }
}
