package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.CircuitBreakers;
import io.sluice.cluster.ClusterSpec;
import io.sluice.cluster.DiscoveryType;
import io.sluice.cluster.DnsLookupFamily;
import io.sluice.cluster.Endpoint;
import io.sluice.cluster.LbPolicy;
import io.sluice.cluster.OutlierDetection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading clusters: defaults, validation messages, and the unsupported-field policy. */
class ClusterConfigTest {
  private static final String C = Bootstraps.CLUSTER;
  private static final String E = Bootstraps.ENDPOINT;
  private static final String HTTP_OPTIONS =
      C + ".typed_extension_protocol_options[\"envoy.extensions.upstreams.http.v3.HttpProtocolOptions\"]";

  private static ClusterSpec cluster(String yaml) {
    return Bootstraps.of().cluster(yaml).read().cluster("c");
  }

  /** A second cluster "d" written whole, so that its type and endpoints can be anything. */
  private static Bootstraps with(String clusterD) {
    return Bootstraps.of().clusters("- name: d\n" + clusterD.replaceAll("(?m)^", "  "));
  }

  private static String endpoints(String... hostPorts) {
    StringBuilder sb = new StringBuilder("load_assignment:\n  cluster_name: d\n  endpoints:\n  - lb_endpoints:\n");
    for (String hp : hostPorts) {
      String[] parts = hp.split(":");
      sb.append("    - endpoint: {address: {socket_address: {address: ").append(parts[0])
          .append(", port_value: ").append(parts[1]).append("}}}\n");
    }
    return sb.toString();
  }

