package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.route.RandomSource;
import io.sluice.stats.Counter;
import io.sluice.stats.LatencyHistogram;
import io.sluice.stats.Metric;
import io.sluice.stats.StatsRegistry;
import io.sluice.stats.TrafficWindows;
import io.sluice.stats.WindowSnapshot;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * What the data plane records, through real sockets: a known mix of answers, timeouts, resets
 * and failures gives exact counters and success rates; latencies are what the proxy saw; the
 * traffic window forgets what is older than it.
 */
class StatsRecordingTest {
  private static final Duration WINDOW = Duration.ofMinutes(1);

  private static final String ROUTES = """
      - name: direct
        match: {prefix: /direct}
        direct_response: {status: 200, body: {inline_string: here}}
      - name: redirect
        match: {prefix: /redirect}
        redirect: {path_redirect: /elsewhere}
      - name: dead
        match: {prefix: /dead}
        route: {cluster: dead}
      - name: by-header
        match: {prefix: /hdr}
        route: {cluster_header: x-cluster}
      - name: mix
        match: {prefix: /s/}
        route: {cluster: good, prefix_rewrite: /, timeout: 0.2s}
      """;

  @Test
  void aKnownMixGivesExactCountersAndSuccessRate() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (TestBackend good = new TestBackend("good")) {
      String yaml = new TestBootstrap().routes(ROUTES).cluster(good).cluster("dead", "", closedPort).build();
      try (ProxyFixture f = ProxyFixture.start(yaml)) {
        try (RawClient c = new RawClient(f.port())) {
          for (int i = 0; i < 5; i++) {
            assertThat(c.get("/s/ok").status()).isEqualTo(200);
          }
          for (int i = 0; i < 3; i++) {
            assertThat(c.get("/s/status/503").status()).isEqualTo(503);
          }
          for (int i = 0; i < 2; i++) {
            assertThat(c.get("/s/status/404").status()).isEqualTo(404);
          }
          for (int i = 0; i < 2; i++) {
            assertThat(c.get("/s/delay/2000").status()).as("the route's 0.2 s timeout").isEqualTo(504);
          }
          assertThat(c.get("/s/hangup").status()).as("reset before the response").isEqualTo(503);
          assertThat(c.get("/dead").status()).as("connect failure").isEqualTo(503);
          assertThat(c.get("/hdr").status()).as("no cluster").isEqualTo(503);
          assertThat(c.get("/direct").status()).isEqualTo(200);
          assertThat(c.get("/redirect").status()).isEqualTo(301);
          assertThat(c.get("/nothing").status()).as("no route").isEqualTo(404);
        }
        try (RawClient c = new RawClient(f.port())) {
          c.write("GET /s/reset HTTP/1.1\r\nHost: test\r\n\r\n");
          assertThat(c.readHead().status()).isEqualTo(200);
          assertThat(c.discard(1000)).as("the body is cut: the upstream reset").isEqualTo(100);
        }

        StatsRegistry r = f.proxy.stats().registry();
        awaitCounters(r, Map.ofEntries(
            Map.entry("http.test.downstream_rq_total", 19L),
            Map.entry("http.test.rq_total", 19L),
            Map.entry("http.test.no_route", 1L),
            Map.entry("http.test.no_cluster", 1L),
            Map.entry("http.test.rq_redirect", 1L),
            Map.entry("http.test.rq_direct_response", 1L),
            Map.entry("http.test.downstream_rq_2xx", 7L),
            Map.entry("http.test.downstream_rq_3xx", 1L),
            Map.entry("http.test.downstream_rq_4xx", 3L),
            Map.entry("http.test.downstream_rq_5xx", 8L),
            Map.entry("http.test.downstream_cx_total", 2L),
            Map.entry("http.test.rq_reset_after_downstream_response_started", 1L)));
        awaitCounters(r, Map.ofEntries(
            Map.entry("cluster.good.upstream_rq_total", 14L),
            Map.entry("cluster.good.upstream_rq_completed", 14L),
            Map.entry("cluster.good.upstream_rq_2xx", 6L),
            Map.entry("cluster.good.upstream_rq_4xx", 2L),
            Map.entry("cluster.good.upstream_rq_5xx", 6L),
            Map.entry("cluster.good.upstream_rq_200", 6L),
            Map.entry("cluster.good.upstream_rq_404", 2L),
            Map.entry("cluster.good.upstream_rq_503", 4L),
            Map.entry("cluster.good.upstream_rq_504", 2L),
            Map.entry("cluster.good.upstream_rq_timeout", 2L),
            Map.entry("cluster.good.upstream_cx_connect_fail", 0L),
            Map.entry("cluster.dead.upstream_rq_total", 1L),
            Map.entry("cluster.dead.upstream_rq_503", 1L),
            Map.entry("cluster.dead.upstream_cx_total", 1L),
            Map.entry("cluster.dead.upstream_cx_connect_fail", 1L)));
        awaitCounters(r, Map.of(
            "vhost.test.route.mix.upstream_rq_total", 14L,
            "vhost.test.route.mix.upstream_rq_2xx", 6L,
            "vhost.test.route.mix.upstream_rq_4xx", 2L,
            "vhost.test.route.mix.upstream_rq_5xx", 6L,
            "vhost.test.route.mix.upstream_rq_timeout", 2L,
            "vhost.test.route.dead.upstream_rq_5xx", 1L,
            "vhost.test.route.by-header.upstream_rq_5xx", 1L));
        // Only whole upstream answers are timed: 5 ok, 3 x 503, 2 x 404.
        assertThat(((LatencyHistogram) r.metric("cluster.good.upstream_rq_time")).snapshot().getTotalCount())
            .isEqualTo(10);
        assertThat(((LatencyHistogram) r.metric("http.test.downstream_rq_time")).snapshot().getTotalCount())
            .isEqualTo(19);
        assertThat(r.metric("cluster.good.upstream_cx_total")).isInstanceOf(Counter.class);

        // Failures: 3 x 503, 2 timeouts, the reset before and the reset during the response; 404s succeed.
        TrafficWindows w = f.proxy.stats().windows();
        for (String backend : new String[] {null, "good"}) {
          WindowSnapshot s = w.snapshot("mix", backend, WINDOW);
          assertThat(s.requests()).isEqualTo(14);
          assertThat(s.failures()).isEqualTo(7);
          assertThat(s.successRate()).isEqualTo(0.5);
          assertThat(s.classes()).containsExactly(0, 0, 6, 0, 2, 6);
        }
        assertThat(w.snapshot("dead", "dead", WINDOW).successRate()).isEqualTo(0.0);
        assertThat(w.snapshot("by-header", null, WINDOW).failures()).isEqualTo(1);
        assertThat(w.rows()).noneMatch(row -> row.route().equals("direct") || row.route().equals("redirect"));
      }
    }
  }

  /**
   * A backend that takes 50 ms: what the proxy recorded (request start to last response byte) is
   * at least 50 ms and, request by request, no more than the client saw, within HdrHistogram's
   * precision (two significant digits: 1%).
   */
  @Test
  void latencyIsWhatTheProxySawWithinHistogramPrecision() throws Exception {
    try (TestBackend slow = new TestBackend("slow")) {
      String yaml = new TestBootstrap().routes("- {name: slow, match: {prefix: /}, route: {cluster: slow}}")
          .cluster(slow).build();
      try (ProxyFixture f = ProxyFixture.start(yaml); RawClient c = new RawClient(f.port())) {
        int n = 40;
        long[] seen = new long[n];
        for (int i = 0; i < n; i++) {
          long start = System.nanoTime();
          assertThat(c.get("/delay/50").status()).isEqualTo(200);
          seen[i] = (System.nanoTime() - start) / 1000;
        }
        Arrays.sort(seen);
        StatsRegistry r = f.proxy.stats().registry();
        awaitCounters(r, Map.of("cluster.slow.upstream_rq_completed", (long) n));
        for (Histogram h : new Histogram[] {
            f.proxy.stats().windows().snapshot("slow", "slow", WINDOW).latency(),
            ((LatencyHistogram) r.metric("cluster.slow.upstream_rq_time")).snapshot(),
            ((LatencyHistogram) r.metric("http.test.downstream_rq_time")).snapshot()}) {
          assertThat(h.getTotalCount()).isEqualTo(n);
          long p50 = h.getValueAtPercentile(50);
          long p99 = h.getValueAtPercentile(99);
          assertThat(p50).isBetween(50_000L, (long) (50_000 * 1.01) + 10_000);
          assertThat(p50).isLessThanOrEqualTo((long) (seen[n / 2] * 1.01));
          assertThat(p99).isBetween(50_000L, (long) (seen[n - 1] * 1.01));
        }
      }
    }
  }

  /** A 10 s window on a clock the test moves: requests older than the window no longer count. */
  @Test
  void theWindowRollsOldTrafficOff() throws Exception {
    AtomicLong clock = new AtomicLong();
    try (TestBackend b = new TestBackend("b")) {
      String yaml = new TestBootstrap().routes("- {name: r, match: {prefix: /}, route: {cluster: b}}").cluster(b).build();
      ProxyServer.Options options =
          new ProxyServer.Options(2, RandomSource.threadLocal(), null, null, Duration.ofSeconds(10), clock::get);
      try (ProxyFixture f = ProxyFixture.start(yaml, options); RawClient c = new RawClient(f.port())) {
        TrafficWindows w = f.proxy.stats().windows();
        for (int i = 0; i < 3; i++) {
          c.get("/status/500");
        }
        Eventually.until("3 requests recorded", () -> w.snapshot("r", "b", w.window()).requests() == 3);
        clock.set(Duration.ofSeconds(5).toNanos());
        for (int i = 0; i < 2; i++) {
          c.get("/");
        }
        Eventually.until("5 requests recorded", () -> w.snapshot("r", "b", w.window()).requests() == 5);
        assertThat(w.snapshot("r", "b", w.window()).successRate()).isEqualTo(0.4);
        assertThat(w.snapshot("r", "b", Duration.ofSeconds(5)).requests()).as("the last 5 s").isEqualTo(2);

        clock.set(Duration.ofSeconds(10).toNanos());
        WindowSnapshot s = w.snapshot("r", "b", w.window());
        assertThat(s.requests()).as("the first three rolled off").isEqualTo(2);
        assertThat(s.successRate()).isEqualTo(1.0);
        assertThat(s.seconds()).isEqualTo(10.0);
        assertThat(s.requestsPerSecond()).isEqualTo(0.2);

        clock.set(Duration.ofSeconds(15).toNanos());
        assertThat(w.snapshot("r", "b", w.window()).requests()).isZero();
        assertThat(w.snapshot("r", null, w.window()).requests()).isZero();
      }
    }
  }

  /** Mirrored copies go to their cluster but are not requests of the route, nor of a backend row. */
  @Test
  void mirroredCopiesAreNotCountedAsRequestsOfTheRoute() throws Exception {
    try (TestBackend b = new TestBackend("b"); TestBackend m = new TestBackend("m")) {
      String yaml = new TestBootstrap()
          .routes("- {name: r, match: {prefix: /}, route: {cluster: b, request_mirror_policies: [{cluster: m}]}}")
          .cluster(b).cluster(m).build();
      try (ProxyFixture f = ProxyFixture.start(yaml); RawClient c = new RawClient(f.port())) {
        for (int i = 0; i < 5; i++) {
          assertThat(c.get("/").status()).isEqualTo(200);
        }
        Eventually.until("the mirror got its copies", () -> m.requests.get() == 5);
        StatsRegistry r = f.proxy.stats().registry();
        awaitCounters(r, Map.of("vhost.test.route.r.upstream_rq_total", 5L, "cluster.b.upstream_rq_total", 5L,
            "cluster.m.upstream_rq_total", 0L, "http.test.downstream_rq_total", 5L));
        assertThat(f.proxy.stats().windows().snapshot("r", null, WINDOW).requests()).isEqualTo(5);
        assertThat(f.proxy.stats().windows().rows()).extracting(TrafficWindows.Row::backend).containsExactly("b");
      }
    }
  }

  /** Outlier ejections are counted on the cluster, and the gauges show the endpoint out. */
  @Test
  void ejectionsAreCountedAndShown() throws Exception {
    try (TestBackend good = new TestBackend("good"); TestBackend bad = new TestBackend("bad")) {
      bad.answerEverythingWith(500);
      String yaml = new TestBootstrap()
          .routes("- {match: {prefix: /}, route: {cluster: pair}}")
          .cluster("pair", "outlier_detection: {consecutive_5xx: 3, base_ejection_time: 60s, max_ejection_percent: 50}",
              good.port(), bad.port())
          .build();
      try (ProxyFixture f = ProxyFixture.start(yaml); RawClient c = new RawClient(f.port())) {
        StatsRegistry r = f.proxy.stats().registry();
        assertThat(gauge(r, "cluster.pair.membership_total")).isEqualTo(2);
        assertThat(gauge(r, "cluster.pair.membership_healthy")).isEqualTo(2);
        for (int i = 0; i < 20 && bad.requests.get() < 3; i++) {
          c.get("/");
        }
        assertThat(bad.requests.get()).isEqualTo(3);
        awaitCounters(r, Map.of("cluster.pair.outlier_detection.ejections_enforced_total", 1L,
            "cluster.pair.upstream_rq_500", 3L));
        assertThat(gauge(r, "cluster.pair.outlier_detection.ejections_active")).isEqualTo(1);
        assertThat(gauge(r, "cluster.pair.membership_healthy")).isEqualTo(1);
        assertThat(gauge(r, "cluster.pair.upstream_cx_active")).isEqualTo(2);
        assertThat(gauge(r, "cluster.pair.upstream_rq_active")).isZero();
      }
    }
  }

  private static long gauge(StatsRegistry r, String name) {
    return ((io.sluice.stats.Gauge) r.metric(name)).value();
  }

  /** Waits until every counter has its expected value (recording ends each exchange), then asserts it. */
  static void awaitCounters(StatsRegistry r, Map<String, Long> expected) {
    try {
      Eventually.until("the counters " + expected, () -> values(r, expected).equals(expected));
    } catch (AssertionError e) {
      assertThat(values(r, expected)).as("counters").containsExactlyInAnyOrderEntriesOf(expected);
    }
  }

  private static Map<String, Long> values(StatsRegistry r, Map<String, Long> names) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String name : names.keySet()) {
      Metric m = r.metric(name);
      out.put(name, m instanceof Counter c ? c.value() : 0L);
    }
    return out;
  }
}
