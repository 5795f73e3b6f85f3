package io.sluice.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster model's defaults and the invariants its records keep. */
class ClusterSpecTest {

  @Test
  void aClusterOfDefaultsHasEnvoysValues() {
    ClusterSpec c = ClusterSpec.of("c", DiscoveryType.STATIC, List.of(Endpoint.of("10.0.0.1", 80)));
    assertThat(c.lbPolicy()).isEqualTo(LbPolicy.ROUND_ROBIN);
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.circuitBreakers()).isEqualTo(new CircuitBreakers(1024, 1024, 1024, 3));
    assertThat(c.outlierDetection()).isNull();
    assertThat(c.dnsRefreshRate()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.dnsLookupFamily()).isEqualTo(DnsLookupFamily.AUTO);
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(c.maxConnectionDuration()).isEqualTo(Duration.ZERO);
    assertThat(c.usesDns()).isFalse();
  }

  @Test
  void endpointsAreCopied() {
    List<Endpoint> endpoints = new ArrayList<>(List.of(Endpoint.of("10.0.0.1", 80)));
    ClusterSpec c = ClusterSpec.of("c", DiscoveryType.STATIC, endpoints);
    endpoints.add(Endpoint.of("10.0.0.2", 80));
    assertThat(c.endpoints()).hasSize(1);
    assertThatThrownBy(() -> c.endpoints().add(Endpoint.of("10.0.0.3", 80)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void staticEndpointsMustBeIpLiterals() {
    assertThatThrownBy(() -> ClusterSpec.of("c", DiscoveryType.STATIC, List.of(Endpoint.of("backend", 80))))
        .hasMessage("malformed IP address: backend");
    assertThat(ClusterSpec.of("c", DiscoveryType.STRICT_DNS, List.of(Endpoint.of("backend", 80))).usesDns()).isTrue();
  }

  @Test
  void logicalDnsHasExactlyOneHost() {
    assertThatThrownBy(() -> ClusterSpec.of("c", DiscoveryType.LOGICAL_DNS, List.of()))
        .hasMessage("LOGICAL_DNS clusters must have a single host");
    assertThatThrownBy(() -> ClusterSpec.of(
            "c", DiscoveryType.LOGICAL_DNS, List.of(Endpoint.of("a", 80), Endpoint.of("b", 80))))
        .hasMessage("LOGICAL_DNS clusters must have a single host");
  }

  @Test
  void namesAndTimeoutsAreChecked() {
    assertThatThrownBy(() -> ClusterSpec.of("", DiscoveryType.STATIC, List.of()))
        .hasMessage("cluster name must not be empty");
    assertThatThrownBy(() -> new ClusterSpec(
            "c", DiscoveryType.STATIC, LbPolicy.RANDOM, Duration.ZERO, List.of(), CircuitBreakers.DEFAULTS, null,
            Duration.ofSeconds(5), DnsLookupFamily.AUTO, Duration.ZERO, Duration.ZERO))
        .hasMessage("connectTimeout must be greater than 0, got PT0S");
    assertThatThrownBy(() -> new ClusterSpec(
            "c", DiscoveryType.STATIC, LbPolicy.RANDOM, Duration.ofSeconds(1), List.of(), CircuitBreakers.DEFAULTS,
            null, Duration.ofSeconds(5), DnsLookupFamily.AUTO, Duration.ofSeconds(-1), Duration.ZERO))
        .hasMessage("idleTimeout must not be negative, got PT-1S");
  }

  @Test
  void endpointsKeepTheirWeightAtLeastOne() {
    assertThat(Endpoint.of("10.0.0.1", 80).loadBalancingWeight()).isEqualTo(1);
    assertThat(new Endpoint("10.0.0.1", 80, "", 2).hostname()).isNull();
    assertThatThrownBy(() -> new Endpoint("10.0.0.1", 80, null, 0)).hasMessage("endpoint weight must be at least 1, got 0");
    assertThatThrownBy(() -> new Endpoint("10.0.0.1", 65536, null, 1))
        .hasMessage("endpoint port must be between 0 and 65535, got 65536");
    assertThat(Endpoint.of("::1", 8080).toString()).isEqualTo("[::1]:8080");
    assertThat(Endpoint.of("10.0.0.1", 8080).toString()).isEqualTo("10.0.0.1:8080");
  }

  @Test
  void circuitBreakerLimitsAreUint32() {
    assertThatThrownBy(() -> new CircuitBreakers(-1, 1, 1, 1)).hasMessage("maxConnections must be a uint32, got -1");
    assertThat(new CircuitBreakers(0xFFFF_FFFFL, 0, 0, 0).maxConnections()).isEqualTo(4294967295L);
  }

  @Test
  void outlierDetectionDefaultsAreEnvoys() {
    OutlierDetection d = OutlierDetection.DEFAULTS;
    assertThat(d.consecutive5xx()).isEqualTo(5);
    assertThat(d.enforcingConsecutive5xx()).isEqualTo(100);
    assertThat(d.consecutiveGatewayFailure()).isEqualTo(5);
    assertThat(d.enforcingConsecutiveGatewayFailure()).isZero();
    assertThat(d.splitExternalLocalOriginErrors()).isFalse();
    assertThat(d.consecutiveLocalOriginFailure()).isEqualTo(5);
    assertThat(d.enforcingConsecutiveLocalOriginFailure()).isEqualTo(100);
    assertThat(d.interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.baseEjectionTime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.maxEjectionTime()).isEqualTo(Duration.ofSeconds(300));
    assertThat(d.maxEjectionPercent()).isEqualTo(10);
    assertThat(d.alwaysEjectOneHost()).isFalse();
  }

  @Test
  void outlierDetectionPercentagesAndDurationsAreChecked() {
    assertThatThrownBy(() -> new OutlierDetection(
            5, 101, 5, 0, false, 5, 100, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(300), 10,
            false))
        .hasMessage("enforcingConsecutive5xx must be between 0 and 100, got 101");
    assertThatThrownBy(() -> new OutlierDetection(
            5, 100, 5, 0, false, 5, 100, Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(300), 10, false))
        .hasMessage("interval must be greater than 0, got PT0S");
  }
}
