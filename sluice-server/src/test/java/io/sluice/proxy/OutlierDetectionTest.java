package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.UpstreamCluster;
import io.sluice.cluster.UpstreamEndpoint;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Passive health checking through the proxy: a two-endpoint cluster where one endpoint always
 * fails. The ejection's length is checked exactly without waiting it out: the endpoint's ejection
 * deadline must lie between (start of the failing request + ejection time) and (its end + ejection
 * time), on the same clock the proxy uses ({@code System.nanoTime}).
 */
class OutlierDetectionTest {
  private static final Duration BASE = Duration.ofSeconds(1);
  private static final String OUTLIERS =
      "outlier_detection: {consecutive_5xx: 3, base_ejection_time: 1s, max_ejection_percent: 50}";

  @Test
  void anEndpointFailingThreeTimesIsEjectedThenReturnsAndIsEjectedLongerNextTime() throws Exception {
    try (TestBackend good = new TestBackend("good");
        TestBackend bad = new TestBackend("bad")) {
      bad.answerEverythingWith(500);
      String yaml = new TestBootstrap()
          .routes("- {match: {prefix: /}, route: {cluster: pair}}")
          .cluster("pair", OUTLIERS, good.port(), bad.port())
          .build();
      try (ProxyFixture f = ProxyFixture.start(yaml);
          RawClient c = new RawClient(f.port())) {
        UpstreamCluster pair = f.proxy.clusters().get("pair");
        UpstreamEndpoint badEndpoint = endpointOn(pair, bad.port());

        long[] window = sendUntilFailures(c, bad, 3);
        assertEjectedFor(badEndpoint, window, BASE.multipliedBy(1));
        assertThat(badEndpoint.ejectionCount()).isEqualTo(1);

        // While ejected, every request goes to the healthy endpoint.
        int badBefore = bad.requests.get();
        for (int i = 0; i < 20; i++) {
          RawClient.Response r = c.get("/");
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.header("x-backend")).isEqualTo("good");
        }
        assertThat(System.nanoTime() - badEndpoint.ejectedUntilNanos())
            .as("the 20 requests ran inside the ejection")
            .isNegative();
        assertThat(bad.requests.get()).isEqualTo(badBefore);

        // When the ejection ends it gets traffic again, fails three more times, and this second
        // ejection lasts twice the base time.
        Eventually.until("the ejection to end", () -> !badEndpoint.ejected(System.nanoTime()));
        window = sendUntilFailures(c, bad, badBefore + 3);
        assertEjectedFor(badEndpoint, window, BASE.multipliedBy(2));
        assertThat(badEndpoint.ejectionCount()).isEqualTo(2);
        assertThat(endpointOn(pair, good.port()).ejectionCount()).isZero();
      }
    }
  }

  /**
   * Connect failures count as 5xx when local-origin errors are not split (Envoy's default): an
   * endpoint nobody listens on is ejected after three, and traffic stops trying it.
   */
  @Test
  void anEndpointThatRefusesConnectionsIsEjected() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (TestBackend good = new TestBackend("good")) {
      String yaml = new TestBootstrap()
          .routes("- {match: {prefix: /}, route: {cluster: pair}}")
          .cluster("pair", OUTLIERS.replace("1s", "30s"), good.port(), closedPort)
          .build();
      try (ProxyFixture f = ProxyFixture.start(yaml);
          RawClient c = new RawClient(f.port())) {
        UpstreamEndpoint dead = endpointOn(f.proxy.clusters().get("pair"), closedPort);
        int refused = 0;
        for (int i = 0; i < 40 && refused < 3; i++) {
          refused += c.get("/").status() == 503 ? 1 : 0;
        }
        assertThat(refused).isEqualTo(3);
        assertThat(dead.ejected(System.nanoTime())).isTrue();
        for (int i = 0; i < 20; i++) {
          assertThat(c.get("/").status()).isEqualTo(200);
        }
        assertThat(dead.connectFailures()).isEqualTo(3);
      }
    }
  }

  /**
   * Sends requests until {@code bad} has answered {@code total} in all; returns the start and end
   * ({@code System.nanoTime}) of the request that made it so.
   */
  private static long[] sendUntilFailures(RawClient c, TestBackend bad, int total) throws Exception {
    for (int i = 0; i < 100; i++) {
      long before = System.nanoTime();
      RawClient.Response r = c.get("/");
      long after = System.nanoTime();
      if (r.status() == 500 && bad.requests.get() == total) {
        return new long[] {before, after};
      }
    }
    throw new AssertionError("the failing endpoint did not get " + total + " requests in 100");
  }

  private static void assertEjectedFor(UpstreamEndpoint e, long[] window, Duration length) {
    long until = e.ejectedUntilNanos();
    assertThat(e.ejected(System.nanoTime())).isTrue();
    assertThat(until - window[0]).isGreaterThanOrEqualTo(length.toNanos());
    assertThat(until - window[1]).isLessThanOrEqualTo(length.toNanos());
  }

  private static UpstreamEndpoint endpointOn(UpstreamCluster cluster, int port) {
    return cluster.endpoints().stream()
        .filter(e -> e.address().getPort() == port)
        .findFirst()
        .orElseThrow();
  }
}
