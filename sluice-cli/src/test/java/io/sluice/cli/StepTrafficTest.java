package io.sluice.cli;

import static io.sluice.cli.StatFixtures.backend;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.stats.WindowSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A step's table: two reads of a proxy's window, the earlier subtracted from the later, exactly. */
class StepTrafficTest {
  private static final String ROUTE = "traffic-shift-demo/bb-route";
  private static final String BB = "traffic-shift-demo/bb:8080";
  private static final String BB_V2 = "traffic-shift-demo/bb-v2:8080";

  @Test
  void theStepsRowsAreTheLaterCountsMinusTheEarlier() {
    WindowAnswer start = answer(List.of(
        backend(ROUTE, BB, "bb", "traffic-shift-demo", 1.0, 2L, 500, 3, 1_000, 30)));
    // 900 more on bb at 2 ms (3 of them failed), 100 new on bb-v2 at 5 ms; the weights changed.
    StatRow bbEnd = new StatRow(ROUTE, BB, "bb", "traffic-shift-demo", 0.9, 4L, start.rows().get(0).traffic()
        .plus(StatFixtures.traffic(900, 3, 40, 2_000)));
    StatRow v2End = backend(ROUTE, BB_V2, "bb-v2", "traffic-shift-demo", 0.1, 1L, 100, 0, 5_000, 40);
    WindowAnswer end = answer(List.of(bbEnd, v2End));

    List<StatRow> rows = StepTraffic.between(start, end, 10.0);

    assertThat(rows).hasSize(2);
    WindowSnapshot bb = rows.get(0).traffic();
    assertThat(bb.requests()).isEqualTo(900);
    assertThat(bb.failures()).isEqualTo(3);
    assertThat(bb.classes()).containsExactly(0, 0, 897, 0, 0, 3);
    assertThat(bb.bytesIn()).isEqualTo(90_000);
    assertThat(bb.seconds()).isEqualTo(10.0);
    assertThat(bb.latency().getTotalCount()).as("only the step's latencies").isEqualTo(900);
    assertThat(bb.latencyMillis(0.0)).as("the earlier 1 ms answers are gone").isGreaterThan(1.9);
    assertThat(rows.get(0).weight()).as("the later weight").isEqualTo(0.9);
    assertThat(rows.get(0).tcpConnections()).isEqualTo(4L);
    assertThat(rows.get(1).traffic().requests()).as("a row new in the step, as it is").isEqualTo(100);
    assertThat(StatTable.render(rows, new StatTable.Layout(false, false, false))).isEqualTo("""
        NAME    WEIGHT  SUCCESS      RPS  LATENCY_P50  LATENCY_P95  LATENCY_P99  TCP_CONN
        bb         90%   99.66%  90.0rps          2ms          2ms          2ms         4
        bb-v2      10%  100.00%  10.0rps          5ms          5ms          5ms         1
        """);
  }

  @Test
  void aWindowThatRolledOffHasNoExactDifference() {
    WindowAnswer start = answer(List.of(backend(ROUTE, BB, "bb", "traffic-shift-demo", 1.0, 1L, 500, 0, 1_000, 30)));
    WindowAnswer end = answer(List.of(backend(ROUTE, BB, "bb", "traffic-shift-demo", 1.0, 1L, 400, 0, 1_000, 60)));
    assertThat(StepTraffic.between(start, end, 10.0)).isNull();
  }

  @Test
  void aRowPrunedSinceTheStartCarriedNothing() {
    WindowAnswer start = answer(List.of(
        backend("traffic-shift-demo/bb:8080", BB, "bb", "traffic-shift-demo", 1.0, 1L, 500, 0, 1_000, 30)));
    WindowAnswer end = answer(List.of(backend(ROUTE, BB_V2, "bb-v2", "traffic-shift-demo", 1.0, 1L, 10, 0, 1_000, 40)));
    List<StatRow> rows = StepTraffic.between(start, end, 10.0);
    assertThat(rows).extracting(StatRow::name).containsExactly("bb-v2");
  }

  /** The rows as the proxy would send them, read back as {@code sluice stat} reads them. */
  private static WindowAnswer answer(List<StatRow> rows) {
    return WindowAnswer.parse(StatFixtures.answer(600, 600, rows));
  }
}
