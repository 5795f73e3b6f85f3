package io.sluice.stats;

import java.util.Map;

/**
 * One statistic, with the two names operators look it up by: Envoy's dotted name ({@code
 * cluster.helloworld_v1.upstream_rq_2xx}, what {@code /stats} prints) and its Prometheus family
 * and labels ({@code envoy_cluster_upstream_rq_xx_total{envoy_cluster_name="helloworld_v1",
 * envoy_response_code_class="2"}}).
 */
public sealed interface Metric permits Counter, Gauge, LatencyHistogram {

  /** Envoy's name. */
  String name();

  /** The Prometheus metric family. */
  String family();

  /** The Prometheus labels, in a stable order. */
  Map<String, String> labels();

  /** One line of help for the family. */
  String help();

  /** Whether the metric was ever written to (for {@code /stats?usedonly}). */
  boolean used();
}
