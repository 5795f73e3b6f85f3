package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.HttpConnectionOptions.ServerHeaderTransformation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Listeners, filter chains and the HTTP connection manager: what is honoured, warned about and rejected. */
class ListenerConfigTest {
  private static final String L = Bootstraps.LISTENER;
  private static final String CHAIN = Bootstraps.CHAIN;
  private static final String HCM = Bootstraps.HCM;

  private static HttpConnectionOptions http(String hcmYaml) {
    return Bootstraps.of().hcm(hcmYaml).read().listeners().get(0).http();
  }

  @Test
  void connectionManagerDefaultsAreEnvoysExceptTheServerName() {
    HttpConnectionOptions d = HttpConnectionOptions.DEFAULTS;
    assertThat(d.useRemoteAddress()).isFalse();
    assertThat(d.xffNumTrustedHops()).isZero();
    assertThat(d.serverName()).isEqualTo("sluice");
    assertThat(d.serverHeaderTransformation()).isEqualTo(ServerHeaderTransformation.OVERWRITE);
    assertThat(d.maxRequestHeadersKb()).isEqualTo(60);
    assertThat(d.maxHeadersCount()).isEqualTo(100);
    assertThat(d.idleTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(d.maxConnectionDuration()).isEqualTo(Duration.ZERO);
    assertThat(d.streamIdleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(d.requestTimeout()).isEqualTo(Duration.ZERO);
    assertThat(d.drainTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.generateRequestId()).isTrue();
    assertThat(d.preserveExternalRequestId()).isFalse();
    assertThat(http("")).isEqualTo(d);
  }

  @Test
  void everyHonouredOptionIsRead() {
    HttpConnectionOptions o = http("""
        use_remote_address: true
        xff_num_trusted_hops: 1
        server_name: edge
        server_header_transformation: PASS_THROUGH
        max_request_headers_kb: 96
        common_http_protocol_options: {idle_timeout: 300s, max_connection_duration: 3600s, max_headers_count: 50}
        stream_idle_timeout: 0s
        request_timeout: 10s
        drain_timeout: 1.5s
        generate_request_id: {value: false}
        preserve_external_request_id: true
        """);
    assertThat(o).isEqualTo(new HttpConnectionOptions(
        true, 1, "edge", ServerHeaderTransformation.PASS_THROUGH, 96, 50, Duration.ofSeconds(300),
        Duration.ofHours(1), Duration.ZERO, Duration.ofSeconds(10), Duration.ofMillis(1500), false, true, false));
  }

  @Test
  void optionValidationFollowsEnvoy() {
    assertThat(Bootstraps.of()
            .hcm("max_request_headers_kb: 8193\ndrain_timeout: -1s\ncommon_http_protocol_options: {max_headers_count: 0}")
            .errors())
        .containsExactly(
            HCM + ".max_request_headers_kb: value must be inside range (0, 8192]",
            HCM + ".common_http_protocol_options.max_headers_count: value must be greater than or equal to 1",
            HCM + ".drain_timeout: Invalid duration: Expected positive duration: -1s");
    assertThat(Bootstraps.of().hcm("max_request_headers_kb: 0").errors())
        .containsExactly(HCM + ".max_request_headers_kb: value must be inside range (0, 8192]");
  }

  @Test
  void statPrefixAndRoutesAreRequired() {
    String yaml = Bootstraps.of().yaml().replace("          stat_prefix: in\n", "")
        .replaceAll("          route_config:\n            virtual_hosts:\n            - .*\n", "");
    assertThat(errors(yaml)).containsExactly(
        HCM + ".stat_prefix: value length must be at least 1 characters",
        HCM + ": route_specifier: value is required (one of rds, route_config, scoped_routes)");
  }

  @Test
  void rdsAndScopedRoutesAreRejected() {
    String rds = Bootstraps.of().yaml().replaceAll(
        "          route_config:\n            virtual_hosts:\n            - .*\n",
        "          rds: {route_config_name: r, config_source: {ads: {}}}\n");
    assertThat(errors(rds)).containsExactly(
        HCM + ".rds: not supported by Sluice: RDS (write the routes inline in route_config)");
    assertThat(Bootstraps.of().hcm("scoped_routes: {name: s}").errors()).containsExactly(
        HCM + ": only one of rds, route_config, scoped_routes may be set (route_specifier), found both route_config "
            + "and scoped_routes");
  }

  @Test
  void onlyHttp1CodecsAreAccepted() {
    assertThat(http("codec_type: HTTP1")).isEqualTo(HttpConnectionOptions.DEFAULTS);
    assertThat(http("codec_type: AUTO")).isEqualTo(HttpConnectionOptions.DEFAULTS);
    assertThat(Bootstraps.of().hcm("codec_type: HTTP3").errors())
        .containsExactly(HCM + ".codec_type: not supported by Sluice yet: HTTP3 downstream (use AUTO or HTTP1)");
  }

  @Test
  void anEmptyFilterListMeansTheRouterAlone() {
    String yaml = Bootstraps.of().yaml().replaceAll(
        "          http_filters:\n          - name: envoy.filters.http.router\n            typed_config: .*\n",
        "          http_filters: []\n");
    assertThat(BootstrapReader.read(Documents.readOne(yaml, "t", Documents.Format.YAML), "t").listeners()).hasSize(1);
  }

  @Test
  void httpFiltersOtherThanTheRouterAreRejected() {
    String yaml = Bootstraps.of().yaml().replace(
        "          http_filters:\n",
        "          http_filters:\n"
            + "          - name: envoy.filters.http.ext_authz\n"
            + "            typed_config: {'@type': type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz}\n"
            + "          - {name: envoy.filters.http.cors, is_optional: true}\n"
            + "          - {name: envoy.filters.http.fault, disabled: true}\n");
    assertThat(errors(yaml)).containsExactly(
        HCM + ".http_filters[0]: not supported by Sluice: HTTP filter envoy.filters.http.ext_authz (only "
            + "envoy.filters.http.router)");
  }

  @Test
  void optionalAndDisabledFiltersAreSkippedWithAWarning() {
    String yaml = Bootstraps.of().yaml().replace(
        "          http_filters:\n",
        "          http_filters:\n"
            + "          - {name: envoy.filters.http.cors, is_optional: true}\n"
            + "          - {name: envoy.filters.http.fault, disabled: true}\n");
    assertThat(warnings(yaml)).containsExactly(
        HCM + ".http_filters[0]: HTTP filter envoy.filters.http.cors is not available in Sluice; skipped, as Envoy "
            + "skips an optional filter it does not have",
        HCM + ".http_filters[1]: disabled HTTP filter envoy.filters.http.fault is not available in Sluice; routes "
            + "cannot enable it");
  }

  @Test
  void theRouterMustBeLast() {
    String yaml = Bootstraps.of().yaml().replaceAll(
        "(          - name: envoy.filters.http.router\n            typed_config: .*\n)",
        "$1          - {name: envoy.filters.http.cors, is_optional: true}\n");
    assertThat(errors(yaml)).containsExactly(
        HCM + ".http_filters[0]: terminal filter named envoy.filters.http.router of type envoy.filters.http.router must "
            + "be the last filter in a http filter chain.");
    String noRouter = Bootstraps.of().yaml().replaceAll(
        "          - name: envoy.filters.http.router\n            typed_config: .*\n",
        "          - {name: envoy.filters.http.cors, is_optional: true}\n");
    assertThat(errors(noRouter)).contains(
        HCM + ".http_filters: the last HTTP filter must be the router (envoy.filters.http.router)");
  }

  @Test
  void routerOptionsWarnAndUpstreamFiltersOtherThanTheCodecAreRejected() {
    String yaml = Bootstraps.of().yaml().replace(
        "typed_config: {'@type': type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}",
        "typed_config: {'@type': type.googleapis.com/envoy.extensions.filters.http.router.v3.Router, "
            + "suppress_envoy_headers: true, dynamic_stats: false}");
    assertThat(warnings(yaml)).containsExactly(
        HCM + ".http_filters[0].typed_config.suppress_envoy_headers: not supported by Sluice yet; ignored");
    String upstream = Bootstraps.of().yaml().replace(
        "typed_config: {'@type': type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}",
        "typed_config: {'@type': type.googleapis.com/envoy.extensions.filters.http.router.v3.Router, "
            + "upstream_http_filters: [{name: envoy.filters.http.buffer}, {name: envoy.filters.http.upstream_codec}]}");
    assertThat(errors(upstream)).containsExactly(
        HCM + ".http_filters[0].typed_config.upstream_http_filters[0]: not supported by Sluice: upstream HTTP filter "
            + "envoy.filters.http.buffer");
  }

  @Test
  void optionsThatChangeRoutingAreRejectedUnlessOff() {
    assertThat(Bootstraps.of()
            .hcm("""
                merge_slashes: true
                strip_any_host_port: true
                path_with_escaped_slashes_action: UNESCAPE_AND_REDIRECT
                path_normalization_options: {forwarding_transformation: {}}
                early_header_mutation_extensions: [{name: m}]
                """)
            .errors())
        .containsExactly(
            HCM + ".merge_slashes: not supported by Sluice: merging slashes in the path (merge_slashes); ignoring it "
                + "would route requests differently",
            HCM + ".strip_any_host_port: not supported by Sluice: strip_any_host_port (see ignore_port_in_host_matching "
                + "in route_config); ignoring it would route requests differently",
            HCM + ".path_with_escaped_slashes_action: not supported by Sluice: UNESCAPE_AND_REDIRECT (Sluice keeps "
                + "escaped slashes unchanged)",
            HCM + ".path_normalization_options: not supported by Sluice: path_normalization_options",
            HCM + ".early_header_mutation_extensions: not supported by Sluice: early_header_mutation_extensions (they "
                + "change headers before routing)");
    assertThat(Bootstraps.of()
            .hcm("normalize_path: false\nmerge_slashes: false\npath_with_escaped_slashes_action: KEEP_UNCHANGED")
            .warnings())
        .isEmpty();
  }

  @Test
  void knownButUnsupportedOptionsWarnWithTheirPath() {
    assertThat(Bootstraps.of()
            .hcm("""
                access_log: [{name: envoy.access_loggers.stdout}]
                tracing: {}
                upgrade_configs: [{upgrade_type: websocket}]
                via: sluice
                forward_client_cert_details: SANITIZE
                http_protocol_options: {}
                """)
            .warnings())
        .containsExactlyInAnyOrder(
            HCM + ".access_log: not supported by Sluice; ignored (Sluice writes its own access log: sluice proxy "
                + "--access-log)",
            HCM + ".upgrade_configs: not supported by Sluice yet; ignored",
            HCM + ".via: not supported by Sluice yet; ignored");
  }

  @Test
  void anUnknownConnectionManagerFieldIsAnError() {
    assertThat(Bootstraps.of().hcm("idle_timeout: 5s").errors()).containsExactly(
        HCM + ".idle_timeout: unknown field (INVALID_ARGUMENT: "
            + "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager has no field named "
            + "\"idle_timeout\")");
  }

  @Test
  void theOnlyNetworkFilterIsTheConnectionManager() {
    String tcp = Bootstraps.of().yaml().replace(
        "      - name: envoy.filters.network.http_connection_manager\n",
        "      - name: envoy.filters.network.tcp_proxy\n"
            + "        typed_config: {'@type': type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3"
            + ".TcpProxy, stat_prefix: t, cluster: c}\n"
            + "      - name: envoy.filters.network.http_connection_manager\n");
    assertThat(errors(tcp)).containsExactly(
        CHAIN + ".filters[0]: not supported by Sluice: network filter envoy.filters.network.tcp_proxy (Sluice serves "
            + "HTTP through envoy.filters.network.http_connection_manager only)");
    String untyped = Bootstraps.of().yaml().replaceAll(
        "      - name: envoy.filters.network.http_connection_manager\n(.|\n)*",
        "      - name: envoy.filters.network.http_connection_manager\n"
            + "  clusters: [{name: c, connect_timeout: 1s}]\n");
    assertThat(errors(untyped)).containsExactly(
        CHAIN + ".filters[0].typed_config: value is required (Sluice needs the typed_config of "
            + "envoy.filters.network.http_connection_manager)");
  }

  @Test
  void oneFilterChainWithoutMatchingAndPlaintextOnly() {
    assertThat(Bootstraps.of()
            .chain("""
                filter_chain_match: {server_names: [example.com]}
                transport_socket:
                  name: envoy.transport_sockets.tls
                  typed_config:
                    '@type': type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
                    common_tls_context: {}
                """)
            .errors())
        .containsExactly(
            CHAIN + ".filter_chain_match: not supported by Sluice: filter_chain_match (every connection uses the one "
                + "filter chain)",
            CHAIN + ".transport_socket: not supported by Sluice: transport socket "
                + "envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext (Sluice speaks plaintext only; TLS is "
                + "not supported yet)");
    assertThat(Bootstraps.of()
            .chain("filter_chain_match: {}\ntransport_socket: {name: envoy.transport_sockets.raw_buffer}\nname: main")
            .warnings())
        .isEmpty();
  }

  @Test
  void aListenerNeedsAFilterChain() {
    String yaml = Bootstraps.of().yaml().replaceAll("    filter_chains:\n(.|\n)*  clusters:\n",
        "    filter_chains: []\n  clusters:\n");
    assertThat(errors(yaml)).containsExactly(L + ".filter_chains: no filter chains specified");
  }

  @Test
  void severalFilterChainsAreRejected() {
    String yaml = Bootstraps.of().yaml().replace(
        "          stat_prefix: in\n", "          stat_prefix: in\n").replace(
        "  clusters:\n",
        "    - filters: []\n  clusters:\n");
    assertThat(errors(yaml)).containsExactly(
        L + ".filter_chains[1]: not supported by Sluice: several filter chains (one http_connection_manager per "
            + "listener)");
  }

  @Test
  void inspectorListenerFiltersWarnAndOthersAreRejected() {
    assertThat(Bootstraps.of()
            .listener("listener_filters:\n- name: envoy.filters.listener.tls_inspector\n  typed_config: "
                + "{'@type': type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector}")
            .warnings())
        .containsExactly(L + ".listener_filters[0]: listener filter "
            + "envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector is not needed by Sluice (it only feeds "
            + "filter_chain_match); ignored");
    assertThat(Bootstraps.of().listener("listener_filters: [{name: envoy.filters.listener.proxy_protocol}]").errors())
        .containsExactly(L + ".listener_filters[0]: not supported by Sluice: listener filter "
            + "envoy.filters.listener.proxy_protocol");
  }

  @Test
  void listenerAddressesMustBeTcpIpLiterals() {
    String base = Bootstraps.of().yaml();
    assertThat(errors(base.replace("{address: 0.0.0.0, port_value: 10000}", "{address: localhost, port_value: 10000}")))
        .containsExactly(L + ".address.socket_address.address: malformed IP address: localhost");
    assertThat(errors(base.replace("{address: 0.0.0.0, port_value: 10000}", "{address: 0.0.0.0, port_value: 70000}")))
        .containsExactly(L + ".address.socket_address.port_value: value must be less than or equal to 65535, got 70000");
    assertThat(errors(base.replace("{address: 0.0.0.0, port_value: 10000}",
            "{address: 0.0.0.0, port_value: 53, protocol: UDP}")))
        .containsExactly(L + ".address.socket_address.protocol: not supported by Sluice: UDP");
    assertThat(errors(base.replace("{address: 0.0.0.0, port_value: 10000}", "{address: 0.0.0.0, named_port: http}")))
        .containsExactly(L + ".address.socket_address.named_port: not supported by Sluice: named ports (use "
            + "port_value)");
    assertThat(errors(base.replace("address: {socket_address: {address: 0.0.0.0, port_value: 10000}}",
            "address: {pipe: {path: /tmp/s}}")))
        .containsExactly(L + ".address.pipe: not supported by Sluice: Unix domain socket (pipe) addresses");
    assertThat(errors(base.replace("    address: {socket_address: {address: 0.0.0.0, port_value: 10000}}\n", "")))
        .containsExactly(L + ".address: value is required");
  }

  @Test
  void portZeroAndIpv6AreAccepted() {
    String yaml = Bootstraps.of().yaml().replace("{address: 0.0.0.0, port_value: 10000}", "{address: '::', port_value: 0}");
    ListenerSpec l = BootstrapReader.read(Documents.readOne(yaml, "t", Documents.Format.YAML), "t").listeners().get(0);
    assertThat(l.address()).isEqualTo(new HostPort("::", 0));
  }

  @Test
  void listenerOptionsThatChangeWhatIsServedAreRejected() {
    assertThat(Bootstraps.of()
            .listener("""
                bind_to_port: false
                additional_addresses: [{address: {socket_address: {address: 127.0.0.2, port_value: 1}}}]
                api_listener: {}
                internal_listener: {}
                udp_listener_config: {quic_options: {}}
                """)
            .errors())
        .contains(
            L + ".bind_to_port: not supported by Sluice: listeners that do not bind (bind_to_port: false)",
            L + ".additional_addresses: not supported by Sluice: additional_addresses (one address per listener)",
            L + ".udp_listener_config: not supported by Sluice: UDP and QUIC listeners");
  }

  @Test
  void listenerTuningWarnsAndLabelsAreSilent() {
    assertThat(Bootstraps.of()
            .listener("""
                per_connection_buffer_limit_bytes: 32768
                socket_options: [{level: 1, name: 2, int_value: 1}]
                metadata: {filter_metadata: {team: {owner: edge}}}
                traffic_direction: INBOUND
                use_original_dst: false
                access_log: []
                """)
            .warnings())
        .containsExactlyInAnyOrder(
            L + ".per_connection_buffer_limit_bytes: not supported by Sluice yet; ignored",
            L + ".socket_options: not supported by Sluice yet; ignored");
  }

  @Test
  void anUnknownListenerFieldIsAnError() {
    assertThat(Bootstraps.of().listener("filterChain: []").errors()).containsExactly(
        L + ".filter_chain: unknown field (INVALID_ARGUMENT: envoy.config.listener.v3.Listener has no field named "
            + "\"filter_chain\")");
  }

  private static java.util.List<String> errors(String yaml) {
    try {
      BootstrapReader.read(Documents.readOne(yaml, "t", Documents.Format.YAML), "t");
    } catch (ConfigException e) {
      return e.errors().stream().map(ConfigProblem::toString).toList();
    }
    throw new AssertionError("expected a rejection:\n" + yaml);
  }

  private static java.util.List<String> warnings(String yaml) {
    return BootstrapReader.read(Documents.readOne(yaml, "t", Documents.Format.YAML), "t").warnings().stream()
        .map(ConfigProblem::toString).toList();
  }
}
