package io.sluice.route;

import io.sluice.runtime.Runtime;
import java.util.List;

/**
 * An immutable, compiled Envoy {@code RouteConfiguration}: route table, then virtual host, then
 * ordered routes, then the action. A new configuration builds a new table; the data plane swaps the
 * reference and each request reads it once.
 */
public final class RouteTable {
  private final String name;
  private final List<VirtualHost> virtualHosts;
  private final DomainIndex<VirtualHost> domains;
  private final boolean ignorePortInHostMatching;
  private final HeaderLevels levels;
  private final List<String> internalOnlyHeaders;

  RouteTable(
      String name,
      List<VirtualHost> virtualHosts,
      DomainIndex<VirtualHost> domains,
      boolean ignorePortInHostMatching,
      HeaderLevels levels,
      List<String> internalOnlyHeaders) {
    this.name = name;
    this.virtualHosts = List.copyOf(virtualHosts);
    this.domains = domains;
    this.ignorePortInHostMatching = ignorePortInHostMatching;
    this.levels = levels;
    this.internalOnlyHeaders = List.copyOf(internalOnlyHeaders);
  }

  /**
   * The decision for one request. {@code randomValue} is the request's one random number, used for
   * every {@code runtime_fraction} check and for the weighted pick; {@code runtime} is the snapshot
   * the request read when it started.
   */
  public RouteResult route(RouteRequest request, long randomValue, Runtime runtime) {
    VirtualHost vh = findVirtualHost(request.authority());
    if (vh == null) {
      return RouteResult.NO_ROUTE;
    }
    RouteResult r = vh.route(request, randomValue, runtime);
    return r == null ? RouteResult.NO_ROUTE : r;
  }

  /** The virtual host an authority selects, or null. */
  public VirtualHost findVirtualHost(String authority) {
    if (authority == null) {
      return domains.find(null, 0);
    }
    int end = authority.length();
    if (ignorePortInHostMatching) {
      int port = portStart(authority);
      if (port >= 0) {
        end = port;
      }
    }
    return domains.find(authority, end);
  }

  /** Envoy's {@code getPortStart}: the last {@code :} unless it is inside an IPv6 literal; -1 if none. */
  static int portStart(String host) {
    int colon = host.lastIndexOf(':');
    if (colon < 0) {
      return -1;
    }
    int bracket = host.lastIndexOf(']');
    if (bracket > colon) {
      return -1;
    }
    return colon;
  }

  /** The configuration's {@code name}. */
  public String name() {
    return name;
  }

  /** The virtual hosts in configuration order. */
  public List<VirtualHost> virtualHosts() {
    return virtualHosts;
  }

  /** Headers that are stripped from external requests ({@code internal_only_headers}). */
  public List<String> internalOnlyHeaders() {
    return internalOnlyHeaders;
  }

  /** Whether the most specific level's header changes win. */
  public boolean mostSpecificHeaderMutationsWins() {
    return levels.mostSpecificWins();
  }

  /** Number of routes over all virtual hosts. */
  public int routeCount() {
    int n = 0;
    for (VirtualHost vh : virtualHosts) {
      n += vh.routes().size();
    }
    return n;
  }
}
