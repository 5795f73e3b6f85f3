package io.sluice.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes an Envoy bootstrap for a test: one listener on 127.0.0.1:0 whose single catch-all virtual
 * host has the given routes, one STATIC cluster per backend (named after it), and a static plus an
 * admin runtime layer.
 */
public final class BootstrapYaml {
  private String routes = "- {match: {prefix: /}, direct_response: {status: 200}}";
  private final List<String> clusters = new ArrayList<>();
  private String staticLayer = "{}";
  private boolean adminLayer = true;
  private int listenerPort;

  /** The items of the virtual host's {@code routes:} list, at any indentation. */
  public BootstrapYaml routes(String yaml) {
    this.routes = yaml;
    return this;
  }

  /** A STATIC cluster for {@code backend}, named after it. */
  public BootstrapYaml cluster(NamedBackend backend) {
    return cluster(backend, "");
  }

  /** A STATIC cluster for {@code backend} with more cluster fields (YAML lines at column 0). */
  public BootstrapYaml cluster(NamedBackend backend, String extraFields) {
    return cluster(backend.name(), backend.port(), extraFields);
  }

  /** A STATIC cluster {@code name} with one endpoint, 127.0.0.1:{@code port} (a closed port: a dead cluster). */
  public BootstrapYaml cluster(String name, int port, String extraFields) {
    StringBuilder sb = new StringBuilder();
    sb.append("- name: ").append(name).append('\n')
        .append("  connect_timeout: 1s\n")
        .append("  load_assignment:\n")
        .append("    cluster_name: ").append(name).append('\n')
        .append("    endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: ")
        .append(port).append("}}}}]}]\n");
    if (!extraFields.isBlank()) {
      sb.append(extraFields.stripIndent().stripTrailing().indent(2));
    }
    clusters.add(sb.toString());
    return this;
  }

  /** The static runtime layer, as a YAML flow or block mapping. */
  public BootstrapYaml staticLayer(String yaml) {
    this.staticLayer = yaml;
    return this;
  }

  public BootstrapYaml withoutAdminLayer() {
    this.adminLayer = false;
    return this;
  }

  public BootstrapYaml listenerPort(int port) {
    this.listenerPort = port;
    return this;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("""
        static_resources:
          listeners:
          - name: test
            address: {socket_address: {address: 127.0.0.1, port_value: %d}}
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: test
                  http_filters: [{name: envoy.filters.http.router, typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}}]
                  route_config:
                    virtual_hosts:
                    - name: test
                      domains: ['*']
                      routes:
        """.formatted(listenerPort));
    sb.append(routes.stripIndent().stripTrailing().indent(14));
    sb.append("  clusters:");
    if (clusters.isEmpty()) {
      sb.append(" []\n");
    } else {
      sb.append('\n');
      for (String c : clusters) {
        sb.append(c.indent(2));
      }
    }
    sb.append("layered_runtime:\n  layers:\n  - name: static\n    static_layer: ").append(staticLayer).append('\n');
    if (adminLayer) {
      sb.append("  - {name: admin, admin_layer: {}}\n");
    }
    return sb.toString();
  }
}
