package io.sluice.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Every statistic of a proxy, by Envoy name. Statistics are created once (when a cluster, listener
 * or route first needs them) and then written on the request path through the objects that own
 * them ({@link ClusterStats}, {@link HttpStats}, {@link RouteStats}), never looked up per request.
 */
public final class StatsRegistry {
  private final ConcurrentHashMap<String, Metric> metrics = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ClusterStats> clusters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, HttpStats> listeners = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, RouteStats> routes = new ConcurrentHashMap<>();

  /** The counter of that name, created with the given family and labels the first time. */
  public Counter counter(String name, String family, Map<String, String> labels, String help) {
    return (Counter) metrics.computeIfAbsent(name, n -> new Counter(n, family, labels, help));
  }

  /** Registers (or replaces) a gauge that reads {@code value}. */
  public Gauge gauge(String name, String family, Map<String, String> labels, String help, LongSupplier value) {
    Gauge g = new Gauge(name, family, labels, help, value);
    metrics.put(name, g);
    return g;
  }

  /** The latency histogram of that name, created the first time. */
  public LatencyHistogram histogram(String name, String family, Map<String, String> labels, String help) {
    return (LatencyHistogram) metrics.computeIfAbsent(name, n -> new LatencyHistogram(n, family, labels, help));
  }

  /** The statistics of a cluster, created the first time. */
  public ClusterStats cluster(String name) {
    return clusters.computeIfAbsent(name, n -> new ClusterStats(this, n));
  }

  /** The statistics of a listener's HTTP connection manager ({@code http.<stat_prefix>.*}). */
  public HttpStats http(String statPrefix) {
    return listeners.computeIfAbsent(statPrefix, p -> new HttpStats(this, p));
  }

  /** The statistics of a route ({@code vhost.<virtual host>.route.<route>.*}). */
  public RouteStats route(String virtualHost, String route) {
    return routes.computeIfAbsent(virtualHost + "\u0000" + route, k -> new RouteStats(this, virtualHost, route));
  }

  /** The statistic of that Envoy name, or null. */
  public Metric metric(String name) {
    return metrics.get(name);
  }

  /** Every statistic, sorted by Envoy name. */
  public List<Metric> metrics() {
    List<Metric> all = new ArrayList<>(metrics.values());
    all.sort(Comparator.comparing(Metric::name));
    return all;
  }

  /** Every statistic with a given Prometheus family, grouped by family in first-seen order. */
  public Map<String, List<Metric>> byFamily() {
    Map<String, List<Metric>> out = new LinkedHashMap<>();
    for (Metric m : metrics()) {
      out.computeIfAbsent(m.family(), f -> new ArrayList<>()).add(m);
    }
    return out;
  }

  /** {@code POST /reset_counters}: every counter and histogram back to zero (gauges are live). */
  public void resetCounters() {
    for (Metric m : metrics.values()) {
      if (m instanceof Counter c) {
        c.reset();
      } else if (m instanceof LatencyHistogram h) {
        h.reset();
      }
    }
  }

  /**
   * Labels for a name Sluice gave a Kubernetes object ({@code namespace/name} or {@code
   * namespace/name:port}): its namespace, so dashboards can filter by it. Empty otherwise.
   */
  static Map<String, String> namespaceOf(String objectName) {
    String ns = StatNames.namespace(objectName);
    return ns == null ? Map.of() : Map.of("namespace", ns);
  }

  /** {@code base} followed by {@code extra} (labels keep insertion order). */
  static Map<String, String> labels(Map<String, String> base, String key, String value) {
    Map<String, String> m = new LinkedHashMap<>(base);
    m.put(key, value);
    return m;
  }
}
