package io.sluice.cli;

import static io.sluice.cli.StatFixtures.answer;
import static io.sluice.cli.StatFixtures.backend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.stats.WindowSnapshot;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Summing the answers of several proxies, and choosing the rows to show. */
class StatRowsTest {
  private static final String ROUTE = "traffic-shift-demo/bb-route";

  @Test
  void twoProxiesRowsAddUpExactly() {
    WindowAnswer a = WindowAnswer.parse(answer(60, 60, List.of(
        backend(ROUTE, "traffic-shift-demo/bb:8080", "bb", "traffic-shift-demo", 0.9, 1L, 541, 3, 800, 60),
        backend(ROUTE, "traffic-shift-demo/bb-v2:8080", "bb-v2", "traffic-shift-demo", 0.1, 1L, 59, 0, 900, 60))));
    WindowAnswer b = WindowAnswer.parse(answer(60, 60, List.of(
        backend(ROUTE, "traffic-shift-demo/bb-v2:8080", "bb-v2", "traffic-shift-demo", 0.1, 2L, 61, 1, 900, 30),
        backend(ROUTE, "traffic-shift-demo/bb:8080", "bb", "traffic-shift-demo", 0.9, null, 539, 0, 800, 30),
        backend("www2/0", "helloworld_v1", "helloworld_v1", null, null, null, 7, 0, 100, 30))));

    WindowAnswer sum = StatRows.sum(List.of(a, b));

    assertThat(sum.rows()).extracting(StatRow::backend)
        .containsExactly("traffic-shift-demo/bb:8080", "traffic-shift-demo/bb-v2:8080", "helloworld_v1");
    StatRow bb = sum.rows().get(0);
    assertThat(bb.traffic().requests()).isEqualTo(1080);
    assertThat(bb.traffic().failures()).isEqualTo(3);
    assertThat(bb.traffic().classes()).containsExactly(0, 0, 1077, 0, 0, 3);
    assertThat(bb.traffic().bytesIn()).isEqualTo(108_000);
    assertThat(bb.traffic().bytesOut()).isEqualTo(1_080_000);
    assertThat(bb.traffic().latency().getTotalCount()).isEqualTo(1080);
    assertThat(bb.traffic().seconds()).as("the longest time covered").isEqualTo(60);
    assertThat(bb.traffic().requestsPerSecond()).isEqualTo(18.0);
    assertThat(bb.tcpConnections()).as("a proxy without connections adds nothing").isEqualTo(1L);
    assertThat(bb.weight()).isEqualTo(0.9);
    StatRow v2 = sum.rows().get(1);
    assertThat(v2.traffic().requests()).isEqualTo(120);
    assertThat(v2.traffic().failures()).isEqualTo(1);
    assertThat(v2.tcpConnections()).isEqualTo(3L);
    StatRow envoy = sum.rows().get(2);
    assertThat(envoy.traffic().requests()).isEqualTo(7);
    assertThat(envoy.tcpConnections()).isNull();
    assertThat(envoy.weight()).isNull();
  }

  @Test
  void latencyHistogramsAreMergedSoPercentilesAreThoseOfTheUnion() {
    // Proxy A answers fast, proxy B slowly (and beyond the range A's histogram was encoded with).
    WindowAnswer a = WindowAnswer.parse(answer(60, 60, List.of(
        new StatRow("r", "c", "c", null, 1.0, 1L, StatFixtures.traffic(90, 0, 60, 1_000, 2_000, 3_000)))));
    WindowAnswer b = WindowAnswer.parse(answer(60, 60, List.of(
        new StatRow("r", "c", "c", null, 1.0, 1L, StatFixtures.traffic(10, 0, 60, 250_000, 4_000_000)))));
    Histogram union = new Histogram(2);
    union.setAutoResize(true);
    for (int i = 0; i < 90; i++) {
      union.recordValue(new long[] {1_000, 2_000, 3_000}[i % 3]);
    }
    for (int i = 0; i < 10; i++) {
      union.recordValue(new long[] {250_000, 4_000_000}[i % 2]);
    }

    WindowSnapshot merged = StatRows.sum(List.of(a, b)).rows().get(0).traffic();

    assertThat(merged.latency().getTotalCount()).isEqualTo(100);
    for (double q : new double[] {0.50, 0.90, 0.95, 0.99}) {
      assertThat(merged.latencyMillis(q)).as("p" + (int) (q * 100))
          .isEqualTo(union.getValueAtPercentile(q * 100) / 1000.0);
    }
    assertThat(merged.latencyMillis(0.50)).as("within 1%% of 2 ms").isBetween(1.98, 2.02);
    assertThat(merged.latencyMillis(0.95)).as("the slow proxy's 250 ms").isBetween(247.5, 252.5);
    assertThat(merged.latencyMillis(0.99)).as("the slow proxy's 4 s").isBetween(3960.0, 4040.0);
    assertThat(a.rows().get(0).traffic().latencyMillis(0.99)).as("fast proxy alone").isLessThan(3.1);
  }

