package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.testing.Await;
import io.sluice.testing.BootstrapYaml;
import io.sluice.testing.HttpConnection;
import io.sluice.testing.LogCapture;
import io.sluice.testing.NamedBackend;
import io.sluice.testing.RunningProxy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watched configuration file: a valid change is swapped in whole, an invalid one changes nothing. */
class ConfigReloadTest {
  private static final String PREFIX =
      "static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].";

  @TempDir Path dir;
  private NamedBackend a;
  private NamedBackend b;

  @BeforeEach
  void backends() {
    a = new NamedBackend("a");
    b = new NamedBackend("b");
  }

  @AfterEach
  void stopBackends() {
    a.close();
    b.close();
  }

  private String routeTo(String cluster) {
    return new BootstrapYaml().routes("- {match: {prefix: /}, route: {cluster: " + cluster + "}}").cluster(a).cluster(b).toString();
  }

  private RunningProxy watched(String yaml) throws IOException {
    return RunningProxy.start(dir, yaml, null, null, Duration.ofMillis(10));
  }

  @Test
  void aValidEditIsSwappedInAndAKeepAliveClientSeesItOnItsNextRequest() throws Exception {
    try (RunningProxy p = watched(routeTo("a"));
        HttpConnection c = new HttpConnection(p.port())) {
      assertThat(c.get("/").header("x-backend")).isEqualTo("a");
      for (int i = 1; i <= 6; i++) {
        String to = i % 2 == 1 ? "b" : "a";
        p.rewriteConfig(routeTo(to));
        int expected = i;
        Await.until("reload " + i, () -> p.watcher.applied() == expected);
        assertThat(c.get("/").header("x-backend")).isEqualTo(to);
      }
      assertThat(p.watcher.rejected()).isZero();
    }
  }

  @Test
  void anInvalidEditIsRejectedWithEveryErrorLoggedAndTheOldRoutesKeepServing() throws Exception {
    String broken =
        new BootstrapYaml()
            .routes("""
                - match: {prefx: /}
                  route: {cluster: b}
                - match: {prefix: /}
                  route:
                    weighted_clusters:
                      clusters: [{name: a, weight: 50}, {name: nope}]
                """)
            .cluster(a).cluster(b)
            .toString()
            .replace("connect_timeout: 1s", "connect_timeout: -1s");
    try (LogCapture log = new LogCapture();
        RunningProxy p = watched(routeTo("a"));
        HttpConnection c = new HttpConnection(p.port())) {
      assertThat(c.get("/").header("x-backend")).isEqualTo("a");
      p.rewriteConfig(broken);
      Await.until("the rejection", () -> p.watcher.rejected() == 1);

      String file = p.configFile.toString();
      assertThat(log.text())
          .contains("configuration change rejected, the running configuration stays: 6 error(s)")
          .contains(file + ": static_resources.clusters[0].connect_timeout: value must be greater than 0s")
          .contains(file + ": static_resources.clusters[1].connect_timeout: value must be greater than 0s")
          .contains(file + ": " + PREFIX + "routes[0].match: path_specifier: value is required")
          .contains(file + ": " + PREFIX + "routes[0].match.prefx: unknown field")
          .contains(file + ": " + PREFIX + "routes[1].route.weighted_clusters.clusters[1].weight: Field 'weight' is missing")
          .contains(file + ": " + PREFIX + "routes[1].route.weighted_clusters.clusters[1].name: route: unknown weighted cluster 'nope'");
      assertThat(p.watcher.applied()).isZero();

      // Old routes, old connection, new connections too.
      for (int i = 0; i < 5; i++) {
        assertThat(c.get("/").header("x-backend")).isEqualTo("a");
      }
      try (HttpConnection fresh = new HttpConnection(p.port())) {
        assertThat(fresh.get("/").header("x-backend")).isEqualTo("a");
      }
      assertThat(p.adminGet("/config_dump").body()).doesNotContain("prefx");

      // Fixing the file is picked up as usual.
      p.rewriteConfig(routeTo("b"));
      Await.until("the reload", () -> p.watcher.applied() == 1);
      assertThat(c.get("/").header("x-backend")).isEqualTo("b");
    }
  }

  @Test
  void unparsableYamlIsRejectedWithItsPosition() throws Exception {
    try (LogCapture log = new LogCapture();
        RunningProxy p = watched(routeTo("a"));
        HttpConnection c = new HttpConnection(p.port())) {
      p.rewriteConfig("static_resources:\n  listeners: [\n  - {name: x\n");
      Await.until("the rejection", () -> p.watcher.rejected() == 1);
      assertThat(log.text()).containsPattern("line \\d+");
      assertThat(c.get("/").header("x-backend")).isEqualTo("a");
    }
  }

  @Test
  void aReloadWhoseListenerCannotBeBoundChangesNothingAndAMovedListenerMoves() throws Exception {
    try (LogCapture log = new LogCapture();
        RunningProxy p = watched(routeTo("a"))) {
      int oldPort = p.port();
      try (ServerSocket taken = new ServerSocket()) {
        taken.bind(new InetSocketAddress("127.0.0.1", 0));
        p.rewriteConfig(new BootstrapYaml().routes("- {match: {prefix: /}, route: {cluster: b}}")
            .cluster(a).cluster(b).listenerPort(taken.getLocalPort()).toString());
        Await.until("the rejection", () -> p.watcher.rejected() == 1);
        assertThat(log.text()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        assertThat(p.port()).isEqualTo(oldPort);
        try (HttpConnection c = new HttpConnection(oldPort)) {
          // Rejected whole: the routes of the same file did not apply either.
          assertThat(c.get("/").header("x-backend")).isEqualTo("a");
        }
      }

      int free = freePort();
      try (HttpConnection before = new HttpConnection(oldPort)) {
        assertThat(before.get("/").header("x-backend")).isEqualTo("a");
        p.rewriteConfig(new BootstrapYaml().routes("- {match: {prefix: /}, route: {cluster: b}}")
            .cluster(a).cluster(b).listenerPort(free).toString());
        Await.until("the reload", () -> p.watcher.applied() == 1);
        assertThat(p.port()).isEqualTo(free);
        try (HttpConnection moved = new HttpConnection(free)) {
          assertThat(moved.get("/").header("x-backend")).isEqualTo("b");
        }
        assertThatThrownBy(() -> new HttpConnection(oldPort)).isInstanceOf(java.net.ConnectException.class);
        // A connection accepted before the move is not cut: it serves with the new routes.
        assertThat(before.get("/").header("x-backend")).isEqualTo("b");
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }
}
