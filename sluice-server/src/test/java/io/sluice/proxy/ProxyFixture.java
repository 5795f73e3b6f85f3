package io.sluice.proxy;

import io.sluice.config.BootstrapReader;
import io.sluice.config.BootstrapSpec;
import io.sluice.config.Documents;
import io.sluice.route.RandomSource;
import io.sluice.store.StateDirectory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Starts a {@link ProxyServer} for a bootstrap written in a test, on loopback port 0, and stops it.
 * The bootstrap text may use {@code ${name}} for the port of a test backend.
 */
final class ProxyFixture implements AutoCloseable {
  final ProxyServer proxy;

  private ProxyFixture(ProxyServer proxy) {
    this.proxy = proxy;
  }

  /** A running proxy for {@code yaml}; {@code random} fixes each request's random value when not null. */
  static ProxyFixture start(String yaml, RandomSource random, StateDirectory state) throws IOException {
    BootstrapSpec spec = bootstrap(yaml);
    ProxyServer p =
        new ProxyServer(spec, new ProxyServer.Options(2, random == null ? RandomSource.threadLocal() : random, null, state));
    p.start();
    return new ProxyFixture(p);
  }

  static ProxyFixture start(String yaml) throws IOException {
    return start(yaml, null, null);
  }

  /** A running proxy for {@code yaml} with {@code options}. */
  static ProxyFixture start(String yaml, ProxyServer.Options options) throws IOException {
    ProxyServer p = new ProxyServer(bootstrap(yaml), options);
    p.start();
    return new ProxyFixture(p);
  }

  /** A running proxy for {@code yaml} that writes its access log to {@code accessLog}. */
  static ProxyFixture withAccessLog(String yaml, RandomSource random, Path accessLog) throws IOException {
    ProxyServer p =
        new ProxyServer(
            bootstrap(yaml),
            new ProxyServer.Options(2, random == null ? RandomSource.threadLocal() : random, accessLog.toString(), null));
    p.start();
    return new ProxyFixture(p);
  }

  static BootstrapSpec bootstrap(String yaml) {
    return BootstrapReader.read(Documents.readOne(yaml, "test.yaml", Documents.Format.YAML), "test.yaml");
  }

  /** The port of the first listener. */
  int port() {
    InetSocketAddress a = proxy.listenerAddresses().values().iterator().next();
    return a.getPort();
  }

  /**
   * A bootstrap with one listener on 127.0.0.1:0 whose virtual host has {@code routesYaml} (the
   * items of its {@code routes:} list, at any indentation), and one STATIC cluster per backend named
   * after it.
   */
  static String bootstrap(String routesYaml, TestBackend... backends) {
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
                  route_config:
                    virtual_hosts:
                    - name: test
                      domains: ['*']
                      routes:
        """);
    sb.append(routesYaml.stripIndent().stripTrailing().indent(14));
    sb.append("  clusters:\n");
    for (TestBackend b : backends) {
      sb.append("  - name: ").append(b.name()).append('\n')
          .append("    connect_timeout: 1s\n")
          .append("    load_assignment:\n")
          .append("      cluster_name: ").append(b.name()).append('\n')
          .append("      endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: ")
          .append(b.port()).append("}}}}]}]\n");
    }
    sb.append("layered_runtime:\n  layers:\n  - {name: static, static_layer: {}}\n  - {name: admin, admin_layer: {}}\n");
    return sb.toString();
  }

  @Override
  public void close() {
    proxy.close();
  }
}
