package io.sluice.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.config.BootstrapReader;
import io.sluice.config.ConfigException;
import io.sluice.config.ConfigProblem;
import io.sluice.config.Documents;
import io.sluice.config.HostPort;
import io.sluice.config.MessageReader;
import io.sluice.config.Problems;
import io.sluice.resource.CompiledResources;
import io.sluice.resource.MeshOptions;
import io.sluice.resource.ResourceCompiler;
import io.sluice.resource.ResourceException;
import io.sluice.resource.ResourceParser;
import io.sluice.resource.ResourceSet;
import io.sluice.route.RouteConfigReader;
import io.sluice.route.RouteTable;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The route configuration a route check runs against, loaded as Envoy's tool loads it: each route
 * renamed {@code <name>-<uuid>} (so coverage can tell unnamed routes apart), every {@code
 * runtime_fraction} numerator of 0 raised to 1 (so a test can enable a "0%" route), cluster names
 * not validated. The file is a {@code RouteConfiguration}, or an Envoy bootstrap (it has {@code
 * static_resources}) whose first inline {@code http_connection_manager} {@code route_config} is
 * taken, or Kubernetes-style resources ({@code apiVersion}/{@code kind} documents), compiled, whose
 * mesh listener's generated route configuration is taken.
 *
 * @param table the compiled routes
 * @param notes what the user should know about how the file was read (printed on stderr)
 * @param warnings warnings about the configuration, each with its path
 */
public record ConfigUnderTest(RouteTable table, List<String> notes, List<ConfigProblem> warnings) {
  private static final String MESH_LISTENER = "mesh";
  private static final String HCM_NAME = "envoy.filters.network.http_connection_manager";
  private static final String HCM_TYPE =
      "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";

  public ConfigUnderTest {
    notes = List.copyOf(notes);
    warnings = List.copyOf(warnings);
  }

  /**
   * Loads {@code file}.
   *
   * @param uuids the suffixes for route names (random UUIDs in normal use)
   * @param scanDeprecated whether deprecated fields are reported as warnings
   * @throws ConfigException with every error when the configuration is rejected
   */
  public static ConfigUnderTest load(Path file, Supplier<String> uuids, boolean scanDeprecated) {
    String source = file.toString();
    String text = Documents.readText(file);
    Documents.Format format = Documents.formatOf(file.getFileName().toString());
    List<JsonNode> documents = Documents.readAll(text, source, format);
    if (!documents.isEmpty() && BootstrapReader.isKubernetesResource(documents.get(0))) {
      return loadResources(text, source, uuids, scanDeprecated);
    }
    JsonNode document = Documents.readOne(text, source, format);
    List<String> notes = new ArrayList<>();
    JsonNode routeConfig = document;
    String path = "";
    if (document.isObject() && field(document, "static_resources") != null) {
      List<Located> found = routeConfigsOfBootstrap(document);
      if (found.isEmpty()) {
        throw ConfigException.of(source, "static_resources",
            "no " + HCM_NAME + " filter with an inline route_config (route-check cannot follow rds)");
      }
      Located first = found.get(0);
      if (found.size() > 1) {
        notes.add("note: " + source + " has " + found.size() + " " + HCM_NAME
            + " route configurations; checking the first, at " + first.path());
      }
      routeConfig = first.node();
      path = first.path();
    }
    prepare(routeConfig, uuids);
    Problems problems = new Problems();
    RouteTable table = RouteConfigReader.read(routeConfig, path, problems, RouteConfigReader.Options.NO_CLUSTER_VALIDATION);
    problems.throwIfErrors(source);
    List<ConfigProblem> warnings = new ArrayList<>(problems.warnings());
    if (scanDeprecated) {
      warnings.addAll(DeprecatedFieldScan.scan(routeConfig, path));
    }
    return new ConfigUnderTest(table, notes, warnings);
  }

