package io.sluice.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.check.TestInput.SetMetadataEntry;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request's dynamic metadata built from a test's {@code dynamic_metadata} entries the way
 * Envoy's set_metadata filter applies them: a namespace seen for the first time is stored; a later
 * entry for it is ignored unless {@code allow_overwrite}, in which case an untyped value is merged
 * in (keys replaced, lists appended, structs merged recursively) and a typed value replaces the
 * old one. Route matching reads only the untyped namespaces, as Envoy's metadata matchers do.
 */
final class DynamicMetadata {
  private final Map<String, ObjectNode> untyped = new LinkedHashMap<>();
  private final Map<String, JsonNode> typed = new LinkedHashMap<>();

  private DynamicMetadata() {}

  /** The metadata after applying {@code entries} in order. */
  static DynamicMetadata of(List<SetMetadataEntry> entries) {
    DynamicMetadata md = new DynamicMetadata();
    for (SetMetadataEntry e : entries) {
      md.apply(e);
    }
    return md;
  }

  private void apply(SetMetadataEntry e) {
    if (e.value() != null) {
      ObjectNode old = untyped.get(e.namespace());
      if (old == null) {
        untyped.put(e.namespace(), e.value().deepCopy());
      } else if (e.allowOverwrite()) {
        merge(old, (ObjectNode) e.value());
      }
    }
    if (e.typedValue() != null && (e.allowOverwrite() || !typed.containsKey(e.namespace()))) {
      typed.put(e.namespace(), e.typedValue().deepCopy());
    }
  }

  private static void merge(ObjectNode into, ObjectNode from) {
    Iterator<Map.Entry<String, JsonNode>> it = from.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> f = it.next();
      JsonNode old = into.get(f.getKey());
      JsonNode value = f.getValue();
      if (old instanceof ObjectNode o && value instanceof ObjectNode v) {
        merge(o, v);
      } else if (old instanceof ArrayNode o && value instanceof ArrayNode v) {
        o.addAll(v.deepCopy());
      } else {
        into.set(f.getKey(), value.deepCopy());
      }
    }
  }

  /** The untyped struct of a namespace, or null. */
  JsonNode namespace(String name) {
    return untyped.get(name);
  }

  /** Every untyped namespace: what route matching reads. */
  Map<String, JsonNode> untyped() {
    return Map.copyOf(untyped);
  }

  /** The typed value of a namespace, or null. */
  JsonNode typedNamespace(String name) {
    return typed.get(name);
  }
}