  @Test
  void theFirstProxyToKnowAWeightGivesIt() {
    WindowAnswer a = WindowAnswer.parse(answer(60, 60, List.of(backend("r", "c", "c", null, null, null, 1, 0, 1, 60))));
    WindowAnswer b = WindowAnswer.parse(answer(60, 60, List.of(backend("r", "c", "c", null, 0.25, null, 1, 0, 1, 60))));
    WindowAnswer c = WindowAnswer.parse(answer(60, 60, List.of(backend("r", "c", "c", null, 0.75, null, 1, 0, 1, 60))));
    assertThat(StatRows.sum(List.of(a, b, c)).rows().get(0).weight()).isEqualTo(0.25);
  }

  @Test
  void theDefaultScopeIsNamespaceDefaultAndRowsWithoutANamespace() {
    List<StatRow> rows = List.of(
        backend("traffic-shift-demo/bb-route", "traffic-shift-demo/bb-v2:8080", "bb-v2", "traffic-shift-demo", 0.1, 0L, 0, 0, 1, 60),
        backend("traffic-shift-demo/bb-route", "traffic-shift-demo/bb:8080", "bb", "traffic-shift-demo", 0.9, 0L, 0, 0, 1, 60),
        backend("default/web", "default/web:80", "web", "default", 1.0, 0L, 0, 0, 1, 60),
        backend("www2/1", "helloworld_v2", "helloworld_v2", null, 1.0, 0L, 0, 0, 1, 60),
        backend("www2/0", "helloworld_v1", "helloworld_v1", null, 1.0, 0L, 0, 0, 1, 60),
        new StatRow("www2/0", null, "www2/0", null, null, null, WindowSnapshot.empty(60)));

    assertThat(StatRows.select(rows, false, new StatRows.Scope(null, false))).extracting(StatRow::backend)
        .containsExactly("helloworld_v1", "helloworld_v2", "default/web:80");
    assertThat(StatRows.select(rows, false, new StatRows.Scope("traffic-shift-demo", false)))
        .extracting(StatRow::displayName).containsExactly("bb", "bb-v2");
    assertThat(StatRows.select(rows, false, new StatRows.Scope("default", false)))
        .as("-n default: that namespace only").extracting(StatRow::displayName).containsExactly("web");
    assertThat(StatRows.select(rows, false, new StatRows.Scope(null, true))).extracting(StatRow::displayName)
        .containsExactly("helloworld_v1", "helloworld_v2", "web", "bb", "bb-v2");
    assertThat(StatRows.select(rows, true, new StatRows.Scope(null, true))).extracting(StatRow::route)
        .containsExactly("www2/0");
    assertThat(StatRows.namespaces(rows)).containsExactly("default", "traffic-shift-demo");
  }

  @Test
  void tablesLeaveIdleRoutesOutUnlessAllAreIdle() {
    String ns = "traffic-shift-demo";
    StatRow bb = backend(ROUTE, ns + "/bb:8080", "bb", ns, 0.9, 1L, 90, 0, 1, 60);
    StatRow canaryIdle = backend(ROUTE, ns + "/bb-v2:8080", "bb-v2", ns, 0.1, 0L, 0, 0, 1, 60);
    StatRow ownRouteIdle = backend(ns + "/bb-v2:8080", ns + "/bb-v2:8080", "bb-v2", ns, 1.0, 0L, 0, 0, 1, 60);
    assertThat(StatRows.withoutIdleRoutes(List.of(bb, canaryIdle, ownRouteIdle)))
        .as("the canary without traffic stays: its route is busy").containsExactly(bb, canaryIdle);
    StatRow bbIdle = backend(ROUTE, ns + "/bb:8080", "bb", ns, 0.9, 1L, 0, 0, 1, 60);
    assertThat(StatRows.withoutIdleRoutes(List.of(bbIdle, canaryIdle, ownRouteIdle)))
        .as("nothing busy: every route, with its weights").containsExactly(bbIdle, canaryIdle, ownRouteIdle);
  }

  @Test
  void aMalformedAnswerNamesTheField() {
    assertThatThrownBy(() -> WindowAnswer.parse("<html>")).hasMessageStartingWith("not JSON: ");
    assertThatThrownBy(() -> WindowAnswer.parse("{\"window_seconds\":60,\"span_seconds\":60}"))
        .hasMessage("rows: expected an array");
    assertThatThrownBy(() -> WindowAnswer.parse(
        "{\"window_seconds\":60,\"span_seconds\":60,\"rows\":[{\"route\":\"r\",\"requests\":-1}]}"))
        .hasMessage("rows[0].requests: expected a count, got -1");
    assertThatThrownBy(() -> WindowAnswer.parse(
        "{\"window_seconds\":60,\"span_seconds\":60,\"rows\":[{\"route\":\"r\",\"requests\":1,\"failures\":0,"
            + "\"bytes_in\":0,\"bytes_out\":0,\"covered_seconds\":1,\"latency\":\"bm90IGEgaGlzdG9ncmFt\"}]}"))
        .hasMessage("rows[0].latency: not an encoded latency histogram");
    assertThatThrownBy(() -> WindowAnswer.parse(
        "{\"window_seconds\":60,\"span_seconds\":60,\"rows\":[{\"requests\":1}]}"))
        .hasMessage("rows[0].route: expected a string");
  }
}
