package io.sluice.cluster;

/** Which address families a DNS cluster asks for, as Envoy's {@code Cluster.DnsLookupFamily}. */
public enum DnsLookupFamily {
  /** IPv6 first, IPv4 when there is no IPv6 answer (Envoy's default; "V6 preferred"). */
  AUTO,
  /** Only IPv4 addresses. */
  V4_ONLY,
  /** Only IPv6 addresses. */
  V6_ONLY,
  /** IPv4 first, IPv6 when there is no IPv4 answer. */
  V4_PREFERRED,
  /** Both families, all addresses. */
  ALL
}
