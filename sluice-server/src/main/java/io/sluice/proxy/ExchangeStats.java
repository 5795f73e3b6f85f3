package io.sluice.proxy;

import static io.sluice.stats.RequestRecorder.DIRECT_RESPONSE;
import static io.sluice.stats.RequestRecorder.NO_CLUSTER;
import static io.sluice.stats.RequestRecorder.NO_ROUTE;
import static io.sluice.stats.RequestRecorder.OVERFLOW;
import static io.sluice.stats.RequestRecorder.REDIRECT;
import static io.sluice.stats.RequestRecorder.RESET_AFTER_RESPONSE_STARTED;
import static io.sluice.stats.RequestRecorder.ROUTED;
import static io.sluice.stats.RequestRecorder.SENT;
import static io.sluice.stats.RequestRecorder.TIMEOUT;
import static io.sluice.stats.RequestRecorder.TRANSPORT_FAILURE;
import static io.sluice.stats.RequestRecorder.UPSTREAM_ANSWERED;

import io.sluice.cluster.UpstreamCluster;
import io.sluice.route.RouteResult;
import io.sluice.stats.RequestRecorder;
import io.sluice.stats.RouteTraffic;

/**
 * Reads how a finished {@link Exchange} ended (its routing decision, response flags, status,
 * bytes and time) and records it with {@link RequestRecorder}. Called once per exchange, from
 * {@code Exchange.finish}; mirrored copies are not exchanges and are not counted as requests.
 *
 * <p>What counts as a transport failure (a failure of the backend even when its status is below
 * 500): a connect failure ({@code UF}), a reset before or during the response ({@code UC}), the
 * route's timeout ({@code UT}), and a response that is not HTTP ({@code UPE}).
 */
final class ExchangeStats {
  private ExchangeStats() {}

  static void record(Exchange e, DownstreamHandler downstream, long nowNanos) {
    if (!DataPlaneStats.RECORDING) {
      return;
    }
    int outcome = 0;
    RouteTraffic route = null;
    RouteResult result = e.routeResult();
    if (result != null) {
      outcome |= ROUTED;
      switch (result.kind()) {
        case NO_ROUTE -> outcome |= NO_ROUTE;
        case REDIRECT -> outcome |= REDIRECT;
        case DIRECT_RESPONSE -> outcome |= DIRECT_RESPONSE;
        case FORWARD -> route = downstream.stats().route(result);
      }
    }
    boolean answered = e.upstreamAnswered();
    if (answered) {
      outcome |= UPSTREAM_ANSWERED;
    }
    outcome |= switch (e.flags()) {
      case ResponseFlags.NO_CLUSTER -> NO_CLUSTER;
      case ResponseFlags.UPSTREAM_OVERFLOW -> OVERFLOW;
      case ResponseFlags.UPSTREAM_CONNECTION_FAILURE, ResponseFlags.UPSTREAM_PROTOCOL_ERROR -> TRANSPORT_FAILURE;
      case ResponseFlags.UPSTREAM_CONNECTION_TERMINATION ->
          TRANSPORT_FAILURE | (answered ? RESET_AFTER_RESPONSE_STARTED : 0);
      case ResponseFlags.UPSTREAM_REQUEST_TIMEOUT -> TRANSPORT_FAILURE | TIMEOUT;
      default -> 0;
    };
    if (e.sentUpstream() && (outcome & OVERFLOW) == 0) {
      outcome |= SENT;
    }
    UpstreamCluster cluster = e.cluster();
    RequestRecorder.record(downstream.httpStats(e.listener()), route, cluster == null ? null : cluster.stats(),
        e.clusterName(), e.status(), outcome, (nowNanos - e.startNanos()) / 1000, e.bytesReceived(), e.bytesSent());
  }
}
