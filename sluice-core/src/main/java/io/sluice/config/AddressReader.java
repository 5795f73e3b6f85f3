package io.sluice.config;

import io.sluice.cluster.IpLiterals;

/**
 * Reads an Envoy {@code core.v3.Address}. Only TCP {@code socket_address}es with a numeric port are
 * supported; a Unix socket ({@code pipe}), an internal address, a named port, a custom resolver or
 * a network namespace would put the socket somewhere else than written, so they are errors.
 */
final class AddressReader {
  private static final String CORE = "envoy.config.core.v3.";

  /** An address and port as written. */
  record SocketAddress(String address, int port) {}

  private AddressReader() {}

  /**
   * Reads the {@code Address} in {@code field} of {@code owner}; null (after recording errors) when
   * it is absent or unusable.
   *
   * @param requireIp whether the address must be an IP literal, as Envoy's IP resolver requires of
   *     listeners, the admin interface and {@code STATIC} endpoints
   */
  static SocketAddress read(MessageReader owner, String field, boolean requireIp) {
    if (!owner.has(field)) {
      owner.raw(field);
      owner.error(field, "value is required");
      return null;
    }
    MessageReader a = owner.message(field, CORE + "Address");
    if (a == null) {
      return null;
    }
    String which = a.oneOf("address", "socket_address", "pipe", "envoy_internal_address");
    SocketAddress result = null;
    if (which == null) {
      a.error(null, "address: value is required (one of socket_address, pipe, envoy_internal_address)");
    } else if (which.equals("socket_address")) {
      result = readSocket(a.message("socket_address", CORE + "SocketAddress"), requireIp);
    } else {
      a.raw(which);
      a.error(which, which.equals("pipe")
          ? "not supported by Sluice: Unix domain socket (pipe) addresses"
          : "not supported by Sluice: Envoy internal addresses");
    }
    a.finish();
    return result;
  }

  private static SocketAddress readSocket(MessageReader s, boolean requireIp) {
    if (s == null) {
      return null;
    }
    boolean ok = true;
    JsonProtocol protocol = s.enumValue("protocol", JsonProtocol.values(), JsonProtocol.TCP);
    if (protocol == JsonProtocol.UDP) {
      s.error("protocol", "not supported by Sluice: UDP");
      ok = false;
    }
    String address = s.string("address", "");
    if (address.isEmpty()) {
      s.error("address", "value length must be at least 1 characters");
      ok = false;
    } else if (requireIp && !IpLiterals.isIpLiteral(address)) {
      s.error("address", "malformed IP address: " + address);
      ok = false;
    }
    String portSpec = s.oneOf("port_specifier", "port_value", "named_port");
    long port = 0;
    if ("named_port".equals(portSpec)) {
      s.raw("named_port");
      s.error("named_port", "not supported by Sluice: named ports (use port_value)");
      ok = false;
    } else {
      Long p = s.optUint32("port_value");
      if (p != null && p > 65535) {
        s.error("port_value", "value must be less than or equal to 65535, got " + p);
        ok = false;
      } else if (p != null) {
        port = p;
      }
    }
    ok &= !Unsupported.reject(s, "resolver_name", "custom address resolvers");
    ok &= !Unsupported.reject(s, "network_namespace_filepath", "network namespaces");
    // Java binds "::" dual-stack, which is what ipv4_compat asks for; without it the difference is
    // only whether IPv4 clients can connect to an IPv6 wildcard listener.
    s.optBool("ipv4_compat");
    s.finish();
    return ok ? new SocketAddress(address, (int) port) : null;
  }

  /** {@code SocketAddress.Protocol}, in protobuf number order. */
  private enum JsonProtocol {
    TCP,
    UDP
  }
}
