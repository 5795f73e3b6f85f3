package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.ClusterSpec;
import io.sluice.cluster.DiscoveryType;
import io.sluice.cluster.Endpoint;
import io.sluice.cluster.LbPolicy;
import io.sluice.route.HeaderMapRequest;
import io.sluice.route.RouteRequest;
import io.sluice.route.RouteTable;
import io.sluice.runtime.RuntimeLayer;
import io.sluice.runtime.RuntimeSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two example bootstraps: they hold the route configurations of Envoy's traffic shifting and
 * splitting guide unchanged, and route as the guide says.
 */
class BootstrapExamplesTest {
  private static final Path SHIFT = Path.of("../examples/envoy-traffic-shift/envoy.yaml");
  private static final Path SPLIT = Path.of("../examples/envoy-traffic-split/envoy.yaml");

  // The two code blocks of envoy-traffic-splitting.rst, as printed there.
  private static final String SHIFT_GUIDE =
      """
        virtual_hosts:
           - name: www2
             domains:
             - '*'
             routes:
               - match:
                   prefix: /
                   runtime_fraction:
                     default_value:
                       numerator: 50
                       denominator: HUNDRED
                     runtime_key: routing.traffic_shift.helloworld
                 route:
                   cluster: helloworld_v1
               - match:
                   prefix: /
                 route:
                   cluster: helloworld_v2
      """;
  private static final String SPLIT_GUIDE =
      """
        virtual_hosts:
           - name: www2
             domains:
             - '*'
             routes:
               - match: { prefix: / }
                 route:
                   weighted_clusters:
                     runtime_key_prefix: routing.traffic_split.helloworld
                     clusters:
                       - name: helloworld_v1
                         weight: 33
                       - name: helloworld_v2
                         weight: 33
                       - name: helloworld_v3
                         weight: 34
      """;

  @Test
  void theShiftExampleHoldsTheGuidesRouteConfigurationUnchanged() {
    assertThat(routeConfig(SHIFT).get("virtual_hosts")).isEqualTo(guide(SHIFT_GUIDE));
  }

  @Test
  void theSplitExampleHoldsTheGuidesRouteConfigurationUnchanged() {
    assertThat(routeConfig(SPLIT).get("virtual_hosts")).isEqualTo(guide(SPLIT_GUIDE));
  }

  @Test
  void theShiftExampleParsesWithoutWarnings() {
    BootstrapSpec spec = BootstrapReader.read(SHIFT);
    assertThat(spec.warnings()).isEmpty();
    assertThat(spec.listeners()).hasSize(1);
    ListenerSpec l = spec.listeners().get(0);
    assertThat(l.name()).isEqualTo("listener_0");
    assertThat(l.address()).isEqualTo(new HostPort("0.0.0.0", 10000));
    assertThat(l.statPrefix()).isEqualTo("ingress_http");
    assertThat(l.http()).isEqualTo(HttpConnectionOptions.DEFAULTS);
    assertThat(spec.admin()).isEqualTo(new HostPort("127.0.0.1", 9901));
    assertThat(spec.clusters()).extracting(ClusterSpec::name).containsExactly("helloworld_v1", "helloworld_v2");
    ClusterSpec v1 = spec.cluster("helloworld_v1");
    assertThat(v1.type()).isEqualTo(DiscoveryType.STATIC);
    assertThat(v1.lbPolicy()).isEqualTo(LbPolicy.ROUND_ROBIN);
    assertThat(v1.connectTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(v1.endpoints()).containsExactly(Endpoint.of("127.0.0.1", 8081));
    assertThat(spec.cluster("helloworld_v2").endpoints()).containsExactly(Endpoint.of("127.0.0.1", 8082));
    assertThat(spec.runtimeLayers()).extracting(RuntimeLayer::name, RuntimeLayer::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("static", RuntimeLayer.Kind.STATIC),
            org.assertj.core.groups.Tuple.tuple("admin", RuntimeLayer.Kind.ADMIN));
    assertThat(spec.runtime().values()).isEmpty();
  }

  @Test
  void theShiftExampleSendsHalfToEachVersionUntilTheRuntimeKeyIsSet() {
    RouteTable routes = BootstrapReader.read(SHIFT).listeners().get(0).routes();
    RouteRequest req = HeaderMapRequest.of("GET", "example.com", "/");
    RuntimeSnapshot none = RuntimeSnapshot.EMPTY;
    // runtime_fraction 50/100 matches when random % 100 < 50.
    assertThat(routes.route(req, 49, none).clusterName(req)).isEqualTo("helloworld_v1");
    assertThat(routes.route(req, 50, none).clusterName(req)).isEqualTo("helloworld_v2");
    RuntimeSnapshot ninety =
        new RuntimeSnapshot(List.of(RuntimeLayer.admin("admin").with("routing.traffic_shift.helloworld", "90")));
    assertThat(routes.route(req, 89, ninety).clusterName(req)).isEqualTo("helloworld_v1");
    assertThat(routes.route(req, 90, ninety).clusterName(req)).isEqualTo("helloworld_v2");
  }

  @Test
  void theSplitExampleParsesWithoutWarningsAndSplits33_33_34() {
    BootstrapSpec spec = BootstrapReader.read(SPLIT);
    assertThat(spec.warnings()).isEmpty();
    assertThat(spec.clusters()).extracting(ClusterSpec::name)
        .containsExactly("helloworld_v1", "helloworld_v2", "helloworld_v3");
    assertThat(spec.cluster("helloworld_v3").endpoints()).containsExactly(Endpoint.of("127.0.0.1", 8083));
    RouteTable routes = spec.listeners().get(0).routes();
    RouteRequest req = HeaderMapRequest.of("GET", "example.com", "/");
    RuntimeSnapshot none = RuntimeSnapshot.EMPTY;
    assertThat(routes.route(req, 32, none).clusterName(req)).isEqualTo("helloworld_v1");
    assertThat(routes.route(req, 33, none).clusterName(req)).isEqualTo("helloworld_v2");
    assertThat(routes.route(req, 65, none).clusterName(req)).isEqualTo("helloworld_v2");
    assertThat(routes.route(req, 66, none).clusterName(req)).isEqualTo("helloworld_v3");
    assertThat(routes.route(req, 99, none).clusterName(req)).isEqualTo("helloworld_v3");
  }

  @Test
  void theSourceIsKeptForConfigDump() {
    BootstrapSpec spec = BootstrapReader.read(SPLIT);
    JsonNode source = spec.source();
    assertThat(source.at("/admin/address/socket_address/port_value").asInt()).isEqualTo(9901);
    ((com.fasterxml.jackson.databind.node.ObjectNode) source).remove("admin");
    assertThat(spec.source().has("admin")).as("the spec's copy is not changed by the caller's").isTrue();
  }

  private static JsonNode routeConfig(Path file) {
    return Documents.readOne(file).at(
        "/static_resources/listeners/0/filter_chains/0/filters/0/typed_config/route_config");
  }

  private static JsonNode guide(String block) {
    return Documents.readOne(block, "guide", Documents.Format.YAML).get("virtual_hosts");
  }
}
