package io.sluice.cli;

import static io.sluice.cli.StatFixtures.backend;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.stats.WindowSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code sluice stat} prints for given rows, exactly. */
class StatTableTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROUTE = "traffic-shift-demo/bb-route";
  private static final StatTable.Layout TABLE = new StatTable.Layout(false, false, false);

  private static List<StatRow> walkthrough() {
    return List.of(
        backend(ROUTE, "traffic-shift-demo/bb:8080", "bb", "traffic-shift-demo", 0.9, 1L, 540, 0, 1_000, 60),
        backend(ROUTE, "traffic-shift-demo/bb-v2:8080", "bb-v2", "traffic-shift-demo", 0.1, 1L, 60, 0, 1_000, 60));
  }

  @Test
  void theIssuesExampleToTheCharacter() {
    assertThat(StatTable.render(walkthrough(), TABLE)).isEqualTo("""
        NAME    WEIGHT  SUCCESS      RPS  LATENCY_P50  LATENCY_P95  LATENCY_P99  TCP_CONN
        bb         90%  100.00%   9.0rps          1ms          1ms          1ms         1
        bb-v2      10%  100.00%   1.0rps          1ms          1ms          1ms         1
        """);
  }

  @Test
  void aBackendWithoutTrafficShowsDashesAndUnknownsShowDashes() {
    List<StatRow> rows = List.of(
        backend("www2/0", "helloworld_v1", "helloworld_v1", null, 1 / 3.0, 2L, 300, 7, 12_400, 60),
        backend("www2/0", "helloworld_v2", "helloworld_v2", null, 1 / 3.0, 0L, 0, 0, 0, 60),
        backend("www2/0", "helloworld_v3", "helloworld_v3", null, null, null, 3, 3, 1_500_000, 60));
    assertThat(StatTable.render(rows, TABLE)).isEqualTo("""
        NAME            WEIGHT  SUCCESS      RPS  LATENCY_P50  LATENCY_P95  LATENCY_P99  TCP_CONN
        helloworld_v1    33.3%   97.66%   5.0rps         12ms         12ms         12ms         2
        helloworld_v2    33.3%        -        -            -            -            -         0
        helloworld_v3        -    0.00%   0.1rps         1.5s         1.5s         1.5s         -
        """);
  }

  @Test
  void wideAddsTheRouteBytesPerSecondAnd4xx5xxCounts() {
    List<StatRow> rows = new ArrayList<>(walkthrough());
    rows.set(1, backend(ROUTE, "traffic-shift-demo/bb-v2:8080", "bb-v2", "traffic-shift-demo", 0.1, 1L, 60, 6, 400, 60));
    rows.add(backend(ROUTE, "traffic-shift-demo/bb-v3:8080", "bb-v3", "traffic-shift-demo", 0.0, 0L, 0, 0, 0, 60));
    assertThat(StatTable.render(rows, new StatTable.Layout(false, false, true))).isEqualTo("""
        NAME    ROUTE      WEIGHT  SUCCESS      RPS  LATENCY_P50  LATENCY_P95  LATENCY_P99  TCP_CONN  REQ_BYTES/SEC  RESP_BYTES/SEC      4XX      5XX
        bb      bb-route      90%  100.00%   9.0rps          1ms          1ms          1ms         1       900.0B/s         9.0kB/s        0        0
        bb-v2   bb-route      10%   90.00%   1.0rps        0.4ms        0.4ms        0.4ms         1       100.0B/s         1.0kB/s        0        6
        bb-v3   bb-route       0%        -        -            -            -            -         0              -               -        -        -
        """);
  }

  @Test
  void allNamespacesAddsTheNamespaceColumnWithADashForEnvoyRows() {
    List<StatRow> rows = new ArrayList<>();
    rows.add(backend("www2/0", "helloworld_v1", "helloworld_v1", null, 1.0, 1L, 120, 0, 700, 60));
    rows.addAll(walkthrough());
    assertThat(StatTable.render(rows, new StatTable.Layout(false, true, false))).isEqualTo("""
        NAMESPACE            NAME            WEIGHT  SUCCESS      RPS  LATENCY_P50  LATENCY_P95  LATENCY_P99  TCP_CONN
        -                    helloworld_v1     100%  100.00%   2.0rps        0.7ms        0.7ms        0.7ms         1
        traffic-shift-demo   bb                 90%  100.00%   9.0rps          1ms          1ms          1ms         1
        traffic-shift-demo   bb-v2              10%  100.00%   1.0rps          1ms          1ms          1ms         1
        """);
  }

  @Test
  void aServiceReachedThroughTwoRoutesGetsARouteColumn() {
    List<StatRow> rows = new ArrayList<>(walkthrough());
    rows.add(0, backend("traffic-shift-demo/bb", "traffic-shift-demo/bb:8080", "bb", "traffic-shift-demo", 1.0, 1L, 30, 0, 1_000, 60));
    assertThat(StatTable.render(rows, TABLE)).isEqualTo("""
        NAME    ROUTE      WEIGHT  SUCCESS      RPS  LATENCY_P50  LATENCY_P95  LATENCY_P99  TCP_CONN
        bb      bb           100%  100.00%   0.5rps          1ms          1ms          1ms         1
        bb      bb-route      90%  100.00%   9.0rps          1ms          1ms          1ms         1
        bb-v2   bb-route      10%  100.00%   1.0rps          1ms          1ms          1ms         1
        """);
  }

  @Test
  void byRouteHasOneRowPerRouteWithoutWeightOrConnections() {
    List<StatRow> rows = List.of(
        new StatRow(ROUTE, null, ROUTE, "traffic-shift-demo", null, null, StatFixtures.traffic(600, 0, 60, 1_000)),
        new StatRow("www2/1", null, "www2/1", null, null, null, WindowSnapshot.empty(60)));
    assertThat(StatTable.render(rows, new StatTable.Layout(true, false, false))).isEqualTo("""
        NAME      SUCCESS      RPS  LATENCY_P50  LATENCY_P95  LATENCY_P99
        bb-route  100.00%  10.0rps          1ms          1ms          1ms
        www2/1          -        -            -            -            -
        """);
  }

  @Test
  void cellsReadAsDocumented() {
    assertThat(StatTable.latency(Double.NaN)).isEqualTo("-");
    assertThat(StatTable.latency(0)).isEqualTo("0ms");
    assertThat(StatTable.latency(0.04)).isEqualTo("0ms");
    assertThat(StatTable.latency(0.44)).isEqualTo("0.4ms");
    assertThat(StatTable.latency(0.96)).isEqualTo("1ms");
    assertThat(StatTable.latency(12.4)).isEqualTo("12ms");
    assertThat(StatTable.latency(999.4)).isEqualTo("999ms");
    assertThat(StatTable.latency(999.6)).isEqualTo("1s");
    assertThat(StatTable.latency(1_520)).isEqualTo("1.5s");
    assertThat(StatTable.latency(2_000)).isEqualTo("2s");
    assertThat(StatTable.latency(95_000)).isEqualTo("95s");

    assertThat(StatTable.success(0, 0)).isEqualTo("-");
    assertThat(StatTable.success(3, 1)).isEqualTo("66.66%");
    assertThat(StatTable.success(100_000, 1)).as("rounded down: 100.00% only without failures").isEqualTo("99.99%");
    assertThat(StatTable.success(5, 5)).isEqualTo("0.00%");
    assertThat(StatTable.success(5, 0)).isEqualTo("100.00%");

    assertThat(StatTable.weight(null)).isEqualTo("-");
    assertThat(StatTable.weight(0.9)).isEqualTo("90%");
    assertThat(StatTable.weight(0.0)).isEqualTo("0%");
    assertThat(StatTable.weight(1 / 3.0)).isEqualTo("33.3%");
    assertThat(StatTable.weight(0.125)).isEqualTo("12.5%");

    assertThat(StatTable.rps(0.0167)).isEqualTo("0.0rps");
    assertThat(StatTable.rps(1234.56)).isEqualTo("1234.6rps");

    assertThat(StatTable.bytesPerSecond(0)).isEqualTo("0.0B/s");
    assertThat(StatTable.bytesPerSecond(999.9)).isEqualTo("999.9B/s");
    assertThat(StatTable.bytesPerSecond(999.96)).isEqualTo("1.0kB/s");
    assertThat(StatTable.bytesPerSecond(12_345_678)).isEqualTo("12.3MB/s");
  }

  @Test
  void jsonHasFixedFieldNamesAndNullsWhereTheTableHasDashes() throws Exception {
    List<StatRow> rows = List.of(
        backend(ROUTE, "traffic-shift-demo/bb:8080", "bb", "traffic-shift-demo", 0.9, 1L, 540, 6, 1_000, 60),
        backend(ROUTE, "traffic-shift-demo/bb-v2:8080", "bb-v2", "traffic-shift-demo", 0.1, null, 0, 0, 0, 60));
    WindowAnswer summed = new WindowAnswer(60, 60, rows);

    String text = StatTable.json(summed, rows, false, List.of("http://127.0.0.1:9901", "http://127.0.0.1:9902"), true);
    JsonNode root = JSON.readTree(text);

    assertThat(fields(root)).containsExactly("window_seconds", "span_seconds", "by", "proxies", "rows");
    assertThat(root.get("by").asText()).isEqualTo("backend");
    assertThat(root.get("proxies")).hasSize(2);
    JsonNode bb = root.get("rows").get(0);
    assertThat(fields(bb)).containsExactly("namespace", "name", "route", "backend", "weight", "requests", "failures",
        "success_rate", "requests_per_second", "latency_ms_p50", "latency_ms_p95", "latency_ms_p99",
        "tcp_connections", "status_classes", "request_bytes", "response_bytes", "request_bytes_per_second",
        "response_bytes_per_second", "covered_seconds");
    assertThat(fields(bb.get("status_classes"))).containsExactly("1xx", "2xx", "3xx", "4xx", "5xx");
    assertThat(bb.get("namespace").asText()).isEqualTo("traffic-shift-demo");
    assertThat(bb.get("name").asText()).isEqualTo("bb");
    assertThat(bb.get("route").asText()).isEqualTo(ROUTE);
    assertThat(bb.get("backend").asText()).isEqualTo("traffic-shift-demo/bb:8080");
    assertThat(bb.get("weight").asDouble()).isEqualTo(0.9);
    assertThat(bb.get("requests").asLong()).isEqualTo(540);
    assertThat(bb.get("failures").asLong()).isEqualTo(6);
    assertThat(bb.get("success_rate").asDouble()).isEqualTo(534 / 540.0);
    assertThat(bb.get("requests_per_second").asDouble()).isEqualTo(9.0);
    assertThat(bb.get("latency_ms_p99").asDouble()).isEqualTo(rows.get(0).traffic().latencyMillis(0.99));
    assertThat(bb.get("tcp_connections").asLong()).isEqualTo(1);
    assertThat(bb.get("status_classes").get("5xx").asLong()).isEqualTo(6);
    assertThat(bb.get("request_bytes").asLong()).isEqualTo(54_000);
    assertThat(bb.get("response_bytes_per_second").asDouble()).isEqualTo(9_000.0);
    assertThat(bb.get("covered_seconds").asDouble()).isEqualTo(60.0);

    JsonNode idle = root.get("rows").get(1);
    assertThat(fields(idle)).isEqualTo(fields(bb));
    assertThat(idle.get("requests").asLong()).isZero();
    assertThat(idle.get("requests_per_second").asDouble()).isZero();
    for (String f : List.of("success_rate", "latency_ms_p50", "latency_ms_p95", "latency_ms_p99", "tcp_connections")) {
      assertThat(idle.get(f).isNull()).as(f).isTrue();
    }

    String oneLine = StatTable.json(summed, rows, false, List.of("http://127.0.0.1:9901"), false);
    assertThat(oneLine).endsWith("\n").doesNotContain("\n  ");
    assertThat(oneLine.strip()).doesNotContain("\n");
  }

  private static List<String> fields(JsonNode o) {
    List<String> names = new ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
