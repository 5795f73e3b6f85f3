package io.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.runtime.RuntimeEntry;
import io.sluice.runtime.RuntimeLayer;
import io.sluice.runtime.RuntimeSnapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WeightedPickTest {
  private static final String SPLIT =
      """
      virtual_hosts:
      - name: www
        domains: ['*']
        routes:
        - match: {prefix: /}
          route:
            weighted_clusters:
              runtime_key_prefix: split
              header_name: x-pick
              clusters:
              - {name: cluster1, weight: 30}
              - {name: cluster2, weight: 30}
              - {name: cluster3, weight: 40}
      """;

  private static String pick(RouteTable t, long random, RuntimeSnapshot rt, String... headers) {
    RouteRequest req = HeaderMapRequest.of("GET", "example.com", "/", headers);
    RouteResult r = t.route(req, random, rt);
    return r.clusterName(req);
  }

  @ParameterizedTest(name = "random {0} -> {1}")
  @CsvSource({
    "0, cluster1", "29, cluster1", "30, cluster2", "59, cluster2", "60, cluster3", "99, cluster3",
    "115, cluster1", "445, cluster2", "560, cluster3", "100, cluster1",
    // -1 is 2^64-1 as an unsigned value: 18446744073709551615 mod 100 = 15.
    "-1, cluster1"
  })
  void picksTheEntryOwningRandomModTotal(long random, String expected) {
    assertThat(pick(Tables.table(SPLIT), random, RuntimeSnapshot.EMPTY)).isEqualTo(expected);
  }

  @Test
  void runtimeKeysOverrideWeights() {
    RuntimeSnapshot rt = runtime(Map.of("split.cluster1", "0", "split.cluster2", "50", "split.cluster3", "50"));
    // total 100: [0,0) cluster1 (never), [0,50) cluster2, [50,100) cluster3
    assertThat(pick(Tables.table(SPLIT), 0, rt)).isEqualTo("cluster2");
    assertThat(pick(Tables.table(SPLIT), 49, rt)).isEqualTo("cluster2");
    assertThat(pick(Tables.table(SPLIT), 50, rt)).isEqualTo("cluster3");
    assertThat(pick(Tables.table(SPLIT), 115, rt)).isEqualTo("cluster2");
  }

  @Test
  void runtimeWeightsChangeTheTotal() {
    // Only cluster3 overridden to 140: total 200, cluster3 owns [60, 200).
    RuntimeSnapshot rt = runtime(Map.of("split.cluster3", "140"));
    assertThat(pick(Tables.table(SPLIT), 59, rt)).isEqualTo("cluster2");
    assertThat(pick(Tables.table(SPLIT), 199, rt)).isEqualTo("cluster3");
    assertThat(pick(Tables.table(SPLIT), 200, rt)).isEqualTo("cluster1");
  }

  @Test
  void unusableRuntimeValuesFallBackToConfiguredWeights() {
    RuntimeSnapshot rt = runtime(Map.of("split.cluster1", "abc", "split.cluster2", "-4", "split.cluster3", "true"));
    assertThat(pick(Tables.table(SPLIT), 115, rt)).isEqualTo("cluster1");
    assertThat(pick(Tables.table(SPLIT), 445, rt)).isEqualTo("cluster2");
    assertThat(pick(Tables.table(SPLIT), 560, rt)).isEqualTo("cluster3");
  }

  @Test
  void fractionalRuntimeWeightsAreFloored() {
    RuntimeSnapshot rt = runtime(Map.of("split.cluster1", "10.9", "split.cluster2", "0", "split.cluster3", "0.99"));
    // weights 10, 0, 0: everything goes to cluster1
    assertThat(pick(Tables.table(SPLIT), 12345, rt)).isEqualTo("cluster1");
  }

  @Test
  void headerNamePinsThePick() {
    RouteTable t = Tables.table(SPLIT);
    assertThat(pick(t, 0, RuntimeSnapshot.EMPTY, "x-pick", "445")).isEqualTo("cluster2");
    assertThat(pick(t, 0, RuntimeSnapshot.EMPTY, "x-pick", " 560 ")).isEqualTo("cluster3");
    assertThat(pick(t, 0, RuntimeSnapshot.EMPTY, "x-pick", "+75")).isEqualTo("cluster3");
    assertThat(pick(t, 0, RuntimeSnapshot.EMPTY, "x-pick", "18446744073709551615")).isEqualTo("cluster1");
  }

  @Test
  void invalidOrRepeatedPinHeaderFallsBackToTheRandomValue() {
    RouteTable t = Tables.table(SPLIT);
    assertThat(pick(t, 445, RuntimeSnapshot.EMPTY, "x-pick", "abc")).isEqualTo("cluster2");
    assertThat(pick(t, 445, RuntimeSnapshot.EMPTY, "x-pick", "-5")).isEqualTo("cluster2");
    assertThat(pick(t, 445, RuntimeSnapshot.EMPTY, "x-pick", "18446744073709551616")).isEqualTo("cluster2");
    assertThat(pick(t, 445, RuntimeSnapshot.EMPTY, "x-pick", "0", "x-pick", "0")).isEqualTo("cluster2");
  }

  @Test
  void weightZeroIsNeverPicked() {
    RouteTable t =
        Tables.table(
            """
            virtual_hosts:
            - name: www
              domains: ['*']
              routes:
              - match: {prefix: /}
                route:
                  weighted_clusters:
                    clusters:
                    - {name: a, weight: 70}
                    - {name: zero, weight: 0}
                    - {name: b, weight: 30}
            """);
    for (long r = 0; r < 1000; r++) {
      assertThat(pick(t, r, RuntimeSnapshot.EMPTY)).isNotEqualTo("zero");
    }
    assertThat(pick(t, 69, RuntimeSnapshot.EMPTY)).isEqualTo("a");
    assertThat(pick(t, 70, RuntimeSnapshot.EMPTY)).isEqualTo("b");
  }

  @Test
  void runtimeWeightsSummingToZeroFallThroughToTheNextRoute() {
    String yaml =
        """
        virtual_hosts:
        - name: www
          domains: ['*']
          routes:
          - match: {prefix: /}
            route:
              weighted_clusters:
                runtime_key_prefix: split
                clusters:
                - {name: a, weight: 50}
                - {name: b, weight: 50}
          - match: {prefix: /fallback}
            route: {cluster: fallback}
        """;
    RuntimeSnapshot rt = runtime(Map.of("split.a", "0", "split.b", "0"));
    RouteTable t = Tables.table(yaml);
    RouteRequest fallback = HeaderMapRequest.of("GET", "x", "/fallback");
    assertThat(t.route(fallback, 7, rt).clusterName(fallback)).isEqualTo("fallback");
    RouteRequest other = HeaderMapRequest.of("GET", "x", "/other");
    assertThat(t.route(other, 7, rt).kind()).isEqualTo(RouteResult.Kind.NO_ROUTE);
    assertThat(t.route(other, 7, rt).responseCode()).isEqualTo(404);
  }

  /**
   * Over many uniformly random values each entry's share matches its weight share. Bound: for n
   * draws and share p the count is Binomial(n, p); 5 standard deviations (sqrt(n p (1-p))) give a
   * false-failure probability under 1e-6 per entry, and the seed is fixed, so the test is exact.
   */
  @Test
  void sharesFollowWeights() {
    RouteTable t =
        Tables.table(
            """
            virtual_hosts:
            - name: www
              domains: ['*']
              routes:
              - match: {prefix: /}
                route:
                  weighted_clusters:
                    clusters:
                    - {name: a, weight: 1}
                    - {name: b, weight: 9}
                    - {name: c, weight: 90}
                    - {name: d, weight: 900}
            """);
    SplittableRandom random = new SplittableRandom(20261121L);
    int n = 1_000_000;
    Map<String, Integer> counts = new HashMap<>();
    RouteRequest req = HeaderMapRequest.of("GET", "x", "/");
    for (int i = 0; i < n; i++) {
      counts.merge(t.route(req, random.nextLong(), RuntimeSnapshot.EMPTY).clusterName(req), 1, Integer::sum);
    }
    Map<String, Double> shares = Map.of("a", 0.001, "b", 0.009, "c", 0.09, "d", 0.9);
    for (var e : shares.entrySet()) {
      double p = e.getValue();
      double sd = Math.sqrt(n * p * (1 - p));
      assertThat((double) counts.getOrDefault(e.getKey(), 0))
          .as("count of %s", e.getKey())
          .isBetween(n * p - 5 * sd, n * p + 5 * sd);
    }
  }

  static RuntimeSnapshot runtime(Map<String, String> values) {
    Map<String, RuntimeEntry> entries = new HashMap<>();
    values.forEach((k, v) -> entries.put(k, RuntimeEntry.parse(v)));
    return new RuntimeSnapshot(List.of(new RuntimeLayer("admin", RuntimeLayer.Kind.ADMIN, entries)));
  }
}
