package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.ClusterSpec;
import io.sluice.runtime.RuntimeLayer;
import io.sluice.runtime.RuntimeSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bootstrap as a whole: top-level fields, admin, runtime layers, names, and how errors are reported. */
class BootstrapReaderTest {
  private static final String HCM = Bootstraps.HCM;

  private static BootstrapSpec read(String yaml) {
    return BootstrapReader.read(Documents.readOne(yaml, "test.yaml", Documents.Format.YAML), "test.yaml");
  }

  private static List<String> errors(String yaml) {
    try {
      read(yaml);
    } catch (ConfigException e) {
      return e.errors().stream().map(ConfigProblem::toString).toList();
    }
    throw new AssertionError("expected a rejection");
  }

  @Test
  void anEmptyBootstrapHasNothingAndNoAdmin() {
    BootstrapSpec spec = read("{}");
    assertThat(spec.listeners()).isEmpty();
    assertThat(spec.clusters()).isEmpty();
    assertThat(spec.admin()).isNull();
    assertThat(spec.runtimeLayers()).isEmpty();
    assertThat(spec.warnings()).isEmpty();
  }

  @Test
  void theMinimalBootstrapGetsEveryDefault() {
    BootstrapSpec spec = Bootstraps.of().read();
    assertThat(spec.warnings()).isEmpty();
    ListenerSpec l = spec.listener("l");
    assertThat(l.address()).isEqualTo(new HostPort("0.0.0.0", 10000));
    assertThat(l.http()).isEqualTo(HttpConnectionOptions.DEFAULTS);
    ClusterSpec c = spec.cluster("c");
    assertThat(c).isEqualTo(
        new ClusterSpec(
            "c", io.sluice.cluster.DiscoveryType.STATIC, io.sluice.cluster.LbPolicy.ROUND_ROBIN,
            java.time.Duration.ofSeconds(1), List.of(io.sluice.cluster.Endpoint.of("127.0.0.1", 8080)),
            io.sluice.cluster.CircuitBreakers.DEFAULTS, null, java.time.Duration.ofSeconds(5),
            io.sluice.cluster.DnsLookupFamily.AUTO, java.time.Duration.ofHours(1), java.time.Duration.ZERO));
    // No layered_runtime: Envoy's null runtime, with no layer at all.
    assertThat(spec.runtimeLayers()).isEmpty();
    assertThat(spec.admin()).isNull();
  }

  @Test
  void aListenerWithoutANameIsNamedByItsIndex() {
    String yaml = Bootstraps.of().yaml().replace("  - name: l\n    address:", "  - address:");
    assertThat(read(yaml).listeners().get(0).name()).isEqualTo("listener_0");
  }

  @Test
  void anUnknownTopLevelFieldIsAnErrorWithItsPath() {
    assertThat(Bootstraps.of().top("statsFlushIntervall: 5s").errors())
        .containsExactly(
            "stats_flush_intervall: unknown field (INVALID_ARGUMENT: envoy.config.bootstrap.v3.Bootstrap has no field "
                + "named \"stats_flush_intervall\")");
  }

  @Test
  void aKnownButUnsupportedTopLevelFieldIsAWarningNamingIt() {
    assertThat(Bootstraps.of().top("stats_flush_interval: 5s\nnode: {id: a, cluster: b}").warnings())
        .containsExactlyInAnyOrder(
            "stats_flush_interval: not supported by Sluice yet; ignored", "node: not supported by Sluice yet; ignored");
  }

  @Test
  void dynamicResourcesAndHeaderPrefixAreRejected() {
    assertThat(Bootstraps.of().top("dynamic_resources: {lds_config: {ads: {}}}\nheader_prefix: X-Foo").errors())
        .containsExactly(
            "dynamic_resources: not supported by Sluice: dynamic resources (xDS); write listeners and clusters in "
                + "static_resources",
            "header_prefix: not supported by Sluice: header_prefix (Sluice always uses x-envoy-)");
  }

  @Test
  void secretsWarnBecauseOnlyTlsUsesThem() {
    assertThat(Bootstraps.of().yaml().replace("  clusters:\n", "  secrets: [{name: s}]\n  clusters:\n"))
        .satisfies(yaml -> assertThat(read(yaml).warnings().stream().map(ConfigProblem::toString))
            .containsExactly("static_resources.secrets: not supported by Sluice yet; ignored (TLS is not supported yet)"));
  }

