package io.sluice.cluster;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Picks an endpoint of a cluster for one request: {@code ROUND_ROBIN}, {@code LEAST_REQUEST}
 * (the better of two random choices, Envoy's default), or {@code RANDOM}, honouring endpoint
 * weights and skipping endpoints the outlier detector ejected. Built once per endpoint list; the
 * cluster swaps it when DNS changes the list.
 *
 * <p>Envoy's panic threshold (50%) applies: when fewer than half the endpoints are available, all
 * of them are used, on the grounds that overloading the few survivors is worse than trying the
 * ejected ones.
 */
public abstract class LoadBalancer {
  private static final int PANIC_THRESHOLD_PERCENT = 50;

  protected final UpstreamEndpoint[] endpoints;
  private final LongSupplier clock;

  LoadBalancer(List<UpstreamEndpoint> endpoints, LongSupplier clock) {
    this.endpoints = endpoints.toArray(new UpstreamEndpoint[0]);
    this.clock = clock;
  }

  /** A balancer of the given policy. */
  public static LoadBalancer of(LbPolicy policy, List<UpstreamEndpoint> endpoints, LongSupplier clock) {
    return switch (policy) {
      case ROUND_ROBIN -> new RoundRobin(endpoints, clock);
      case LEAST_REQUEST -> new LeastRequest(endpoints, clock);
      case RANDOM -> new RandomPick(endpoints, clock);
    };
  }

  /** The endpoints this balancer chooses among. */
  public List<UpstreamEndpoint> endpoints() {
    return List.of(endpoints);
  }

  /**
   * The endpoint for a request, or null when the cluster has none. {@code random} is a fresh random
   * value (policies that need randomness use its bits).
   */
  public UpstreamEndpoint choose(long random) {
    int n = endpoints.length;
    if (n == 0) {
      return null;
    }
    long now = clock.getAsLong();
    int available = 0;
    for (UpstreamEndpoint e : endpoints) {
      if (!e.ejected(now)) {
        available++;
      }
    }
    boolean panic = available * 100 < PANIC_THRESHOLD_PERCENT * n;
    return pick(random, panic ? -1 : now);
  }

  /**
   * The policy's choice. {@code now} is the clock for skipping ejected endpoints, or -1 in panic
   * mode (consider every endpoint).
   */
  abstract UpstreamEndpoint pick(long random, long now);

  boolean usable(UpstreamEndpoint e, long now) {
    return now == -1 || !e.ejected(now);
  }

  /**
   * Weighted round robin with exact proportions: a shared sequence number s, and for weights
   * w<sub>i</sub> with total W the endpoint owning {@code s mod W} in the cumulative ranges. Over
   * any W consecutive requests each endpoint gets exactly w<sub>i</sub>. Ejected endpoints are
   * skipped by trying the following sequence numbers.
   */
  static final class RoundRobin extends LoadBalancer {
    private final long[] upper;
    private final long total;
    private final AtomicLong sequence = new AtomicLong();

    RoundRobin(List<UpstreamEndpoint> endpoints, LongSupplier clock) {
      super(endpoints, clock);
      upper = cumulativeWeights(this.endpoints);
      total = upper.length == 0 ? 0 : upper[upper.length - 1];
    }

    @Override
    UpstreamEndpoint pick(long random, long now) {
      for (int attempt = 0; attempt < endpoints.length * 2; attempt++) {
        long r = Math.floorMod(sequence.getAndIncrement(), total);
        UpstreamEndpoint e = endpoints[indexOf(r)];
        if (usable(e, now)) {
          return e;
        }
      }
      for (UpstreamEndpoint e : endpoints) {
        if (usable(e, now)) {
          return e;
        }
      }
      return endpoints[0];
    }

    private int indexOf(long r) {
      int lo = 0;
      int hi = upper.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (upper[mid] > r) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo;
    }
  }

  /**
   * Envoy's least request with two choices: two endpoints drawn at random, the one with fewer
   * requests in flight wins. With unequal weights, Envoy divides by weight; so does this.
   */
  static final class LeastRequest extends LoadBalancer {
    LeastRequest(List<UpstreamEndpoint> endpoints, LongSupplier clock) {
      super(endpoints, clock);
    }

    @Override
    UpstreamEndpoint pick(long random, long now) {
      int n = endpoints.length;
      UpstreamEndpoint best = null;
      double bestLoad = Double.MAX_VALUE;
      long bits = random;
      for (int choice = 0; choice < 2; choice++) {
        for (int attempt = 0; attempt < n; attempt++) {
          int i = (int) Long.remainderUnsigned(bits, n);
          bits = mix(bits);
          UpstreamEndpoint e = endpoints[i];
          if (!usable(e, now)) {
            continue;
          }
          double load = (e.activeRequests() + 1.0) / e.weight();
          if (load < bestLoad) {
            best = e;
            bestLoad = load;
          }
          break;
        }
      }
      return best != null ? best : endpoints[(int) Long.remainderUnsigned(random, n)];
    }
  }

  /** A uniformly random endpoint, in proportion to weights. */
  static final class RandomPick extends LoadBalancer {
    private final long[] upper;
    private final long total;

    RandomPick(List<UpstreamEndpoint> endpoints, LongSupplier clock) {
      super(endpoints, clock);
      upper = cumulativeWeights(this.endpoints);
      total = upper.length == 0 ? 0 : upper[upper.length - 1];
    }

    @Override
    UpstreamEndpoint pick(long random, long now) {
      long bits = random;
      for (int attempt = 0; attempt < endpoints.length * 2; attempt++) {
        long r = Long.remainderUnsigned(bits, total);
        bits = mix(bits);
        int i = 0;
        while (upper[i] <= r) {
          i++;
        }
        if (usable(endpoints[i], now)) {
          return endpoints[i];
        }
      }
      for (UpstreamEndpoint e : endpoints) {
        if (usable(e, now)) {
          return e;
        }
      }
      return endpoints[0];
    }
  }

  /** The running sums of the endpoints' weights: endpoint i owns [upper[i-1], upper[i]). */
  static long[] cumulativeWeights(UpstreamEndpoint[] endpoints) {
    long[] upper = new long[endpoints.length];
    long sum = 0;
    for (int i = 0; i < upper.length; i++) {
      sum += endpoints[i].weight();
      upper[i] = sum;
    }
    return upper;
  }

  /** A cheap bijective mix (SplitMix64's finalizer) to get more random bits from one value. */
  public static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
