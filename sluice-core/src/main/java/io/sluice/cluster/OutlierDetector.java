package io.sluice.cluster;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Envoy's consecutive-failure outlier detection for one cluster, as {@link OutlierDetection}
 * describes it: failure streaks per endpoint (5xx, gateway failures, and local-origin failures when
 * they are split out), ejection with the {@code enforcing_*} probability when a streak reaches its
 * threshold, an ejection {@code base_ejection_time} times the endpoint's ejection count long
 * (capped at {@code max_ejection_time}), and at most {@code max_ejection_percent} of the cluster
 * ejected at once. An ejected endpoint returns by itself when its time is up.
 */
public final class OutlierDetector {
  /** What went wrong with a request, as the detectors count it. */
  public enum Failure {
    /** Connect failure, connect timeout, reset before any response (Envoy: local origin). */
    LOCAL_ORIGIN,
    /** The upstream answered 502, 503 or 504. */
    GATEWAY,
    /** The upstream answered another 5xx. */
    OTHER_5XX
  }

  private final OutlierDetection config;
  private final LongSupplier clock;

  public OutlierDetector(OutlierDetection config, LongSupplier clock) {
    this.config = config;
    this.clock = clock;
  }

  /** The failure kind of an upstream status, or null when the status is not a failure. */
  public static Failure ofStatus(int status) {
    if (status == 502 || status == 503 || status == 504) {
      return Failure.GATEWAY;
    }
    return status >= 500 && status < 600 ? Failure.OTHER_5XX : null;
  }

  /** A request to {@code endpoint} got a non-5xx response: the response streaks end. */
  public void onSuccess(UpstreamEndpoint endpoint) {
    reset(endpoint.consecutive5xx);
    reset(endpoint.consecutiveGateway);
    if (config.splitExternalLocalOriginErrors()) {
      // A response proves the connection works.
      reset(endpoint.consecutiveLocalOrigin);
    }
  }

  /**
   * A request to {@code endpoint} failed.
   *
   * @param cluster every endpoint of the cluster, for the ejection limit
   * @return whether this failure ejected the endpoint
   */
  public boolean onFailure(UpstreamEndpoint endpoint, Failure failure, List<UpstreamEndpoint> cluster) {
    boolean eject = false;
    if (failure == Failure.LOCAL_ORIGIN && config.splitExternalLocalOriginErrors()) {
      eject = reached(endpoint.consecutiveLocalOrigin, config.consecutiveLocalOriginFailure(),
          config.enforcingConsecutiveLocalOriginFailure());
    } else {
      // Unsplit, a local-origin failure is treated as the 503 Envoy would answer.
      eject |= reached(endpoint.consecutive5xx, config.consecutive5xx(), config.enforcingConsecutive5xx());
      if (failure != Failure.OTHER_5XX) {
        eject |= reached(endpoint.consecutiveGateway, config.consecutiveGatewayFailure(),
            config.enforcingConsecutiveGatewayFailure());
      } else {
        reset(endpoint.consecutiveGateway);
      }
    }
    return eject && eject(endpoint, cluster);
  }

  private static boolean reached(AtomicInteger streak, long threshold, int enforcingPercent) {
    int n = streak.incrementAndGet();
    if (n < threshold) {
      return false;
    }
    streak.set(0);
    return enforcingPercent >= 100 || ThreadLocalRandom.current().nextInt(100) < enforcingPercent;
  }

  private static void reset(AtomicInteger streak) {
    if (streak.get() != 0) {
      streak.set(0);
    }
  }

  private boolean eject(UpstreamEndpoint endpoint, List<UpstreamEndpoint> cluster) {
    long now = clock.getAsLong();
    if (endpoint.ejected(now) || !mayEjectAnother(cluster, now)) {
      return false;
    }
    int times = endpoint.ejections.incrementAndGet();
    long base = config.baseEjectionTime().toNanos();
    long cap = Math.max(config.maxEjectionTime().toNanos(), base);
    long length = times > 0 && base > cap / times ? cap : Math.min(cap, base * times);
    endpoint.ejectedUntil.set(now + Math.max(1, length));
    return true;
  }

  private boolean mayEjectAnother(List<UpstreamEndpoint> cluster, long now) {
    int ejected = 0;
    for (UpstreamEndpoint e : cluster) {
      if (e.ejected(now)) {
        ejected++;
      }
    }
    if (ejected == 0 && config.alwaysEjectOneHost()) {
      return true;
    }
    return (ejected + 1) * 100L <= (long) config.maxEjectionPercent() * cluster.size();
  }
}
