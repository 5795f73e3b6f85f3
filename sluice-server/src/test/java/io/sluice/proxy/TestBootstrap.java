package io.sluice.proxy;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a bootstrap for a data-plane test when {@link ProxyFixture#bootstrap(String, TestBackend...)}
 * is not enough: extra connection-manager fields, several virtual hosts, clusters with several
 * endpoints or extra fields (outlier detection, circuit breakers). One listener on 127.0.0.1:0, a
 * static and an admin runtime layer.
 */
final class TestBootstrap {
  private String hcmFields = "";
  private String virtualHosts;
  private final List<String> clusters = new ArrayList<>();

  /** More {@code http_connection_manager} fields, YAML at any indentation. */
  TestBootstrap hcm(String fields) {
    this.hcmFields = fields;
    return this;
  }

  /** One catch-all virtual host with these routes (the items of its {@code routes:} list). */
  TestBootstrap routes(String routesYaml) {
    this.virtualHosts = "- name: test\n  domains: ['*']\n  routes:\n" + routesYaml.stripIndent().stripTrailing().indent(2);
    return this;
  }

  /** The items of the route configuration's {@code virtual_hosts:} list. */
  TestBootstrap virtualHosts(String yaml) {
    this.virtualHosts = yaml.stripIndent().stripTrailing();
    return this;
  }

  /** A STATIC cluster for {@code backend}, named after it. */
  TestBootstrap cluster(TestBackend backend) {
    return cluster(backend.name(), "", backend.port());
  }

  /**
   * A STATIC cluster named {@code name} with one endpoint per port on 127.0.0.1, and {@code
   * extraFields} (cluster fields, YAML at any indentation; {@code connect_timeout} is 1s unless
   * they set it).
   */
  TestBootstrap cluster(String name, String extraFields, int... ports) {
    StringBuilder sb = new StringBuilder();
    sb.append("- name: ").append(name).append('\n');
    if (!extraFields.contains("connect_timeout")) {
      sb.append("  connect_timeout: 1s\n");
    }
    sb.append("  load_assignment:\n")
        .append("    cluster_name: ").append(name).append('\n')
        .append("    endpoints:\n    - lb_endpoints:");
    if (ports.length == 0) {
      sb.append(" []\n");
    } else {
      sb.append('\n');
      for (int port : ports) {
        sb.append("      - endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: ")
            .append(port).append("}}}\n");
      }
    }
    if (!extraFields.isBlank()) {
      sb.append(extraFields.stripIndent().stripTrailing().indent(2));
    }
    clusters.add(sb.toString());
    return this;
  }

  String build() {
    StringBuilder sb = new StringBuilder();
    sb.append("""
        static_resources:
          listeners:
          - name: test
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: test
                  http_filters: [{name: envoy.filters.http.router, typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}}]
        """);
    if (!hcmFields.isBlank()) {
      sb.append(hcmFields.stripIndent().stripTrailing().indent(10));
    }
    sb.append("          route_config:\n            virtual_hosts:\n");
    sb.append(virtualHosts.indent(12));
    sb.append("  clusters:\n");
    for (String c : clusters) {
      sb.append(c.indent(2));
    }
    sb.append("layered_runtime:\n  layers:\n  - {name: static, static_layer: {}}\n  - {name: admin, admin_layer: {}}\n");
    return sb.toString();
  }
}
