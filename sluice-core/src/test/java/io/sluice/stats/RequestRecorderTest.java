package io.sluice.stats;

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
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.Documents;
import io.sluice.route.HeaderMapRequest;
import io.sluice.route.RouteConfigReader;
import io.sluice.route.RouteResult;
import io.sluice.route.RouteTable;
import io.sluice.runtime.RuntimeSnapshot;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Every outcome of a request, recorded: the exact statistics each one moves. */
class RequestRecorderTest {
  private static final int FORWARDED = ROUTED | SENT | UPSTREAM_ANSWERED;

  private final StatsRegistry registry = new StatsRegistry();
  private final AtomicLong clock = new AtomicLong();
  private final TrafficWindows windows = new TrafficWindows(Duration.ofMinutes(1), clock::get);
  private final HttpStats http = registry.http("ingress");
  private final ClusterStats bb = registry.cluster("demo/bb:8080");
  private final RouteTraffic route = RouteTraffic.of(registry, windows, forward());

  /** A request to an HTTPRoute's rule whose backend is demo/bb:8080. */
  private static RouteResult forward() {
    String yaml = """
        name: t
        virtual_hosts:
        - name: shop
          domains: ['*']
          routes:
          - name: demo/bb-route:rules[0].matches[0]
            match: {prefix: /}
            route:
              weighted_clusters:
                clusters: [{name: demo/bb:8080, weight: 1}]
        """;
    RouteTable table = RouteConfigReader.read(
        Documents.readOne(yaml, "t", Documents.Format.YAML), "t", RouteConfigReader.Options.NO_CLUSTER_VALIDATION);
    return table.route(HeaderMapRequest.of("GET", "shop", "/"), 0, RuntimeSnapshot.EMPTY);
  }

  private void record(int status, int outcome) {
    RequestRecorder.record(http, route, bb, "demo/bb:8080", status, outcome, 2_000, 7, 11);
  }

