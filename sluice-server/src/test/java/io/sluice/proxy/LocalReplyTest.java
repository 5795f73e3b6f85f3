package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.UpstreamCluster;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The answers Sluice gives itself when it cannot forward, or when forwarding fails: each with its
 * status, its short plain-text body and its access-log response flag, on real sockets.
 */
class LocalReplyTest {
  @TempDir Path dir;

  private Path log() {
    return dir.resolve("access.log");
  }

  @Test
  void noRouteIs404WithFlagNR() throws Exception {
    try (TestBackend b = new TestBackend("b");
        ProxyFixture f = ProxyFixture.withAccessLog(
            ProxyFixture.bootstrap("- {match: {prefix: /api}, route: {cluster: b}}", b), null, log());
        RawClient c = new RawClient(f.port())) {
      RawClient.Response r = c.get("/nowhere");
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.text()).isEqualTo(LocalReply.NO_ROUTE);
      assertThat(r.header("content-type")).isEqualTo("text/plain");
      assertThat(Eventually.accessLogLine(log(), "\"GET /nowhere HTTP/1.1\"")).contains("\" 404 NR ");
      // A local answer keeps the connection: the next request on it is served.
      assertThat(c.get("/api").text()).isEqualTo("b");
      assertThat(b.requests.get()).isEqualTo(1);
    }
  }

  @Test
  void connectionRefusedIs503WithFlagUF() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String yaml = new TestBootstrap()
        .routes("- {match: {prefix: /}, route: {cluster: dead}}")
        .cluster("dead", "", closedPort)
        .build();
    try (ProxyFixture f = ProxyFixture.withAccessLog(yaml, null, log());
        RawClient c = new RawClient(f.port())) {
      RawClient.Response r = c.get("/refused");
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.text()).isEqualTo(LocalReply.CONNECT_FAILURE);
      assertThat(Eventually.accessLogLine(log(), "\"GET /refused HTTP/1.1\"")).contains("\" 503 UF ");
      assertThat(f.proxy.clusters().get("dead").endpoints().get(0).connectFailures()).isEqualTo(1);
    }
  }

  @Test
  void clusterWithoutEndpointsIs503NoHealthyUpstreamWithFlagUH() throws Exception {
    String yaml = new TestBootstrap()
        .routes("- {match: {prefix: /}, route: {cluster: empty}}")
        .cluster("empty", "")
        .build();
    try (ProxyFixture f = ProxyFixture.withAccessLog(yaml, null, log());
        RawClient c = new RawClient(f.port())) {
      RawClient.Response r = c.get("/nobody");
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.text()).isEqualTo(LocalReply.NO_HEALTHY_UPSTREAM);
      assertThat(Eventually.accessLogLine(log(), "\"GET /nobody HTTP/1.1\"")).contains("\" 503 UH ");
      assertThat(f.proxy.clusters().get("empty").activeRequests()).isZero();
    }
  }

  @Test
  void unknownClusterFromHeaderIs503WithFlagNC() throws Exception {
    try (TestBackend b = new TestBackend("b");
        ProxyFixture f = ProxyFixture.withAccessLog(
            ProxyFixture.bootstrap("- {match: {prefix: /}, route: {cluster_header: x-cluster}}", b), null, log());
        RawClient c = new RawClient(f.port())) {
      RawClient.Response r = c.get("/unknown", "x-cluster: nonesuch");
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.text()).isEqualTo(LocalReply.NO_CLUSTER);
      assertThat(Eventually.accessLogLine(log(), "\"GET /unknown HTTP/1.1\"")).contains("\" 503 NC ");
      RawClient.Response missing = c.get("/missing");
      assertThat(missing.status()).isEqualTo(503);
      assertThat(Eventually.accessLogLine(log(), "\"GET /missing HTTP/1.1\"")).contains("\" 503 NC ");
      assertThat(c.get("/known", "x-cluster: b").text()).isEqualTo("b");
    }
  }

  @Test
  void routeTimeoutIs504WithFlagUT() throws Exception {
    try (TestBackend b = new TestBackend("b");
        ProxyFixture f = ProxyFixture.withAccessLog(
            ProxyFixture.bootstrap("- {match: {prefix: /}, route: {cluster: b, timeout: 0.2s}}", b), null, log());
        RawClient c = new RawClient(f.port())) {
      long start = System.nanoTime();
      RawClient.Response r = c.get("/delay/5000");
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(r.status()).isEqualTo(504);
      assertThat(r.text()).isEqualTo(LocalReply.TIMEOUT);
      assertThat(tookMillis).isBetween(190L, 4000L);
      assertThat(Eventually.accessLogLine(log(), "\"GET /delay/5000 HTTP/1.1\"")).contains("\" 504 UT ");
      // The timed-out upstream connection is not reused: the next request gets a fresh answer.
      assertThat(c.get("/fast").text()).isEqualTo("b");
    }
  }

  /**
   * A keep-alive connection has one timer for its requests' timeouts, moved only when a deadline
   * comes sooner: after requests with a long timeout, a request with a short one still times out
   * on time, and a later long-timeout request is not cut by the earlier, shorter deadline.
   */
  @Test
  void eachRequestOnAConnectionGetsItsOwnRouteTimeout() throws Exception {
    String routes = "- {match: {prefix: /, headers: [{name: x-short, present_match: true}]},"
        + " route: {cluster: b, timeout: 0.3s}}\n"
        + "- {match: {prefix: /}, route: {cluster: b, timeout: 30s}}";
    try (TestBackend b = new TestBackend("b");
        ProxyFixture f = ProxyFixture.withAccessLog(ProxyFixture.bootstrap(routes, b), null, log());
        RawClient c = new RawClient(f.port())) {
      for (int i = 0; i < 3; i++) {
        assertThat(c.get("/fast").text()).isEqualTo("b");
      }
      long start = System.nanoTime();
      RawClient.Response r = c.get("/delay/5000", "x-short: 1");
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(r.status()).isEqualTo(504);
      assertThat(tookMillis).isBetween(290L, 4000L);
      // The 0.3 s deadline is gone with its request: one taking longer under a 30 s timeout is
      // answered by the backend.
      RawClient.Response slow = c.get("/delay/600");
      assertThat(slow.status()).isEqualTo(200);
      assertThat(slow.text()).isEqualTo("b");
    }
  }

  /**
   * Envoy's route timeout runs from the end of the request, connecting included. The upstream here
   * is a listening socket whose accept queue is full, so the kernel drops our SYNs and the connect
   * hangs (up to its own 5 s timeout): the route's 0.3 s must still answer 504.
   */
  @Test
  void theRouteTimeoutCoversConnecting() throws Exception {
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket s1 = new Socket();
        Socket s2 = new Socket();
        Socket s3 = new Socket()) {
      // Fill the accept queue; nobody ever accepts. (Up to backlog + 1 connections are queued.)
      for (Socket s : new Socket[] {s1, s2, s3}) {
        try {
          s.connect(full.getLocalSocketAddress(), 300);
        } catch (SocketTimeoutException e) {
          // The queue is full already.
        }
      }
      String yaml = new TestBootstrap()
          .routes("- {match: {prefix: /}, route: {cluster: slow, timeout: 0.3s}}")
          .cluster("slow", "connect_timeout: 5s", full.getLocalPort())
          .build();
      try (ProxyFixture f = ProxyFixture.withAccessLog(yaml, null, log());
          RawClient c = new RawClient(f.port())) {
        long start = System.nanoTime();
        RawClient.Response r = c.get("/connecting");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.status()).isEqualTo(504);
        assertThat(r.text()).isEqualTo(LocalReply.TIMEOUT);
        assertThat(tookMillis).isBetween(290L, 3000L);
        assertThat(Eventually.accessLogLine(log(), "\"GET /connecting HTTP/1.1\"")).contains("\" 504 UT ");
        // The connection was indeed never made: the timeout fired while connecting.
        assertThat(f.proxy.clusters().get("slow").endpoints().get(0).activeConnections()).isZero();
      }
    }
  }

  @Test
  void upstreamClosingBeforeHeadersIs503WithFlagUC() throws Exception {
    try (TestBackend b = new TestBackend("b");
        ProxyFixture f = ProxyFixture.withAccessLog(
            ProxyFixture.bootstrap("- {match: {prefix: /}, route: {cluster: b}}", b), null, log());
        RawClient c = new RawClient(f.port())) {
      RawClient.Response r = c.get("/hangup");
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.text()).isEqualTo(LocalReply.CONNECTION_TERMINATION);
      assertThat(Eventually.accessLogLine(log(), "\"GET /hangup HTTP/1.1\"")).contains("\" 503 UC ");
    }
  }

  @Test
  void anInvalidUpstreamResponseIs502WithFlagUPE() throws Exception {
    try (TestBackend b = new TestBackend("b");
        ProxyFixture f = ProxyFixture.withAccessLog(
            ProxyFixture.bootstrap("- {match: {prefix: /}, route: {cluster: b}}", b), null, log());
        RawClient c = new RawClient(f.port())) {
      RawClient.Response r = c.get("/garbage");
      assertThat(r.status()).isEqualTo(502);
      assertThat(r.header("content-type")).isEqualTo("text/plain");
      assertThat(Eventually.accessLogLine(log(), "\"GET /garbage HTTP/1.1\"")).contains("\" 502 UPE ");
      assertThat(c.get("/").text()).isEqualTo("b");
    }
  }

  /**
   * A client that goes away while its request is at the upstream: the upstream connection is
   * closed (its answer can no longer go anywhere, and must not be read by the next exchange), the
   * request is logged with {@code DC}, and the counters return to zero.
   */
  @Test
  void aClientGoingAwayIsLoggedDCAndItsUpstreamConnectionClosed() throws Exception {
    try (TestBackend b = new TestBackend("b");
        ProxyFixture f = ProxyFixture.withAccessLog(
            ProxyFixture.bootstrap("- {match: {prefix: /}, route: {cluster: b}}", b), null, log())) {
      try (RawClient c = new RawClient(f.port())) {
        c.write("GET /delay/2000 HTTP/1.1\r\nHost: test\r\n\r\n");
        Eventually.until("the request to reach the backend", () -> b.requests.get() == 1);
      }
      assertThat(Eventually.accessLogLine(log(), "\"GET /delay/2000 HTTP/1.1\"")).contains("\" 0 DC ");
      UpstreamCluster cluster = f.proxy.clusters().get("b");
      Eventually.until("the upstream connection to close", () -> cluster.activeConnections() == 0);
      assertThat(cluster.activeRequests()).isZero();
      try (RawClient c = new RawClient(f.port())) {
        assertThat(c.get("/").text()).isEqualTo("b");
      }
      assertThat(b.connections.get()).isEqualTo(2);
    }
  }

  /**
   * The upstream promises 1000 bytes and closes after 100: the client cannot be told with a
   * status any more, so its connection must close too, leaving it a visibly truncated body rather
   * than a connection that waits forever for 900 bytes (or worse, carries on).
   */
  @Test
  void upstreamClosingMidBodyClosesTheClientConnectionWithFlagUC() throws Exception {
    try (TestBackend b = new TestBackend("b");
        ProxyFixture f = ProxyFixture.withAccessLog(
            ProxyFixture.bootstrap("- {match: {prefix: /}, route: {cluster: b}}", b), null, log());
        RawClient c = new RawClient(f.port())) {
      c.setReadTimeout(5_000);
      c.write("GET /reset HTTP/1.1\r\nHost: test\r\n\r\n");
      RawClient.Response head = c.readHead();
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("content-length")).isEqualTo("1000");
      assertThat(c.discard(1000)).isEqualTo(100);
      assertThat(Eventually.accessLogLine(log(), "\"GET /reset HTTP/1.1\"")).contains("\" 200 UC ");
    }
    try (TestBackend b = new TestBackend("b");
        ProxyFixture f = ProxyFixture.withAccessLog(
            ProxyFixture.bootstrap("- {match: {prefix: /}, route: {cluster: b}}", b), null, log());
        RawClient c = new RawClient(f.port())) {
      c.setReadTimeout(5_000);
      c.write("GET /reset-chunked HTTP/1.1\r\nHost: test\r\n\r\n");
      RawClient.Response head = c.readHead();
      assertThat(head.header("transfer-encoding")).isEqualTo("chunked");
      // The 100 bytes as one chunk, and no terminating chunk: the client sees the truncation.
      String rest = c.readToEnd();
      assertThat(rest).startsWith("64\r\n").doesNotContain("\r\n0\r\n\r\n");
      assertThat(Eventually.accessLogLine(log(), "\"GET /reset-chunked HTTP/1.1\"")).contains("\" 200 UC ");
    }
  }

  @Test
  void circuitBreakerFullIs503WithFlagUO() throws Exception {
    try (TestBackend b = new TestBackend("b")) {
      String yaml = new TestBootstrap()
          .routes("- {match: {prefix: /}, route: {cluster: b}}")
          .cluster("b", "circuit_breakers: {thresholds: [{max_requests: 1}]}", b.port())
          .build();
      try (ProxyFixture f = ProxyFixture.withAccessLog(yaml, null, log());
          RawClient slow = new RawClient(f.port());
          RawClient second = new RawClient(f.port())) {
        slow.write("GET /delay/500 HTTP/1.1\r\nHost: test\r\n\r\n");
        Eventually.until("the slow request to reach the backend", () -> b.requests.get() == 1);
        RawClient.Response refused = second.get("/overflow");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.text()).isEqualTo(LocalReply.OVERFLOW);
        assertThat(Eventually.accessLogLine(log(), "\"GET /overflow HTTP/1.1\"")).contains("\" 503 UO ");
        assertThat(slow.read().status()).isEqualTo(200);
        assertThat(b.requests.get()).isEqualTo(1);
        // The slot is free again once the slow request ended (which the proxy records just after
        // the response's last byte went out).
        Eventually.until("the slow request to end", () -> f.proxy.clusters().get("b").activeRequests() == 0);
        assertThat(second.get("/after").status()).isEqualTo(200);
        assertThat(f.proxy.clusters().get("b").overflows()).isEqualTo(1);
      }
    }
  }
}
