package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Traffic shifting through the proxy, on real connections with the production random source:
 * weighted splits, a {@code runtime_fraction} moved by runtime changes between batches, and
 * {@code header_name} pinning.
 *
 * <p>The statistical bounds: with n requests and a share p, the count a cluster gets is
 * Binomial(n, p), of standard deviation sqrt(n p (1 - p)). A bound of 5 standard deviations
 * either side is exceeded by a correct proxy with probability about 6e-7 per assertion, so a
 * failure means the split is wrong, not unlucky; it is still tight enough to catch a swapped or
 * ignored weight (90/10 → 100 ± 47; 50/50 instead would be 500).
 */
class TrafficSplitTest {
  private static final int N = 1000;

  @Test
  void ninetyTenSplitIsWithinFiveSigma() throws Exception {
    try (TestBackend v1 = new TestBackend("v1");
        TestBackend v2 = new TestBackend("v2");
        ProxyFixture f = ProxyFixture.start(ProxyFixture.bootstrap("""
            - match: {prefix: /}
              route:
                weighted_clusters:
                  clusters: [{name: v1, weight: 90}, {name: v2, weight: 10}]
            """, v1, v2));
        RawClient c = new RawClient(f.port())) {
      Map<String, Integer> counts = send(c, N);
      assertThat(counts.getOrDefault("v1", 0) + counts.getOrDefault("v2", 0)).isEqualTo(N);
      assertWithinFiveSigma(counts.getOrDefault("v2", 0), N, 0.10);
      // Every request went over one client connection and one upstream connection per backend.
      assertThat(v1.connections.get()).isEqualTo(1);
      assertThat(v2.connections.get()).isEqualTo(1);
    }
  }

  @Test
  void seventyThirtyZeroSplitNeverPicksTheZeroWeight() throws Exception {
    try (TestBackend a = new TestBackend("a");
        TestBackend b = new TestBackend("b");
        TestBackend c0 = new TestBackend("c");
        ProxyFixture f = ProxyFixture.start(ProxyFixture.bootstrap("""
            - match: {prefix: /}
              route:
                weighted_clusters:
                  clusters: [{name: a, weight: 70}, {name: b, weight: 30}, {name: c, weight: 0}]
            """, a, b, c0));
        RawClient c = new RawClient(f.port())) {
      Map<String, Integer> counts = send(c, N);
      assertThat(counts.getOrDefault("c", 0)).isZero();
      assertThat(c0.requests.get()).isZero();
      assertThat(counts.getOrDefault("a", 0) + counts.getOrDefault("b", 0)).isEqualTo(N);
      assertWithinFiveSigma(counts.getOrDefault("b", 0), N, 0.30);
    }
  }

  /**
   * A canary route behind {@code runtime_fraction}, shifted 0 → 100 → 50 → 0 percent with runtime
   * changes, while one keep-alive client keeps sending on the same connection: each change applies
   * from the very next request.
   */
  @Test
  void runtimeFractionFollowsTheRuntimeKeyOnTheSameConnection() throws Exception {
    try (TestBackend stable = new TestBackend("stable");
        TestBackend canary = new TestBackend("canary");
        ProxyFixture f = ProxyFixture.start(ProxyFixture.bootstrap("""
            - match:
                prefix: /
                runtime_fraction: {default_value: {numerator: 0}, runtime_key: routing.canary}
              route: {cluster: canary}
            - match: {prefix: /}
              route: {cluster: stable}
            """, stable, canary));
        RawClient c = new RawClient(f.port())) {
      assertThat(send(c, 200)).isEqualTo(Map.of("stable", 200));

      f.proxy.modifyRuntime(Map.of("routing.canary", "100"));
      assertThat(send(c, 200)).isEqualTo(Map.of("canary", 200));

      f.proxy.modifyRuntime(Map.of("routing.canary", "50"));
      Map<String, Integer> half = send(c, N);
      assertThat(half.getOrDefault("stable", 0) + half.getOrDefault("canary", 0)).isEqualTo(N);
      assertWithinFiveSigma(half.getOrDefault("canary", 0), N, 0.50);

      f.proxy.modifyRuntime(Map.of("routing.canary", ""));
      assertThat(send(c, 200)).isEqualTo(Map.of("stable", 200));
      // All of it over the one client connection, and one upstream connection per backend.
      assertThat(stable.connections.get()).isEqualTo(1);
      assertThat(canary.connections.get()).isEqualTo(1);
    }
  }

