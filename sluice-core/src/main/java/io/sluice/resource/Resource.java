package io.sluice.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * A validated resource as applied: what the store keeps.
 *
 * @param key kind, namespace and name
 * @param apiVersion the {@code apiVersion} it was applied with
 * @param manifest {@code {apiVersion, kind, metadata: {name, namespace, labels?, annotations?},
 *     spec}} as given, without status or server-set fields
 * @param creationTimestamp when it was first applied
 * @param generation 1 when created, +1 on every change of the manifest's content
 * @param status the last computed status, or null
 */
public record Resource(
    ResourceKey key, String apiVersion, JsonNode manifest, Instant creationTimestamp, long generation, JsonNode status) {

  public Resource {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(creationTimestamp, "creationTimestamp");
    if (generation < 1) {
      throw new IllegalArgumentException("generation must be at least 1, got " + generation);
    }
  }

  /**
   * The resource as {@code get -o yaml|json} prints it: the manifest with {@code
   * metadata.creationTimestamp} (RFC 3339) and {@code metadata.generation} added, and {@code
   * status} when there is one.
   */
  public JsonNode toJson() {
    ObjectNode out = Json.object();
    Iterator<Map.Entry<String, JsonNode>> it = manifest.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("metadata")) {
        ObjectNode meta = e.getValue().deepCopy();
        meta.put("creationTimestamp", creationTimestamp.toString());
        meta.put("generation", generation);
        out.set("metadata", meta);
      } else {
        out.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    if (status != null && !status.isNull()) {
      out.set("status", status.deepCopy());
    }
    return out;
  }

  /** The same resource with another status. */
  Resource withStatus(JsonNode newStatus) {
    return new Resource(key, apiVersion, manifest, creationTimestamp, generation, newStatus);
  }
}
