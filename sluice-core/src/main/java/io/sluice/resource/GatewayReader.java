package io.sluice.resource;

import io.sluice.resource.GatewaySpec.From;
import io.sluice.resource.GatewaySpec.Listener;
import io.sluice.resource.GatewaySpec.RouteKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads and validates the {@code spec} of a Gateway, with the CRD's limits and CEL rules. */
final class GatewayReader {
  private GatewayReader() {}

  static GatewaySpec read(FieldReader spec) {
    FieldErrors errors = spec.errors();
    String className = spec.requiredString("gatewayClassName");
    if (className != null && className.length() > 253) {
      spec.error("gatewayClassName", "must be at most 253 characters, got " + className.length());
    }
    List<Listener> listeners = new ArrayList<>();
    List<FieldReader> ls = spec.objects("listeners", 64);
    if (ls.isEmpty()) {
      spec.error("listeners", spec.has("listeners") ? "must have at least 1 item" : "required");
    }
    Set<String> names = new HashSet<>();
    Set<String> combos = new HashSet<>();
    for (FieldReader l : ls) {
      if (l == null) {
        continue;
      }
      String name = l.requiredString("name");
      if (name != null) {
        ApiFormats.sectionName(errors, l.pathOf("name"), name);
      }
      String hostname = l.string("hostname");
      if (hostname != null) {
        ApiFormats.hostname(errors, l.pathOf("hostname"), hostname);
      }
      boolean portGiven = l.has("port");
      Long port = l.integer("port", 1, 65535);
      if (!portGiven) {
        l.error("port", "required");
      }
      String protocol = l.requiredString("protocol");
      if (protocol != null) {
        ApiFormats.protocol(errors, l.pathOf("protocol"), protocol);
      }
      boolean tls = l.has("tls");
      l.skip("tls");
      if (tls && protocol != null && List.of("HTTP", "TCP", "UDP").contains(protocol)) {
        l.error(null, "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']");
      }
      if (hostname != null && protocol != null && List.of("TCP", "UDP").contains(protocol)) {
        l.error(null, "hostname must not be specified for protocols ['TCP', 'UDP']");
      }
      From from = From.SAME;
      List<RouteKind> kinds = new ArrayList<>();
      FieldReader allowed = l.object("allowedRoutes");
      if (allowed != null) {
        FieldReader ns = allowed.object("namespaces");
        if (ns != null) {
          String f = ns.string("from");
          if (f != null) {
            switch (f) {
              case "All" -> from = From.ALL;
              case "Same" -> from = From.SAME;
              case "Selector" -> from = From.SELECTOR;
              default -> ns.error("from", HttpRouteReader.unsupportedValue(f, List.of("All", "Same", "Selector")));
            }
          }
          ns.skip("selector");
          ns.finish();
        }
        for (FieldReader k : allowed.objects("kinds", 8)) {
          if (k == null) {
            continue;
          }
          String group = k.string("group");
          if (group == null) {
            group = HttpRouteReader.GATEWAY_GROUP;
          } else {
            ApiFormats.group(errors, k.pathOf("group"), group);
          }
          String kind = k.requiredString("kind");
          if (kind != null) {
            ApiFormats.kind(errors, k.pathOf("kind"), kind);
            kinds.add(new RouteKind(group, kind));
          }
          k.finish();
        }
        allowed.finish();
      }
      l.finish();
      if (name != null && !names.add(name)) {
        spec.error("listeners", "Listener name must be unique within the Gateway");
      }
      if (port != null && protocol != null && !combos.add(port + "/" + protocol + "/" + hostname)) {
        spec.error("listeners", "Combination of port, protocol and hostname must be unique for each listener");
      }
      if (name != null && port != null && protocol != null) {
        listeners.add(new Listener(name, hostname, port.intValue(), protocol, from, kinds));
      }
    }
    spec.skip("addresses", "infrastructure", "backendTLS", "allowedListeners", "tls", "defaultScope");
    spec.finish();
    return new GatewaySpec(className, listeners);
  }
}
