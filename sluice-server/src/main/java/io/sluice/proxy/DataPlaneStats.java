package io.sluice.proxy;

import io.sluice.config.ListenerSpec;
import io.sluice.route.Route;
import io.sluice.route.RouteResult;
import io.sluice.route.VirtualHost;
import io.sluice.stats.Counter;
import io.sluice.stats.RouteTraffic;
import io.sluice.stats.StatNames;
import io.sluice.stats.StatsRegistry;
import io.sluice.stats.TrafficWindows;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A proxy's statistics and traffic windows, and the cache through which requests reach their
 * route's recorders without a lookup by name: one {@link RouteTraffic} per routing outcome, keyed
 * by the {@link RouteResult} instance, which a compiled route table builds once. Every state
 * published starts a new cache, so outcomes of route tables no longer in use are let go.
 */
public final class DataPlaneStats {
  /**
   * Whether requests are recorded: true unless the JVM runs with {@code -Dsluice.stats=off}, which
   * exists only to measure what recording costs (see bench/run --stats-cost).
   */
  static final boolean RECORDING = !"off".equals(System.getProperty("sluice.stats"));

  private final StatsRegistry registry = new StatsRegistry();
  private final TrafficWindows windows;
  private final Counter runtimeLoads;
  /**
   * By identity: {@link RouteResult} keeps {@link Object#equals}, so this is an identity map, and
   * a lookup costs an identity hash and a reference comparison.
   */
  private volatile ConcurrentHashMap<RouteResult, RouteTraffic> routes = new ConcurrentHashMap<>();

  DataPlaneStats(Duration window, LongSupplier clock, Supplier<DataPlaneState> state) {
    this.windows = new TrafficWindows(window, clock);
    this.runtimeLoads = registry.counter("runtime.load_success", "envoy_runtime_load_success_total", Map.of(),
        "Runtime snapshots loaded (start, reloads, runtime changes).");
    registry.gauge("runtime.num_keys", "envoy_runtime_num_keys", Map.of(), "Keys in the runtime.",
        () -> state.get().runtime().values().size());
    registry.gauge("runtime.num_layers", "envoy_runtime_num_layers", Map.of(), "Layers of the runtime.",
        () -> state.get().runtime().layers().size());
    registry.gauge("runtime.admin_overrides_active", "envoy_runtime_admin_overrides_active", Map.of(),
        "Keys set through /runtime_modify.", () -> state.get().runtimeOverrides().size());
  }

  /** Every statistic. */
  public StatsRegistry registry() {
    return registry;
  }

  /** The traffic windows per route and backend. */
  public TrafficWindows windows() {
    return windows;
  }

  /** The recorders of a forwarded request's routing outcome. */
  RouteTraffic route(RouteResult result) {
    ConcurrentHashMap<RouteResult, RouteTraffic> cache = routes;
    RouteTraffic t = cache.get(result);
    if (t == null) {
      // Two loops may both build it: the windows and statistics behind it are shared by name, so
      // whichever lands, both record into the same ones.
      t = RouteTraffic.of(registry, windows, result);
      cache.put(result, t);
    }
    return t;
  }

  /**
   * A new state was published: a fresh outcome cache, one more runtime loaded, and windows of
   * routes the state no longer has forgotten once their traffic rolled off.
   */
  void published(DataPlaneState state) {
    routes = new ConcurrentHashMap<>();
    runtimeLoads.inc();
    Set<String> current = new HashSet<>();
    for (ListenerSpec l : state.bootstrap().listeners()) {
      for (VirtualHost vh : l.routes().virtualHosts()) {
        for (Route r : vh.routes()) {
          current.add(StatNames.windowRoute(r));
        }
      }
    }
    windows.prune(row -> current.contains(row.route()));
  }
}
