package io.sluice.cluster;

/**
 * A cluster's circuit-breaker limits at Envoy's {@code DEFAULT} routing priority (the only priority
 * Sluice routes at): once a limit is reached, further connections, queued requests, requests or
 * retries to the cluster fail fast instead of piling up.
 *
 * @param maxConnections connections to all endpoints together (Envoy's default 1024)
 * @param maxPendingRequests requests waiting for a connection (default 1024)
 * @param maxRequests requests in flight (default 1024)
 * @param maxRetries retries in flight (default 3, as in Envoy; not 1024)
 */
public record CircuitBreakers(long maxConnections, long maxPendingRequests, long maxRequests, long maxRetries) {
  /** Envoy's limits when a cluster sets none. */
  public static final CircuitBreakers DEFAULTS = new CircuitBreakers(1024, 1024, 1024, 3);

  public CircuitBreakers {
    check("maxConnections", maxConnections);
    check("maxPendingRequests", maxPendingRequests);
    check("maxRequests", maxRequests);
    check("maxRetries", maxRetries);
  }

  private static void check(String name, long value) {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(name + " must be a uint32, got " + value);
    }
  }
}