  @Test
  void theAdminAddressIsRead() {
    BootstrapSpec spec = Bootstraps.of()
        .top("admin:\n  access_log_path: /dev/null\n  address: {socket_address: {address: '::1', port_value: 9901}}")
        .read();
    assertThat(spec.admin()).isEqualTo(new HostPort("::1", 9901));
    assertThat(spec.admin().toString()).isEqualTo("[::1]:9901");
    assertThat(spec.warnings()).isEmpty();
  }

  @Test
  void anAdminWithoutAnAddressLeavesTheDefaultToTheCaller() {
    BootstrapSpec spec = Bootstraps.of().top("admin: {profile_path: /tmp/envoy.prof}").read();
    assertThat(spec.admin()).isNull();
    assertThat(spec.warnings()).extracting(ConfigProblem::toString)
        .containsExactly("admin.profile_path: not supported by Sluice yet; ignored");
  }

  @Test
  void theAdminAddressMustBeAnIpAddress() {
    assertThat(Bootstraps.of().top("admin: {address: {socket_address: {address: localhost, port_value: 9901}}}").errors())
        .containsExactly("admin.address.socket_address.address: malformed IP address: localhost");
    assertThat(Bootstraps.of().top("admin: {address: {pipe: {path: /tmp/admin.sock}}}").errors())
        .containsExactly("admin.address.pipe: not supported by Sluice: Unix domain socket (pipe) addresses");
  }

  @Test
  void runtimeLayersAreKeptInOrderAndStaticLayersAreFlattened() {
    BootstrapSpec spec = Bootstraps.of()
        .top("""
            layered_runtime:
              layers:
              - name: base
                static_layer:
                  routing.traffic_shift.helloworld: 90
                  routing: {traffic_split: {helloworld: {helloworld_v1: 20}}}
                  health_check: {min_interval: 5}
              - name: admin
                admin_layer: {}
            """)
        .read();
    assertThat(spec.runtimeLayers()).extracting(RuntimeLayer::name).containsExactly("base", "admin");
    assertThat(spec.runtimeLayers().get(1).kind()).isEqualTo(RuntimeLayer.Kind.ADMIN);
    RuntimeSnapshot runtime = spec.runtime();
    assertThat(runtime.getInteger("routing.traffic_shift.helloworld", 0)).isEqualTo(90);
    assertThat(runtime.getInteger("routing.traffic_split.helloworld.helloworld_v1", 0)).isEqualTo(20);
    assertThat(runtime.getInteger("health_check.min_interval", 0)).isEqualTo(5);
  }

  @Test
  void anEmptyLayeredRuntimeIsOneUnnamedAdminLayerAsInEnvoy() {
    for (String empty : new String[] {"layered_runtime: {}", "layered_runtime: {layers: []}"}) {
      List<RuntimeLayer> layers = Bootstraps.of().top(empty).read().runtimeLayers();
      assertThat(layers).containsExactly(RuntimeLayer.admin(""));
    }
  }

  @Test
  void diskAndRtdsLayersAreSkippedWithAWarning() {
    BootstrapSpec spec = Bootstraps.of()
        .top("""
            layered_runtime:
              layers:
              - {name: disk, disk_layer: {symlink_root: /srv/runtime/current, subdirectory: envoy}}
              - {name: rtds, rtds_layer: {name: rtds, rtds_config: {ads: {}}}}
              - {name: admin, admin_layer: {}}
            """)
        .read();
    assertThat(spec.runtimeLayers()).extracting(RuntimeLayer::name).containsExactly("admin");
    assertThat(spec.warnings()).extracting(ConfigProblem::toString)
        .containsExactly(
            "layered_runtime.layers[0].disk_layer: not supported by Sluice yet; the disk layer is skipped",
            "layered_runtime.layers[1].rtds_layer: not supported by Sluice yet; the RTDS layer is skipped");
  }