  @Test
  void defaultsAreEnvoys() {
    ClusterSpec c = with("connect_timeout: 1s\n").read().cluster("d");
    assertThat(c.type()).isEqualTo(DiscoveryType.STATIC);
    assertThat(c.lbPolicy()).isEqualTo(LbPolicy.ROUND_ROBIN);
    assertThat(c.endpoints()).isEmpty();
    assertThat(c.circuitBreakers()).isEqualTo(new CircuitBreakers(1024, 1024, 1024, 3));
    assertThat(c.outlierDetection()).isNull();
    assertThat(c.dnsRefreshRate()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.dnsLookupFamily()).isEqualTo(DnsLookupFamily.AUTO);
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(c.maxConnectionDuration()).isEqualTo(Duration.ZERO);
    assertThat(with("").read().cluster("d").connectTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void typesAndPoliciesAreReadByNameOrNumber() {
    ClusterSpec d = with("type: 1\nlb_policy: 3\n" + endpoints("backend:80")).read().cluster("d");
    assertThat(d.type()).isEqualTo(DiscoveryType.STRICT_DNS);
    assertThat(d.lbPolicy()).isEqualTo(LbPolicy.RANDOM);
    assertThat(with("type: LOGICAL_DNS\nlb_policy: LEAST_REQUEST\n" + endpoints("backend:80")).read().cluster("d"))
        .extracting(ClusterSpec::type, ClusterSpec::lbPolicy)
        .containsExactly(DiscoveryType.LOGICAL_DNS, LbPolicy.LEAST_REQUEST);
  }

  @Test
  void unsupportedTypesAndPoliciesAreRejected() {
    assertThat(Bootstraps.of().cluster("type: ORIGINAL_DST\nlb_policy: RING_HASH").errors()).containsExactly(
        C + ".type: not supported by Sluice: cluster type ORIGINAL_DST (use STATIC, STRICT_DNS or LOGICAL_DNS)",
        C + ".lb_policy: not supported by Sluice: lb_policy RING_HASH (use ROUND_ROBIN, LEAST_REQUEST or RANDOM)");
    assertThat(Bootstraps.of().cluster("cluster_type: {name: envoy.clusters.aggregate}").errors()).containsExactly(
        C + ".cluster_type: not supported by Sluice: custom cluster types (envoy.clusters.aggregate)");
    assertThat(Bootstraps.of().cluster("lb_policy: 4").errors()).containsExactly(
        C + ".lb_policy: unknown value 4; expected one of ROUND_ROBIN, LEAST_REQUEST, RING_HASH, RANDOM, MAGLEV, "
            + "CLUSTER_PROVIDED, LOAD_BALANCING_POLICY_CONFIG");
    assertThat(Bootstraps.of().cluster("type: DNS").errors()).containsExactly(
        C + ".type: unknown value \"DNS\"; expected one of STATIC, STRICT_DNS, LOGICAL_DNS, EDS, ORIGINAL_DST");
  }

  @Test
  void nameAndConnectTimeoutAreValidated() {
    assertThat(with("connect_timeout: 0s\n").errors()).containsExactly(
        "static_resources.clusters[1].connect_timeout: value must be greater than 0s");
    assertThat(Bootstraps.of().clusters("- {connect_timeout: -1s}").errors()).containsExactly(
        "static_resources.clusters[1].name: value length must be at least 1 characters",
        "static_resources.clusters[1].connect_timeout: value must be greater than 0s");
  }

  @Test
  void staticEndpointsMustBeIpAddresses() {
    assertThat(with(endpoints("backend:80", "10.0.0.1:80", "10.0.0.256:80")).errors()).containsExactly(
        "static_resources.clusters[1].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address"
            + ".address: malformed IP address: backend",
        "static_resources.clusters[1].load_assignment.endpoints[0].lb_endpoints[2].endpoint.address.socket_address"
            + ".address: malformed IP address: 10.0.0.256");
    ClusterSpec d = with(endpoints("10.0.0.1:80") + "    - endpoint: {address: {socket_address: "
        + "{address: 'fd00::1', port_value: 81}}}\n").read().cluster("d");
    assertThat(d.endpoints()).containsExactly(Endpoint.of("10.0.0.1", 80), Endpoint.of("fd00::1", 81));
    assertThat(d.endpoints().get(1).toString()).isEqualTo("[fd00::1]:81");
  }

  @Test
  void dnsEndpointsMayBeNames() {
    ClusterSpec d = with("type: STRICT_DNS\ndns_refresh_rate: 30s\ndns_lookup_family: V4_PREFERRED\n"
        + endpoints("backend-a:80", "backend-b:80")).read().cluster("d");
    assertThat(d.endpoints()).containsExactly(Endpoint.of("backend-a", 80), Endpoint.of("backend-b", 80));
    assertThat(d.dnsRefreshRate()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.dnsLookupFamily()).isEqualTo(DnsLookupFamily.V4_PREFERRED);
    assertThat(d.usesDns()).isTrue();
    assertThat(with("type: STRICT_DNS\ndns_refresh_rate: 0.001s\n").errors()).containsExactly(
        "static_resources.clusters[1].dns_refresh_rate: value must be greater than 0.001s");
  }

  @Test
  void logicalDnsNeedsExactlyOneHost() {
    assertThat(with("type: LOGICAL_DNS\n" + endpoints("a:80", "b:80")).errors()).containsExactly(
        "static_resources.clusters[1].load_assignment: LOGICAL_DNS clusters must have a single locality_lb_endpoint "
            + "and a single lb_endpoint");
    assertThat(with("type: LOGICAL_DNS\n").errors()).containsExactly(
        "static_resources.clusters[1]: LOGICAL_DNS clusters must have a single host");
  }

  @Test
  void theAssignmentNeedsAClusterNameButAMismatchIsToleratedAsInEnvoy() {
    assertThat(with(endpoints("10.0.0.1:80").replace("  cluster_name: d\n", "")).errors()).containsExactly(
        "static_resources.clusters[1].load_assignment.cluster_name: value length must be at least 1 characters");
    BootstrapSpec spec = with(endpoints("10.0.0.1:80").replace("cluster_name: d", "cluster_name: other")).read();
    assertThat(spec.cluster("d").endpoints()).hasSize(1);
    assertThat(spec.warnings()).isEmpty();
  }

  @Test
  void endpointWeightsAndHostnamesAreRead() {
    ClusterSpec c = Bootstraps.of().endpoint("load_balancing_weight: 3\nhealth_status: HEALTHY").read().cluster("c");
    assertThat(c.endpoints()).containsExactly(new Endpoint("127.0.0.1", 8080, null, 3));
    String withHostname = Bootstraps.of().yaml().replace(
        "endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 8080}}}",
        "endpoint: {hostname: api.internal, address: {socket_address: {address: 127.0.0.1, port_value: 8080}}}");
    assertThat(BootstrapReader.read(Documents.readOne(withHostname, "t", Documents.Format.YAML), "t").cluster("c")
            .endpoints())
        .containsExactly(new Endpoint("127.0.0.1", 8080, "api.internal", 1));
    assertThat(Bootstraps.of().endpoint("load_balancing_weight: 0").errors()).containsExactly(
        E + ".load_balancing_weight: value must be greater than or equal to 1");
    assertThat(Bootstraps.of().endpoint("endpoint_name: e").errors()).containsExactly(
        E + ": only one of endpoint, endpoint_name may be set (host_identifier), found both endpoint and endpoint_name");
  }

  @Test
  void onlyTheLowestPriorityIsUsed() {
    String yaml = """
        load_assignment:
          cluster_name: d
          endpoints:
          - priority: 1
            lb_endpoints: [{endpoint: {address: {socket_address: {address: 10.0.0.2, port_value: 80}}}}]
          - locality: {zone: a}
            load_balancing_weight: 5
            lb_endpoints: [{endpoint: {address: {socket_address: {address: 10.0.0.1, port_value: 80}}}}]
        """;
    Bootstraps b = with(yaml);
    assertThat(b.read().cluster("d").endpoints()).containsExactly(Endpoint.of("10.0.0.1", 80));
    assertThat(b.warnings()).containsExactly(
        "static_resources.clusters[1].load_assignment.endpoints[0].priority: Sluice does not fail over between "
            + "priorities yet; only the endpoints of priority 0 are used");
    ClusterSpec onlyFailover = with(yaml.replaceAll("(?s)  - locality.*", "")).read().cluster("d");
    assertThat(onlyFailover.endpoints()).containsExactly(Endpoint.of("10.0.0.2", 80));
    assertThat(with(yaml.replace("priority: 1", "priority: 129")).errors()).containsExactly(
        "static_resources.clusters[1].load_assignment.endpoints[0].priority: value must be less than or equal to 128");
  }

  @Test
  void unhealthyEndpointsAreLeftOut() {
    Bootstraps b = Bootstraps.of().endpoint("health_status: DRAINING");
    assertThat(b.read().cluster("c").endpoints()).isEmpty();
    assertThat(b.warnings()).containsExactly(E + ".health_status: endpoint is DRAINING and is not used");
  }

  @Test
  void endpointFeaturesSluiceLacksWarn() {
    String yaml = Bootstraps.of().yaml().replace(
        "endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 8080}}}",
        "endpoint: {health_check_config: {port_value: 9000}, address: {socket_address: {address: 127.0.0.1, "
            + "port_value: 8080}}}");
    assertThat(BootstrapReader.read(Documents.readOne(yaml, "t", Documents.Format.YAML), "t").warnings())
        .extracting(ConfigProblem::toString)
        .containsExactly(E + ".endpoint.health_check_config: not supported by Sluice yet; ignored (Sluice has no "
            + "active health checking)");
  }

  @Test
  void circuitBreakersTakeTheFirstDefaultThresholds() {
    Bootstraps b = Bootstraps.of().cluster("""
        circuit_breakers:
          thresholds:
          - {priority: HIGH, max_connections: 1}
          - {max_connections: 100, max_pending_requests: 10, max_requests: 200, max_retries: 5}
          - {priority: DEFAULT, max_connections: 7}
          - {max_requests: 20, retry_budget: {budget_percent: {value: 20}}}
        """);
    assertThat(b.read().cluster("c").circuitBreakers()).isEqualTo(new CircuitBreakers(100, 10, 200, 5));
    assertThat(b.warnings()).containsExactly(
        C + ".circuit_breakers.thresholds[0].priority: Sluice sends every request at DEFAULT priority; HIGH thresholds "
            + "are not used",
        C + ".circuit_breakers.thresholds[2]: a second DEFAULT threshold is ignored; Envoy uses the first one",
        C + ".circuit_breakers.thresholds[3].retry_budget: not supported by Sluice yet; ignored",
        C + ".circuit_breakers.thresholds[3]: a second DEFAULT threshold is ignored; Envoy uses the first one");
    assertThat(cluster("circuit_breakers: {thresholds: [{max_retries: 0}]}").circuitBreakers())
        .isEqualTo(new CircuitBreakers(1024, 1024, 1024, 0));
    assertThat(Bootstraps.of().cluster("circuit_breakers: {thresholds: [{max_requests: -1}]}").errors())
        .containsExactly(C + ".circuit_breakers.thresholds[0].max_requests: value -1 is out of range for uint32");
  }

  @Test
  void outlierDetectionIsOffUnlessConfiguredAndThenHasEnvoysDefaults() {
    assertThat(cluster("").outlierDetection()).isNull();
    OutlierDetection d = cluster("outlier_detection: {}").outlierDetection();
    assertThat(d).isEqualTo(OutlierDetection.DEFAULTS);
    assertThat(d.consecutive5xx()).isEqualTo(5);
    assertThat(d.enforcingConsecutive5xx()).isEqualTo(100);
    assertThat(d.consecutiveGatewayFailure()).isEqualTo(5);
    assertThat(d.enforcingConsecutiveGatewayFailure()).isZero();
    assertThat(d.splitExternalLocalOriginErrors()).isFalse();
    assertThat(d.interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.baseEjectionTime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.maxEjectionTime()).isEqualTo(Duration.ofSeconds(300));
    assertThat(d.maxEjectionPercent()).isEqualTo(10);
    assertThat(d.alwaysEjectOneHost()).isFalse();
  }

  @Test
  void outlierDetectionFieldsAreRead() {
    OutlierDetection d = cluster("""
        outlier_detection:
          consecutive_5xx: 3
          enforcing_consecutive_5xx: 50
          consecutive_gateway_failure: 2
          enforcing_consecutive_gateway_failure: 100
          split_external_local_origin_errors: true
          consecutive_local_origin_failure: 4
          enforcing_consecutive_local_origin_failure: 90
          interval: 1s
          base_ejection_time: 5s
          max_ejection_time: 60s
          max_ejection_percent: 50
          always_eject_one_host: {value: true}
          enforcing_success_rate: 0
        """).outlierDetection();
    assertThat(d).isEqualTo(new OutlierDetection(
        3, 50, 2, 100, true, 4, 90, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(60), 50, true));
  }

  @Test
  void theMaximumEjectionTimeIsAtLeastTheBaseTime() {
    assertThat(cluster("outlier_detection: {base_ejection_time: 400s}").outlierDetection().maxEjectionTime())
        .isEqualTo(Duration.ofSeconds(400));
  }

  @Test
  void outlierDetectionValidationAndWarnings() {
    assertThat(Bootstraps.of()
            .cluster("outlier_detection: {interval: 0s, max_ejection_percent: 101, enforcing_consecutive_5xx: 200}")
            .errors())
        .containsExactly(
            C + ".outlier_detection.enforcing_consecutive_5xx: value must be less than or equal to 100",
            C + ".outlier_detection.interval: value must be greater than 0s",
            C + ".outlier_detection.max_ejection_percent: value must be less than or equal to 100");
    assertThat(Bootstraps.of()
            .cluster("outlier_detection: {enforcing_success_rate: 100, success_rate_minimum_hosts: 3, "
                + "enforcing_failure_percentage: 0}")
            .warnings())
        .containsExactly(
            C + ".outlier_detection.enforcing_success_rate: not supported by Sluice yet; ignored (Sluice has only the "
                + "consecutive-failure detectors)",
            C + ".outlier_detection.success_rate_minimum_hosts: not supported by Sluice yet; ignored");
  }

  @Test
  void upstreamHttpOptionsComeFromTheTypedExtensionOptions() {
    ClusterSpec c = cluster("""
        typed_extension_protocol_options:
          envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
            '@type': type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
            common_http_protocol_options: {idle_timeout: 30s, max_connection_duration: 600s}
            explicit_http_config: {http_protocol_options: {}}
        """);
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.maxConnectionDuration()).isEqualTo(Duration.ofSeconds(600));
    assertThat(cluster("common_http_protocol_options: {idle_timeout: 0s}").idleTimeout()).isEqualTo(Duration.ZERO);
  }

  @Test
  void http2UpstreamIsRejected() {
    assertThat(Bootstraps.of().cluster("http2_protocol_options: {}").errors()).containsExactly(
        C + ".http2_protocol_options: not supported by Sluice yet: HTTP/2 upstream");
    assertThat(Bootstraps.of().cluster("""
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                '@type': type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: {http2_protocol_options: {}}
            """).errors())
        .containsExactly(HTTP_OPTIONS + ".explicit_http_config.http2_protocol_options: not supported by Sluice yet: "
            + "HTTP/2 upstream");
    assertThat(Bootstraps.of().cluster("""
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                '@type': type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                auto_config: {}
            """).errors())
        .containsExactly(HTTP_OPTIONS + ".auto_config: not supported by Sluice yet: auto_config (protocol negotiation "
            + "needs TLS)");
  }

  @Test
  void theDownstreamProtocolIsHttp1SoUsingItIsAccepted() {
    assertThat(Bootstraps.of().cluster("""
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                '@type': type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                use_downstream_protocol_config: {http2_protocol_options: {}}
            """).warnings())
        .isEmpty();
  }

  @Test
  void typedHttpOptionsAreValidated() {
    assertThat(Bootstraps.of().cluster("""
            common_http_protocol_options: {idle_timeout: 1s}
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                '@type': type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                common_http_protocol_options: {idle_timeout: 2s}
              envoy.extensions.upstreams.tcp.v3.TcpProtocolOptions:
                '@type': type.googleapis.com/envoy.extensions.upstreams.tcp.v3.TcpProtocolOptions
            """).errors())
        .containsExactly(
            HTTP_OPTIONS + ": cannot be combined with the deprecated cluster fields http_protocol_options, "
                + "http2_protocol_options, common_http_protocol_options or upstream_http_protocol_options",
            HTTP_OPTIONS + ": upstream_protocol_options: value is required (one of explicit_http_config, "
                + "use_downstream_protocol_config, auto_config)");
    assertThat(Bootstraps.of().cluster("""
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                '@type': type.googleapis.com/envoy.config.core.v3.HttpProtocolOptions
                idle_timeout: 2s
            """).errors())
        .containsExactly(HTTP_OPTIONS + ".@type: expected type.googleapis.com/"
            + "envoy.extensions.upstreams.http.v3.HttpProtocolOptions, got \"type.googleapis.com/"
            + "envoy.config.core.v3.HttpProtocolOptions\"");
    assertThat(Bootstraps.of().cluster("""
            typed_extension_protocol_options:
              envoy.extensions.upstreams.tcp.v3.TcpProtocolOptions:
                '@type': type.googleapis.com/envoy.extensions.upstreams.tcp.v3.TcpProtocolOptions
            """).warnings())
        .containsExactly(C + ".typed_extension_protocol_options[\"envoy.extensions.upstreams.tcp.v3.TcpProtocolOptions\"]: "
            + "not supported by Sluice yet; ignored");
  }

  @Test
  void tlsAndRoutingFeaturesAreRejected() {
    assertThat(Bootstraps.of().cluster("""
            transport_socket:
              name: envoy.transport_sockets.tls
              typed_config:
                '@type': type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
                sni: example.com
            lb_subset_config: {subset_selectors: [{keys: [version]}]}
            load_balancing_policy: {policies: []}
            filters: [{name: f}]
            """).errors())
        .containsExactly(
            C + ".transport_socket: not supported by Sluice: transport socket "
                + "envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext (Sluice speaks plaintext only; TLS is "
                + "not supported yet)",
            C + ".lb_subset_config: not supported by Sluice: subset load balancing (lb_subset_config)",
            C + ".load_balancing_policy: not supported by Sluice: load_balancing_policy extensions (use lb_policy)",
            C + ".filters: not supported by Sluice: upstream network filters");
    assertThat(cluster("transport_socket: {name: envoy.transport_sockets.raw_buffer, typed_config: "
            + "{'@type': type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer}}")
        .name()).isEqualTo("c");
  }

  @Test
  void tuningFieldsWarnAndMetadataIsSilent() {
    assertThat(Bootstraps.of().cluster("""
            health_checks: [{timeout: 1s, interval: 5s}]
            common_lb_config: {healthy_panic_threshold: {value: 0}}
            per_connection_buffer_limit_bytes: 32768
            metadata: {filter_metadata: {a: {b: c}}}
            respect_dns_ttl: false
            """).warnings())
        .containsExactlyInAnyOrder(
            C + ".health_checks: not supported by Sluice yet; ignored (Sluice has no active health checking)",
            C + ".common_lb_config: not supported by Sluice yet; ignored",
            C + ".per_connection_buffer_limit_bytes: not supported by Sluice yet; ignored");
  }

  @Test
  void anUnknownClusterFieldIsAnError() {
    assertThat(Bootstraps.of().cluster("hosts: []").errors()).containsExactly(
        C + ".hosts: unknown field (INVALID_ARGUMENT: envoy.config.cluster.v3.Cluster has no field named \"hosts\")");
  }

  @Test
  void everyCircuitBreakerAndOutlierNameIsAcceptedInCamelCase() {
    ClusterSpec c = cluster("outlierDetection: {consecutive5xx: 2, enforcingConsecutiveGatewayFailure: 10}\n"
        + "circuitBreakers: {thresholds: [{maxPendingRequests: 9}]}");
    assertThat(c.outlierDetection().consecutive5xx()).isEqualTo(2);
    assertThat(c.outlierDetection().enforcingConsecutiveGatewayFailure()).isEqualTo(10);
    assertThat(c.circuitBreakers().maxPendingRequests()).isEqualTo(9);
    assertThat(List.of(c.name())).containsExactly("c");
  }
}