  @Test
  void aMixOfAnswersGivesExactCountersAndSuccessRate() {
    record(200, FORWARDED);
    record(200, FORWARDED);
    record(404, FORWARDED);
    record(503, FORWARDED);
    record(504, ROUTED | SENT | TRANSPORT_FAILURE | TIMEOUT);
    record(503, ROUTED | SENT | TRANSPORT_FAILURE); // connect failure
    record(200, FORWARDED | TRANSPORT_FAILURE | RESET_AFTER_RESPONSE_STARTED);
    record(503, ROUTED | OVERFLOW);
    clock.addAndGet(Duration.ofSeconds(1).toNanos());

    assertThat(values("http.ingress.")).containsExactlyInAnyOrderEntriesOf(Map.of(
        "http.ingress.downstream_rq_total", 8L,
        "http.ingress.rq_total", 8L,
        "http.ingress.downstream_rq_2xx", 3L,
        "http.ingress.downstream_rq_4xx", 1L,
        "http.ingress.downstream_rq_5xx", 4L,
        "http.ingress.rq_reset_after_downstream_response_started", 1L,
        "http.ingress.downstream_cx_active", 0L));
    assertThat(values("cluster.demo/bb:8080.")).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
        Map.entry("cluster.demo/bb:8080.upstream_rq_total", 7L),
        Map.entry("cluster.demo/bb:8080.upstream_rq_completed", 7L),
        Map.entry("cluster.demo/bb:8080.upstream_rq_2xx", 3L),
        Map.entry("cluster.demo/bb:8080.upstream_rq_4xx", 1L),
        Map.entry("cluster.demo/bb:8080.upstream_rq_5xx", 3L),
        Map.entry("cluster.demo/bb:8080.upstream_rq_200", 3L),
        Map.entry("cluster.demo/bb:8080.upstream_rq_404", 1L),
        Map.entry("cluster.demo/bb:8080.upstream_rq_503", 2L),
        Map.entry("cluster.demo/bb:8080.upstream_rq_504", 1L),
        Map.entry("cluster.demo/bb:8080.upstream_rq_timeout", 1L),
        Map.entry("cluster.demo/bb:8080.upstream_rq_pending_overflow", 1L),
        Map.entry("cluster.demo/bb:8080.upstream_cx_tx_bytes_total", 49L),
        Map.entry("cluster.demo/bb:8080.upstream_cx_rx_bytes_total", 55L)));
    // Only whole upstream answers are timed.
    assertThat(bb.rqTime.snapshot().getTotalCount()).isEqualTo(4);
    assertThat(values("vhost.shop.route.demo/bb-route.")).containsExactlyInAnyOrderEntriesOf(Map.of(
        "vhost.shop.route.demo/bb-route.upstream_rq_total", 8L,
        "vhost.shop.route.demo/bb-route.upstream_rq_2xx", 3L,
        "vhost.shop.route.demo/bb-route.upstream_rq_4xx", 1L,
        "vhost.shop.route.demo/bb-route.upstream_rq_5xx", 4L,
        "vhost.shop.route.demo/bb-route.upstream_rq_timeout", 1L));

    // 503, 504, connect failure, reset and overflow fail; the 404 succeeds.
    for (WindowSnapshot w : new WindowSnapshot[] {
        windows.snapshot("demo/bb-route", null, Duration.ofMinutes(1)),
        windows.snapshot("demo/bb-route", "demo/bb:8080", Duration.ofMinutes(1))}) {
      assertThat(w.requests()).isEqualTo(8);
      assertThat(w.failures()).isEqualTo(5);
      assertThat(w.successRate()).isEqualTo(3 / 8.0);
      assertThat(w.classes()).containsExactly(0, 0, 3, 0, 1, 4);
      assertThat(w.bytesIn()).isEqualTo(56);
      assertThat(w.bytesOut()).isEqualTo(88);
      assertThat(w.latency().getTotalCount()).isEqualTo(8);
    }
  }

  @Test
  void routerAnswersAreCountedOnTheListener() {
    RequestRecorder.record(http, null, null, null, 404, ROUTED | NO_ROUTE, 10, 0, 0);
    RequestRecorder.record(http, null, null, null, 301, ROUTED | REDIRECT, 10, 0, 0);
    RequestRecorder.record(http, null, null, null, 200, ROUTED | DIRECT_RESPONSE, 10, 0, 0);
    RequestRecorder.record(http, route, null, "gone", 503, ROUTED | NO_CLUSTER, 10, 0, 0);
    RequestRecorder.record(http, null, null, null, 400, 0, 10, 0, 0); // rejected before routing
    assertThat(http.downstreamRqTotal.value()).isEqualTo(5);
    assertThat(http.rqTotal.value()).isEqualTo(4);
    assertThat(http.noRoute.value()).isEqualTo(1);
    assertThat(http.rqRedirect.value()).isEqualTo(1);
    assertThat(http.rqDirectResponse.value()).isEqualTo(1);
    assertThat(http.noCluster.value()).isEqualTo(1);
    // The missing cluster is a backend of the route in the windows, failing.
    assertThat(windows.snapshot("demo/bb-route", "gone", Duration.ofMinutes(1)).failures()).isEqualTo(1);
  }

  /** A client that leaves before any answer says nothing about the backend. */
  @Test
  void aRequestTheClientAbandonedIsCountedButNotJudged() {
    record(0, ROUTED | SENT);
    assertThat(http.downstreamRqTotal.value()).isEqualTo(1);
    assertThat(bb.rqTotal.value()).isEqualTo(1);
    assertThat(bb.rqCompleted.value()).isZero();
    assertThat(windows.rows()).allSatisfy(r -> assertThat(r.window().active()).isFalse());
  }

  private Map<String, Long> values(String prefix) {
    Map<String, Long> out = new TreeMap<>();
    for (Metric m : registry.metrics()) {
      if (!m.name().startsWith(prefix)) {
        continue;
      }
      if (m instanceof Counter c && c.used()) {
        out.put(m.name(), c.value());
      } else if (m instanceof Gauge g) {
        out.put(m.name(), g.value());
      }
    }
    return out;
  }
}