  @Test
  void runtimeLayerValidationFollowsEnvoy() {
    assertThat(Bootstraps.of()
            .top("""
                layered_runtime:
                  layers:
                  - {name: a, admin_layer: {}}
                  - {name: a, static_layer: {x: 1}}
                  - {name: b, admin_layer: {}}
                  - {static_layer: {y: [1, 2]}}
                  - {name: c}
                  - {name: d, admin_layer: {verbose: true}}
                """)
            .errors())
        .containsExactly(
            "layered_runtime.layers[1].name: Duplicate layer name: a",
            "layered_runtime.layers[2].admin_layer: Too many admin layers specified in LayeredRuntime, at most one may "
                + "be specified",
            "layered_runtime.layers[3].name: value length must be at least 1 characters",
            "layered_runtime.layers[3].static_layer.y: Invalid runtime entry value for y",
            "layered_runtime.layers[4]: layer_specifier: value is required (one of static_layer, disk_layer, "
                + "admin_layer, rtds_layer)",
            "layered_runtime.layers[5].admin_layer.verbose: unknown field (INVALID_ARGUMENT: "
                + "envoy.config.bootstrap.v3.RuntimeLayer.AdminLayer has no field named \"verbose\")",
            "layered_runtime.layers[5].admin_layer: Too many admin layers specified in LayeredRuntime, at most one may "
                + "be specified");
  }

  @Test
  void clusterNamesAreUnique() {
    assertThat(Bootstraps.of().clusters("- {name: d, connect_timeout: 1s}\n- {name: c, connect_timeout: 2s}").errors())
        .containsExactly("static_resources.clusters[2].name: cluster manager: duplicate cluster 'c'");
  }

  @Test
  void routesMayOnlyNameDefinedClusters() {
    assertThat(Bootstraps.of().routeTo("helloworld").errors())
        .containsExactly(Bootstraps.ROUTES + ".virtual_hosts[0].routes[0].route.cluster: route: unknown cluster "
            + "'helloworld'");
  }

  @Test
  void aRouteConfigMayTurnClusterValidationOff() {
    String yaml = Bootstraps.of().routeTo("elsewhere").yaml()
        .replace("          route_config:\n", "          route_config:\n            validate_clusters: false\n");
    assertThat(read(yaml).listeners()).hasSize(1);
  }

  @Test
  void aClusterWithErrorsStillCountsAsDefinedForRoutes() {
    // Only the cluster's own error is reported, not a second one at every route that names it.
    assertThat(Bootstraps.of().cluster("lb_policy: MAGLEV").errors())
        .containsExactly(Bootstraps.CLUSTER + ".lb_policy: not supported by Sluice: lb_policy MAGLEV (use ROUND_ROBIN, "
            + "LEAST_REQUEST or RANDOM)");
  }

  @Test
  void listenerNamesAreUnique() {
    assertThat(Bootstraps.of().listeners(secondListener("l", 10001)).errors())
        .containsExactly("static_resources.listeners[1].name: duplicate listener 'l' (Envoy would silently ignore this "
            + "listener)");
  }

  @Test
  void listenerAddressesAreUniqueExceptPortZero() {
    assertThat(Bootstraps.of().listeners(secondListener("m", 10000)).errors())
        .containsExactly("static_resources.listeners[1].address: error adding listener: 'm' has duplicate address "
            + "'0.0.0.0:10000' as existing listener");
    String twoAnyPorts = Bootstraps.of().listeners(secondListener("m", 0) + secondListener("n", 0)).yaml();
    assertThat(read(twoAnyPorts).listeners()).extracting(ListenerSpec::name).containsExactly("l", "m", "n");
    assertThat(Bootstraps.of().listeners(secondListener("m", 10000).replace("0.0.0.0", "'::'")
            + secondListener("n", 10000).replace("0.0.0.0", "'0:0::0'")).errors())
        .containsExactly("static_resources.listeners[2].address: error adding listener: 'n' has duplicate address "
            + "'[0:0::0]:10000' as existing listener");
  }

  private static String secondListener(String name, int port) {
    return "- name: " + name + "\n"
        + "  address: {socket_address: {address: 0.0.0.0, port_value: " + port + "}}\n"
        + "  filter_chains:\n"
        + "  - filters:\n"
        + "    - name: envoy.filters.network.http_connection_manager\n"
        + "      typed_config:\n"
        + "        '@type': type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3"
        + ".HttpConnectionManager\n"
        + "        stat_prefix: " + name + "\n"
        + "        route_config: {virtual_hosts: [{name: v, domains: ['*'], routes: [{match: {prefix: /}, "
        + "direct_response: {status: 200}}]}]}\n";
  }

