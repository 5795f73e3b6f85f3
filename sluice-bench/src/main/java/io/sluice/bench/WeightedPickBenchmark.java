package io.sluice.bench;

import io.sluice.cluster.LbPolicy;
import io.sluice.cluster.LoadBalancer;
import io.sluice.cluster.UpstreamEndpoint;
import io.sluice.config.Documents;
import io.sluice.route.RouteConfigReader;
import io.sluice.route.RouteRequest;
import io.sluice.route.RouteTable;
import io.sluice.route.WeightedClusters;
import io.sluice.runtime.Runtime;
import io.sluice.runtime.RuntimeEntry;
import io.sluice.runtime.RuntimeLayer;
import io.sluice.runtime.RuntimeSnapshot;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two weighted picks of a forwarded request, with 2 to 100 choices: the route's {@code
 * weighted_clusters} entry ({@link WeightedClusters#pick}, a binary search over cumulative
 * weights, or with runtime keys a sum of the runtime weights per request), and the cluster's
 * endpoint ({@link LoadBalancer#choose} for each policy, given the mixed random value as the data
 * plane passes it). Weights are unequal (1 to 7) so no case reduces to a uniform pick.
 *
 * <p>Run with {@code bench/jmh WeightedPickBenchmark -prof gc}: every pick should be 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class WeightedPickBenchmark {
  private static final int RANDOM_MASK = 1023;

  /** Entries of the split, and endpoints of the cluster. */
  @Param({"2", "10", "100"})
  public int backends;

  private final long[] randoms = new long[RANDOM_MASK + 1];
  private int next;

  private RouteRequest request;
  private WeightedClusters split;
  private WeightedClusters runtimeSplit;
  private Runtime overrides;
  private RouteTable table;
  private LoadBalancer roundRobin;
  private LoadBalancer leastRequest;
  private LoadBalancer random;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom r = new SplittableRandom(20240611L);
    for (int i = 0; i < randoms.length; i++) {
      randoms[i] = r.nextLong();
    }
    request = new FixedRouteRequest("bench.example.com", "/api/items?id=42", "GET", "user-agent", "bench");
    table = table(RouteConfigYaml.wideSplit(backends, false));
    split = splitOf(table);
    runtimeSplit = splitOf(table(RouteConfigYaml.wideSplit(backends, true)));
    // Every entry overridden, so each pick reads a runtime value per entry (the worst case).
    Map<String, RuntimeEntry> values = new HashMap<>();
    for (int i = 0; i < backends; i++) {
      values.put("routing.weights.split.b" + i, RuntimeEntry.parse(Integer.toString(8 - RouteConfigYaml.splitWeight(i))));
    }
    overrides = new RuntimeSnapshot(List.of(new RuntimeLayer("static", RuntimeLayer.Kind.STATIC, values)));

    List<UpstreamEndpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < backends; i++) {
      endpoints.add(new UpstreamEndpoint(
          InetSocketAddress.createUnresolved("10.0." + (i / 250) + "." + (i % 250 + 1), 8080), null,
          RouteConfigYaml.splitWeight(i)));
    }
    roundRobin = LoadBalancer.of(LbPolicy.ROUND_ROBIN, endpoints, System::nanoTime);
    leastRequest = LoadBalancer.of(LbPolicy.LEAST_REQUEST, endpoints, System::nanoTime);
    random = LoadBalancer.of(LbPolicy.RANDOM, endpoints, System::nanoTime);

    // A benchmark whose pick silently failed would measure the wrong thing.
    for (long v : randoms) {
      if (split.pick(request, v, RuntimeSnapshot.EMPTY) < 0 || runtimeSplit.pick(request, v, overrides) < 0
          || table.route(request, v, RuntimeSnapshot.EMPTY).clusterName(request) == null
          || roundRobin.choose(v) == null || leastRequest.choose(v) == null || random.choose(v) == null) {
        throw new IllegalStateException("a pick found nothing for random value " + v);
      }
    }
  }

  /** The route's entry from configured weights: a binary search over {@code backends} bounds. */
  @Benchmark
  public int splitEntry() {
    return split.pick(request, nextRandom(), RuntimeSnapshot.EMPTY);
  }

  /** As {@link #splitEntry} with {@code runtime_key_prefix}, every weight overridden by the runtime. */
  @Benchmark
  public int splitEntryRuntimeWeights() {
    return runtimeSplit.pick(request, nextRandom(), overrides);
  }

  /** The whole routing decision for a route with a {@code backends}-way split, to the cluster's name. */
  @Benchmark
  public String routeToSplitCluster() {
    return table.route(request, nextRandom(), RuntimeSnapshot.EMPTY).clusterName(request);
  }

  /** The endpoint by weighted round robin (a shared sequence number, binary search). */
  @Benchmark
  public UpstreamEndpoint endpointRoundRobin() {
    return roundRobin.choose(LoadBalancer.mix(nextRandom()));
  }

  /** The endpoint by least request, two random choices weighed by their weights (Envoy's default). */
  @Benchmark
  public UpstreamEndpoint endpointLeastRequest() {
    return leastRequest.choose(LoadBalancer.mix(nextRandom()));
  }

  /** The endpoint by weighted random (a linear scan of cumulative weights). */
  @Benchmark
  public UpstreamEndpoint endpointRandom() {
    return random.choose(LoadBalancer.mix(nextRandom()));
  }

  private long nextRandom() {
    return randoms[next++ & RANDOM_MASK];
  }

  private static RouteTable table(String yaml) {
    return RouteConfigReader.read(
        Documents.readOne(yaml, "bench", Documents.Format.YAML), "bench", RouteConfigReader.Options.NO_CLUSTER_VALIDATION);
  }

  private static WeightedClusters splitOf(RouteTable table) {
    return table.virtualHosts().get(0).routes().get(0).forward().weighted();
  }
}
