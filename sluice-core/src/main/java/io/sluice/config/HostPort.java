package io.sluice.config;

import java.util.Objects;

/**
 * A socket address to listen on: an IP literal and a TCP port ({@code socket_address} of a
 * listener or of the admin interface). Port 0 asks the system for a free port.
 */
public record HostPort(String host, int port) {
  public HostPort {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
    }
  }

  /** {@code host:port}, an IPv6 host in brackets, as Envoy prints addresses. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