  /**
   * Kubernetes-style resources, compiled as {@code sluice proxy} compiles them (mesh listener on
   * the default address): the mesh listener's route configuration is checked, or, without one, the
   * first Gateway listener's, with a note when there are several.
   */
  private static ConfigUnderTest loadResources(String text, String source, Supplier<String> uuids,
      boolean scanDeprecated) {
    ResourceSet set;
    try {
      // One creation time for all: route precedence then falls to namespace/name, the same on every run.
      set = ResourceSet.EMPTY.apply(ResourceParser.parse(text, source), Instant.EPOCH).set();
    } catch (ResourceException e) {
      throw new ConfigException(source, e.errors().stream()
          .map(m -> new ConfigProblem(ConfigProblem.Severity.ERROR, "", m)).toList());
    }
    CompiledResources compiled =
        ResourceCompiler.compile(set, new MeshOptions(new HostPort("127.0.0.1", 4140), "0.0.0.0", "default"));
    Map<String, JsonNode> configs = compiled.routeConfigs();
    if (configs.isEmpty()) {
      throw ConfigException.of(source, "", "the resources make no route configuration (no Service and no Gateway)");
    }
    String listener = configs.containsKey(MESH_LISTENER) ? MESH_LISTENER : configs.keySet().iterator().next();
    List<String> notes = new ArrayList<>();
    if (configs.size() > 1) {
      notes.add("note: " + source + " compiles to " + configs.size() + " route configurations (listeners "
          + String.join(", ", configs.keySet()) + "); checking the first, of listener " + listener);
    }
    JsonNode routeConfig = configs.get(listener).deepCopy();
    prepare(routeConfig, uuids);
    Problems problems = new Problems();
    RouteTable table = RouteConfigReader.read(routeConfig, "", problems, RouteConfigReader.Options.NO_CLUSTER_VALIDATION);
    problems.throwIfErrors(source);
    List<ConfigProblem> warnings = new ArrayList<>(problems.warnings());
    for (String w : compiled.warnings()) {
      warnings.add(new ConfigProblem(ConfigProblem.Severity.WARNING, "", w));
    }
    if (scanDeprecated) {
      warnings.addAll(DeprecatedFieldScan.scan(routeConfig, ""));
    }
    return new ConfigUnderTest(table, notes, warnings);
  }

  /** Envoy's tool adjustments, made on the tree before it is compiled. */
  static void prepare(JsonNode routeConfig, Supplier<String> uuids) {
    JsonNode vhosts = field(routeConfig, "virtual_hosts");
    if (vhosts == null || !vhosts.isArray()) {
      return;
    }
    for (JsonNode vh : vhosts) {
      JsonNode routes = field(vh, "routes");
      if (routes == null || !routes.isArray()) {
        continue;
      }
      for (JsonNode route : routes) {
        if (route instanceof ObjectNode r) {
          rename(r, uuids.get());
          raiseZeroFraction(field(r, "match"));
        }
      }
    }
  }

  private static void rename(ObjectNode route, String uuid) {
    JsonNode name = route.get("name");
    String old = name == null || name.isNull() ? "" : name.asText();
    route.put("name", old + "-" + uuid);
  }

  private static void raiseZeroFraction(JsonNode match) {
    if (!(field(match, "runtime_fraction") instanceof ObjectNode fraction)) {
      return;
    }
    JsonNode dv = field(fraction, "default_value");
    if (dv == null) {
      fraction.putObject("default_value").put("numerator", 1);
      return;
    }
    if (dv instanceof ObjectNode d) {
      JsonNode n = d.get("numerator");
      if (n == null || n.isNull() || n.asText().trim().equals("0")) {
        d.put("numerator", 1);
      }
    }
  }

  private static List<Located> routeConfigsOfBootstrap(JsonNode bootstrap) {
    List<Located> out = new ArrayList<>();
    JsonNode listeners = field(field(bootstrap, "static_resources"), "listeners");
    if (listeners == null || !listeners.isArray()) {
      return out;
    }
    for (int l = 0; l < listeners.size(); l++) {
      String at = "static_resources.listeners[" + l + "]";
      JsonNode listener = listeners.get(l);
      JsonNode chains = field(listener, "filter_chains");
      if (chains != null && chains.isArray()) {
        for (int c = 0; c < chains.size(); c++) {
          addFromChain(chains.get(c), at + ".filter_chains[" + c + "]", out);
        }
      }
      JsonNode defaultChain = field(listener, "default_filter_chain");
      if (defaultChain != null) {
        addFromChain(defaultChain, at + ".default_filter_chain", out);
      }
    }
    return out;
  }

  private static void addFromChain(JsonNode chain, String at, List<Located> out) {
    JsonNode filters = field(chain, "filters");
    if (filters == null || !filters.isArray()) {
      return;
    }
    for (int f = 0; f < filters.size(); f++) {
      JsonNode filter = filters.get(f);
      JsonNode typed = field(filter, "typed_config");
      String name = Optional.ofNullable(field(filter, "name")).map(JsonNode::asText).orElse("");
      String type = typed == null ? "" : Optional.ofNullable(typed.get("@type")).map(JsonNode::asText).orElse("");
      if (!name.equals(HCM_NAME) && !type.equals(HCM_TYPE)) {
        continue;
      }
      JsonNode rc = field(typed, "route_config");
      if (rc != null && rc.isObject()) {
        out.add(new Located(rc, at + ".filters[" + f + "].typed_config.route_config"));
      }
    }
  }

  /** A field of an object under its proto name or its lowerCamelCase JSON name; null if absent. */
  private static JsonNode field(JsonNode object, String snakeName) {
    if (object == null || !object.isObject()) {
      return null;
    }
    JsonNode v = object.get(snakeName);
    if (v == null) {
      for (var it = object.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (MessageReader.snakeCase(k).equals(snakeName)) {
          return object.get(k);
        }
      }
    }
    return v;
  }

  private record Located(JsonNode node, String path) {}
}
