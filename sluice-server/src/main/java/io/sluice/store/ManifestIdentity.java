package io.sluice.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.config.ConfigException;
import io.sluice.config.Documents;
import io.sluice.resource.ResourceException;
import io.sluice.resource.ResourceKey;
import io.sluice.resource.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which resource a document of a stream names, and nothing else: what {@code delete -f} needs. A
 * {@code kind: List} names its items.
 *
 * @param key the resource, or null for a kind Sluice does not keep
 * @param ignoredLine for such a kind, the line kubectl-style output prints
 */
record ManifestIdentity(ResourceKey key, String ignoredLine) {

  /**
   * The identities of every document of {@code text}.
   *
   * @throws ResourceException with every document that names no resource
   */
  static List<ManifestIdentity> read(String text, String source) {
    List<JsonNode> documents;
    try {
      documents = Documents.readAll(text, source, Documents.Format.YAML);
    } catch (ConfigException e) {
      throw new ResourceException(e.errors().stream().map(p -> source + ": " + p).toList());
    }
    List<ManifestIdentity> out = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      JsonNode d = documents.get(i);
      if ("List".equals(d.path("kind").asText()) && d.path("items").isArray()) {
        JsonNode items = d.get("items");
        for (int j = 0; j < items.size(); j++) {
          identify(items.get(j), source + ": document " + (i + 1) + ": items[" + j + "]", out, errors);
        }
      } else {
        identify(d, source + ": document " + (i + 1), out, errors);
      }
    }
    if (!errors.isEmpty()) {
      throw new ResourceException(errors);
    }
    return out;
  }

  private static void identify(JsonNode d, String where, List<ManifestIdentity> out, List<String> errors) {
    String apiVersion = d.path("apiVersion").asText("");
    String kind = d.path("kind").asText("");
    String name = d.path("metadata").path("name").asText("");
    String namespace = d.path("metadata").path("namespace").asText("");
    if (apiVersion.isEmpty() || kind.isEmpty() || name.isEmpty()) {
      List<String> missing = new ArrayList<>();
      if (apiVersion.isEmpty()) {
        missing.add("apiVersion");
      }
      if (kind.isEmpty()) {
        missing.add("kind");
      }
      if (name.isEmpty()) {
        missing.add("metadata.name");
      }
      errors.add(where + ": " + String.join(", ", missing) + ": required");
      return;
    }
    ResourceKind k = ResourceKind.of(apiVersion, kind);
    if (k == null) {
      int slash = apiVersion.indexOf('/');
      String group = slash < 0 ? "" : apiVersion.substring(0, slash);
      String qualified = kind.toLowerCase(Locale.ROOT) + (group.isEmpty() ? "" : "." + group);
      out.add(new ManifestIdentity(null, qualified + "/" + name + " ignored (kind " + kind + ")"));
      return;
    }
    out.add(new ManifestIdentity(new ResourceKey(k, namespace.isEmpty() ? "default" : namespace, name), null));
  }
}
