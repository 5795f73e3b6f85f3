package io.sluice.cluster;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One resolved address of a cluster, with the state the data plane keeps about it: requests and
 * connections in flight (for least-request balancing and {@code /clusters}), and the outlier
 * detector's failure streak and ejection. Shared by every event loop, so all of it is atomic.
 */
public final class UpstreamEndpoint {
  private final InetSocketAddress address;
  private final String hostname;
  private final int weight;

  final AtomicInteger activeRequests = new AtomicInteger();
  final AtomicInteger activeConnections = new AtomicInteger();
  final LongAdder requestsTotal = new LongAdder();
  final LongAdder failuresTotal = new LongAdder();
  final LongAdder connectFailures = new LongAdder();
  final AtomicInteger consecutive5xx = new AtomicInteger();
  final AtomicInteger consecutiveGateway = new AtomicInteger();
  final AtomicInteger consecutiveLocalOrigin = new AtomicInteger();
  final AtomicInteger ejections = new AtomicInteger();
  /** When the current ejection ends ({@link System#nanoTime} scale), or 0 when not ejected. */
  final AtomicLong ejectedUntil = new AtomicLong();

  public UpstreamEndpoint(InetSocketAddress address, String hostname, int weight) {
    if (weight < 1) {
      throw new IllegalArgumentException("endpoint weight must be at least 1, got " + weight);
    }
    this.address = address;
    this.hostname = hostname;
    this.weight = weight;
  }

  /** The address connections go to. */
  public InetSocketAddress address() {
    return address;
  }

  /** The configured hostname, or null (used by {@code auto_host_rewrite}). */
  public String hostname() {
    return hostname;
  }

  /** The load-balancing weight (at least 1). */
  public int weight() {
    return weight;
  }

  /** Whether the outlier detector has this endpoint ejected at {@code nowNanos}. */
  public boolean ejected(long nowNanos) {
    long until = ejectedUntil.get();
    return until != 0 && nowNanos - until < 0;
  }

  /** Requests in flight. */
  public int activeRequests() {
    return activeRequests.get();
  }

  /** Open connections. */
  public int activeConnections() {
    return activeConnections.get();
  }

  /** Requests sent, all time. */
  public long requestsTotal() {
    return requestsTotal.sum();
  }

  /** Failed requests (connect failures, resets, 5xx), all time. */
  public long failuresTotal() {
    return failuresTotal.sum();
  }

  /** Failed connection attempts, all time. */
  public long connectFailures() {
    return connectFailures.sum();
  }

  /** How many times the outlier detector ejected this endpoint. */
  public int ejectionCount() {
    return ejections.get();
  }

  /** 5xx responses (and unsplit local-origin failures) in a row. */
  public int consecutive5xx() {
    return consecutive5xx.get();
  }

  /** When the current ejection ends ({@link System#nanoTime} scale), or 0 if never ejected. */
  public long ejectedUntilNanos() {
    return ejectedUntil.get();
  }

  /** A request to this endpoint starts. */
  public void requestStarted() {
    activeRequests.incrementAndGet();
    requestsTotal.increment();
  }

  /** A request to this endpoint ended (whatever its outcome). */
  public void requestEnded() {
    activeRequests.decrementAndGet();
  }

  /** A connection to this endpoint opened. */
  public void connectionOpened() {
    activeConnections.incrementAndGet();
  }

  /** A connection to this endpoint closed. */
  public void connectionClosed() {
    activeConnections.decrementAndGet();
  }

  /** A connection attempt failed. */
  public void connectFailed() {
    connectFailures.increment();
  }

  @Override
  public String toString() {
    return address.getHostString() + ":" + address.getPort();
  }
}
