package io.sluice.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Statistics of one route ({@code vhost.<virtual host>.route.<route>.*}): requests it forwarded,
 * their status classes and time, and timeouts. Routes compiled from an HTTPRoute carry its
 * namespace as a label.
 */
public final class RouteStats {
  private static final String P = "envoy_vhost_route_";

  private final StatsRegistry registry;
  private final String prefix;
  private final Map<String, String> labels;
  private final Counter[] classes = new Counter[6];

  public final Counter rqTotal;
  public final Counter rqTimeout;
  public final LatencyHistogram rqTime;

  RouteStats(StatsRegistry registry, String virtualHost, String route) {
    this.registry = registry;
    this.prefix = "vhost." + virtualHost + ".route." + route + ".";
    Map<String, String> l = new LinkedHashMap<>();
    l.put("envoy_virtual_host", virtualHost);
    l.put("envoy_route", route);
    l.putAll(StatsRegistry.namespaceOf(route));
    this.labels = Collections.unmodifiableMap(l);
    rqTotal = registry.counter(prefix + "upstream_rq_total", P + "upstream_rq_total", labels,
        "Requests the route forwarded.");
    rqTimeout = registry.counter(prefix + "upstream_rq_timeout", P + "upstream_rq_timeout_total", labels,
        "Requests of the route that timed out.");
    rqTime = registry.histogram(prefix + "upstream_rq_time", P + "upstream_rq_time", labels,
        "Time of the route's requests, in milliseconds.");
  }

  /** Charges the status of a request this route forwarded (the time is {@link #rqTime}'s). */
  public void response(int status) {
    response(StripedLong.ANY, status);
  }

  void response(int stripe, int status) {
    int c = Math.min(5, Math.max(1, status / 100));
    Counter counter = classes[c];
    if (counter == null) {
      counter = registry.counter(prefix + "upstream_rq_" + c + "xx", P + "upstream_rq_xx_total",
          StatsRegistry.labels(labels, "envoy_response_code_class", Integer.toString(c)),
          "Responses of the route by status class.");
      classes[c] = counter;
    }
    counter.inc(stripe);
  }
}
