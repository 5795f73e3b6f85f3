package io.sluice.cluster;

import io.sluice.stats.ClusterStats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A cluster as the data plane uses it: its endpoints behind a load balancer, its circuit-breaker
 * counters, and its outlier detector. One object per cluster, shared by all event loops; the
 * balancer is replaced as a whole (one volatile write) when DNS changes the endpoints.
 *
 * <p>Circuit breakers: at most {@code max_requests} requests in flight and {@code max_connections}
 * connections open; past either, a request is answered 503 with flag {@code UO} at once. Sluice
 * does not queue requests waiting for a connection, so {@code max_pending_requests} has nothing to
 * limit.
 */
public final class UpstreamCluster {
  private final ClusterSpec spec;
  private final LongSupplier clock;
  private final ClusterStats stats;
  private final OutlierDetector outliers;
  private final AtomicInteger activeRequests = new AtomicInteger();
  private final AtomicInteger activeConnections = new AtomicInteger();
  private final LongAdder overflows = new LongAdder();
  private volatile LoadBalancer balancer;
  private volatile boolean retired;

  /**
   * @param stats the cluster's statistics ({@code cluster.<name>.*}), kept by name across reloads
   */
  public UpstreamCluster(ClusterSpec spec, List<UpstreamEndpoint> endpoints, LongSupplier clock, ClusterStats stats) {
    this.spec = spec;
    this.clock = clock;
    this.stats = stats;
    this.outliers = spec.outlierDetection() == null ? null : new OutlierDetector(spec.outlierDetection(), clock);
    this.balancer = LoadBalancer.of(spec.lbPolicy(), endpoints, clock);
  }

  /** The cluster's name. */
  public String name() {
    return spec.name();
  }

  /** The cluster's statistics, written by the requests sent to it. */
  public ClusterStats stats() {
    return stats;
  }

  /**
   * Makes this cluster the one its gauges read: {@code upstream_cx_active}, {@code
   * upstream_rq_active}, {@code membership_total}, {@code membership_healthy} and {@code
   * outlier_detection.ejections_active}. Called when it takes over its name.
   */
  public void registerGauges() {
    stats.gauge("upstream_cx_active", "Connections open to the cluster.", this::activeConnections);
    stats.gauge("upstream_rq_active", "Requests in flight to the cluster.", this::activeRequests);
    stats.gauge("membership_total", "Endpoints of the cluster.", () -> balancer.endpoints().size());
    stats.gauge("membership_healthy", "Endpoints of the cluster not ejected.",
        () -> balancer.endpoints().size() - ejectedNow());
    stats.gauge("outlier_detection.ejections_active", "Endpoints ejected now.", this::ejectedNow);
  }

  private long ejectedNow() {
    long now = clock.getAsLong();
    long n = 0;
    for (UpstreamEndpoint e : balancer.endpoints()) {
      if (e.ejected(now)) {
        n++;
      }
    }
    return n;
  }

  /** The configuration this cluster was built from. */
  public ClusterSpec spec() {
    return spec;
  }

  /** The current endpoints. */
  public List<UpstreamEndpoint> endpoints() {
    return balancer.endpoints();
  }

  /** Replaces the endpoints (after a DNS change); endpoints that stay keep their state. */
  public void updateEndpoints(List<UpstreamEndpoint> endpoints) {
    balancer = LoadBalancer.of(spec.lbPolicy(), endpoints, clock);
  }

  /** The endpoint for a request, or null when none is usable. */
  public UpstreamEndpoint choose(long random) {
    return balancer.choose(random);
  }

  /** Counts a request in, unless {@code max_requests} are already in flight. */
  public boolean tryStartRequest() {
    if (activeRequests.incrementAndGet() > spec.circuitBreakers().maxRequests()) {
      activeRequests.decrementAndGet();
      overflows.increment();
      return false;
    }
    return true;
  }

  /** A request counted by {@link #tryStartRequest} ended. */
  public void endRequest() {
    activeRequests.decrementAndGet();
  }

  /** Counts a new connection in, unless {@code max_connections} are already open. */
  public boolean tryOpenConnection() {
    if (activeConnections.incrementAndGet() > spec.circuitBreakers().maxConnections()) {
      activeConnections.decrementAndGet();
      overflows.increment();
      return false;
    }
    return true;
  }

  /** A connection counted by {@link #tryOpenConnection} closed (or failed to open). */
  public void connectionClosed() {
    activeConnections.decrementAndGet();
  }

  /** A request to {@code endpoint} got a response below 500. */
  public void onSuccess(UpstreamEndpoint endpoint) {
    if (outliers != null) {
      outliers.onSuccess(endpoint);
    }
  }

  /** A request to {@code endpoint} failed; the outlier detector may eject it. */
  public void onFailure(UpstreamEndpoint endpoint, OutlierDetector.Failure failure) {
    endpoint.failuresTotal.increment();
    if (outliers != null && outliers.onFailure(endpoint, failure, balancer.endpoints())) {
      stats.ejections.inc();
    }
  }

  public Duration connectTimeout() {
    return spec.connectTimeout();
  }

  public Duration idleTimeout() {
    return spec.idleTimeout();
  }

  public Duration maxConnectionDuration() {
    return spec.maxConnectionDuration();
  }

  /** Requests in flight. */
  public int activeRequests() {
    return activeRequests.get();
  }

  /** Connections open. */
  public int activeConnections() {
    return activeConnections.get();
  }

  /** Requests refused by a circuit breaker, all time. */
  public long overflows() {
    return overflows.sum();
  }

  /** Whether a reload removed or replaced this cluster: its idle connections close. */
  public boolean retired() {
    return retired;
  }

  /** Marks the cluster removed; in-flight requests finish, pooled connections close. */
  public void retire() {
    retired = true;
  }

  /** Nanoseconds, the clock ejections are measured on. */
  public long now() {
    return clock.getAsLong();
  }
}