  @Test
  void everyErrorOfAFileIsReportedAtOnce() {
    List<String> errors = Bootstraps.of()
        .top("admin: {address: {socket_address: {address: localhost}}}\nbogus: 1")
        .hcm("codec_type: HTTP2\nnormalize_path: true")
        .cluster("type: EDS")
        .endpoint("load_balancing_weight: 0")
        .listener("use_original_dst: true")
        .routeTo("missing")
        .errors();
    assertThat(errors).containsExactlyInAnyOrder(
        Bootstraps.CLUSTER + ".type: not supported by Sluice: cluster type EDS (use STATIC, STRICT_DNS or LOGICAL_DNS)",
        Bootstraps.ROUTES + ".virtual_hosts[0].routes[0].route.cluster: route: unknown cluster 'missing'",
        HCM + ".codec_type: not supported by Sluice yet: HTTP2 downstream (use AUTO or HTTP1)",
        HCM + ".normalize_path: not supported by Sluice: path normalization (normalize_path); ignoring it would route "
            + "requests differently",
        Bootstraps.LISTENER + ".use_original_dst: not supported by Sluice: original destination (use_original_dst)",
        "admin.address.socket_address.address: malformed IP address: localhost",
        "bogus: unknown field (INVALID_ARGUMENT: envoy.config.bootstrap.v3.Bootstrap has no field named \"bogus\")");
  }

  @Test
  void theExceptionMessageListsEveryErrorWithoutAStackTraceInIt() {
    assertThatThrownBy(() -> Bootstraps.of().cluster("type: EDS").routeTo("x").read())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("test.yaml: invalid configuration:\n")
        .hasMessageContaining("cluster type EDS")
        .hasMessageContaining("unknown cluster 'x'")
        .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
  }

