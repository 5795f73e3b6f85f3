package io.sluice.stats;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Envoy's statistics of a listener's HTTP connection manager and router ({@code
 * http.<stat_prefix>.*}): requests, their status classes and time, and the router's outcomes
 * ({@code no_route}, {@code no_cluster}, {@code rq_redirect}, {@code rq_direct_response}).
 */
public final class HttpStats {
  private static final String P = "envoy_http_";

  private final StatsRegistry registry;
  private final String prefix;
  private final Map<String, String> labels;
  private final Counter[] classes = new Counter[6];
  private final LongAdder connectionsOpen = new LongAdder();

  public final Counter downstreamRqTotal;
  public final Counter downstreamCxTotal;
  public final Counter rqTotal;
  public final Counter noRoute;
  public final Counter noCluster;
  public final Counter rqRedirect;
  public final Counter rqDirectResponse;
  public final Counter rqResetAfterResponseStarted;
  public final LatencyHistogram downstreamRqTime;

  HttpStats(StatsRegistry registry, String statPrefix) {
    this.registry = registry;
    this.prefix = "http." + statPrefix + ".";
    this.labels = Map.of("envoy_http_conn_manager_prefix", statPrefix);
    downstreamRqTotal = counter("downstream_rq_total", "Requests received.");
    downstreamCxTotal = counter("downstream_cx_total", "Client connections accepted.");
    rqTotal = counter("rq_total", "Requests routed.");
    noRoute = counter("no_route", "Requests no route matched.");
    noCluster = counter("no_cluster", "Requests whose cluster does not exist.");
    rqRedirect = counter("rq_redirect", "Requests answered with a redirect.");
    rqDirectResponse = counter("rq_direct_response", "Requests answered with a direct response.");
    rqResetAfterResponseStarted =
        counter("rq_reset_after_downstream_response_started", "Responses cut after they started.");
    downstreamRqTime = registry.histogram(prefix + "downstream_rq_time", P + "downstream_rq_time", labels,
        "Time from a request's first byte to its response's last byte, in milliseconds.");
    gauge("downstream_cx_active", "Client connections open.", connectionsOpen::sum);
  }

  /** A client connection was accepted: {@code downstream_cx_total} and {@code downstream_cx_active}. */
  public void connectionOpened() {
    downstreamCxTotal.inc();
    connectionsOpen.increment();
  }

  /** A connection counted by {@link #connectionOpened} closed. */
  public void connectionClosed() {
    connectionsOpen.decrement();
  }

  private Counter counter(String stat, String help) {
    String family = P + stat;
    if (!family.endsWith("_total")) {
      family += "_total";
    }
    return registry.counter(prefix + stat, family, labels, help);
  }

  /** Registers a gauge of this listener ({@code downstream_cx_active}, ...). */
  public void gauge(String stat, String help, LongSupplier value) {
    registry.gauge(prefix + stat, P + stat, labels, help, value);
  }

  /** Records a response sent to a client: its class and the request's time. */
  public void response(int status, long latencyMicros) {
    statusClass(status).inc();
    downstreamRqTime.recordMicros(latencyMicros);
  }

  /** The counter of a status class, 1 to 5. */
  public Counter statusClass(int status) {
    int c = Math.min(5, Math.max(1, status / 100));
    Counter counter = classes[c];
    if (counter == null) {
      counter = registry.counter(prefix + "downstream_rq_" + c + "xx", P + "downstream_rq_xx_total",
          StatsRegistry.labels(labels, "envoy_response_code_class", Integer.toString(c)),
          "Responses sent by status class.");
      classes[c] = counter;
    }
    return counter;
  }
}
