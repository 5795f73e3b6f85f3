package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice stat} from the built jar against {@code sluice proxy} processes splitting 90/10
 * between two upstreams: both rows with their configured shares and the observed split within
 * binomial bounds; JSON that parses; two proxies summed exactly; {@code --watch} repeating tables
 * into a pipe until Ctrl-C.
 */
class StatCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private static final int REQUESTS = 400;
  /**
   * The canary's count out of n requests at p = 0.1 is binomial: mean 0.1 n, standard deviation
   * sqrt(0.09 n) (6 for n = 400). Five deviations either side fails a correct proxy less than once
   * in a million runs.
   */
  private static final double DEVIATIONS = 5;

  @TempDir Path dir;

  @Test
  void aNinetyTenSplitShowsBothRowsWithTheirShares() throws Exception {
    try (NamedUpstream stable = new NamedUpstream("stable");
        NamedUpstream canary = new NamedUpstream("canary");
        ProxyProcess proxy = ProxyProcess.start(bootstrap(stable, canary), dir.resolve("state"))) {
      send(proxy.listenerPort(), REQUESTS);

      SluiceProcess.Result table = SluiceProcess.run("stat", "--admin", proxy.admin());
      assertThat(table.exitCode()).as(table.stderr()).isZero();
      assertThat(table.stderr()).isEmpty();
      List<String> lines = table.stdout().lines().toList();
      assertThat(lines).as(table.stdout()).hasSize(3);
      // (Column widths follow the numbers: hundreds of requests per second widen RPS.)
      assertThat(lines.get(0).split(" +")).containsExactly(
          "NAME", "WEIGHT", "SUCCESS", "RPS", "LATENCY_P50", "LATENCY_P95", "LATENCY_P99", "TCP_CONN");
      assertThat(lines.get(0)).startsWith("NAME     WEIGHT  SUCCESS");
      Pattern row = Pattern.compile(
          "(\\S+) +(\\d+)% +100\\.00% +(\\d+\\.\\d)rps +(\\S+ms|\\S+s) +(\\S+) +(\\S+) +(\\d+)");
      Map<String, Double> rps = new HashMap<>();
      Map<String, String> weight = new HashMap<>();
      for (String line : lines.subList(1, 3)) {
        Matcher m = row.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        weight.put(m.group(1), m.group(2) + "%");
        rps.put(m.group(1), Double.parseDouble(m.group(3)));
      }
      assertThat(weight).containsExactlyInAnyOrderEntriesOf(Map.of("stable", "90%", "canary", "10%"));
      double canaryShare = rps.get("canary") / (rps.get("canary") + rps.get("stable"));
      // Both rows cover the same time, so their rates split as their counts do (give or take the
      // rounding to one decimal).
      assertThat(canaryShare).as(table.stdout()).isBetween(lowShare(REQUESTS) - 0.01, highShare(REQUESTS) + 0.01);

      SluiceProcess.Result json = SluiceProcess.run("stat", "-o", "json", "--admin", proxy.admin());
      assertThat(json.exitCode()).as(json.stderr()).isZero();
      JsonNode root = JSON.readTree(json.stdout());
      assertThat(root.get("by").asText()).isEqualTo("backend");
      assertThat(root.get("proxies").get(0).asText()).isEqualTo(proxy.admin());
      Map<String, JsonNode> rows = byName(root);
      assertThat(rows).containsOnlyKeys("stable", "canary");
      long stableCount = rows.get("stable").get("requests").asLong();
      long canaryCount = rows.get("canary").get("requests").asLong();
      assertThat(stableCount + canaryCount).isEqualTo(REQUESTS);
      assertThat(canaryCount / (double) REQUESTS).isBetween(lowShare(REQUESTS), highShare(REQUESTS));
      assertThat(rows.get("stable").get("weight").asDouble()).isEqualTo(0.9);
      assertThat(rows.get("canary").get("weight").asDouble()).isEqualTo(0.1);
      for (JsonNode r : rows.values()) {
        assertThat(r.get("route").asText()).isEqualTo("split");
        assertThat(r.get("failures").asLong()).isZero();
        assertThat(r.get("success_rate").asDouble()).isEqualTo(1.0);
        assertThat(r.get("status_classes").get("2xx").asLong()).isEqualTo(r.get("requests").asLong());
        assertThat(r.get("latency_ms_p50").asDouble()).isPositive();
        assertThat(r.get("latency_ms_p99").asDouble()).isGreaterThanOrEqualTo(r.get("latency_ms_p50").asDouble());
        assertThat(r.get("response_bytes").asLong()).as("at least the bodies (the upstream's name)")
            .isGreaterThanOrEqualTo(r.get("requests").asLong() * r.get("name").asText().length());
      }

      SluiceProcess.Result routes = SluiceProcess.run("stat", "--by", "route", "-o", "json", "--admin", proxy.admin());
      assertThat(routes.exitCode()).as(routes.stderr()).isZero();
      JsonNode routeRows = JSON.readTree(routes.stdout()).get("rows");
      assertThat(routeRows).hasSize(1);
      assertThat(routeRows.get(0).get("name").asText()).isEqualTo("split");
      assertThat(routeRows.get(0).get("requests").asLong()).isEqualTo(REQUESTS);

      SluiceProcess.Result wide = SluiceProcess.run("stat", "-o", "wide", "--window", "30s", "--admin", proxy.admin());
      assertThat(wide.exitCode()).as(wide.stderr()).isZero();
      assertThat(wide.stdout().lines().findFirst().orElse("").split(" +")).containsExactly("NAME", "ROUTE", "WEIGHT",
          "SUCCESS", "RPS", "LATENCY_P50", "LATENCY_P95", "LATENCY_P99", "TCP_CONN", "REQ_BYTES/SEC", "RESP_BYTES/SEC",
          "4XX", "5XX");
      assertThat(wide.stdout()).containsPattern("\\ncanary +split +10% ").containsPattern("\\nstable +split +90% ");
    }
  }

  @Test
  void twoProxiesAreSummedExactly() throws Exception {
    try (NamedUpstream stable = new NamedUpstream("stable");
        NamedUpstream canary = new NamedUpstream("canary")) {
      Path config = bootstrap(stable, canary);
      try (ProxyProcess a = ProxyProcess.start(config, dir.resolve("state-a"));
          ProxyProcess b = ProxyProcess.start(config, dir.resolve("state-b"))) {
        send(a.listenerPort(), 150);
        send(b.listenerPort(), 250);

        Map<String, JsonNode> fromA = byName(stat("-o", "json", "--admin", a.admin()));
        Map<String, JsonNode> fromB = byName(stat("-o", "json", "--admin", b.admin()));
        JsonNode both = stat("-o", "json", "--admin", a.admin(), "--admin", b.admin());
        Map<String, JsonNode> sum = byName(both);

        assertThat(both.get("proxies")).hasSize(2);
        assertThat(sum).containsOnlyKeys("stable", "canary");
        long total = 0;
        for (String name : List.of("stable", "canary")) {
          for (String count : List.of("requests", "failures", "request_bytes", "response_bytes")) {
            assertThat(sum.get(name).get(count).asLong()).as(name + " " + count)
                .isEqualTo(fromA.get(name).get(count).asLong() + fromB.get(name).get(count).asLong());
          }
          assertThat(sum.get(name).get("status_classes").get("2xx").asLong())
              .isEqualTo(fromA.get(name).get("status_classes").get("2xx").asLong()
                  + fromB.get(name).get("status_classes").get("2xx").asLong());
          double p99 = sum.get(name).get("latency_ms_p99").asDouble();
          assertThat(p99).as("the union's p99 lies between the proxies' own").isBetween(
              Math.min(fromA.get(name).get("latency_ms_p99").asDouble(), fromB.get(name).get("latency_ms_p99").asDouble()),
              Math.max(fromA.get(name).get("latency_ms_p99").asDouble(), fromB.get(name).get("latency_ms_p99").asDouble()));
          total += sum.get(name).get("requests").asLong();
        }
        assertThat(total).isEqualTo(400);
        assertThat(sum.get("canary").get("requests").asLong() / 400.0).isBetween(lowShare(400), highShare(400));
        assertThat(sum.get("stable").get("weight").asDouble()).isEqualTo(0.9);

        SluiceProcess.Result table = SluiceProcess.run("stat", "--admin", a.admin(), "--admin", b.admin());
        assertThat(table.exitCode()).as(table.stderr()).isZero();
        assertThat(table.stdout()).containsPattern("\\ncanary +10% +100\\.00% ").containsPattern("\\nstable +90% +100\\.00% ");
      }
    }
  }

  @Test
  void watchRepeatsTablesIntoAPipeAndStopsCleanlyOnCtrlC() throws Exception {
    try (NamedUpstream stable = new NamedUpstream("stable");
        NamedUpstream canary = new NamedUpstream("canary");
        ProxyProcess proxy = ProxyProcess.start(bootstrap(stable, canary), dir.resolve("state"))) {
      send(proxy.listenerPort(), 20);
      Path out = dir.resolve("watch.out");
      Path err = dir.resolve("watch.err");
      Process watch = new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", SluiceProcess.jar().toString(),
              "stat", "--watch", "--admin", proxy.admin())
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      try {
        ProxyProcess.await("two tables", Duration.ofSeconds(20), () -> headers(out) >= 2 || !watch.isAlive());
        assertThat(watch.isAlive()).as(read(err)).isTrue();
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(watch.pid())).start();
        assertThat(kill.waitFor()).isZero();
        assertThat(watch.waitFor(10, TimeUnit.SECONDS)).as("stopped by Ctrl-C").isTrue();
        assertThat(watch.exitValue()).as("128 + SIGINT").isEqualTo(130);
      } finally {
        watch.destroyForcibly();
      }
      String printed = read(out);
      assertThat(printed).as("no ANSI into a pipe").doesNotContain("\033");
      List<String> frames = List.of(printed.split("\n\n"));
      assertThat(frames.size()).isGreaterThanOrEqualTo(2);
      for (String frame : frames) {
        if (frame.isBlank()) {
          continue;
        }
        assertThat(frame).startsWith("NAME     WEIGHT").contains("\ncanary ").contains("\nstable ");
      }
      assertThat(read(err)).isEmpty();
    }
  }

  // ---- helpers

  /** A bootstrap that splits every request 90/10 between {@code stable} and {@code canary} (route {@code split}). */
  private Path bootstrap(NamedUpstream stable, NamedUpstream canary) throws Exception {
    String yaml = """
        static_resources:
          listeners:
          - name: listener_0
            address:
              socket_address: { address: 127.0.0.1, port_value: 0 }
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: ingress_http
                  route_config:
                    name: local_route
                    virtual_hosts:
                    - name: canary
                      domains: ['*']
                      routes:
                      - name: split
                        match: { prefix: / }
                        route:
                          weighted_clusters:
                            clusters:
                            - name: stable
                              weight: 90
                            - name: canary
                              weight: 10
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          clusters:
        %s%s""".formatted(cluster("stable", stable.port()), cluster("canary", canary.port()));
    Path file = dir.resolve("split.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static String cluster(String name, int port) {
    return """
          - name: %s
            connect_timeout: 0.25s
            type: STATIC
            load_assignment:
              cluster_name: %s
              endpoints:
              - lb_endpoints:
                - endpoint:
                    address:
                      socket_address: { address: 127.0.0.1, port_value: %d }
        """.formatted(name, name, port);
  }

  /** Sends {@code n} GETs through the proxy, each answered 200 by one of the upstreams. */
  private static void send(int port, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
  }

  private static JsonNode stat(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("stat"));
    all.addAll(List.of(args));
    SluiceProcess.Result r = SluiceProcess.run(all.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    return JSON.readTree(r.stdout());
  }

  private static Map<String, JsonNode> byName(JsonNode root) {
    Map<String, JsonNode> rows = new HashMap<>();
    root.get("rows").forEach(r -> rows.put(r.get("name").asText(), r));
    return rows;
  }

  private static double lowShare(int n) {
    return 0.1 - DEVIATIONS * Math.sqrt(0.09 / n);
  }

  private static double highShare(int n) {
    return 0.1 + DEVIATIONS * Math.sqrt(0.09 / n);
  }

  private static int headers(Path out) {
    return (int) read(out).lines().filter(l -> l.startsWith("NAME ")).count();
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
