package io.sluice.proxy;

import io.sluice.config.BootstrapReader;
import io.sluice.config.BootstrapSpec;
import io.sluice.config.Documents;

/**
 * The bootstrap of the proxy-package benchmarks, as {@code bench/run} configures Sluice: one
 * listener whose one route splits 90/10 between clusters {@code v1} and {@code v2}, each a single
 * static endpoint. Nothing here listens or connects; the endpoints' ports only name them.
 */
final class BenchBootstrap {
  private BenchBootstrap() {}

  static final String YAML = """
      static_resources:
        listeners:
        - name: bench
          address: {socket_address: {address: 127.0.0.1, port_value: 0}}
          filter_chains:
          - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: bench
                http_filters: [{name: envoy.filters.http.router, typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}}]
                route_config:
                  virtual_hosts:
                  - name: bench
                    domains: ['*']
                    routes:
                    - match: {prefix: /}
                      route:
                        weighted_clusters:
                          clusters: [{name: v1, weight: 90}, {name: v2, weight: 10}]
        clusters:
        - name: v1
          load_assignment: {cluster_name: v1, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 18081}}}}]}]}
        - name: v2
          load_assignment: {cluster_name: v2, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 18082}}}}]}]}
      """;

  static BootstrapSpec read() {
    return BootstrapReader.read(Documents.readOne(YAML, "bench.yaml", Documents.Format.YAML), "bench.yaml");
  }
}
