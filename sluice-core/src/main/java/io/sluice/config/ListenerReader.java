package io.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads one Envoy {@code config.listener.v3.Listener}: an IP address and exactly one filter chain
 * holding exactly one network filter, the {@code http_connection_manager}.
 *
 * <p>Errors (ignoring them would accept connections differently, or decrypt nothing where Envoy
 * decrypts): several filter chains, {@code filter_chain_match}, {@code filter_chain_matcher}, a
 * default filter chain, FCDS, TLS or any transport socket but plaintext, network filters other than
 * the connection manager, listener filters other than the TLS and HTTP inspectors (which only feed
 * filter chain matching), the PROXY protocol, {@code use_original_dst}, additional addresses,
 * {@code bind_to_port: false}, UDP, API and internal listeners.
 *
 * <p>Warnings: socket and buffer tuning, connection balancing, access logs (Sluice has its own) and
 * the like. Metadata and {@code traffic_direction} only label the listener and are accepted silently.
 */
final class ListenerReader {
  static final String PKG = "envoy.config.listener.v3.";
  private static final Set<String> HARMLESS_LISTENER_FILTERS =
      Set.of(
          "envoy.filters.listener.tls_inspector", "envoy.filters.listener.http_inspector",
          "envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector",
          "envoy.extensions.filters.listener.http_inspector.v3.HttpInspector");
  private static final Set<String> WARN =
      Set.of(
          "stat_prefix", "per_connection_buffer_limit_bytes", "listener_filters_timeout",
          "continue_on_listener_filters_timeout", "transparent", "freebind", "socket_options",
          "tcp_fast_open_queue_length", "connection_balance_config", "reuse_port", "enable_reuse_port",
          "tcp_backlog_size", "max_connections_to_accept_per_socket_event", "enable_mptcp",
          "ignore_global_conn_limit", "bypass_overload_manager");

  private ListenerReader() {}

  /**
   * Reads listener number {@code index}; null when it has errors (all of them recorded).
   *
   * @param clusterExists whether a cluster of that name is defined, for the route table's checks
   */
  static ListenerSpec read(MessageReader l, int index, Predicate<String> clusterExists) {
    int errorsBefore = l.problems().errors().size();
    String name = l.string("name", "");
    if (name.isEmpty()) {
      name = "listener_" + index;
    }
    AddressReader.SocketAddress address = AddressReader.read(l, "address", true);
    Unsupported.reject(l, "additional_addresses", "additional_addresses (one address per listener)");
    readListenerFilters(l);
    HttpConnectionManagerReader.Result hcm = readFilterChains(l, clusterExists);
    Unsupported.reject(l, "fcds_config", "filter chain discovery (FCDS)");
    Unsupported.reject(l, "filter_chain_matcher", "filter_chain_matcher (one filter chain per listener)");
    Unsupported.reject(l, "default_filter_chain", "default_filter_chain (one filter chain per listener)");
    Unsupported.reject(l, "udp_listener_config", "UDP and QUIC listeners");
    Unsupported.reject(l, "api_listener", "API listeners");
    Unsupported.reject(l, "internal_listener", "internal listeners");
    if (l.bool("use_original_dst", false)) {
      l.error("use_original_dst", "not supported by Sluice: original destination (use_original_dst)");
    }
    if (!l.bool("bind_to_port", true)) {
      l.error("bind_to_port", "not supported by Sluice: listeners that do not bind (bind_to_port: false)");
    }
    MessageReader v1 = l.message("deprecated_v1", PKG + "Listener.DeprecatedV1");
    if (v1 != null) {
      if (!v1.bool("bind_to_port", true)) {
        v1.error("bind_to_port", "not supported by Sluice: listeners that do not bind (bind_to_port: false)");
      }
      v1.finish();
    }
    JsonNode drain = l.raw("drain_type");
    if (drain != null && !drain.asText().equals("DEFAULT") && !drain.asText().equals("0")) {
      l.warn("drain_type", Unsupported.IGNORED);
    }
    Unsupported.warn(l, "access_log", "not supported by Sluice; ignored (Sluice writes its own access log: "
        + "sluice proxy --access-log)");
    l.skip("metadata", "traffic_direction");
    Unsupported.warn(l, WARN);
    l.finish();
    if (l.problems().errors().size() != errorsBefore || address == null || hcm == null) {
      return null;
    }
    return new ListenerSpec(
        name, new HostPort(address.address(), address.port()), hcm.statPrefix(), hcm.routes(), hcm.options());
  }

