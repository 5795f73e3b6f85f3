package io.sluice.cluster;

/**
 * The load-balancing policies Sluice implements, named as Envoy's {@code Cluster.LbPolicy}. Envoy's
 * other policies ({@code RING_HASH}, {@code MAGLEV}, {@code CLUSTER_PROVIDED}, {@code
 * LOAD_BALANCING_POLICY_CONFIG}) are rejected when a configuration is read.
 */
public enum LbPolicy {
  /** Weighted round robin, Envoy's default. */
  ROUND_ROBIN,
  /** The less loaded of two random endpoints (Envoy's default {@code choice_count} of 2). */
  LEAST_REQUEST,
  /** A random endpoint, in proportion to weights. */
  RANDOM
}
