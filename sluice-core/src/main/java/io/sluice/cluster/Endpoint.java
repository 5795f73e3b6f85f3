package io.sluice.cluster;

import java.util.Objects;

/**
 * One configured endpoint of a cluster ({@code load_assignment.endpoints[].lb_endpoints[]}), before
 * any DNS resolution.
 *
 * @param address an IP literal for a {@code STATIC} cluster, a hostname or IP literal for the DNS
 *     types ({@code socket_address.address})
 * @param port the TCP port ({@code socket_address.port_value})
 * @param hostname the endpoint's {@code hostname} (sent as the Host header by {@code
 *     auto_host_rewrite}), or null when not given
 * @param loadBalancingWeight the endpoint's share relative to the others, at least 1 (Envoy's
 *     default is 1)
 */
public record Endpoint(String address, int port, String hostname, int loadBalancingWeight) {
  /** Envoy's weight for an endpoint that does not set one. */
  public static final int DEFAULT_WEIGHT = 1;

  public Endpoint {
    Objects.requireNonNull(address, "address");
    if (address.isEmpty()) {
      throw new IllegalArgumentException("endpoint address must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("endpoint port must be between 0 and 65535, got " + port);
    }
    if (hostname != null && hostname.isEmpty()) {
      hostname = null;
    }
    if (loadBalancingWeight < 1) {
      throw new IllegalArgumentException("endpoint weight must be at least 1, got " + loadBalancingWeight);
    }
  }

  /** An endpoint with no hostname and the default weight. */
  public static Endpoint of(String address, int port) {
    return new Endpoint(address, port, null, DEFAULT_WEIGHT);
  }

  /** {@code address:port}, with an IPv6 literal in brackets, as Envoy prints addresses. */
  @Override
  public String toString() {
    return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
  }
}