  /** Weights under {@code runtime_key_prefix} move with the runtime, on the next request. */
  @Test
  void runtimeWeightsShiftTheSplit() throws Exception {
    try (TestBackend v1 = new TestBackend("v1");
        TestBackend v2 = new TestBackend("v2");
        ProxyFixture f = ProxyFixture.start(ProxyFixture.bootstrap("""
            - match: {prefix: /}
              route:
                weighted_clusters:
                  runtime_key_prefix: split
                  clusters: [{name: v1, weight: 100}, {name: v2, weight: 0}]
            """, v1, v2));
        RawClient c = new RawClient(f.port())) {
      assertThat(send(c, 100)).isEqualTo(Map.of("v1", 100));
      f.proxy.modifyRuntime(Map.of("split.v1", "0", "split.v2", "100"));
      assertThat(send(c, 100)).isEqualTo(Map.of("v2", 100));
      f.proxy.modifyRuntime(Map.of("split.v1", "25", "split.v2", "75"));
      Map<String, Integer> counts = send(c, N);
      assertWithinFiveSigma(counts.getOrDefault("v1", 0), N, 0.25);
    }
  }

  /**
   * {@code header_name} pins a client: its header's number replaces the random value, so with
   * weights 50/50 a value of 10 (10 mod 100 < 50) always lands on the first cluster and 75 on the
   * second; without the header (or with an unusable one) the split is random again.
   */
  @Test
  void headerNamePinsTheCluster() throws Exception {
    try (TestBackend blue = new TestBackend("blue");
        TestBackend green = new TestBackend("green");
        ProxyFixture f = ProxyFixture.start(ProxyFixture.bootstrap("""
            - match: {prefix: /}
              route:
                weighted_clusters:
                  header_name: x-pin
                  clusters: [{name: blue, weight: 50}, {name: green, weight: 50}]
            """, blue, green));
        RawClient c = new RawClient(f.port())) {
      assertThat(send(c, 100, "x-pin: 10")).isEqualTo(Map.of("blue", 100));
      assertThat(send(c, 100, "x-pin: 75")).isEqualTo(Map.of("green", 100));
      assertThat(send(c, 100, "x-pin: 1049")).isEqualTo(Map.of("blue", 100));
      Map<String, Integer> unpinned = send(c, 400);
      assertWithinFiveSigma(unpinned.getOrDefault("green", 0), 400, 0.5);
      Map<String, Integer> garbage = send(c, 400, "x-pin: seventy-five");
      assertWithinFiveSigma(garbage.getOrDefault("green", 0), 400, 0.5);
    }
  }

  /** Sends {@code n} GETs on {@code c}; how many each backend answered. */
  private static Map<String, Integer> send(RawClient c, int n, String... headers) throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      RawClient.Response r = c.get("/", headers);
      assertThat(r.status()).isEqualTo(200);
      counts.merge(r.header("x-backend"), 1, Integer::sum);
    }
    return counts;
  }

  private static void assertWithinFiveSigma(int count, int n, double p) {
    double mean = n * p;
    double sigma = Math.sqrt(n * p * (1 - p));
    assertThat((double) count)
        .as("%d of %d requests for an expected share of %.2f", count, n, p)
        .isBetween(mean - 5 * sigma, mean + 5 * sigma);
  }
}
