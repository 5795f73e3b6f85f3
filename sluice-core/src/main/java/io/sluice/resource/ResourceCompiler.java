package io.sluice.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.cluster.ClusterSpec;
import io.sluice.config.ConfigProblem;
import io.sluice.config.HostPort;
import io.sluice.config.HttpConnectionOptions;
import io.sluice.config.ListenerSpec;
import io.sluice.config.Problems;
import io.sluice.route.RouteConfigReader;
import io.sluice.route.RouteTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Compiles a {@link ResourceSet} into what the data plane runs: clusters for Service ports, the
 * mesh listener and one listener per Gateway port, each with an Envoy v3 RouteConfiguration that
 * {@link RouteConfigReader} compiles into the same kind of {@link RouteTable} as an Envoy
 * bootstrap, and the status of every route, Gateway and TrafficSplit.
 */
public final class ResourceCompiler {
  private ResourceCompiler() {}

  /**
   * Compiles {@code set}. Never throws for a set whose resources were validated when applied;
   * anything that cannot be served is reported in statuses and warnings.
   */
  public static CompiledResources compile(ResourceSet set, MeshOptions options) {
    Instant now = Instant.now();
    List<String> warnings = new ArrayList<>();
    String clientNamespace = options.clientNamespace() == null || options.clientNamespace().isEmpty() ? "default" : options.clientNamespace();
    String gatewayHost = options.gatewayHost() == null || options.gatewayHost().isEmpty() ? "0.0.0.0" : options.gatewayHost();

    List<ServiceIndex.Svc> services = new ArrayList<>();
    Map<String, List<EndpointSpec>> slices = new HashMap<>();
    Map<String, EndpointSpec> endpoints = new HashMap<>();
    List<Loaded<GatewaySpec>> gateways = new ArrayList<>();
    List<Loaded<HttpRouteSpec>> routes = new ArrayList<>();
    List<Loaded<TrafficSplitSpec>> splits = new ArrayList<>();
    Map<String, RouteGroupSpec> groups = new HashMap<>();
    for (Resource r : set.all()) {
      Object model = load(r, warnings);
      if (model == null) {
        continue;
      }
      String ns = r.key().namespace();
      switch (r.key().kind()) {
        case SERVICE -> services.add(new ServiceIndex.Svc(ns, r.key().name(), (ServiceSpec) model));
        case ENDPOINT_SLICE -> {
          EndpointSpec e = (EndpointSpec) model;
          if (e.serviceName() == null) {
            warnings.add("endpointslice/" + r.key().name() + ": no " + EndpointReader.SERVICE_NAME_LABEL + " label; not linked to a Service");
          } else {
            slices.computeIfAbsent(ns + "/" + e.serviceName(), k -> new ArrayList<>()).add(e);
          }
        }
        case ENDPOINTS -> endpoints.put(ns + "/" + r.key().name(), (EndpointSpec) model);
        case GATEWAY -> gateways.add(new Loaded<>(r, (GatewaySpec) model));
        case HTTP_ROUTE, LINKERD_HTTP_ROUTE -> routes.add(new Loaded<>(r, (HttpRouteSpec) model));
        case TRAFFIC_SPLIT -> splits.add(new Loaded<>(r, (TrafficSplitSpec) model));
        case HTTP_ROUTE_GROUP -> groups.put(ns + "/" + r.key().name(), (RouteGroupSpec) model);
      }
    }

    ServiceIndex index = new ServiceIndex(services, slices, endpoints);
    RuleTranslator translator = new RuleTranslator(index);
    GatewayBinder gatewayBinder = new GatewayBinder(gateways, translator, warnings);
    MeshBinder meshBinder = new MeshBinder(index, translator, clientNamespace, warnings);
    Map<ResourceKey, JsonNode> statuses = new LinkedHashMap<>();
    for (Loaded<HttpRouteSpec> route : routes) {
      RouteReport report = new RouteReport(route.resource(), route.spec());
      List<HttpRouteSpec.ParentRef> parents = route.spec().parentRefs();
      for (int i = 0; i < parents.size(); i++) {
        HttpRouteSpec.ParentRef p = parents.get(i);
        if (p.isGateway()) {
          gatewayBinder.attach(report, i, p);
        } else if (p.isService()) {
          meshBinder.attach(report, i, p);
        } else {
          String hint = p.kind().equals("Service") ? " (a Service parent needs group \"\")" : "";
          report.parent(i, false, "NoMatchingParent",
              "parent kind " + (p.group().isEmpty() ? "" : p.group() + "/") + p.kind() + " is not supported by Sluice (Gateway or Service)" + hint);
        }
      }
      for (int r = 0; r < route.spec().rules().size(); r++) {
        if (route.spec().rules().get(r).retry()) {
          warnings.add(report.display() + ": spec.rules[" + r + "].retry: Sluice makes one attempt per request; retry is ignored");
        }
      }
      if (parents.isEmpty()) {
        warnings.add(report.display() + ": no parentRefs; the route applies nowhere");
      }
      statuses.put(route.resource().key(), report.status(now));
    }
    meshBinder.addTrafficSplits(splits, groups, now);
    statuses.putAll(meshBinder.splitStatuses());
    statuses.putAll(gatewayBinder.statuses(now));

    Map<String, JsonNode> configs = new LinkedHashMap<>();
    List<ListenerSpec> listeners = new ArrayList<>();
    ObjectNode mesh = meshBinder.routeConfig();
    configs.put("mesh", mesh);
    if (options.meshListener() != null) {
      listeners.add(new ListenerSpec("mesh", options.meshListener(), "mesh", table(mesh, warnings), HttpConnectionOptions.DEFAULTS));
    }
    for (int port : gatewayBinder.ports()) {
      String name = "gateway:" + port;
      ObjectNode config = gatewayBinder.routeConfig(port);
      configs.put(name, config);
      HostPort address = new HostPort(gatewayHost, port);
      if (address.equals(options.meshListener())) {
        warnings.add(name + ": port " + port + " is the mesh listener's; the Gateway listener cannot be bound");
        continue;
      }
      listeners.add(new ListenerSpec(name, address, "gateway_" + port, table(config, warnings), HttpConnectionOptions.DEFAULTS));
    }
    List<ClusterSpec> clusters = index.clusters();
    Map<ResourceKey, JsonNode> canonical = new LinkedHashMap<>();
    statuses.forEach((k, v) -> canonical.put(k, Json.canonical(v)));
    return new CompiledResources(List.copyOf(listeners), clusters, Map.copyOf(canonical), Map.copyOf(configs), List.copyOf(warnings));
  }

  private static Object load(Resource r, List<String> warnings) {
    FieldErrors errors = new FieldErrors();
    errors.resource(r.key().kind().kind().toLowerCase(Locale.ROOT) + "/" + r.key().name());
    Object model = ResourceParser.readModel(r.key().kind(), ResourceParser.version(r.apiVersion()), r.manifest(), errors);
    if (!errors.isEmpty()) {
      // Stored resources were validated when applied; one that no longer reads is left out.
      warnings.addAll(errors.lines().stream().map(l -> l + " (resource left out)").toList());
      return null;
    }
    return model;
  }

  private static RouteTable table(ObjectNode config, List<String> warnings) {
    Problems problems = new Problems();
    RouteTable table = RouteConfigReader.read(config, "", problems, RouteConfigReader.Options.NO_CLUSTER_VALIDATION);
    String name = config.path("name").asText();
    for (ConfigProblem p : problems.errors()) {
      warnings.add("generated route configuration " + name + ": " + p + " (route left out)");
    }
    return table;
  }
}
