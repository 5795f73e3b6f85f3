package io.sluice.bench;

import io.sluice.config.Documents;
import io.sluice.route.RouteConfigReader;
import io.sluice.route.RouteRequest;
import io.sluice.route.RouteResult;
import io.sluice.route.RouteTable;
import io.sluice.runtime.RuntimeSnapshot;
import io.sluice.stats.ClusterStats;
import io.sluice.stats.HttpStats;
import io.sluice.stats.RequestRecorder;
import io.sluice.stats.RouteTraffic;
import io.sluice.stats.StatsRegistry;
import io.sluice.stats.TrafficWindows;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the data plane adds to one request to record it: {@link RequestRecorder#record} for a
 * forwarded request answered 200 (listener, cluster and route counters, three latency histograms,
 * the route's and the backend's windows), as {@code ExchangeStats} calls it when an exchange
 * finishes. Latencies vary over 0.2 to 50 ms, as a real mix does; the 90/10 split's two outcomes
 * alternate as the route table would pick them.
 *
 * <p>Run with {@code bench/jmh StatsRecordingBenchmark -prof gc}: ns/op is the cost per request,
 * B/op should be 0 (a window bucket is allocated once per bucket period, not per request). The
 * two-thread case is two event loops recording into the same statistics at once.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StatsRecordingBenchmark {
  private static final int MASK = 1023;
  private static final int FORWARDED_200 =
      RequestRecorder.ROUTED | RequestRecorder.SENT | RequestRecorder.UPSTREAM_ANSWERED;

  /** The proxy's statistics, shared by every thread as event loops share them. */
  @State(Scope.Benchmark)
  public static class Proxy {
    StatsRegistry registry;
    HttpStats http;
    RouteTraffic[] routes;
    ClusterStats[] clusters;
    String[] backends;

    @Setup(Level.Trial)
    public void setUp() {
      registry = new StatsRegistry();
      TrafficWindows windows = new TrafficWindows(Duration.ofMinutes(1), System::nanoTime);
      http = registry.http("bench");
      RouteTable table = RouteConfigReader.read(
          Documents.readOne(RouteConfigYaml.oneHost(1, false), "bench", Documents.Format.YAML), "bench",
          RouteConfigReader.Options.NO_CLUSTER_VALIDATION);
      RouteRequest request = new FixedRouteRequest("bench.example.com", "/svc0/api/items", "GET");
      RouteResult v1 = null;
      RouteResult v2 = null;
      SplittableRandom random = new SplittableRandom(1);
      while (v1 == null || v2 == null) {
        RouteResult r = table.route(request, random.nextLong(), RuntimeSnapshot.EMPTY);
        if (r.clusterName(request).endsWith("v1")) {
          v1 = r;
        } else {
          v2 = r;
        }
      }
      routes = new RouteTraffic[] {RouteTraffic.of(registry, windows, v1), RouteTraffic.of(registry, windows, v2)};
      backends = new String[] {v1.clusterName(request), v2.clusterName(request)};
      clusters = new ClusterStats[] {registry.cluster(backends[0]), registry.cluster(backends[1])};
    }
  }

  /** One event loop's requests: latencies and which split entry each went to. */
  @State(Scope.Thread)
  public static class Requests {
    final long[] latencies = new long[MASK + 1];
    final int[] picks = new int[MASK + 1];
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      SplittableRandom random = new SplittableRandom(Thread.currentThread().getId());
      for (int i = 0; i <= MASK; i++) {
        latencies[i] = 200 + random.nextLong(50_000);
        picks[i] = random.nextInt(10) == 0 ? 1 : 0;
      }
    }
  }

  @Benchmark
  public void recordOneRequest(Proxy p, Requests r) {
    record(p, r);
  }

  @Benchmark
  @Threads(2)
  public void recordOneRequestTwoLoops(Proxy p, Requests r) {
    record(p, r);
  }

  private static void record(Proxy p, Requests r) {
    int i = r.next++ & MASK;
    int pick = r.picks[i];
    RequestRecorder.record(p.http, p.routes[pick], p.clusters[pick], p.backends[pick], 200, FORWARDED_200,
        r.latencies[i], 0, 120);
  }
}
