package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.UpstreamCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Upstream connections are pooled per event loop and reused across requests and client
 * connections, and a connection the upstream closed is never handed out again. The backend counts
 * the connections it accepts, so reuse is measured where it happens. The proxy runs two event
 * loops, so at most two upstream connections are ever needed for sequential traffic.
 */
class ConnectionPoolTest {
  private TestBackend backend;
  private ProxyFixture proxy;

  @BeforeEach
  void start() throws Exception {
    backend = new TestBackend("b");
    proxy = ProxyFixture.start(ProxyFixture.bootstrap("- {match: {prefix: /}, route: {cluster: b}}", backend));
  }

  @AfterEach
  void stop() {
    proxy.close();
    backend.close();
  }

  private UpstreamCluster cluster() {
    return proxy.proxy.clusters().get("b");
  }

  @Test
  void sequentialRequestsOnOneClientConnectionShareOneUpstreamConnection() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      for (int i = 0; i < 20; i++) {
        assertThat(c.get("/echo?i=" + i).status()).isEqualTo(200);
        c.write("POST /sink HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\n\r\nabc");
        assertThat(c.read().text()).isEqualTo("3");
      }
    }
    assertThat(backend.requests.get()).isEqualTo(40);
    assertThat(backend.connections.get()).isEqualTo(1);
  }

  @Test
  void clientConnectionsOneAfterAnotherReuseThePool() throws Exception {
    for (int i = 0; i < 10; i++) {
      try (RawClient c = new RawClient(proxy.port())) {
        assertThat(c.get("/").text()).isEqualTo("b");
      }
    }
    assertThat(backend.connections.get()).isBetween(1, 2);
  }

  @Test
  void twoConcurrentClientsNeedAtMostTwoUpstreamConnections() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch ready = new CountDownLatch(2);
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        results.add(pool.submit(() -> {
          try (RawClient c = new RawClient(proxy.port())) {
            ready.countDown();
            ready.await(5, TimeUnit.SECONDS);
            int ok = 0;
            for (int i = 0; i < 100; i++) {
              ok += c.get("/").status() == 200 ? 1 : 0;
            }
            return ok;
          }
        }));
      }
      for (Future<Integer> r : results) {
        assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo(100);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(backend.connections.get()).isBetween(1, 2);
  }

  /**
   * {@code Connection: close} from the upstream: that connection is closed, not pooled, and the
   * next request (a POST, which Sluice would never retry on another connection) opens a new one.
   */
  @Test
  void aConnectionTheUpstreamClosesIsNotReused() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      RawClient.Response closing = c.get("/close");
      assertThat(closing.status()).isEqualTo(200);
      assertThat(closing.header("connection")).isNull();
      c.write("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\n\r\nbody");
      RawClient.Response next = c.read();
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.text()).contains("body-bytes: 4");
    }
    assertThat(backend.connections.get()).isEqualTo(2);
  }

  /**
   * An upstream that closes an idle keep-alive connection without warning: the pool notices the
   * close and drops the connection, so the next request gets a fresh one.
   */
  @Test
  void anIdleConnectionClosedByTheUpstreamLeavesThePool() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      assertThat(c.get("/close-quietly").status()).isEqualTo(200);
      Eventually.until("the proxy to see the upstream close", () -> cluster().activeConnections() == 0);
      c.write("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\n\r\nbody");
      RawClient.Response next = c.read();
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.text()).contains("body-bytes: 4");
      assertThat(c.get("/").status()).isEqualTo(200);
    }
    assertThat(backend.connections.get()).isEqualTo(2);
    assertThat(cluster().activeConnections()).isEqualTo(1);
  }

  /**
   * A pooled connection the upstream closes as the next request arrives (its close and our request
   * crossed): the request never reached the application, so an idempotent request without a body
   * goes again on a fresh connection; anything else is answered 503 rather than risk sending it
   * twice.
   */
  @Test
  void aRequestOnAStaleConnectionIsRetriedOnlyWhenSafe() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      assertThat(c.get("/hangup-next").status()).isEqualTo(200);
      RawClient.Response retried = c.get("/echo");
      assertThat(retried.status()).isEqualTo(200);
      assertThat(backend.connections.get()).isEqualTo(2);

      assertThat(c.get("/hangup-next").status()).isEqualTo(200);
      c.write("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\n\r\nbody");
      RawClient.Response refused = c.read();
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.text()).isEqualTo(LocalReply.CONNECTION_TERMINATION);
      assertThat(backend.connections.get()).isEqualTo(2);
    }
    assertThat(backend.seen).containsExactly("GET /hangup-next", "GET /echo", "GET /hangup-next");
  }

  /** Counters return to zero: no request or connection is leaked by the pool's bookkeeping. */
  @Test
  void countersBalanceAfterTraffic() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.get("/");
      c.get("/close");
      c.get("/status/503");
      c.get("/hangup");
      c.get("/");
    }
    Eventually.until("no request in flight", () -> cluster().activeRequests() == 0);
    assertThat(cluster().endpoints().get(0).activeRequests()).isZero();
    assertThat(cluster().activeConnections()).isEqualTo(cluster().endpoints().get(0).activeConnections());
    assertThat(cluster().activeConnections()).isBetween(0, 1);
  }
}
