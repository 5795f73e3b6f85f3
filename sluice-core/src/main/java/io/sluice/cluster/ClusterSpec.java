package io.sluice.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One upstream cluster as configured ({@code static_resources.clusters[]}), validated and
 * immutable. Durations of zero mean "disabled", as in Envoy.
 *
 * @param name the cluster's name, unique within a bootstrap; routes refer to it
 * @param type how endpoints are found
 * @param lbPolicy how an endpoint is picked for a request
 * @param connectTimeout the limit on opening a connection to an endpoint (Envoy's default 5s)
 * @param endpoints the configured endpoints in order (IP literals for {@code STATIC}, exactly one
 *     for {@code LOGICAL_DNS})
 * @param circuitBreakers the limits at the default routing priority
 * @param outlierDetection passive health checking, or null when the cluster has none (Envoy's
 *     default: disabled)
 * @param dnsRefreshRate how often DNS clusters re-resolve (Envoy's default 5s)
 * @param dnsLookupFamily which address families DNS clusters ask for (default {@code AUTO})
 * @param idleTimeout how long an upstream connection may sit with no request before it is closed
 *     ({@code common_http_protocol_options.idle_timeout}, default 1h; zero disables)
 * @param maxConnectionDuration how long an upstream connection may live, after which it is drained
 *     (default zero: no limit)
 */
public record ClusterSpec(
    String name,
    DiscoveryType type,
    LbPolicy lbPolicy,
    Duration connectTimeout,
    List<Endpoint> endpoints,
    CircuitBreakers circuitBreakers,
    OutlierDetection outlierDetection,
    Duration dnsRefreshRate,
    DnsLookupFamily dnsLookupFamily,
    Duration idleTimeout,
    Duration maxConnectionDuration) {

  /** Envoy's {@code connect_timeout} when none is given. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Envoy's {@code dns_refresh_rate} when none is given. */
  public static final Duration DEFAULT_DNS_REFRESH_RATE = Duration.ofSeconds(5);
  /** Envoy's upstream {@code idle_timeout} when none is given. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);

  public ClusterSpec {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("cluster name must not be empty");
    }
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(lbPolicy, "lbPolicy");
    Objects.requireNonNull(circuitBreakers, "circuitBreakers");
    Objects.requireNonNull(dnsLookupFamily, "dnsLookupFamily");
    endpoints = List.copyOf(endpoints);
    positive("connectTimeout", connectTimeout);
    positive("dnsRefreshRate", dnsRefreshRate);
    notNegative("idleTimeout", idleTimeout);
    notNegative("maxConnectionDuration", maxConnectionDuration);
    if (type == DiscoveryType.STATIC) {
      for (Endpoint e : endpoints) {
        if (!IpLiterals.isIpLiteral(e.address())) {
          throw new IllegalArgumentException("malformed IP address: " + e.address());
        }
      }
    }
    if (type == DiscoveryType.LOGICAL_DNS && endpoints.size() != 1) {
      throw new IllegalArgumentException("LOGICAL_DNS clusters must have a single host");
    }
  }

  /**
   * A cluster with Envoy's defaults for everything but its name, type and endpoints: round robin,
   * 5s connect timeout, default circuit breakers, no outlier detection.
   */
  public static ClusterSpec of(String name, DiscoveryType type, List<Endpoint> endpoints) {
    return new ClusterSpec(
        name, type, LbPolicy.ROUND_ROBIN, DEFAULT_CONNECT_TIMEOUT, endpoints, CircuitBreakers.DEFAULTS, null,
        DEFAULT_DNS_REFRESH_RATE, DnsLookupFamily.AUTO, DEFAULT_IDLE_TIMEOUT, Duration.ZERO);
  }

  /** Whether the endpoints' addresses need DNS resolution. */
  public boolean usesDns() {
    return type != DiscoveryType.STATIC;
  }

  private static void positive(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " must be greater than 0, got " + d);
    }
  }

  private static void notNegative(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isNegative()) {
      throw new IllegalArgumentException(field + " must not be negative, got " + d);
    }
  }
}
