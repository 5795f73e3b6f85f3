package io.sluice.cli;

import io.sluice.stats.WindowSnapshot;

/**
 * One row of {@code sluice stat}: a backend of a route (or a whole route, {@code backend} null),
 * its configured share of the route, and what it carried in the window.
 *
 * @param route the route's stat name ({@code ns/httproute}, an Envoy route name, or {@code vhost/index})
 * @param backend the cluster name, or null for a whole-route row
 * @param name the display name the proxy gives (the Service for {@code ns/svc:port} clusters)
 * @param namespace the namespace, or null (Envoy clusters and routes have none)
 * @param weight the configured share of the route in [0, 1], or null when unknown
 * @param tcpConnections open upstream connections to the backend now, or null (route rows)
 * @param traffic the window's totals; its {@code seconds} is the time they cover
 */
record StatRow(
    String route, String backend, String name, String namespace, Double weight, Long tcpConnections,
    WindowSnapshot traffic) {

  /** Whether this is the row of a whole route rather than of one of its backends. */
  boolean isRoute() {
    return backend == null;
  }

  /** The key under which rows of several proxies are summed. */
  String key() {
    return route + "\u0000" + (backend == null ? "" : backend);
  }

  /**
   * This row plus the same row from another proxy: counts and histograms add exactly, connections
   * add, the name, namespace and weight are this row's unless it lacks them.
   */
  StatRow plus(StatRow other) {
    Long connections = tcpConnections == null ? other.tcpConnections
        : other.tcpConnections == null ? tcpConnections : Long.valueOf(tcpConnections + other.tcpConnections);
    return new StatRow(route, backend, name != null ? name : other.name,
        namespace != null ? namespace : other.namespace, weight != null ? weight : other.weight, connections,
        traffic.plus(other.traffic));
  }

  /** The name shown: without its namespace prefix when the namespace is known ({@code ns/bb-route} is {@code bb-route}). */
  String displayName() {
    String n = name != null ? name : backend != null ? backend : route;
    return withoutNamespace(n);
  }

  /** The route shown: without its namespace prefix when the namespace is known. */
  String displayRoute() {
    return withoutNamespace(route);
  }

  private String withoutNamespace(String s) {
    return namespace != null && s.startsWith(namespace + "/") ? s.substring(namespace.length() + 1) : s;
  }
}
