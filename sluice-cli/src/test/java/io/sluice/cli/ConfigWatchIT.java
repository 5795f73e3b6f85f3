package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice proxy} as a process reloads its file: a valid edit is picked up by the watcher (or
 * on SIGHUP with {@code --no-watch}); an invalid edit is logged error by error and changes nothing.
 */
class ConfigWatchIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  @Test
  void aValidEditIsAppliedAndAnInvalidOneIsLoggedAndIgnored() throws Exception {
    try (NamedUpstream v1 = new NamedUpstream("v1");
        NamedUpstream v2 = new NamedUpstream("v2")) {
      Path config = ShippedExamples.trafficShift(dir, v1.port(), v2.port());
      String original = Files.readString(config);
      try (ProxyProcess proxy = ProxyProcess.start(config, dir.resolve("state"), "--watch-interval", "20ms")) {
        int port = proxy.listenerPort();
        Files.writeString(config, original.replace("numerator: 50", "numerator: 100"));
        ProxyProcess.await("the reload", Duration.ofSeconds(10), () -> proxy.stderr().contains("configuration reloaded from"));
        assertThat(backends(port, 20)).containsExactly("v1");

        Files.writeString(config, original.replace("numerator: 50", "numerator: 0")
            .replace("denominator: HUNDRED", "denominator: SOMETIMES")
            .replace("cluster: helloworld_v2", "cluster: helloworld_v9"));
        ProxyProcess.await("the rejection", Duration.ofSeconds(10),
            () -> proxy.stderr().contains("configuration change rejected"));
        String hcm = config + ": static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config"
            + ".virtual_hosts[0].routes[";
        ProxyProcess.await("every error logged", Duration.ofSeconds(10),
            () -> proxy.stderr().contains(hcm + "0].match.runtime_fraction.default_value.denominator: ")
                && proxy.stderr().contains(hcm + "1].route.cluster: "));
        assertThat(proxy.stderr()).contains("the running configuration stays: 2 error(s)").doesNotContain("\tat ");
        assertThat(backends(port, 20)).as("the last valid configuration").containsExactly("v1");
      }
    }
  }

  @Test
  void withoutWatchingTheFileIsReloadedOnSighup() throws Exception {
    try (NamedUpstream v1 = new NamedUpstream("v1");
        NamedUpstream v2 = new NamedUpstream("v2")) {
      Path config = ShippedExamples.trafficShift(dir, v1.port(), v2.port());
      try (ProxyProcess proxy = ProxyProcess.start(config, dir.resolve("state"), "--no-watch")) {
        int port = proxy.listenerPort();
        Files.writeString(config, Files.readString(config).replace("numerator: 50", "numerator: 0"));
        Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(proxy.process.pid())).inheritIO().start();
        assertThat(hup.waitFor()).isZero();
        ProxyProcess.await("the reload", Duration.ofSeconds(10), () -> proxy.stderr().contains("configuration reloaded from"));
        assertThat(backends(port, 20)).containsExactly("v2");
        assertThat(proxy.process.isAlive()).isTrue();
        proxy.terminate();
        assertThat(proxy.awaitExit(Duration.ofSeconds(15))).as(proxy.stderr()).isZero();
      }
    }
  }

  private static Set<String> backends(int port, int n) throws Exception {
    Set<String> seen = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r =
          HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      seen.add(r.headers().firstValue("x-backend").orElseThrow());
    }
    return seen;
  }
}
