package io.sluice.resource;

import java.util.List;

/** The validated {@code spec} of a Gateway: its listeners. */
record GatewaySpec(String gatewayClassName, List<Listener> listeners) {
  GatewaySpec {
    listeners = List.copyOf(listeners);
  }

  /** Which namespaces may attach routes to a listener. */
  enum From {
    ALL,
    SAME,
    SELECTOR
  }

  /** A route kind a listener admits. */
  record RouteKind(String group, String kind) {}

  /**
   * One listener.
   *
   * @param hostname the listener's hostname, or null for any
   * @param kinds the route kinds admitted; empty for the protocol's default (HTTPRoute for HTTP)
   */
  record Listener(String name, String hostname, int port, String protocol, From from, List<RouteKind> kinds) {
    Listener {
      kinds = List.copyOf(kinds);
    }

    /** Whether the listener admits HTTPRoutes. */
    boolean admitsHttpRoutes() {
      if (kinds.isEmpty()) {
        return protocol.equals("HTTP") || protocol.equals("HTTPS");
      }
      return kinds.stream().anyMatch(k -> k.group().equals(HttpRouteReader.GATEWAY_GROUP) && k.kind().equals("HTTPRoute"));
    }
  }
}
