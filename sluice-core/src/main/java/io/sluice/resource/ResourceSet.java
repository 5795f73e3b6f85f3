package io.sluice.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;

/**
 * An immutable set of applied resources with a version that grows by one on every change. Apply and
 * delete return a new set; the set they were called on is unchanged, so a caller publishes the new
 * one with a single write or drops it.
 */
public final class ResourceSet {
  /** No resources, version 0. */
  public static final ResourceSet EMPTY = new ResourceSet(new TreeMap<>(), 0);

  private final TreeMap<ResourceKey, Resource> resources;
  private final long version;

  private ResourceSet(TreeMap<ResourceKey, Resource> resources, long version) {
    this.resources = resources;
    this.version = version;
  }

  /** +1 on every change of the resources (not of their statuses). */
  public long version() {
    return version;
  }

  /** Every resource, sorted by key. */
  public Collection<Resource> all() {
    return Collections.unmodifiableCollection(resources.values());
  }

  /** The resource with this key, or null. */
  public Resource get(ResourceKey key) {
    return resources.get(key);
  }

  /**
   * The resources of these kinds, in a namespace ({@code null}: all namespaces), with a name
   * ({@code null}: any), sorted by key.
   */
  public List<Resource> list(List<ResourceKind> kinds, String namespace, String name) {
    List<Resource> out = new ArrayList<>();
    for (Resource r : resources.values()) {
      ResourceKey k = r.key();
      if (kinds.contains(k.kind()) && (namespace == null || namespace.equals(k.namespace())) && (name == null || name.equals(k.name()))) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * Applies parsed documents in order, as kubectl does one after the other. A new resource gets
   * generation 1 and {@code now} (to the second, as Kubernetes keeps it) as its creation time; a
   * changed one keeps its creation time and status, and gets generation + 1 when more than its
   * metadata changed; an equal one is
   * unchanged. Documents of other kinds are reported as ignored.
   */
  public ApplyResult apply(List<ParsedDocument> docs, Instant now) {
    TreeMap<ResourceKey, Resource> next = new TreeMap<>(resources);
    List<String> lines = new ArrayList<>();
    boolean changed = false;
    Instant created = now.truncatedTo(ChronoUnit.SECONDS);
    for (ParsedDocument d : docs) {
      if (d instanceof ParsedDocument.Ignored ig) {
        lines.add(ignoredName(ig) + " ignored (kind " + ig.kind() + ")");
        continue;
      }
      ParsedDocument.Known k = (ParsedDocument.Known) d;
      Resource old = next.get(k.key());
      if (old == null) {
        next.put(k.key(), new Resource(k.key(), k.apiVersion(), k.manifest(), created, 1, null));
        lines.add(k.key().display() + " created");
        changed = true;
      } else if (old.manifest().equals(k.manifest())) {
        lines.add(k.key().display() + " unchanged");
      } else {
        // As in Kubernetes, the generation counts changes of the desired state, not of labels.
        long generation = withoutMetadata(old.manifest()).equals(withoutMetadata(k.manifest())) ? old.generation() : old.generation() + 1;
        next.put(k.key(), new Resource(k.key(), k.apiVersion(), k.manifest(), old.creationTimestamp(), generation, old.status()));
        lines.add(k.key().display() + " configured");
        changed = true;
      }
    }
    ResourceSet set = changed ? new ResourceSet(next, version + 1) : this;
    return new ApplyResult(set, lines);
  }

  private static JsonNode withoutMetadata(JsonNode manifest) {
    ObjectNode copy = manifest.deepCopy();
    copy.remove("metadata");
    copy.remove("apiVersion");
    return copy;
  }

  /** kubectl's name of a kind it does not know: {@code namespace/x}, {@code deployment.apps/v1}. */
  private static String ignoredName(ParsedDocument.Ignored ig) {
    String group = ig.apiVersion() != null && ig.apiVersion().contains("/") ? ig.apiVersion().substring(0, ig.apiVersion().indexOf('/')) : "";
    String kind = ig.kind().toLowerCase(Locale.ROOT);
    return (group.isEmpty() ? kind : kind + "." + group) + "/" + ig.name();
  }

  /**
   * Deletes resources. When any key is missing nothing is deleted.
   *
   * @throws ResourceException naming every missing key: {@code httproute.policy.linkerd.io/x not found}
   */
  public ApplyResult delete(List<ResourceKey> keys) {
    List<String> missing = new ArrayList<>();
    for (ResourceKey k : keys) {
      if (!resources.containsKey(k)) {
        missing.add(k.display() + " not found");
      }
    }
    if (!missing.isEmpty()) {
      throw new ResourceException(missing);
    }
    TreeMap<ResourceKey, Resource> next = new TreeMap<>(resources);
    List<String> lines = new ArrayList<>();
    for (ResourceKey k : keys) {
      if (next.remove(k) != null) {
        lines.add(k.display() + " deleted");
      }
    }
    return new ApplyResult(lines.isEmpty() ? this : new ResourceSet(next, version + 1), lines);
  }

  /**
   * The same resources with these statuses (keys not in the set are left out; resources not named
   * keep theirs). The version is unchanged: a status is observed, not desired, state.
   */
  public ResourceSet withStatuses(Map<ResourceKey, JsonNode> statuses) {
    TreeMap<ResourceKey, Resource> next = new TreeMap<>(resources);
    boolean changed = false;
    for (Map.Entry<ResourceKey, JsonNode> e : statuses.entrySet()) {
      Resource r = next.get(e.getKey());
      JsonNode status = Json.canonical(e.getValue());
      if (r != null && !Objects.equals(r.status(), status)) {
        next.put(e.getKey(), r.withStatus(status));
        changed = true;
      }
    }
    return changed ? new ResourceSet(next, version) : this;
  }

  /** The set for persistence: every resource as {@link Resource#toJson()} prints it, and the version. */
  public JsonNode toJson() {
    ObjectNode out = Json.object();
    out.put("apiVersion", "sluice.io/v1");
    out.put("kind", "ResourceSet");
    out.put("version", version);
    ArrayNode items = out.putArray("items");
    for (Resource r : resources.values()) {
      items.add(r.toJson());
    }
    return out;
  }

  /**
   * Reads a set written by {@link #toJson()}.
   *
   * @throws ResourceException when the JSON is not such a set
   */
  public static ResourceSet fromJson(JsonNode json) {
    List<String> errors = new ArrayList<>();
    if (json == null || !json.isObject() || !json.has("items") || !json.get("items").isArray()) {
      throw new ResourceException(List.of("not a Sluice resource set: expected an object with items"));
    }
    TreeMap<ResourceKey, Resource> map = new TreeMap<>();
    JsonNode items = json.get("items");
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String apiVersion = Json.text(item, "apiVersion");
      String kindName = Json.text(item, "kind");
      JsonNode meta = item.get("metadata");
      ResourceKind kind = ResourceKind.of(apiVersion, kindName);
      if (kind == null || meta == null || Json.text(meta, "name") == null || Json.text(meta, "namespace") == null) {
        errors.add("items[" + i + "]: not a resource Sluice keeps");
        continue;
      }
      ObjectNode manifest = (ObjectNode) Json.canonical(item);
      manifest.remove("status");
      ObjectNode m = (ObjectNode) manifest.get("metadata");
      String created = Json.text(m, "creationTimestamp");
      JsonNode gen = m.get("generation");
      m.remove("creationTimestamp");
      m.remove("generation");
      Instant createdAt;
      try {
        createdAt = Instant.parse(created);
      } catch (DateTimeParseException | NullPointerException e) {
        errors.add("items[" + i + "].metadata.creationTimestamp: expected an RFC 3339 time, got " + created);
        continue;
      }
      if (gen == null || !gen.canConvertToLong() || gen.asLong() < 1) {
        errors.add("items[" + i + "].metadata.generation: expected a positive integer");
        continue;
      }
      ResourceKey key = new ResourceKey(kind, Json.text(meta, "namespace"), Json.text(meta, "name"));
      JsonNode status = item.get("status");
      map.put(key, new Resource(key, apiVersion, manifest, createdAt, gen.asLong(), status == null || status.isNull() ? null : Json.canonical(status)));
    }
    if (!errors.isEmpty()) {
      throw new ResourceException(errors);
    }
    long version = json.has("version") ? json.get("version").asLong() : 0;
    return new ResourceSet(map, version);
  }
}
