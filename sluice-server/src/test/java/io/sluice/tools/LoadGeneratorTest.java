package io.sluice.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.RunningProxy;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LoadGenerator} against real backends on loopback: its rate, its ends, its counts and its latencies. */
class LoadGeneratorTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void keepsTheTimetablesRateAndReportsEveryInterval() throws Exception {
    try (Backend b = Backend.start(BackendOptions.of("v1", 0))) {
      Reports reports = new Reports();
      LoadOptions o = LoadOptions.of(url(b, "/")).withQps(200).withConcurrency(4).withThreads(2)
          .withInterval(Duration.ofMillis(500)).withDuration(Duration.ofSeconds(2));
      try (LoadGenerator load = LoadGenerator.start(o, reports)) {
        LoadReport total = load.await(WAIT);
        assertThat(total).isNotNull();
        // 2 s at 200/s: the requests intended at 0, 5 ms, ..., 1995 ms.
        assertThat(total.goal()).isEqualTo(400);
        assertThat(total.answered() + total.unsent()).isEqualTo(400);
        assertThat(total.answered()).isGreaterThanOrEqualTo(395);
        assertThat(total.failed()).isZero();
        assertThat(total.bodies()).containsExactly(new LoadReport.BodyCount("v1_" + b.port(), total.answered()));
        assertThat(total.elapsed()).isBetween(Duration.ofMillis(1990), Duration.ofSeconds(5));
        assertThat(b.requests()).isEqualTo(total.answered());

        // A line at 0.5, 1.0 and 1.5 s, and the last one when the load ends: about 100 answers each.
        assertThat(reports.intervals).hasSize(4);
        for (LoadReport r : reports.intervals) {
          assertThat(r.summary()).isFalse();
          assertThat(r.answered()).as(r.toString()).isBetween(60L, 140L);
          assertThat(r.goal()).as(r.toString()).isBetween(60L, 140L);
        }
        assertThat(reports.intervals.stream().mapToLong(LoadReport::answered).sum()).isEqualTo(total.answered());
        assertThat(reports.intervals.stream().mapToLong(LoadReport::goal).sum()).isEqualTo(400);
        assertThat(reports.summary).isSameAs(total);
      }
    }
  }

  @Test
  void countsAnswersPerBodyThroughASluiceProxy() throws Exception {
    try (Backend v1 = Backend.start(BackendOptions.of("v1", 0).withText("v1"));
        Backend v2 = Backend.start(BackendOptions.of("v2", 0).withText("v2"));
        RunningProxy proxy = RunningProxy.start(dir, split9010(v1.port(), v2.port()))) {
      int n = 1000;
      LoadOptions o = LoadOptions.of(URI.create("http://bb:8080/")).withQps(0).withConcurrency(4).withTotal(n)
          .withProxy(URI.create("http://127.0.0.1:" + proxy.port()));
      try (LoadGenerator load = LoadGenerator.start(o, new Reports())) {
        LoadReport total = load.await(WAIT);
        assertThat(total.good()).isEqualTo(n);
        assertThat(total.bodies()).extracting(LoadReport.BodyCount::label).containsExactly("v1", "v2");
        assertThat(total.count("v1") + total.count("v2")).isEqualTo(n);
        // v2's share is binomial(1000, 0.1): mean 100, standard deviation 9.5; five of them either side.
        double sd = Math.sqrt(n * 0.1 * 0.9);
        assertThat(total.count("v2")).isBetween((long) (100 - 5 * sd), (long) (100 + 5 * sd));
        assertThat(v1.requests() + v2.requests()).isEqualTo(n);
      }
    }
  }

  @Test
  void latencyCountsFromTheIntendedSendTimeSoAStallShowsInEveryRequestItHeldUp() throws Exception {
    // Every answer is immediate except the 50th, which waits 1 s: latency 500ms±500ms, with the
    // jitter's random value 0 (wait 0) for all but that one (-1: wait just under 1 s).
    AtomicLong draws = new AtomicLong();
    try (Backend b = Backend.start(BackendOptions.of("v1", 0).withLatency(Latency.parse("500ms±500ms")),
        () -> draws.incrementAndGet() == 50 ? -1L : 0L)) {
      // One connection at 100/s for 3 s: while it is held, the ~100 requests meant for that second
      // wait, then go out one after the other, each late by what it waited.
      LoadOptions o = LoadOptions.of(url(b, "/")).withQps(100).withConcurrency(1).withTotal(300);
      try (LoadGenerator load = LoadGenerator.start(o, new Reports())) {
        LoadReport total = load.await(WAIT);
        assertThat(total.answered()).isEqualTo(300);
        LoadReport.Latencies l = total.latency();
        assertThat(l.max()).as("the stalled request").isGreaterThanOrEqualTo(999_000_000L);
        // Measured from when each request was sent, only one of 300 would be slow: p99 and p95 tiny.
        assertThat(l.p99()).as("p99 (3 of 300 above it)").isGreaterThan(900_000_000L);
        assertThat(l.p95()).as("p95 (15 of 300 above it)").isGreaterThan(700_000_000L);
        assertThat(l.p50()).as("most requests were not held up").isLessThan(300_000_000L);
      }
    }
  }

  @Test
  void aClosedLoopSendsAsFastAsAnswersComeAndStopsAtItsTotal() throws Exception {
    try (Backend b = Backend.start(BackendOptions.of("v1", 0))) {
      LoadOptions o = LoadOptions.of(url(b, "/")).withQps(0).withConcurrency(4).withThreads(2).withTotal(3000);
      try (LoadGenerator load = LoadGenerator.start(o, new Reports())) {
        LoadReport total = load.await(WAIT);
        assertThat(total.good()).isEqualTo(3000);
        assertThat(total.goal()).as("no timetable").isEqualTo(-1);
        assertThat(total.reachedPercent()).isNaN();
        assertThat(b.requests()).as("not one request more than the total").isEqualTo(3000);
        assertThat(total.elapsed()).isLessThan(Duration.ofSeconds(30));
      }
    }
  }

  @Test
  void anOpenLoadStopsAtItsTotal() throws Exception {
    try (Backend b = Backend.start(BackendOptions.of("v1", 0))) {
      LoadOptions o = LoadOptions.of(url(b, "/")).withQps(50).withConcurrency(2).withTotal(20);
      try (LoadGenerator load = LoadGenerator.start(o, new Reports())) {
        LoadReport total = load.await(WAIT);
        assertThat(total.good()).isEqualTo(20);
        assertThat(total.goal()).isEqualTo(20);
        assertThat(b.requests()).isEqualTo(20);
        // The last request is intended at 19/50 s.
        assertThat(total.elapsed()).isBetween(Duration.ofMillis(380), Duration.ofSeconds(10));
      }
    }
  }

  @Test
  void stopEndsALoadThatHasNoEnd() throws Exception {
    try (Backend b = Backend.start(BackendOptions.of("v1", 0))) {
      Reports reports = new Reports();
      LoadOptions o = LoadOptions.of(url(b, "/")).withQps(20).withInterval(Duration.ofMillis(200));
      try (LoadGenerator load = LoadGenerator.start(o, reports)) {
        assertThat(reports.first.await(30, TimeUnit.SECONDS)).isTrue();
        load.stop();
        LoadReport total = load.await(WAIT);
        assertThat(total.answered()).isPositive();
        assertThat(total.failed()).isZero();
        assertThat(b.requests()).as("nothing sent after the stop").isEqualTo(total.answered());
        assertThat(load.isFinished()).isTrue();
      }
    }
  }

  @Test
  void throughAProxyRequestsAreInAbsoluteFormOnKeptAliveConnections() throws Exception {
    try (CapturingProxy capture = new CapturingProxy()) {
      LoadOptions o = LoadOptions.of(URI.create("http://bb:8080/x?y=1")).withQps(0).withTotal(3)
          .withProxy(URI.create("http://127.0.0.1:" + capture.port())).withMethod("PUT").withBody("abc".getBytes())
          .withHeaders(List.of(Map.entry("X-Tag", "t1")));
      try (LoadGenerator load = LoadGenerator.start(o, new Reports())) {
        LoadReport total = load.await(WAIT);
        assertThat(total.good()).isEqualTo(3);
        assertThat(total.bodies()).containsExactly(new LoadReport.BodyCount("ok", 3));
      }
      assertThat(capture.requests).hasSize(3).allMatch(r -> r.equals(
          "PUT http://bb:8080/x?y=1 HTTP/1.1\r\nhost: bb:8080\r\nX-Tag: t1\r\nuser-agent: sluice-load\r\n"
              + "content-length: 3\r\n\r\nabc"));
      assertThat(capture.connections.get()).as("one kept-alive connection").isEqualTo(1);
    }
  }

  @Test
  void interimAnswersAreSkipped() throws Exception {
    try (CapturingProxy server = new CapturingProxy("HTTP/1.1 103 Early Hints\r\nlink: </s.css>\r\n\r\n")) {
      LoadOptions o = LoadOptions.of(URI.create("http://127.0.0.1:" + server.port() + "/")).withQps(0).withTotal(4);
      try (LoadGenerator load = LoadGenerator.start(o, new Reports())) {
        LoadReport total = load.await(WAIT);
        assertThat(total.good()).isEqualTo(4);
        assertThat(total.bodies()).containsExactly(new LoadReport.BodyCount("ok", 4));
      }
      assertThat(server.requests).hasSize(4);
      assertThat(server.connections.get()).isEqualTo(1);
    }
  }

  @Test
  void refusedConnectionsAndTimeoutsCountAsFailed() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    LoadOptions refused = LoadOptions.of(URI.create("http://127.0.0.1:" + closed + "/")).withQps(0).withTotal(5);
    try (LoadGenerator load = LoadGenerator.start(refused, new Reports())) {
      LoadReport total = load.await(WAIT);
      assertThat(total.failed()).isEqualTo(5);
      assertThat(total.answered()).isZero();
      assertThat(total.latency()).isNull();
    }
    try (Backend slow = Backend.start(BackendOptions.of("slow", 0).withLatency(Latency.parse("1m")))) {
      LoadOptions o = LoadOptions.of(url(slow, "/")).withQps(0).withTotal(2).withTimeout(Duration.ofMillis(200));
      try (LoadGenerator load = LoadGenerator.start(o, new Reports())) {
        LoadReport total = load.await(WAIT);
        assertThat(total.failed()).isEqualTo(2);
        assertThat(total.elapsed()).isBetween(Duration.ofMillis(400), Duration.ofSeconds(10));
      }
    }
  }

  @Test
  void answersWithA5xxStatusAreBad() throws Exception {
    try (Backend b = Backend.start(BackendOptions.of("v1", 0).withText("oops").withFailPercent(100))) {
      LoadOptions o = LoadOptions.of(url(b, "/")).withQps(0).withTotal(10);
      try (LoadGenerator load = LoadGenerator.start(o, new Reports())) {
        LoadReport total = load.await(WAIT);
        assertThat(total.bad()).isEqualTo(10);
        assertThat(total.good()).isZero();
        assertThat(total.bodies()).containsExactly(new LoadReport.BodyCount("oops", 10));
      }
    }
  }

  private static URI url(Backend b, String path) {
    return URI.create("http://127.0.0.1:" + b.port() + path);
  }

  /** A proxy listening on 127.0.0.1:0 whose listener sends 90% of bb:8080's requests to v1, 10% to v2. */
  private static String split9010(int v1, int v2) {
    return """
        static_resources:
          listeners:
          - name: mesh
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: mesh
                  http_filters: [{name: envoy.filters.http.router, typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}}]
                  route_config:
                    virtual_hosts:
                    - name: bb
                      domains: ["bb:8080"]
                      routes:
                      - match: {prefix: /}
                        route: {weighted_clusters: {clusters: [{name: v1, weight: 90}, {name: v2, weight: 10}]}}
          clusters:
          - name: v1
            connect_timeout: 1s
            load_assignment: {cluster_name: v1, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: V1}}}}]}]}
          - name: v2
            connect_timeout: 1s
            load_assignment: {cluster_name: v2, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: V2}}}}]}]}
        """.replace("V1", Integer.toString(v1)).replace("V2", Integer.toString(v2));
  }

  /** Keeps every report; {@link #first} opens at the first interval. */
  static final class Reports implements LoadListener {
    final List<LoadReport> intervals = new CopyOnWriteArrayList<>();
    final CountDownLatch first = new CountDownLatch(1);
    volatile LoadReport summary;

    @Override
    public void interval(LoadReport report) {
      intervals.add(report);
      first.countDown();
    }

    @Override
    public void finished(LoadReport s) {
      summary = s;
    }
  }

  /** A stand-in HTTP proxy that keeps each request's bytes (head and body) and answers {@code ok}. */
  private static final class CapturingProxy implements AutoCloseable {
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    private final ServerSocket server;
    private final Thread acceptor;
    private final String interim;

    CapturingProxy() throws IOException {
      this("");
    }

    /** One that sends {@code interim} (1xx answers) before each answer. */
    CapturingProxy(String interim) throws IOException {
      this.interim = interim;
      server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
      acceptor = new Thread(this::accept, "capturing-proxy");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          connections.incrementAndGet();
          Thread t = new Thread(() -> serve(s), "capturing-proxy-connection");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    private void serve(Socket s) {
      try (s) {
        InputStream in = new BufferedInputStream(s.getInputStream());
        while (true) {
          StringBuilder head = new StringBuilder();
          int length = 0;
          for (String line = line(in); line != null; line = line(in)) {
            head.append(line).append("\r\n");
            if (line.toLowerCase().startsWith("content-length:")) {
              length = Integer.parseInt(line.substring(15).trim());
            }
            if (line.isEmpty()) {
              break;
            }
          }
          if (head.length() == 0) {
            return;
          }
          String body = new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
          requests.add(head + body);
          String answer = interim + "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";
          s.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
        }
      } catch (IOException e) {
        // the client went away
      }
    }

    private static String line(InputStream in) throws IOException {
      StringBuilder sb = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          return null;
        }
        if (c != '\r') {
          sb.append((char) c);
        }
      }
      return sb.toString();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
