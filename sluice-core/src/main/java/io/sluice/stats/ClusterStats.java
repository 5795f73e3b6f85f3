package io.sluice.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * Envoy's per-cluster statistics ({@code cluster.<name>.*}): requests by status class and code,
 * the upstream request time, timeouts, connections, bytes and outlier ejections.
 */
public final class ClusterStats {
  private static final String P = "envoy_cluster_";

  private final StatsRegistry registry;
  private final String prefix;
  private final Map<String, String> labels;
  private final Counter[] classes = new Counter[6];
  private final AtomicReferenceArray<Counter> codes = new AtomicReferenceArray<>(600);

  public final Counter rqTotal;
  public final Counter rqCompleted;
  public final Counter rqTimeout;
  public final Counter rqOverflow;
  public final Counter cxTotal;
  public final Counter cxConnectFail;
  public final Counter rxBytes;
  public final Counter txBytes;
  public final Counter ejections;
  public final LatencyHistogram rqTime;

  ClusterStats(StatsRegistry registry, String name) {
    this.registry = registry;
    this.prefix = "cluster." + name + ".";
    Map<String, String> l = new LinkedHashMap<>();
    l.put("envoy_cluster_name", name);
    l.putAll(StatsRegistry.namespaceOf(name));
    this.labels = Collections.unmodifiableMap(l);
    rqTotal = counter("upstream_rq_total", "Requests sent to the cluster.");
    rqCompleted = counter("upstream_rq_completed", "Requests the cluster answered completely.");
    rqTimeout = counter("upstream_rq_timeout", "Requests that timed out waiting for the cluster.");
    rqOverflow = counter("upstream_rq_pending_overflow", "Requests refused by a circuit breaker.");
    cxTotal = counter("upstream_cx_total", "Connections opened to the cluster.");
    cxConnectFail = counter("upstream_cx_connect_fail", "Connection attempts that failed.");
    rxBytes = counter("upstream_cx_rx_bytes_total", "Bytes received from the cluster.");
    txBytes = counter("upstream_cx_tx_bytes_total", "Bytes sent to the cluster.");
    ejections = counter("outlier_detection.ejections_enforced_total", "Endpoints ejected by outlier detection.");
    rqTime = registry.histogram(
        prefix + "upstream_rq_time", P + "upstream_rq_time", labels,
        "Time from the request's start to the last byte of the cluster's response, in milliseconds.");
  }

  private Counter counter(String stat, String help) {
    String family = P + stat.replace('.', '_');
    if (!family.endsWith("_total")) {
      family += "_total";
    }
    return registry.counter(prefix + stat, family, labels, help);
  }

  /**
   * Registers a gauge of this cluster ({@code upstream_cx_active}, {@code upstream_rq_active}, ...).
   * A gauge's Prometheus family cannot end in {@code _total}, which marks counters: Envoy's {@code
   * membership_total} is {@code envoy_cluster_membership_size} there.
   */
  public void gauge(String stat, String help, LongSupplier value) {
    String family = P + stat.replace('.', '_');
    if (family.endsWith("_total")) {
      family = family.substring(0, family.length() - "_total".length()) + "_size";
    }
    registry.gauge(prefix + stat, family, labels, help, value);
  }

  /**
   * Charges a request's status to the cluster: {@code upstream_rq_completed}, its class ({@code
   * upstream_rq_2xx}) and its code ({@code upstream_rq_200}). The status is the upstream's, or the
   * one Sluice answered for it when the upstream failed (503 connect failure or reset, 504
   * timeout), as Envoy charges it.
   */
  public void response(int status) {
    response(StripedLong.ANY, status);
  }

  void response(int stripe, int status) {
    rqCompleted.inc(stripe);
    statusClass(status).inc(stripe);
    code(status).inc(stripe);
  }

  /** The counter of a status class, 1 to 5. */
  public Counter statusClass(int status) {
    int c = Math.min(5, Math.max(1, status / 100));
    Counter counter = classes[c];
    if (counter == null) {
      counter = registry.counter(prefix + "upstream_rq_" + c + "xx", P + "upstream_rq_xx_total",
          StatsRegistry.labels(labels, "envoy_response_code_class", Integer.toString(c)),
          "Responses of the cluster by status class.");
      classes[c] = counter;
    }
    return counter;
  }

  /** The counter of one status code. */
  public Counter code(int status) {
    int i = status >= 100 && status < 600 ? status : 599;
    Counter c = codes.get(i);
    if (c == null) {
      c = registry.counter(prefix + "upstream_rq_" + i, P + "upstream_rq_code_total",
          StatsRegistry.labels(labels, "envoy_response_code", Integer.toString(i)),
          "Responses of the cluster by status code.");
      codes.set(i, c);
    }
    return c;
  }
}
