package io.sluice.admin;

import static io.sluice.testing.Manifests.endpointSlice;
import static io.sluice.testing.Manifests.linkerdRoute;
import static io.sluice.testing.Manifests.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.stats.WindowSnapshot;
import io.sluice.testing.Await;
import io.sluice.testing.BootstrapYaml;
import io.sluice.testing.HttpConnection;
import io.sluice.testing.NamedBackend;
import io.sluice.testing.ResourceProxy;
import io.sluice.testing.RunningProxy;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /stats}, {@code /stats/prometheus}, {@code /reset_counters} and {@code /stats/window} over a real socket. */
class StatsApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** A 90/10 split with runtime weights, a dead cluster, and an unnamed catch-all route with a 0.2 s timeout. */
  private static String mixed(NamedBackend v1, NamedBackend v2, int closedPort) {
    return new BootstrapYaml()
        .routes("""
            - name: split
              match: {prefix: /split}
              route:
                weighted_clusters:
                  runtime_key_prefix: routing.split
                  clusters: [{name: v1, weight: 90}, {name: v2, weight: 10}]
            - name: dead
              match: {prefix: /dead}
              route: {cluster: dead}
            - match: {prefix: /}
              route: {cluster: v1, timeout: 0.2s}
            """)
        .cluster(v1).cluster(v2).cluster("dead", closedPort, "")
        .toString();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** 2xx, 4xx, 5xx, a timeout and a connect failure. */
  private static void traffic(RunningProxy p) throws IOException {
    try (HttpConnection c = new HttpConnection(p.port())) {
      for (int i = 0; i < 20; i++) {
        c.get("/split");
      }
      c.get("/status/404");
      c.get("/status/500");
      c.get("/delay/1000");
      c.get("/dead");
    }
  }

  /**
   * The Prometheus text of a proxy that served traffic, errors included, passes {@code promtool
   * check metrics} (Debian package prometheus). Without promtool the test fails: it cannot be
   * checked otherwise.
   */
  @Test
  void prometheusTextPassesPromtool() throws Exception {
    try (NamedBackend v1 = new NamedBackend("v1"); NamedBackend v2 = new NamedBackend("v2");
        RunningProxy p = RunningProxy.start(dir, mixed(v1, v2, closedPort()))) {
      traffic(p);
      Await.until("24 requests recorded", () -> counter(p, "http.test.downstream_rq_total") == 24);
      HttpResponse<String> r = p.adminGet("/stats/prometheus");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
      String text = r.body();
      assertThat(text)
          .contains("envoy_cluster_upstream_rq_xx_total{envoy_cluster_name=\"v1\",envoy_response_code_class=\"5\"} 2\n")
          .contains("envoy_cluster_upstream_rq_code_total{envoy_cluster_name=\"v1\",envoy_response_code=\"504\"} 1\n")
          .contains("envoy_cluster_upstream_cx_connect_fail_total{envoy_cluster_name=\"dead\"} 1\n")
          .contains("envoy_http_no_route_total{envoy_http_conn_manager_prefix=\"test\"} 0\n")
          .contains("envoy_vhost_route_upstream_rq_total{envoy_virtual_host=\"test\",envoy_route=\"split\"} 20\n")
          .contains("# TYPE envoy_cluster_upstream_rq_time histogram\n")
          .contains("envoy_runtime_num_layers 2\n");

      Path file = dir.resolve("metrics.prom");
      Files.writeString(file, text);
      Path out = dir.resolve("promtool.out");
      Process promtool = new ProcessBuilder(promtool(), "check", "metrics")
          .redirectInput(file.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(promtool.exitValue()).as(Files.readString(out)).isZero();
      assertThat(Files.readString(out)).isEmpty();
    }
  }

  private static String promtool() {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path p = Path.of(d, "promtool");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return fail("promtool is needed to check the Prometheus text: apt-get install prometheus");
  }

  @Test
  void statsFilterUsedOnlyAndJson() throws Exception {
    try (NamedBackend v1 = new NamedBackend("v1"); NamedBackend v2 = new NamedBackend("v2");
        RunningProxy p = RunningProxy.start(dir, mixed(v1, v2, closedPort()))) {
      traffic(p);
      Await.until("24 requests recorded", () -> counter(p, "http.test.downstream_rq_total") == 24);

      String text = p.adminGet("/stats").body();
      assertThat(text).contains("cluster.v1.upstream_rq_504: 1\n").contains("http.test.no_route: 0\n")
          .contains("runtime.load_success: 1\n");
      assertThat(text.lines().sorted().toList()).isEqualTo(text.lines().toList());

      String filtered = p.adminGet("/stats?filter=" + enc("^cluster\\.dead\\.upstream_(rq|cx)_(total|503)$")).body();
      assertThat(filtered).isEqualTo("cluster.dead.upstream_cx_total: 1\ncluster.dead.upstream_rq_503: 1\n"
          + "cluster.dead.upstream_rq_total: 1\n");

      String used = p.adminGet("/stats?usedonly&filter=" + enc("^http\\.")).body();
      assertThat(used).doesNotContain("no_route").contains("http.test.downstream_rq_5xx: 3\n")
          .contains("http.test.downstream_rq_time: P0(");

      JsonNode json = JSON.readTree(p.adminGet("/stats?format=json&filter=" + enc("^cluster\\.v2\\.upstream_rq_(total|time)$"))
          .body());
      JsonNode stats = json.get("stats");
      assertThat(stats.get(0).get("name").asText()).isEqualTo("cluster.v2.upstream_rq_total");
      assertThat(stats.get(1).get("histograms").get("computed_quantiles").get(0).get("name").asText())
          .isEqualTo("cluster.v2.upstream_rq_time");

      HttpResponse<String> bad = p.adminGet("/stats?filter=" + enc("(unclosed"));
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).startsWith("Invalid regex: ");
      assertThat(p.adminGet("/stats?format=xml").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void resetCountersTakesPostAndZeroesCountersAndHistogramsNotGauges() throws Exception {
    try (NamedBackend v1 = new NamedBackend("v1"); NamedBackend v2 = new NamedBackend("v2");
        RunningProxy p = RunningProxy.start(dir, mixed(v1, v2, closedPort()))) {
      traffic(p);
      Await.until("24 requests recorded", () -> counter(p, "http.test.downstream_rq_total") == 24);
      HttpResponse<String> get = p.adminGet("/reset_counters");
      assertThat(get.statusCode()).isEqualTo(405);
      assertThat(counter(p, "http.test.downstream_rq_total")).isEqualTo(24);

      assertThat(p.adminPost("/reset_counters").body()).isEqualTo("OK\n");
      String text = p.adminGet("/stats").body();
      assertThat(text).contains("http.test.downstream_rq_total: 0\n").contains("cluster.v1.upstream_rq_2xx: 0\n")
          .contains("cluster.v1.upstream_rq_time: No recorded values\n").contains("cluster.v1.membership_total: 1\n");
      // The windows are not counters: sluice stat still sees the traffic.
      JsonNode rows = JSON.readTree(p.adminGet("/stats/window").body()).get("rows");
      assertThat(row(rows, "split", null).get("requests").asLong()).isEqualTo(20);

      try (HttpConnection c = new HttpConnection(p.port())) {
        c.get("/status/500");
      }
      Await.until("the next request", () -> counter(p, "http.test.downstream_rq_total") == 1);
      assertThat(p.adminGet("/stats?filter=" + enc("^cluster\\.v1\\.upstream_rq_5xx$")).body())
          .isEqualTo("cluster.v1.upstream_rq_5xx: 1\n");
    }
  }

  /**
   * A 90/10 split over a few hundred requests with a real random source: both backends' rows,
   * their configured shares, and counts within binomial bounds that add up to the route's row.
   * Runtime weights change the share at once.
   */
  @Test
  void windowShowsEveryBackendOfASplitWithItsShare() throws Exception {
    try (NamedBackend v1 = new NamedBackend("v1"); NamedBackend v2 = new NamedBackend("v2");
        RunningProxy p = RunningProxy.start(dir, mixed(v1, v2, closedPort()))) {
      JsonNode before = JSON.readTree(p.adminGet("/stats/window").body());
      assertThat(before.get("window_seconds").asDouble()).isEqualTo(60.0);
      assertThat(row(before.get("rows"), "split", "v2").get("weight").asDouble()).isEqualTo(0.1);
      assertThat(row(before.get("rows"), "split", "v2").get("requests").asLong()).isZero();

      int n = 400;
      try (HttpConnection c = new HttpConnection(p.port())) {
        for (int i = 0; i < n; i++) {
          assertThat(c.get("/split").status()).isEqualTo(200);
        }
      }
      Await.until("400 requests recorded", () -> counter(p, "vhost.test.route.split.upstream_rq_total") == n);
      JsonNode answer = JSON.readTree(p.adminGet("/stats/window").body());
      assertThat(answer.get("span_seconds").asDouble()).isEqualTo(60.0);
      JsonNode rows = answer.get("rows");
      JsonNode route = row(rows, "split", null);
      JsonNode a = row(rows, "split", "v1");
      JsonNode b = row(rows, "split", "v2");
      assertThat(route.get("requests").asLong()).isEqualTo(n);
      assertThat(route.get("weight").isNull()).isTrue();
      assertThat(route.get("tcp_connections").isNull()).isTrue();
      assertThat(a.get("weight").asDouble()).isEqualTo(0.9);
      assertThat(b.get("weight").asDouble()).isEqualTo(0.1);
      assertThat(a.get("requests").asLong() + b.get("requests").asLong()).isEqualTo(n);
      // v2's count is Binomial(400, 0.1): mean 40, standard deviation 6; five deviations either side.
      assertThat(b.get("requests").asLong()).isBetween(10L, 70L);
      assertThat(a.get("name").asText()).isEqualTo("v1");
      assertThat(a.get("namespace").isNull()).isTrue();
      assertThat(a.get("failures").asLong()).isZero();
      assertThat(a.get("status_classes").get("2xx").asLong()).isEqualTo(a.get("requests").asLong());
      assertThat(a.get("tcp_connections").asLong()).isGreaterThanOrEqualTo(1);
      assertThat(a.get("bytes_out").asLong()).isEqualTo(2 * a.get("requests").asLong()); // "v1"
      WindowSnapshot decoded = new WindowSnapshot(0, 0, new long[6], 0, 0,
          WindowSnapshot.decodeLatency(a.get("latency").asText()), 1);
      assertThat(decoded.latency().getTotalCount()).isEqualTo(a.get("requests").asLong());
      // Rows for every configured backend, traffic or not.
      assertThat(row(rows, "dead", "dead").get("requests").asLong()).isZero();
      assertThat(row(rows, "dead", "dead").get("weight").asDouble()).isEqualTo(1.0);
      assertThat(row(rows, "test/2", "v1").get("weight").asDouble()).isEqualTo(1.0);
      assertThat(row(rows, "test/2", null).get("namespace").isNull()).isTrue();

      assertThat(p.adminPost("/runtime_modify?routing.split.v1=50&routing.split.v2=50").statusCode()).isEqualTo(200);
      assertThat(p.adminGet("/stats?filter=" + enc("^runtime\\.")).body()).isEqualTo("runtime.admin_overrides_active: 2\n"
          + "runtime.load_success: 2\nruntime.num_keys: 2\nruntime.num_layers: 2\n");
      JsonNode shifted = JSON.readTree(p.adminGet("/stats/window?span=30s").body());
      assertThat(shifted.get("span_seconds").asDouble()).isEqualTo(30.0);
      assertThat(row(shifted.get("rows"), "split", "v2").get("weight").asDouble()).isEqualTo(0.5);
      assertThat(row(shifted.get("rows"), "split", "v2").get("requests").asLong())
          .isEqualTo(b.get("requests").asLong());
    }
  }

  @Test
  void windowSpanIsCheckedAndRounded() throws Exception {
    try (RunningProxy p = RunningProxy.start(dir, new BootstrapYaml().toString())) {
      assertThat(JSON.readTree(p.adminGet("/stats/window?span=10.5s").body()).get("span_seconds").asDouble())
          .isEqualTo(11.0);
      HttpResponse<String> longer = p.adminGet("/stats/window?span=2m");
      assertThat(longer.statusCode()).isEqualTo(400);
      assertThat(longer.body()).isEqualTo("span: 2m is longer than this proxy's window (1m); ask for at most that,"
          + " or start sluice proxy with a longer --window\n");
      assertThat(p.adminGet("/stats/window?span=5s").body()).isEqualTo("span: must be between 10s and 10m, got '5s'\n");
      assertThat(p.adminGet("/stats/window?span=soon").body())
          .isEqualTo("span: expected a duration such as 30s or 1m, got 'soon'\n");
    }
  }

  /** HTTPRoute backends show as their Service and namespace; the route's row is the HTTPRoute. */
  @Test
  void windowNamesHttpRouteBackendsAfterTheirServices() throws Exception {
    String ns = "traffic-shift-demo";
    try (NamedBackend v1 = new NamedBackend("v1"); NamedBackend v2 = new NamedBackend("v2");
        ResourceProxy p = ResourceProxy.start(dir)) {
      p.apply(service(ns, "bb", 8080) + service(ns, "bb-v2", 8080) + endpointSlice(ns, "bb", v1.port())
          + endpointSlice(ns, "bb-v2", v2.port()) + linkerdRoute(ns, "bb-route", "bb", 8080, "bb=90", "bb-v2=10"));
      try (HttpConnection c = new HttpConnection(p.meshPort())) {
        for (int i = 0; i < 50; i++) {
          assertThat(c.get("/", "host: bb." + ns + ":8080").status()).isEqualTo(200);
        }
      }
      JsonNode[] rows = new JsonNode[1];
      Await.until("50 requests in the window", () -> {
        rows[0] = windowRows(p);
        return row(rows[0], ns + "/bb-route", null).get("requests").asLong() == 50;
      });
      JsonNode route = row(rows[0], ns + "/bb-route", null);
      assertThat(route.get("name").asText()).isEqualTo("bb-route");
      assertThat(route.get("namespace").asText()).isEqualTo(ns);
      JsonNode canary = row(rows[0], ns + "/bb-route", ns + "/bb-v2:8080");
      assertThat(canary.get("name").asText()).isEqualTo("bb-v2");
      assertThat(canary.get("namespace").asText()).isEqualTo(ns);
      assertThat(canary.get("weight").asDouble()).isEqualTo(0.1);
      assertThat(row(rows[0], ns + "/bb-route", ns + "/bb:8080").get("weight").asDouble()).isEqualTo(0.9);
      assertThat(p.adminGet("/stats/prometheus").body())
          .contains("envoy_cluster_upstream_rq_total{envoy_cluster_name=\"" + ns + "/bb:8080\",namespace=\"" + ns + "\"}");
    }
  }

  private static JsonNode windowRows(ResourceProxy p) {
    try {
      return JSON.readTree(p.adminGet("/stats/window").body()).get("rows");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonNode row(JsonNode rows, String route, String backend) {
    List<String> seen = new ArrayList<>();
    for (JsonNode r : rows) {
      String b = r.get("backend").isNull() ? null : r.get("backend").asText();
      seen.add(r.get("route").asText() + " -> " + b);
      if (r.get("route").asText().equals(route) && java.util.Objects.equals(b, backend)) {
        return r;
      }
    }
    throw new AssertionError("no row " + route + " -> " + backend + " in " + seen);
  }

  private static long counter(RunningProxy p, String name) {
    var m = p.proxy.stats().registry().metric(name);
    return m instanceof io.sluice.stats.Counter c ? c.value() : -1;
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
