package io.sluice.config;

import io.sluice.route.RouteTable;
import java.util.Objects;

/**
 * One listener of a bootstrap: an address, and the single {@code http_connection_manager} that
 * serves it with an inline route configuration.
 *
 * @param name the listener's name ({@code listener_<index>} when the bootstrap gives none)
 * @param address the IP address and port to listen on (port 0: any free port)
 * @param statPrefix the connection manager's {@code stat_prefix}
 * @param routes the compiled {@code route_config}
 * @param http the connection manager options Sluice honours
 */
public record ListenerSpec(
    String name, HostPort address, String statPrefix, RouteTable routes, HttpConnectionOptions http) {
  public ListenerSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(statPrefix, "statPrefix");
    Objects.requireNonNull(routes, "routes");
    Objects.requireNonNull(http, "http");
    if (statPrefix.isEmpty()) {
      throw new IllegalArgumentException("statPrefix must not be empty");
    }
  }
}
