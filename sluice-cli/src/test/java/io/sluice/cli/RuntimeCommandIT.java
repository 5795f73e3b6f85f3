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
 * {@code sluice runtime set|get|unset} against a running {@code sluice proxy} (both from the built
 * jar, on the shipped traffic-shift example): a change steers the very next requests, and the
 * overrides are still there after the proxy restarts with the same state directory.
 */
class RuntimeCommandIT {
  private static final String KEY = "routing.traffic_shift.helloworld";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  @Test
  void setGetUnsetSteerTrafficAndSurviveARestart() throws Exception {
    Path state = dir.resolve("state");
    try (NamedUpstream v1 = new NamedUpstream("v1");
        NamedUpstream v2 = new NamedUpstream("v2")) {
      Path config = ShippedExamples.trafficShift(dir, v1.port(), v2.port());
      try (ProxyProcess proxy = ProxyProcess.start(config, state)) {
        int port = proxy.listenerPort();
        assertThat(backends(port, 40)).as("the example's default: 50%% each").containsExactly("v1", "v2");

        SluiceProcess.Result set = SluiceProcess.run("runtime", "set", "--admin", proxy.admin(), KEY + "=100");
        assertThat(set.exitCode()).as(set.stderr()).isZero();
        assertThat(set.stdout()).isEqualTo("OK\n");
        assertThat(backends(port, 20)).containsExactly("v1");

        set = SluiceProcess.run("runtime", "set", "--admin", proxy.admin(), KEY + "=0", "extra.one=1", "extra.two=two words");
        assertThat(set.exitCode()).as(set.stderr()).isZero();
        assertThat(backends(port, 20)).containsExactly("v2");

        SluiceProcess.Result get = SluiceProcess.run("runtime", "get", "--admin", proxy.admin(), KEY);
        assertThat(get.exitCode()).as(get.stderr()).isZero();
        assertThat(get.stdout()).isEqualTo("0\n");

        SluiceProcess.Result unset = SluiceProcess.run("runtime", "unset", "--admin", proxy.admin(), "extra.one");
        assertThat(unset.exitCode()).as(unset.stderr()).isZero();

        SluiceProcess.Result all = SluiceProcess.run("runtime", "get", "--admin", proxy.admin().substring("http://".length()));
        assertThat(all.exitCode()).as(all.stderr()).isZero();
        assertThat(all.stdout()).isEqualTo(
            "extra.two = two words   (admin=two words)\n" + KEY + " = 0   (admin=0)\n");

        proxy.terminate();
        assertThat(proxy.awaitExit(Duration.ofSeconds(15))).as(proxy.stderr()).isZero();
      }
      assertThat(Files.readString(state.resolve("runtime-overrides.json"))).contains(KEY).doesNotContain("extra.one");

      try (ProxyProcess again = ProxyProcess.start(config, state)) {
        assertThat(backends(again.listenerPort(), 20)).as("restored from the state directory").containsExactly("v2");
        SluiceProcess.Result gone = SluiceProcess.run("runtime", "get", "--admin", again.admin(), "extra.one");
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.stderr()).isEqualTo("error: runtime key extra.one is not set\n");
        assertThat(again.get("/runtime").body()).contains("\"final_value\" : \"two words\"");
      }
    }
  }

  /** The distinct backends that answered {@code n} requests. */
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
