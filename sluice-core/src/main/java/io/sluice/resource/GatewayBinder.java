package io.sluice.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.resource.GatewaySpec.From;
import io.sluice.resource.GatewaySpec.Listener;
import io.sluice.resource.HttpRouteSpec.ParentRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.LinkedHashMap;
import java.util.TreeSet;

/**
 * Binds HTTPRoutes to Gateway listeners and writes one Envoy route configuration per listener
 * port. A route attaches to the listeners its parentRef selects ({@code sectionName}, {@code
 * port}) that admit it ({@code allowedRoutes}), under the intersection of its hostnames with each
 * listener's. A request is served by the routes of the most specific listener hostname that
 * matches its host, most specific route hostname first, then by the Gateway API precedence.
 */
final class GatewayBinder {
  /** A route entry with the hostname of the listener it came through. */
  private record Bound(String listenerHostname, RouteEntry entry) {}

  private final List<Loaded<GatewaySpec>> gateways;
  private final RuleTranslator translator;
  private final List<String> warnings;
  private final Map<String, Integer> attached = new HashMap<>();
  private final Map<Integer, List<Bound>> byPort = new TreeMap<>();
  private final Map<Integer, Set<String>> listenerHostsByPort = new TreeMap<>();

  GatewayBinder(List<Loaded<GatewaySpec>> gateways, RuleTranslator translator, List<String> warnings) {
    this.gateways = gateways;
    this.translator = translator;
    this.warnings = warnings;
    for (Loaded<GatewaySpec> g : gateways) {
      for (Listener l : g.spec().listeners()) {
        if (l.protocol().equals("HTTP")) {
          listenerHostsByPort.computeIfAbsent(l.port(), p -> new LinkedHashSet<>()).add(l.hostname() == null ? "" : l.hostname());
          if (l.from() == From.SELECTOR) {
            warnings.add("gateway/" + g.name() + ": spec.listeners[" + l.name() + "].allowedRoutes.namespaces.from: Selector is not supported by Sluice (it has no Namespace labels); treated as Same");
          }
        }
      }
    }
  }

  /** The distinct ports of HTTP listeners. */
  Set<Integer> ports() {
    return listenerHostsByPort.keySet();
  }

  /** Attaches parentRef {@code index} of a route, recording the outcome in its report. */
  void attach(RouteReport report, int index, ParentRef ref) {
    String routeNs = report.resource.key().namespace();
    String ns = ref.namespace() == null ? routeNs : ref.namespace();
    Loaded<GatewaySpec> gw = null;
    for (Loaded<GatewaySpec> g : gateways) {
      if (g.namespace().equals(ns) && g.name().equals(ref.name())) {
        gw = g;
      }
    }
    String gwName = "Gateway " + ns + "/" + ref.name();
    if (gw == null) {
      report.parent(index, false, "NoMatchingParent", gwName + " not found");
      return;
    }
    List<Listener> selected = new ArrayList<>();
    for (Listener l : gw.spec().listeners()) {
      if ((ref.sectionName() == null || ref.sectionName().equals(l.name())) && (ref.port() == null || ref.port() == l.port())) {
        selected.add(l);
      }
    }
    if (selected.isEmpty()) {
      report.parent(index, false, "NoMatchingParent", "no listener of " + gwName + " has"
          + (ref.sectionName() == null ? "" : " name " + ref.sectionName()) + (ref.port() == null ? "" : " port " + ref.port()));
      return;
    }
    List<Listener> allowed = new ArrayList<>();
    List<String> why = new ArrayList<>();
    for (Listener l : selected) {
      if (!l.protocol().equals("HTTP")) {
        why.add("listener " + l.name() + " has protocol " + l.protocol() + ", which Sluice does not serve");
      } else if (!l.admitsHttpRoutes()) {
        why.add("listener " + l.name() + " does not admit HTTPRoute");
      } else if (l.from() != From.ALL && !routeNs.equals(gw.namespace())) {
        why.add("listener " + l.name() + " admits routes from namespace " + gw.namespace() + " only");
      } else {
        allowed.add(l);
      }
    }
    if (allowed.isEmpty()) {
      report.parent(index, false, "NotAllowedByListeners", String.join("; ", why));
      return;
    }
    if (!report.hasValidRules()) {
      report.parent(index, false, "UnsupportedValue", report.droppedMessage());
      return;
    }
    Map<Listener, List<String>> hosts = new LinkedHashMap<>();
    for (Listener l : allowed) {
      List<String> effective = effectiveHostnames(report.spec.hostnames(), l.hostname());
      if (!effective.isEmpty()) {
        hosts.put(l, effective);
      }
    }
    if (hosts.isEmpty()) {
      report.parent(index, false, "NoMatchingListenerHostname",
          "no hostname of the route intersects the hostname of any listener of " + gwName);
      return;
    }
    List<String> names = new ArrayList<>();
    for (Map.Entry<Listener, List<String>> e : hosts.entrySet()) {
      Listener l = e.getKey();
      names.add(l.name());
      attached.merge(gw.namespace() + "/" + gw.name() + "/" + l.name(), 1, Integer::sum);
      for (int r = 0; r < report.spec.rules().size(); r++) {
        if (report.dropped.containsKey(r)) {
          continue;
        }
        for (RouteEntry entry : translator.routes(report, r, new RuleTranslator.Attachment(l.port(), null))) {
          for (String h : e.getValue()) {
            byPort.computeIfAbsent(l.port(), p -> new ArrayList<>()).add(new Bound(l.hostname(), entry.withHostname(h)));
          }
        }
      }
    }
    report.parent(index, true, "Accepted", "Accepted by " + gwName + " (listeners " + String.join(", ", names) + ")");
  }

