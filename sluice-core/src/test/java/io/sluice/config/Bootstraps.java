package io.sluice.config;

import java.util.List;

/**
 * Builds small bootstraps for tests: one listener (HTTP connection manager routing everything to
 * cluster {@code c}) and one static cluster {@code c}, with extra YAML lines added to any part.
 */
final class Bootstraps {
  static final String LISTENER = "static_resources.listeners[0]";
  static final String CHAIN = LISTENER + ".filter_chains[0]";
  static final String HCM = CHAIN + ".filters[0].typed_config";
  static final String ROUTES = HCM + ".route_config";
  static final String CLUSTER = "static_resources.clusters[0]";
  static final String ENDPOINT = CLUSTER + ".load_assignment.endpoints[0].lb_endpoints[0]";

  private String top = "";
  private String listener = "";
  private String chain = "";
  private String hcm = "";
  private String routeCluster = "c";
  private String cluster = "";
  private String endpoint = "";
  private String clusters = "";
  private String listeners = "";

  static Bootstraps of() {
    return new Bootstraps();
  }

  /** Extra fields of the bootstrap itself. */
  Bootstraps top(String yaml) {
    top += indent(yaml, 0);
    return this;
  }

  /** Extra fields of the listener. */
  Bootstraps listener(String yaml) {
    listener += indent(yaml, 4);
    return this;
  }

  /** Extra fields of the filter chain. */
  Bootstraps chain(String yaml) {
    chain += indent(yaml, 6);
    return this;
  }

  /** Extra fields of the connection manager's typed_config. */
  Bootstraps hcm(String yaml) {
    hcm += indent(yaml, 10);
    return this;
  }

  /** The cluster the only route sends to. */
  Bootstraps routeTo(String name) {
    routeCluster = name;
    return this;
  }

  /** Extra fields of cluster {@code c}. */
  Bootstraps cluster(String yaml) {
    cluster += indent(yaml, 4);
    return this;
  }

  /** Extra fields of the only lb_endpoint of cluster {@code c}. */
  Bootstraps endpoint(String yaml) {
    endpoint += indent(yaml, 10);
    return this;
  }

  /** More clusters, as list items. */
  Bootstraps clusters(String yaml) {
    clusters += indent(yaml, 2);
    return this;
  }

  /** More listeners, as list items. */
  Bootstraps listeners(String yaml) {
    listeners += indent(yaml, 2);
    return this;
  }

  String yaml() {
    return "static_resources:\n"
        + "  listeners:\n"
        + "  - name: l\n"
        + "    address: {socket_address: {address: 0.0.0.0, port_value: 10000}}\n"
        + listener
        + "    filter_chains:\n"
        + "    - filters:\n"
        + "      - name: envoy.filters.network.http_connection_manager\n"
        + "        typed_config:\n"
        + "          '@type': type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3"
        + ".HttpConnectionManager\n"
        + "          stat_prefix: in\n"
        + "          route_config:\n"
        + "            virtual_hosts:\n"
        + "            - {name: v, domains: ['*'], routes: [{match: {prefix: /}, route: {cluster: " + routeCluster
        + "}}]}\n"
        + "          http_filters:\n"
        + "          - name: envoy.filters.http.router\n"
        + "            typed_config: {'@type': type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}\n"
        + hcm
        + chain
        + listeners
        + "  clusters:\n"
        + "  - name: c\n"
        + "    connect_timeout: 1s\n"
        + "    load_assignment:\n"
        + "      cluster_name: c\n"
        + "      endpoints:\n"
        + "      - lb_endpoints:\n"
        + "        - endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 8080}}}\n"
        + endpoint
        + cluster
        + clusters
        + top;
  }

  BootstrapSpec read() {
    return BootstrapReader.read(Documents.readOne(yaml(), "test.yaml", Documents.Format.YAML), "test.yaml");
  }

  /** The errors, as {@code path: message} lines, of a bootstrap that must be rejected. */
  List<String> errors() {
    try {
      read();
    } catch (ConfigException e) {
      return e.errors().stream().map(ConfigProblem::toString).toList();
    }
    throw new AssertionError("expected the bootstrap to be rejected:\n" + yaml());
  }

  /** The warnings, as {@code path: message} lines, of a bootstrap that must be accepted. */
  List<String> warnings() {
    return read().warnings().stream().map(ConfigProblem::toString).toList();
  }

  private static String indent(String yaml, int spaces) {
    StringBuilder sb = new StringBuilder();
    for (String line : yaml.split("\n", -1)) {
      if (!line.isEmpty()) {
        sb.append(" ".repeat(spaces)).append(line).append('\n');
      }
    }
    return sb.toString();
  }
}