  @Test
  void lowerCamelCaseNamesAreAccepted() {
    String json = """
        {"staticResources": {
           "listeners": [{"name": "l",
             "address": {"socketAddress": {"address": "127.0.0.1", "portValue": 10000}},
             "filterChains": [{"filters": [{"name": "envoy.filters.network.http_connection_manager",
               "typedConfig": {
                 "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                 "statPrefix": "in", "useRemoteAddress": true, "xffNumTrustedHops": 2,
                 "commonHttpProtocolOptions": {"idleTimeout": "30s"},
                 "routeConfig": {"virtualHosts": [{"name": "v", "domains": ["*"],
                   "routes": [{"match": {"prefix": "/"}, "route": {"cluster": "c"}}]}]},
                 "httpFilters": [{"name": "envoy.filters.http.router", "typedConfig": {
                   "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}]}}]}]}],
           "clusters": [{"name": "c", "connectTimeout": "0.5s", "lbPolicy": "LEAST_REQUEST",
             "dnsLookupFamily": "V4_ONLY", "type": "STRICT_DNS",
             "circuitBreakers": {"thresholds": [{"maxConnections": 7}]},
             "outlierDetection": {"consecutive5xx": 3, "baseEjectionTime": "10s"},
             "loadAssignment": {"clusterName": "c", "endpoints": [{"lbEndpoints": [{"loadBalancingWeight": 2,
               "endpoint": {"address": {"socketAddress": {"address": "backend", "portValue": 8080}}}}]}]}}]},
         "admin": {"address": {"socketAddress": {"address": "127.0.0.1", "portValue": 9901}}},
         "layeredRuntime": {"layers": [{"name": "s", "staticLayer": {"someKey": 1}}, {"name": "a", "adminLayer": {}}]}}
        """;
    BootstrapSpec spec = BootstrapReader.read(Documents.readOne(json, "t.json", Documents.Format.JSON), "t.json");
    assertThat(spec.warnings()).isEmpty();
    ListenerSpec l = spec.listener("l");
    assertThat(l.http().useRemoteAddress()).isTrue();
    assertThat(l.http().xffNumTrustedHops()).isEqualTo(2);
    assertThat(l.http().idleTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
    ClusterSpec c = spec.cluster("c");
    assertThat(c.connectTimeout()).isEqualTo(java.time.Duration.ofMillis(500));
    assertThat(c.lbPolicy()).isEqualTo(io.sluice.cluster.LbPolicy.LEAST_REQUEST);
    assertThat(c.dnsLookupFamily()).isEqualTo(io.sluice.cluster.DnsLookupFamily.V4_ONLY);
    assertThat(c.circuitBreakers().maxConnections()).isEqualTo(7);
    assertThat(c.outlierDetection().consecutive5xx()).isEqualTo(3);
    assertThat(c.outlierDetection().baseEjectionTime()).isEqualTo(java.time.Duration.ofSeconds(10));
    assertThat(c.endpoints()).containsExactly(new io.sluice.cluster.Endpoint("backend", 8080, null, 2));
    assertThat(spec.admin()).isEqualTo(new HostPort("127.0.0.1", 9901));
    // Runtime keys are data, not field names: they keep their case.
    assertThat(spec.runtime().getInteger("someKey", 0)).isEqualTo(1);
  }

  @Test
  void aKubernetesResourceIsNotABootstrap() {
    assertThat(errors("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\n"))
        .containsExactly("this is a Kubernetes resource (kind HTTPRoute), not an Envoy bootstrap: give Kubernetes "
            + "resources to sluice apply (or start sluice proxy -c with them)");
  }

  @Test
  void aKubernetesStreamIsNotABootstrapEither(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("routes.yaml");
    Files.writeString(file, "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Service\n"
        + "metadata: {name: b}\n");
    assertThatThrownBy(() -> BootstrapReader.read(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("this is a Kubernetes resource (kind Service), not an Envoy bootstrap");
  }

  @Test
  void aBareRouteConfigurationIsNotABootstrap() {
    assertThat(errors("name: local_route\nvirtual_hosts: [{name: v, domains: ['*'], routes: []}]\n"))
        .containsExactly("this is an Envoy RouteConfiguration, not a bootstrap: put it in route_config of an "
            + "http_connection_manager under static_resources.listeners (sluice route-check reads a bare "
            + "RouteConfiguration)");
    assertThat(errors("{\"virtualHosts\": []}")).hasSize(1);
  }

  @Test
  void aBareListenerOrClusterIsNotABootstrap() {
    assertThat(errors("name: l\naddress: {socket_address: {address: 0.0.0.0, port_value: 1}}\nfilter_chains: []\n"))
        .containsExactly("this is an Envoy Listener, not a bootstrap: put it in static_resources.listeners");
    assertThat(errors("name: c\nconnect_timeout: 1s\n"))
        .containsExactly("this is an Envoy Cluster, not a bootstrap: put it in static_resources.clusters");
  }

  @Test
  void aDocumentThatIsNotAnObjectIsRejected() {
    assertThat(errors("- a\n- b\n")).containsExactly("expected an Envoy bootstrap (an object), got a list");
  }

  @Test
  void aFileIsReadAsYamlOrJsonByItsName(@TempDir Path dir) throws IOException {
    Path yaml = dir.resolve("envoy.yaml");
    Files.writeString(yaml, Bootstraps.of().yaml());
    assertThat(BootstrapReader.read(yaml).listeners()).hasSize(1);
    Path json = dir.resolve("envoy.json");
    Files.writeString(json, "{\"admin\": {\"address\": {\"socket_address\": {\"address\": \"127.0.0.1\", "
        + "\"port_value\": 9901}}},}");
    assertThat(BootstrapReader.read(json).admin()).isEqualTo(new HostPort("127.0.0.1", 9901));
  }

  @Test
  void fileProblemsAreConfigExceptions(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> BootstrapReader.read(dir.resolve("missing.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no such file");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "static_resources: {listeners: [\n");
    assertThatThrownBy(() -> BootstrapReader.read(bad))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("invalid YAML at line");
    Path empty = dir.resolve("empty.yaml");
    Files.writeString(empty, "# nothing\n");
    assertThatThrownBy(() -> BootstrapReader.read(empty)).hasMessageContaining("the document is empty");
    Path two = dir.resolve("two.yaml");
    Files.writeString(two, "admin: {}\n---\nadmin: {}\n");
    assertThatThrownBy(() -> BootstrapReader.read(two))
        .hasMessageContaining("expected one Envoy bootstrap, found 2 documents (separated by ---)");
  }
}
