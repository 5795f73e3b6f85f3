package io.sluice.cluster;

/**
 * How a cluster finds its endpoints, named as Envoy's {@code Cluster.DiscoveryType}. Envoy's {@code
 * EDS} and {@code ORIGINAL_DST} are rejected when a configuration is read.
 */
public enum DiscoveryType {
  /** Endpoints are IP addresses written in the configuration. */
  STATIC,
  /** Every address each endpoint's hostname resolves to is an endpoint; re-resolved periodically. */
  STRICT_DNS,
  /**
   * One hostname; a new connection goes to the first address it currently resolves to, existing
   * connections are kept when the answer changes.
   */
  LOGICAL_DNS
}
