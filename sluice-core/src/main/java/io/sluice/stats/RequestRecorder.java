package io.sluice.stats;

/**
 * Records one finished request into every statistic it touches: its listener's ({@code
 * http.<prefix>.*}), its cluster's ({@code cluster.<name>.*}), its route's ({@code
 * vhost.<vh>.route.<route>.*}) and its backend's window. How the request ended is
 * given as {@code outcome}, a set of the bits below, so that recording allocates nothing and takes
 * no lock: every write goes to the calling thread's own stripe of a counter ({@link StripedLong}) or
 * histogram ({@link StripedHistogram}), looked up once per request.
 */
public final class RequestRecorder {
  /** Routing ran ({@code rq_total}). */
  public static final int ROUTED = 1;
  /** No route matched ({@code no_route}). */
  public static final int NO_ROUTE = 1 << 1;
  /** Answered with a redirect ({@code rq_redirect}). */
  public static final int REDIRECT = 1 << 2;
  /** Answered with a direct response ({@code rq_direct_response}). */
  public static final int DIRECT_RESPONSE = 1 << 3;
  /** The route's cluster does not exist ({@code no_cluster}). */
  public static final int NO_CLUSTER = 1 << 4;
  /** A circuit breaker refused the request ({@code upstream_rq_pending_overflow}). */
  public static final int OVERFLOW = 1 << 5;
  /** The request went to an endpoint of the cluster ({@code upstream_rq_total}). */
  public static final int SENT = 1 << 6;
  /** The upstream's response head arrived (the status is the upstream's). */
  public static final int UPSTREAM_ANSWERED = 1 << 7;
  /** The connection to the upstream failed, reset, or the route's timeout fired. */
  public static final int TRANSPORT_FAILURE = 1 << 8;
  /** The route's timeout fired ({@code upstream_rq_timeout}). */
  public static final int TIMEOUT = 1 << 9;
  /**
   * The upstream's response was cut after it had started going to the client ({@code
   * rq_reset_after_downstream_response_started}).
   */
  public static final int RESET_AFTER_RESPONSE_STARTED = 1 << 10;

  private RequestRecorder() {}

  /**
   * Records a request.
   *
   * @param route the recorders of the route that forwarded it, or null when it was not forwarded
   * @param cluster the statistics of its cluster, or null when the cluster does not exist
   * @param backend the cluster it was for, or null
   * @param status the status the client got, 0 when none was sent
   * @param latencyMicros from the request's first byte to the response's last
   * @param bytesIn request body bytes from the client
   * @param bytesOut response body bytes to the client
   */
  public static void record(HttpStats http, RouteTraffic route, ClusterStats cluster, String backend, int status,
      int outcome, long latencyMicros, long bytesIn, long bytesOut) {
    int stripe = StripedHistogram.stripe();
    http.downstreamRqTotal.inc(stripe);
    if ((outcome & ROUTED) != 0) {
      http.rqTotal.inc(stripe);
      if ((outcome & (NO_ROUTE | REDIRECT | DIRECT_RESPONSE | NO_CLUSTER)) != 0) {
        routerAnswer(http, outcome);
      }
    }
    if ((outcome & RESET_AFTER_RESPONSE_STARTED) != 0) {
      http.rqResetAfterResponseStarted.inc();
    }
    // The upstream's answer, or the one Sluice gave for its failure: charged to the cluster.
    boolean charged = status != 0 && (outcome & (UPSTREAM_ANSWERED | TRANSPORT_FAILURE)) != 0;
    boolean timed = (outcome & (UPSTREAM_ANSWERED | TRANSPORT_FAILURE)) == UPSTREAM_ANSWERED;
    if (status != 0) {
      http.statusClass(status).inc(stripe);
      http.downstreamRqTime.recordMicros(stripe, latencyMicros);
    }
    if (cluster != null) {
      cluster(cluster, stripe, status, outcome, charged, timed, latencyMicros, bytesIn, bytesOut);
    }
    if (route != null) {
      route(route, stripe, backend, status, outcome, timed, latencyMicros, bytesIn, bytesOut);
    }
  }

  private static void routerAnswer(HttpStats http, int outcome) {
    if ((outcome & NO_ROUTE) != 0) {
      http.noRoute.inc();
    } else if ((outcome & REDIRECT) != 0) {
      http.rqRedirect.inc();
    } else if ((outcome & DIRECT_RESPONSE) != 0) {
      http.rqDirectResponse.inc();
    } else {
      http.noCluster.inc();
    }
  }

  private static void cluster(ClusterStats cluster, int stripe, int status, int outcome, boolean charged,
      boolean timed, long latencyMicros, long bytesIn, long bytesOut) {
    if ((outcome & OVERFLOW) != 0) {
      cluster.rqOverflow.inc();
    }
    if ((outcome & SENT) == 0) {
      return;
    }
    cluster.rqTotal.inc(stripe);
    if (bytesIn != 0) {
      cluster.txBytes.add(stripe, bytesIn);
    }
    if ((outcome & TIMEOUT) != 0) {
      cluster.rqTimeout.inc();
    }
    if (charged) {
      cluster.response(stripe, status);
    }
    if ((outcome & UPSTREAM_ANSWERED) != 0 && bytesOut != 0) {
      cluster.rxBytes.add(stripe, bytesOut);
    }
    if (timed) {
      cluster.rqTime.recordMicros(stripe, latencyMicros);
    }
  }

  private static void route(RouteTraffic route, int stripe, String backend, int status, int outcome,
      boolean timed, long latencyMicros, long bytesIn, long bytesOut) {
    boolean transportFailure = (outcome & TRANSPORT_FAILURE) != 0;
    if (status == 0 && !transportFailure) {
      // The client went away before any answer: nothing to judge the route or backend by.
      return;
    }
    RouteStats stats = route.stats();
    stats.rqTotal.inc(stripe);
    if ((outcome & TIMEOUT) != 0) {
      stats.rqTimeout.inc();
    }
    if (status != 0) {
      stats.response(stripe, status);
    }
    if (timed) {
      stats.rqTime.recordMicros(stripe, latencyMicros);
    }
    // Once: the route's totals are the sum of its backends' windows.
    route.window(backend).record(stripe, route.now(), status, transportFailure, latencyMicros, bytesIn, bytesOut);
  }
}
