package io.sluice.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.resource.HttpRouteSpec.ParentRef;
import io.sluice.resource.ServiceIndex.Svc;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the mesh listener's route configuration: one virtual host per Service port, reached by
 * the Service's DNS names with the port. Its routes are those of the HTTPRoutes attached to the
 * Service (GEP-1426: consumer routes in the client's namespace replace producer routes in the
 * Service's namespace), else those of an SMI TrafficSplit whose root is the Service, else one
 * route to the Service's own endpoints.
 */
final class MeshBinder {
  private final ServiceIndex services;
  private final RuleTranslator translator;
  private final String clientNamespace;
  private final List<String> warnings;
  /** Cluster name of a Service port to the entries of producer routes. */
  private final Map<String, List<RouteEntry>> producer = new HashMap<>();
  /** Cluster name of a Service port to the entries of consumer routes in the client namespace. */
  private final Map<String, List<RouteEntry>> consumer = new HashMap<>();
  /** Cluster name of a Service port to the routes of the TrafficSplit that owns it. */
  private final Map<String, List<ObjectNode>> splits = new HashMap<>();
  private final Map<ResourceKey, JsonNode> splitStatuses = new HashMap<>();

  MeshBinder(ServiceIndex services, RuleTranslator translator, String clientNamespace, List<String> warnings) {
    this.services = services;
    this.translator = translator;
    this.clientNamespace = clientNamespace;
    this.warnings = warnings;
  }

  /** Attaches parentRef {@code index} (a Service) of a route. */
  void attach(RouteReport report, int index, ParentRef ref) {
    String routeNs = report.resource.key().namespace();
    String ns = ref.namespace() == null ? routeNs : ref.namespace();
    Svc svc = services.service(ns, ref.name());
    String svcName = "Service " + ns + "/" + ref.name();
    if (svc == null) {
      report.parent(index, false, "NoMatchingParent", svcName + " not found");
      return;
    }
    List<ServiceSpec.Port> ports = new ArrayList<>();
    for (ServiceSpec.Port p : svc.spec().ports()) {
      if (p.protocol().equals("TCP") && (ref.port() == null || ref.port() == p.port())
          && (ref.sectionName() == null || ref.sectionName().equals(p.name()))) {
        ports.add(p);
      }
    }
    if (ports.isEmpty()) {
      report.parent(index, false, "NoMatchingParent", svcName + " has no TCP port"
          + (ref.port() == null ? "" : " " + ref.port()) + (ref.sectionName() == null ? "" : " named " + ref.sectionName()));
      return;
    }
    if (!report.hasValidRules()) {
      report.parent(index, false, "UnsupportedValue", report.droppedMessage());
      return;
    }
    if (!report.spec.hostnames().isEmpty()) {
      warnings.add(report.display() + ": spec.hostnames: ignored for the Service parent " + svcName + " (GEP-1426: match the Host header instead)");
    }
    boolean isConsumer = !routeNs.equals(ns);
    String portList = String.join(", ", ports.stream().map(p -> String.valueOf(p.port())).toList());
    if (isConsumer && !routeNs.equals(clientNamespace)) {
      report.parent(index, true, "Accepted", "Consumer route for " + svcName + ": applies to clients in namespace " + routeNs
          + "; Sluice's mesh clients are in namespace " + clientNamespace);
      return;
    }
    Map<String, List<RouteEntry>> group = isConsumer ? consumer : producer;
    for (ServiceSpec.Port p : ports) {
      String cluster = ServiceIndex.clusterName(ns, svc.name(), p.port());
      for (int r = 0; r < report.spec.rules().size(); r++) {
        if (!report.dropped.containsKey(r)) {
          group.computeIfAbsent(cluster, c -> new ArrayList<>())
              .addAll(translator.routes(report, r, new RuleTranslator.Attachment(p.port(), cluster)));
        }
      }
    }
    report.parent(index, true, "Accepted", "Accepted for " + svcName + " port " + portList);
  }

  /**
   * Installs TrafficSplits, oldest first: each owns the ports of its root Service that no HTTPRoute
   * and no older split claims.
   */
  void addTrafficSplits(List<Loaded<TrafficSplitSpec>> all, Map<String, RouteGroupSpec> groups, Instant now) {
    List<Loaded<TrafficSplitSpec>> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparing((Loaded<TrafficSplitSpec> t) -> t.resource().creationTimestamp())
        .thenComparing(t -> t.resource().key()));
    for (Loaded<TrafficSplitSpec> ts : sorted) {
      splitStatuses.put(ts.resource().key(), addTrafficSplit(ts, groups, now));
    }
  }

  private JsonNode addTrafficSplit(Loaded<TrafficSplitSpec> ts, Map<String, RouteGroupSpec> groups, Instant now) {
    String ns = ts.namespace();
    String display = "trafficsplit/" + ts.name();
    String[] root = rootService(ts.spec().service(), ns);
    Svc svc = services.service(root[0], root[1]);
    Map<String, String> problems = new LinkedHashMap<>();
    boolean accepted;
    String reason;
    String message;
    if (svc == null) {
      accepted = false;
      reason = "NoMatchingParent";
      message = "root Service " + root[0] + "/" + root[1] + " not found";
    } else {
      List<String> owned = new ArrayList<>();
      List<String> taken = new ArrayList<>();
      for (ServiceSpec.Port p : svc.spec().ports()) {
        if (!p.protocol().equals("TCP")) {
          continue;
        }
        String cluster = ServiceIndex.clusterName(svc.namespace(), svc.name(), p.port());
        if (hasRoutes(cluster) || splits.containsKey(cluster)) {
          taken.add(String.valueOf(p.port()));
          continue;
        }
        splits.put(cluster, splitRoutes(ts, svc, p.port(), cluster, groups, problems, display));
        owned.add(String.valueOf(p.port()));
      }
      accepted = !owned.isEmpty();
      reason = accepted ? "Accepted" : "Conflicted";
      message = accepted
          ? "Splitting traffic to Service " + svc.namespace() + "/" + svc.name() + " port " + String.join(", ", owned)
              + (taken.isEmpty() ? "" : " (port " + String.join(", ", taken) + " taken by an HTTPRoute or an older TrafficSplit)")
          : "every port of Service " + svc.namespace() + "/" + svc.name() + " is taken by an HTTPRoute (HTTPRoutes take precedence) or an older TrafficSplit";
    }
    ObjectNode status = Json.object();
    JsonNode prev = ts.resource().status() == null ? null : ts.resource().status().get("conditions");
    Conditions c = new Conditions(prev, ts.resource().generation(), now);
    ArrayNode conds = status.putArray("conditions");
    c.add(conds, "Accepted", accepted, reason, message);
    if (problems.isEmpty()) {
      c.add(conds, "ResolvedRefs", true, "ResolvedRefs", "All references resolved");
    } else {
      c.add(conds, "ResolvedRefs", false, problems.values().iterator().next(), String.join("; ", problems.keySet()));
    }
    return status;
  }

  /** A root Service written as {@code name}, {@code name.ns}, {@code name.ns.svc[.cluster.local]}. */
  private static String[] rootService(String service, String ns) {
    String[] parts = service.split("\\.");
    return new String[] {parts.length > 1 ? parts[1] : ns, parts[0]};
  }

  private List<ObjectNode> splitRoutes(
      Loaded<TrafficSplitSpec> ts, Svc root, int port, String rootCluster, Map<String, RouteGroupSpec> groups,
      Map<String, String> problems, String display) {
    String ns = ts.namespace();
    ArrayNode clusters = Json.array();
    long total = 0;
    boolean invalid = false;
    for (TrafficSplitSpec.Backend b : ts.spec().backends()) {
      Svc s = services.service(ns, b.service());
      if (s == null) {
        problems.putIfAbsent("Service " + ns + "/" + b.service() + " not found", "BackendNotFound");
        ObjectNode e = clusters.addObject();
        e.put("name", RuleTranslator.INVALID_BACKEND + "BackendNotFound:" + ns + "/" + b.service() + ":" + port);
        e.put("weight", b.weight());
        total += b.weight();
        invalid = true;
        continue;
      }
      ServiceSpec.Port p = s.spec().port(port);
      if (p == null || !p.protocol().equals("TCP")) {
        // SMI: a backend without the root's port is left out of the split.
        problems.putIfAbsent("Service " + ns + "/" + b.service() + " has no port " + port + "; left out of the split", "BackendNotFound");
        continue;
      }
      ObjectNode e = clusters.addObject();
      e.put("name", ServiceIndex.clusterName(ns, b.service(), port));
      e.put("weight", b.weight());
      total += b.weight();
    }
    ObjectNode action = Json.object();
    ObjectNode direct = null;
    if (total == 0) {
      direct = Json.object();
      direct.put("status", 503);
      direct.putObject("body").put("inline_string", "all backends of " + display + " have weight 0\n");
    } else {
      action.putObject("weighted_clusters").set("clusters", clusters);
      if (invalid) {
        action.put("cluster_not_found_response_code", "INTERNAL_SERVER_ERROR");
      }
      action.put("timeout", "0s");
    }
    List<ObjectNode> out = new ArrayList<>();
    String owner = ns + "/" + ts.name();
    if (ts.spec().matches().isEmpty()) {
      out.add(splitRoute(owner + ":split", Json.object().put("prefix", "/"), action, direct));
      return out;
    }
    for (String g : ts.spec().matches()) {
      RouteGroupSpec group = groups.get(ns + "/" + g);
      if (group == null) {
        problems.putIfAbsent("HTTPRouteGroup " + ns + "/" + g + " not found", "RouteGroupNotFound");
        continue;
      }
      for (RouteGroupSpec.Match m : group.matches()) {
        out.add(splitRoute(owner + ":" + g + "." + m.name(), groupMatch(m), action, direct));
      }
    }
    // Requests the route groups do not match go to the root Service itself.
    ObjectNode rest = Json.object();
    rest.put("cluster", rootCluster);
    rest.put("timeout", "0s");
    out.add(splitRoute(owner + ":unmatched", Json.object().put("prefix", "/"), rest, null));
    return out;
  }

  private static ObjectNode splitRoute(String name, ObjectNode match, ObjectNode action, ObjectNode direct) {
    ObjectNode r = Json.object();
    r.put("name", name);
    r.set("match", match);
    if (direct != null) {
      r.set("direct_response", direct.deepCopy());
    } else {
      r.set("route", action.deepCopy());
    }
    return r;
  }

  /** An HTTPRouteGroup match: its path regex anchored at the start, its methods, its header regexes. */
  private static ObjectNode groupMatch(RouteGroupSpec.Match m) {
    ObjectNode match = Json.object();
    if (m.pathRegex() == null || m.pathRegex().isEmpty()) {
      match.put("prefix", "/");
    } else {
      match.putObject("safe_regex").put("regex", "(?:" + m.pathRegex() + ").*");
    }
    ArrayNode headers = Json.array();
    if (!m.methods().isEmpty() && !m.methods().contains("*")) {
      ObjectNode h = headers.addObject();
      h.put("name", ":method");
      h.putObject("string_match").putObject("safe_regex").put("regex", String.join("|", m.methods()));
    }
    for (Map.Entry<String, String> e : m.headers().entrySet()) {
      ObjectNode h = headers.addObject();
      h.put("name", e.getKey());
      h.putObject("string_match").putObject("safe_regex").put("regex", e.getValue());
    }
    if (!headers.isEmpty()) {
      match.set("headers", headers);
    }
    return match;
  }

  private boolean hasRoutes(String cluster) {
    return consumer.containsKey(cluster) || producer.containsKey(cluster);
  }

  Map<ResourceKey, JsonNode> splitStatuses() {
    return splitStatuses;
  }

  /** The mesh listener's route configuration. */
  ObjectNode routeConfig() {
    ObjectNode config = Json.object();
    config.put("name", "mesh");
    ArrayNode vhosts = config.putArray("virtual_hosts");
    Map<String, Svc> bare = bareNames();
    for (Svc s : services.services()) {
      for (ServiceSpec.Port p : s.spec().ports()) {
        if (!p.protocol().equals("TCP")) {
          continue;
        }
        String cluster = ServiceIndex.clusterName(s.namespace(), s.name(), p.port());
        ObjectNode vh = vhosts.addObject();
        vh.put("name", cluster);
        ArrayNode domains = vh.putArray("domains");
        List<String> names = new ArrayList<>();
        if (bare.get(s.name()) == s) {
          names.add(s.name());
        }
        String fq = s.name() + "." + s.namespace();
        names.add(fq);
        names.add(fq + ".svc");
        names.add(fq + ".svc.cluster.local");
        for (String n : names) {
          domains.add(n + ":" + p.port());
          if (p.port() == 80) {
            domains.add(n);
          }
        }
        ArrayNode routes = vh.putArray("routes");
        List<RouteEntry> entries = consumer.containsKey(cluster) ? consumer.get(cluster) : producer.get(cluster);
        if (entries != null) {
          List<RouteEntry> sorted = new ArrayList<>(entries);
          sorted.sort(RouteEntry.PRECEDENCE);
          sorted.forEach(e -> routes.add(e.route().deepCopy()));
        } else if (splits.containsKey(cluster)) {
          splits.get(cluster).forEach(routes::add);
        } else {
          ObjectNode r = routes.addObject();
          r.put("name", cluster);
          r.putObject("match").put("prefix", "/");
          ObjectNode action = r.putObject("route");
          action.put("cluster", cluster);
          action.put("timeout", "0s");
        }
      }
    }
    return config;
  }

  /**
   * Which Service a bare name means: the one in the client namespace, else the only one with that
   * name; an ambiguous name means none (clients must qualify it).
   */
  private Map<String, Svc> bareNames() {
    Map<String, List<Svc>> byName = new LinkedHashMap<>();
    for (Svc s : services.services()) {
      byName.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(s);
    }
    Map<String, Svc> out = new HashMap<>();
    for (Map.Entry<String, List<Svc>> e : byName.entrySet()) {
      Svc chosen = null;
      for (Svc s : e.getValue()) {
        if (s.namespace().equals(clientNamespace)) {
          chosen = s;
        }
      }
      if (chosen == null && e.getValue().size() == 1) {
        chosen = e.getValue().get(0);
      }
      if (chosen == null) {
        warnings.add("mesh: the bare name " + e.getKey() + " is ambiguous (Services in namespaces "
            + String.join(", ", e.getValue().stream().map(Svc::namespace).toList()) + "); clients must use name.namespace");
      } else {
        out.put(e.getKey(), chosen);
      }
    }
    return out;
  }
}
