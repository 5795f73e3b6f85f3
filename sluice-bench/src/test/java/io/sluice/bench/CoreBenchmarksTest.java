package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The core benchmarks set up the tables they describe and pick what they should: their setup
 * throws when a request falls through to no route or a pick finds nothing, and the picks follow
 * the weights exactly.
 */
class CoreBenchmarksTest {

  @Test
  void routeLookupBenchmarkRoutesToTheServiceItNames() {
    RouteLookupBenchmark b = new RouteLookupBenchmark();
    b.routes = 100;
    b.setUp();
  }

  @Test
  void weightedPickBenchmarkPicksTheEntryOwningEachRandomValue() {
    WeightedPickBenchmark b = new WeightedPickBenchmark();
    b.backends = 10;
    b.setUp();
    // The benchmark's random values, drawn again from its seed: entry i of weights 1..7, 1..3
    // (total 34) owns value mod 34 in [w_0 + ... + w_(i-1), w_0 + ... + w_i).
    SplittableRandom random = new SplittableRandom(20240611L);
    for (int call = 0; call < 1024; call++) {
      long r = Long.remainderUnsigned(random.nextLong(), 34);
      int expected = 0;
      long upper = RouteConfigYaml.splitWeight(0);
      while (r >= upper) {
        upper += RouteConfigYaml.splitWeight(++expected);
      }
      assertThat(b.splitEntry()).as("pick %d", call).isEqualTo(expected);
    }
    assertThat(b.routeToSplitCluster()).matches("b[0-9]");
    assertThat(b.endpointRoundRobin()).isNotNull();
    assertThat(b.endpointLeastRequest()).isNotNull();
    assertThat(b.endpointRandom()).isNotNull();
  }
}