  private static HttpConnectionManagerReader.Result readFilterChains(MessageReader l, Predicate<String> clusterExists) {
    List<MessageReader> chains = l.messages("filter_chains", PKG + "FilterChain");
    if (chains.isEmpty()) {
      JsonNode given = l.raw("filter_chains");
      if (given == null || (given.isArray() && given.isEmpty())) {
        l.error("filter_chains", "no filter chains specified");
      }
      return null;
    }
    HttpConnectionManagerReader.Result result = null;
    for (int i = 0; i < chains.size(); i++) {
      MessageReader c = chains.get(i);
      if (i > 0) {
        c.error(null, "not supported by Sluice: several filter chains (one http_connection_manager per listener)");
        c.skip("filter_chain_match", "filters", "use_proxy_proto", "metadata", "transport_socket",
            "transport_socket_connect_timeout", "name", "on_demand_configuration");
        c.finish();
        continue;
      }
      Unsupported.reject(c, "filter_chain_match", "filter_chain_match (every connection uses the one filter chain)");
      if (c.bool("use_proxy_proto", false)) {
        c.error("use_proxy_proto", "not supported by Sluice: the PROXY protocol");
      }
      TransportSockets.checkPlaintext(c, "transport_socket");
      Unsupported.reject(c, "on_demand_configuration", "on-demand filter chains");
      Unsupported.warn(c, "transport_socket_connect_timeout", Unsupported.IGNORED);
      c.skip("metadata", "name");
      result = readNetworkFilters(c, clusterExists);
      c.finish();
    }
    return result;
  }

  private static HttpConnectionManagerReader.Result readNetworkFilters(
      MessageReader chain, Predicate<String> clusterExists) {
    List<MessageReader> filters = chain.messages("filters", PKG + "Filter");
    HttpConnectionManagerReader.Result result = null;
    boolean hcmSeen = false;
    for (MessageReader f : filters) {
      String name = f.string("name", "");
      if (name.isEmpty()) {
        f.error("name", "value length must be at least 1 characters");
      }
      String config = f.oneOf("config_type", "typed_config", "config_discovery");
      if ("config_discovery".equals(config)) {
        f.raw("config_discovery");
        f.error("config_discovery", "not supported by Sluice: filter configuration discovery (ECDS)");
      } else if (config == null) {
        f.error("typed_config", "value is required (Sluice needs the typed_config of "
            + "envoy.filters.network.http_connection_manager)");
      } else {
        JsonNode typed = f.raw("typed_config");
        String type = typed != null && typed.isObject() ? Unsupported.typeName(typed.path("@type").asText("")) : "";
        if (type.equals(HttpConnectionManagerReader.TYPE)) {
          if (hcmSeen) {
            f.error(null, "not supported by Sluice: more than one http_connection_manager in a filter chain");
          } else {
            hcmSeen = true;
            result = HttpConnectionManagerReader.read(typed, f.pathOf("typed_config"), f.problems(), clusterExists);
          }
        } else if (typed != null && typed.isObject() && type.isEmpty()) {
          f.error("typed_config.@type", "value is required (the type URL of the filter configuration)");
        } else if (typed != null && !typed.isObject()) {
          f.error("typed_config", "expected an object (google.protobuf.Any), got " + MessageReader.describe(typed));
        } else {
          f.error(null, "not supported by Sluice: network filter " + (name.isEmpty() ? type : name)
              + " (Sluice serves HTTP through envoy.filters.network.http_connection_manager only)");
        }
      }
      f.finish();
    }
    if (!hcmSeen && filters.isEmpty()) {
      chain.error("filters", "not supported by Sluice: a filter chain without an http_connection_manager");
    }
    return result;
  }

  private static void readListenerFilters(MessageReader l) {
    for (MessageReader f : l.messages("listener_filters", PKG + "ListenerFilter")) {
      String name = f.string("name", "");
      if (name.isEmpty()) {
        f.error("name", "value length must be at least 1 characters");
      }
      JsonNode typed = f.raw("typed_config");
      String type = typed == null ? "" : Unsupported.typeName(typed.path("@type").asText(""));
      boolean discovery = f.has("config_discovery");
      f.raw("config_discovery");
      f.skip("filter_disabled");
      f.finish();
      String what = type.isEmpty() ? name : type;
      if (!discovery && (HARMLESS_LISTENER_FILTERS.contains(type)
          || (type.isEmpty() && HARMLESS_LISTENER_FILTERS.contains(name)))) {
        f.warn(null, "listener filter " + what
            + " is not needed by Sluice (it only feeds filter_chain_match); ignored");
      } else {
        f.error(null, "not supported by Sluice: listener filter " + what);
      }
    }
  }
}
