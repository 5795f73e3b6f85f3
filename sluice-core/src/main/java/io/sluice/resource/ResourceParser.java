package io.sluice.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.config.ConfigException;
import io.sluice.config.ConfigProblem;
import io.sluice.config.Documents;
import io.sluice.config.MessageReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.HashMap;

/**
 * Parses a stream of Kubernetes-style resources (YAML documents separated by {@code ---}, JSON
 * values, or a {@code kind: List} with {@code items}) and validates every document of a kind Sluice
 * handles as the API server would: schema, limits and the CRDs' CEL rules. Every error of the
 * stream is reported at once, each naming its resource and field path.
 */
public final class ResourceParser {
  /** Fields of {@code metadata} that the server sets; accepted and dropped. */
  private static final String[] SERVER_METADATA = {
    "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "finalizers",
    "ownerReferences", "generateName", "deletionTimestamp", "deletionGracePeriodSeconds"
  };

  private ResourceParser() {}

  /**
   * Parses {@code text} ({@code source} names it in syntax errors) and validates every known
   * document fully.
   *
   * @throws ResourceException with every error of the stream, one line each: {@code
   *     httproute/bb-route: spec.rules[0].backendRefs[1].weight: must be between 0 and 1000000, got -5}
   */
  public static List<ParsedDocument> parse(String text, String source) {
    String trimmed = text.stripLeading();
    Documents.Format format = trimmed.startsWith("{") || trimmed.startsWith("[") ? Documents.Format.JSON : Documents.Format.YAML;
    List<JsonNode> roots;
    try {
      roots = Documents.readAll(text, source, format);
    } catch (ConfigException e) {
      List<String> lines = new ArrayList<>();
      for (ConfigProblem p : e.errors()) {
        lines.add((source == null || source.isEmpty() ? "" : source + ": ") + p);
      }
      throw new ResourceException(lines);
    }
    List<JsonNode> docs = new ArrayList<>();
    for (JsonNode root : roots) {
      flatten(root, docs);
    }
    FieldErrors errors = new FieldErrors();
    List<ParsedDocument> out = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      ParsedDocument d = readDocument(docs.get(i), i + 1, errors);
      if (d != null) {
        out.add(d);
      }
    }
    errors.throwIfAny();
    return out;
  }

  /** A top-level list, or a {@code kind: List} object, stands for its items. */
  private static void flatten(JsonNode root, List<JsonNode> out) {
    if (root.isArray()) {
      for (JsonNode item : root) {
        flatten(item, out);
      }
    } else if (root.isObject() && "List".equals(Json.text(root, "kind")) && root.has("items") && root.get("items").isArray()) {
      for (JsonNode item : root.get("items")) {
        flatten(item, out);
      }
    } else {
      out.add(root);
    }
  }

  private static ParsedDocument readDocument(JsonNode doc, int index, FieldErrors errors) {
    errors.resource("document " + index);
    if (!doc.isObject()) {
      errors.error("", "expected an object with apiVersion, kind and metadata, got " + MessageReader.describe(doc));
      return null;
    }
    String apiVersion = Json.text(doc, "apiVersion");
    String kindName = Json.text(doc, "kind");
    JsonNode metadata = doc.get("metadata");
    String name = metadata == null ? null : Json.text(metadata, "name");
    String namespace = metadata == null ? null : Json.text(metadata, "namespace");
    if (kindName != null && name != null) {
      errors.resource(kindName.toLowerCase(Locale.ROOT) + "/" + name);
    } else if (kindName != null) {
      errors.resource(kindName.toLowerCase(Locale.ROOT) + " (document " + index + ")");
    }
    int before = errors.size();
    if (apiVersion == null || apiVersion.isEmpty()) {
      errors.error("apiVersion", doc.has("apiVersion") ? "expected a non-empty string" : "required");
    }
    if (kindName == null || kindName.isEmpty()) {
      errors.error("kind", doc.has("kind") ? "expected a non-empty string" : "required");
    }
    if (metadata == null || !metadata.isObject()) {
      errors.error("metadata", metadata == null ? "required" : "expected an object, got " + MessageReader.describe(metadata));
    } else if (name == null || name.isEmpty()) {
      errors.error("metadata.name", metadata.has("name") ? "expected a non-empty string" : "required");
    }
    if (errors.size() > before) {
      return null;
    }
    ResourceKind kind = ResourceKind.of(apiVersion, kindName);
    if (kind == null) {
      return new ParsedDocument.Ignored(apiVersion, kindName, namespace, name);
    }
    String version = version(apiVersion);
    if (!kind.versions().contains(version)) {
      List<String> accepted = kind.versions().stream().map(v -> kind.group().isEmpty() ? v : kind.group() + "/" + v).toList();
      errors.error("apiVersion", "unsupported version \"" + apiVersion + "\" of " + kind.kind() + ": must be one of " + String.join(", ", accepted));
      return null;
    }
    ObjectNode manifest = Json.object();
    manifest.put("apiVersion", apiVersion);
    manifest.put("kind", kindName);
    ObjectNode meta = manifest.putObject("metadata");
    FieldReader m = FieldReader.of(metadata, "metadata", errors);
    m.string("name");
    if (kind == ResourceKind.SERVICE) {
      ApiFormats.serviceName(errors, "metadata.name", name);
    } else {
      ApiFormats.objectName(errors, "metadata.name", name);
    }
    meta.put("name", name);
    String ns = m.string("namespace");
    if (ns == null || ns.isEmpty()) {
      ns = "default";
    } else {
      ApiFormats.namespace(errors, "metadata.namespace", ns);
    }
    meta.put("namespace", ns);
    Map<String, String> labels = m.stringMap("labels");
    if (labels != null) {
      meta.set("labels", Json.canonical(metadata.get("labels")));
    }
    if (m.stringMap("annotations") != null) {
      meta.set("annotations", Json.canonical(metadata.get("annotations")));
    }
    m.skipQuietly(SERVER_METADATA);
    m.finish("name", "namespace", "labels", "annotations");
    Iterator<Map.Entry<String, JsonNode>> it = doc.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String f = e.getKey();
      if (!f.equals("apiVersion") && !f.equals("kind") && !f.equals("metadata") && !f.equals("status")) {
        manifest.set(f, Json.canonical(e.getValue()));
      }
    }
    readModel(kind, version, manifest, errors);
    return new ParsedDocument.Known(new ResourceKey(kind, ns, name), apiVersion, manifest);
  }

  static String version(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
  }

  /**
   * Reads the kind-specific part of a normalised manifest into its model ({@link HttpRouteSpec},
   * {@link GatewaySpec}, {@link ServiceSpec}, {@link EndpointSpec}, {@link TrafficSplitSpec} or
   * {@link RouteGroupSpec}), recording every error. The compiler calls it on stored manifests,
   * which were validated when applied.
   */
  static Object readModel(ResourceKind kind, String version, JsonNode manifest, FieldErrors errors) {
    FieldReader top = FieldReader.of(manifest, "", errors);
    top.skip("apiVersion", "kind", "metadata", "status");
    JsonNode metadata = manifest.get("metadata");
    Object model;
    switch (kind) {
      case ENDPOINT_SLICE -> {
        Map<String, String> labels = new HashMap<>();
        JsonNode l = metadata.get("labels");
        if (l != null && l.isObject()) {
          l.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        return EndpointReader.readSlice(top, labels);
      }
      case ENDPOINTS -> {
        return EndpointReader.readEndpoints(top, Json.text(metadata, "name"));
      }
      case HTTP_ROUTE_GROUP -> {
        if (version.equals("v1alpha1") || version.equals("v1alpha2")) {
          RouteGroupSpec g = SmiReader.readRouteGroup(top, version);
          top.finish();
          return g;
        }
        FieldReader spec = spec(top);
        model = spec == null ? new RouteGroupSpec(List.of()) : SmiReader.readRouteGroup(spec, version);
        if (spec != null) {
          spec.finish();
        }
      }
      default -> {
        FieldReader spec = spec(top);
        if (spec == null) {
          top.finish("spec");
          return null;
        }
        model = switch (kind) {
          case HTTP_ROUTE -> HttpRouteReader.read(spec, false, version);
          case LINKERD_HTTP_ROUTE -> HttpRouteReader.read(spec, true, version);
          case GATEWAY -> GatewayReader.read(spec);
          case SERVICE -> ServiceReader.read(spec);
          case TRAFFIC_SPLIT -> SmiReader.readTrafficSplit(spec, version);
          default -> throw new AssertionError(kind);
        };
      }
    }
    top.finish("spec");
    return model;
  }

  private static FieldReader spec(FieldReader top) {
    if (!top.has("spec")) {
      top.raw("spec");
      top.error("spec", "required");
      return null;
    }
    return top.object("spec");
  }
}
