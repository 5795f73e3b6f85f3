package io.sluice.stats;

import io.sluice.route.ForwardAction;
import io.sluice.route.RouteResult;
import io.sluice.route.WeightedCluster;

/**
 * What a forwarded request records into, resolved once per routing outcome: its route's
 * statistics, and the window of the backend the outcome names (the weighted entry's cluster, or
 * the route's one cluster). A backend chosen by a request header is looked up by name when it
 * comes; a request without a cluster name goes to the route's own window.
 */
public final class RouteTraffic {
  private final TrafficWindows windows;
  private final String name;
  private final RouteStats stats;
  private final String backend;
  private final SlidingWindow backendWindow;

  private RouteTraffic(TrafficWindows windows, String name, RouteStats stats, String backend) {
    this.windows = windows;
    this.name = name;
    this.stats = stats;
    this.backend = backend;
    this.backendWindow = backend == null ? null : windows.backend(name, backend);
  }

  /** The recorders of a {@link RouteResult.Kind#FORWARD} outcome. */
  public static RouteTraffic of(StatsRegistry registry, TrafficWindows windows, RouteResult result) {
    if (result.kind() != RouteResult.Kind.FORWARD) {
      throw new IllegalArgumentException("not a forward: " + result);
    }
    RouteStats stats = registry.route(result.virtualHost().name(), StatNames.route(result.route()));
    return new RouteTraffic(windows, StatNames.windowRoute(result.route()), stats, fixedBackend(result));
  }

  /** The cluster every request of this outcome goes to, or null when a request header names it. */
  private static String fixedBackend(RouteResult result) {
    WeightedCluster entry = result.weightedCluster();
    if (entry != null) {
      return entry.clusterHeader() == null ? entry.name() : null;
    }
    ForwardAction f = result.forward();
    return f.clusterHeader() == null ? f.cluster() : null;
  }

  /** The route's name in the windows. */
  public String name() {
    return name;
  }

  /** The route's statistics ({@code vhost.<vh>.route.<route>.*}). */
  public RouteStats stats() {
    return stats;
  }

  /** The windows' clock now. */
  public long now() {
    return windows.now();
  }

  /** The window of the requests this route sent to {@code cluster}, or without one (null). */
  public SlidingWindow window(String cluster) {
    if (cluster == null) {
      return windows.route(name);
    }
    if (backendWindow != null && backend.equals(cluster)) {
      return backendWindow;
    }
    return windows.backend(name, cluster);
  }
}
