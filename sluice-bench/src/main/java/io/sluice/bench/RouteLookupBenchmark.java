package io.sluice.bench;

import io.sluice.config.Documents;
import io.sluice.route.RouteConfigReader;
import io.sluice.route.RouteRequest;
import io.sluice.route.RouteResult;
import io.sluice.route.RouteTable;
import io.sluice.runtime.Runtime;
import io.sluice.runtime.RuntimeEntry;
import io.sluice.runtime.RuntimeLayer;
import io.sluice.runtime.RuntimeSnapshot;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * One request's routing decision, virtual host lookup through weighted pick to cluster name, on
 * tables of 1, 100, 1,000 and 10,000 routes read from generated YAML. Routes are matched in order,
 * so each case names where in the table its request lands. Random values come from a precomputed array,
 * as the data plane passes one in per request.
 *
 * <p>Run with {@code bench/jmh RouteLookupBenchmark -prof gc}: the target is under 100 ns and 0
 * B/op for 100 routes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RouteLookupBenchmark {
  private static final int RANDOM_MASK = 1023;

  /** Routes in the table (virtual hosts for {@link #manyHostsByDomain}, services for {@link #trafficShift}). */
  @Param({"1", "100", "1000", "10000"})
  public int routes;

  private final long[] randoms = new long[RANDOM_MASK + 1];
  private int next;

  private RouteTable oneHost;
  private RouteTable oneHostRuntimeWeights;
  private RouteTable manyHosts;
  private RouteTable trafficShift;

  private Runtime weightOverrides;
  private Runtime shiftTo90;

  private RouteRequest middle;
  private RouteRequest last;
  private RouteRequest middleHost;
  private RouteRequest lastHost;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom random = new SplittableRandom(20240611L);
    for (int i = 0; i < randoms.length; i++) {
      randoms[i] = random.nextLong();
    }
    int mid = routes / 2;
    oneHost = table(RouteConfigYaml.oneHost(routes, false));
    oneHostRuntimeWeights = table(RouteConfigYaml.oneHost(routes, true));
    manyHosts = table(RouteConfigYaml.manyHosts(routes));
    trafficShift = table(RouteConfigYaml.trafficShift(routes, mid));

    String prefix = RouteConfigYaml.weightPrefix(mid) + ".svc" + mid;
    weightOverrides =
        runtime(Map.of(prefix + "-v1", RuntimeEntry.parse("70"), prefix + "-v2", RuntimeEntry.parse("30")));
    shiftTo90 = runtime(Map.of(RouteConfigYaml.shiftKey(mid), RuntimeEntry.parse("90")));

    middle = request("bench.example.com", "/svc" + mid + "/api/items?id=42");
    last = request("bench.example.com", "/svc" + (routes - 1) + "/api/items?id=42");
    middleHost = request("svc" + mid + ".example.com", "/api/items?id=42");
    lastHost = request("svc" + (routes - 1) + ".example.com", "/api/items?id=42");

    // A benchmark that silently fell through to "no route" would measure the wrong thing.
    expect(oneHost, middle, RuntimeSnapshot.EMPTY, "svc" + mid);
    expect(oneHost, last, RuntimeSnapshot.EMPTY, "svc" + (routes - 1));
    expect(oneHostRuntimeWeights, middle, weightOverrides, "svc" + mid);
    expect(manyHosts, middleHost, RuntimeSnapshot.EMPTY, "svc" + mid);
    expect(manyHosts, lastHost, RuntimeSnapshot.EMPTY, "svc" + (routes - 1));
    expect(trafficShift, middle, shiftTo90, "svc" + mid);
  }

  /** (a) Lookup and 90/10 pick; the request matches the middle route of one virtual host. */
  @Benchmark
  public void oneHostMiddleRoute(Blackhole bh) {
    consume(bh, oneHost.route(middle, nextRandom(), RuntimeSnapshot.EMPTY), middle);
  }

  /** (a) As {@link #oneHostMiddleRoute}, matching the last route: the worst case of an ordered scan. */
  @Benchmark
  public void oneHostLastRoute(Blackhole bh) {
    consume(bh, oneHost.route(last, nextRandom(), RuntimeSnapshot.EMPTY), last);
  }

  /** (b) One route per virtual host; the request's exact domain selects the middle host. */
  @Benchmark
  public void manyHostsByDomain(Blackhole bh) {
    consume(bh, manyHosts.route(middleHost, nextRandom(), RuntimeSnapshot.EMPTY), middleHost);
  }

  /**
   * (b) As {@link #manyHostsByDomain} for the last host. Hosts are hashed, not scanned, so this
   * differs from the middle host only by where the domain's hash lands (it found clustering once).
   */
  @Benchmark
  public void manyHostsLastDomain(Blackhole bh) {
    consume(bh, manyHosts.route(lastHost, nextRandom(), RuntimeSnapshot.EMPTY), lastHost);
  }

  /** (c) As {@link #oneHostMiddleRoute} with {@code runtime_key_prefix}: both weights overridden to 70/30. */
  @Benchmark
  public void runtimeWeights(Blackhole bh) {
    consume(bh, oneHostRuntimeWeights.route(middle, nextRandom(), weightOverrides), middle);
  }

  /**
   * (d) Envoy's traffic shift: the middle service's {@code runtime_fraction} route (runtime says
   * 90%) then its fallback route.
   */
  @Benchmark
  public void trafficShift(Blackhole bh) {
    consume(bh, trafficShift.route(middle, nextRandom(), shiftTo90), middle);
  }

  private long nextRandom() {
    return randoms[next++ & RANDOM_MASK];
  }

  private static void consume(Blackhole bh, RouteResult result, RouteRequest request) {
    bh.consume(result);
    bh.consume(result.clusterName(request));
  }

  private static RouteTable table(String yaml) {
    return RouteConfigReader.read(
        Documents.readOne(yaml, "bench", Documents.Format.YAML), "bench", RouteConfigReader.Options.NO_CLUSTER_VALIDATION);
  }

  private static Runtime runtime(Map<String, RuntimeEntry> values) {
    return new RuntimeSnapshot(List.of(new RuntimeLayer("static", RuntimeLayer.Kind.STATIC, values)));
  }

  private static RouteRequest request(String authority, String path) {
    return new FixedRouteRequest(authority, path, "GET", "user-agent", "bench", "x-request-id", "0f3c");
  }

  private void expect(RouteTable table, RouteRequest request, Runtime runtime, String service) {
    for (long r : randoms) {
      String cluster = table.route(request, r, runtime).clusterName(request);
      if (cluster == null || !cluster.startsWith(service + "-v")) {
        throw new IllegalStateException(request + " routed to " + cluster + ", expected a cluster of " + service);
      }
    }
  }
}