  /**
   * The hostnames a route serves through a listener: the route's (or the listener's, or any host
   * when neither has one), keeping only those that intersect the listener's hostname. A single
   * null element stands for any host; an empty list for no intersection.
   */
  static List<String> effectiveHostnames(List<String> route, String listener) {
    List<String> out = new ArrayList<>();
    if (route.isEmpty()) {
      out.add(listener);
      return out;
    }
    for (String h : route) {
      String i = listener == null ? h : Hostnames.intersect(h, listener);
      if (i != null && !out.contains(i)) {
        out.add(i);
      }
    }
    return out;
  }

  /** The Envoy route configuration of a listener port. */
  ObjectNode routeConfig(int port) {
    ObjectNode config = Json.object();
    config.put("name", "gateway:" + port);
    config.put("ignore_port_in_host_matching", true);
    ArrayNode vhosts = config.putArray("virtual_hosts");
    List<Bound> bound = byPort.getOrDefault(port, List.of());
    Set<String> domains = new TreeSet<>();
    for (Bound b : bound) {
      domains.add(b.entry().hostname() == null ? "*" : b.entry().hostname());
    }
    Set<String> listenerHosts = listenerHostsByPort.getOrDefault(port, Set.of());
    for (String d : domains) {
      String lh = mostSpecificListener(listenerHosts, d);
      List<RouteEntry> entries = new ArrayList<>();
      for (Bound b : bound) {
        String bh = b.listenerHostname() == null ? "" : b.listenerHostname();
        String h = b.entry().hostname();
        if (bh.equals(lh) && (h == null || (!d.equals("*") && Hostnames.covers(h, d)))) {
          entries.add(b.entry());
        }
      }
      entries.sort(RouteEntry.WITH_HOSTNAME);
      ObjectNode vh = vhosts.addObject();
      vh.put("name", d);
      vh.putArray("domains").add(d);
      ArrayNode routes = vh.putArray("routes");
      for (RouteEntry e : entries) {
        routes.add(e.route().deepCopy());
      }
    }
    return config;
  }

  /**
   * Of the listener hostnames on a port ({@code ""} for none), the most specific one that matches
   * a domain: the domain itself, else the longest wildcard covering it, else {@code ""}.
   */
  private static String mostSpecificListener(Set<String> hosts, String domain) {
    if (domain.equals("*")) {
      return "";
    }
    String best = null;
    for (String h : hosts) {
      if (h.isEmpty() || !Hostnames.covers(h, domain)) {
        continue;
      }
      if (best == null || h.equals(domain) || (!best.equals(domain) && h.length() > best.length())) {
        best = h;
      }
    }
    return best == null ? "" : best;
  }

  /** The status of every Gateway. */
  Map<ResourceKey, JsonNode> statuses(Instant now) {
    Map<ResourceKey, JsonNode> out = new HashMap<>();
    for (Loaded<GatewaySpec> g : gateways) {
      Resource r = g.resource();
      JsonNode prev = r.status();
      ObjectNode status = Json.object();
      boolean anyProgrammed = false;
      ArrayNode listeners = Json.array();
      for (Listener l : g.spec().listeners()) {
        boolean http = l.protocol().equals("HTTP");
        anyProgrammed |= http;
        ObjectNode ls = listeners.addObject();
        ls.put("name", l.name());
        ArrayNode kinds = ls.putArray("supportedKinds");
        if (http && l.admitsHttpRoutes()) {
          kinds.addObject().put("group", HttpRouteReader.GATEWAY_GROUP).put("kind", "HTTPRoute");
        }
        ls.put("attachedRoutes", attached.getOrDefault(g.namespace() + "/" + g.name() + "/" + l.name(), 0));
        Conditions c = new Conditions(previousListener(prev, l.name()), r.generation(), now);
        ArrayNode conds = ls.putArray("conditions");
        if (http) {
          c.add(conds, "Accepted", true, "Accepted", "Listener accepted");
          c.add(conds, "Programmed", true, "Programmed", "Bound on port " + l.port());
        } else {
          c.add(conds, "Accepted", false, "UnsupportedProtocol", "Sluice serves HTTP listeners only, not " + l.protocol());
          c.add(conds, "Programmed", false, "Invalid", "Listener not accepted");
        }
        if (http && !l.admitsHttpRoutes()) {
          c.add(conds, "ResolvedRefs", false, "InvalidRouteKinds", "Sluice supports HTTPRoute only");
        } else {
          c.add(conds, "ResolvedRefs", true, "ResolvedRefs", "All references resolved");
        }
        c.add(conds, "Conflicted", false, "NoConflicts", "No conflicts");
      }
      Conditions c = new Conditions(prev == null ? null : prev.get("conditions"), r.generation(), now);
      ArrayNode conds = status.putArray("conditions");
      c.add(conds, "Accepted", true, anyProgrammed ? "Accepted" : "ListenersNotValid",
          anyProgrammed ? "Accepted by " + Conditions.CONTROLLER : "No listener is valid");
      c.add(conds, "Programmed", anyProgrammed, anyProgrammed ? "Programmed" : "Invalid",
          anyProgrammed ? "Listeners bound" : "No listener Sluice can serve");
      status.set("listeners", listeners);
      out.put(r.key(), status);
    }
    return out;
  }

  private static JsonNode previousListener(JsonNode prev, String name) {
    if (prev == null || !prev.has("listeners")) {
      return null;
    }
    for (JsonNode l : prev.get("listeners")) {
      if (Objects.equals(name, Json.text(l, "name"))) {
        return l.get("conditions");
      }
    }
    return null;
  }
}
