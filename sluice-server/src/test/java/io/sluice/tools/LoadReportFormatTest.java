package io.sluice.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact text and JSON lines {@code sluice load} prints (the demo parses them), and the request it sends. */
class LoadReportFormatTest {
  private static final Instant T = Instant.parse("2026-11-22T01:02:03.456Z");
  private static final LoadReport.Latencies L =
      new LoadReport.Latencies(210_000, 450_000, 810_600, 1_200_000, 2_300_000, 2_310_000);

  @Test
  void anIntervalLine() {
    LoadReport r = new LoadReport(false, T, Duration.ofSeconds(10), 99, 1, 0, 100, L,
        List.of(new LoadReport.BodyCount("v1", 90), new LoadReport.BodyCount("v2", 10)), 0);
    assertThat(LoadReportFormat.text(r, 8)).isEqualTo(
        "2026-11-22T01:02:03Z    10.0s          99/1/0     100  100.0%     0.210     0.450     0.811     1.200     2.300"
            + "     2.310  v1=90 v2=10");
  }

  @Test
  void aClosedLoopSummaryWithoutAnswersAndTooManyLabels() {
    LoadReport none = new LoadReport(true, T, Duration.ofMillis(1500), 0, 0, 7, -1, null, List.of(), 0);
    assertThat(LoadReportFormat.text(none, 8)).isEqualTo(
        "total                    1.5s           0/0/7       -       -         -         -         -         -         -"
            + "         -");
    LoadReport many = new LoadReport(false, T, Duration.ofSeconds(1), 6, 0, 0, 6, L,
        List.of(new LoadReport.BodyCount("a", 3), new LoadReport.BodyCount("b", 1), new LoadReport.BodyCount("c", 1),
            new LoadReport.BodyCount("d", 1)), 0);
    assertThat(LoadReportFormat.text(many, 2)).endsWith("  a=3 b=1 +2 more");
    assertThat(LoadReportFormat.text(many, 0)).endsWith("2.310  +4 more");
  }

  @Test
  void theHeaderSaysWhatIsSentAndNamesTheColumns() {
    LoadOptions o = LoadOptions.of(URI.create("http://bb:8080/")).withQps(10).withInterval(Duration.ofSeconds(10))
        .withProxy(URI.create("http://127.0.0.1:4140")).withDuration(Duration.ofSeconds(30));
    assertThat(LoadReportFormat.header(o)).containsExactly(
        "# sluice load: GET http://bb:8080/ via proxy http://127.0.0.1:4140, 10 requests/s, 1 connection, "
            + "a line every 10s, for 30s",
        "# time               interval good/bad/failed    goal reached    min_ms    p50_ms    p95_ms    p99_ms   p999_ms"
            + "    max_ms  bodies");
    assertThat(LoadReportFormat.header(o.withQps(0).withConcurrency(4).withTotal(500).withDuration(null)).get(0))
        .isEqualTo("# sluice load: GET http://bb:8080/ via proxy http://127.0.0.1:4140, closed loop (as fast as answers "
            + "come), 4 connections, a line every 10s, 500 requests");
  }

  @Test
  void theFooterSaysTheRateAndWhatWasNeverSent() {
    LoadReport r = new LoadReport(true, T, Duration.ofSeconds(4), 38, 2, 1, 40, L, List.of(), 3);
    assertThat(LoadReportFormat.footer(r)).isEqualTo(
        "# 40 answers and 1 failures in 4.0s (10.0 answers/s); 3 requests were due but never sent (every connection "
            + "was busy)");
  }

  @Test
  void jsonLines() {
    LoadReport r = new LoadReport(false, T, Duration.ofMillis(10_001), 99, 1, 0, 100, L,
        List.of(new LoadReport.BodyCount("v1", 90), new LoadReport.BodyCount("v\"2", 10)), 0);
    assertThat(LoadReportFormat.json(r)).isEqualTo("{\"type\":\"interval\",\"time\":\"2026-11-22T01:02:03.456Z\","
        + "\"seconds\":10.001,\"good\":99,\"bad\":1,\"failed\":0,\"goal\":100,\"reached\":100.0,\"latencyMs\":{\"min\":0.21,"
        + "\"p50\":0.45,\"p95\":0.81,\"p99\":1.2,\"p999\":2.3,\"max\":2.31},\"bodies\":{\"v1\":90,\"v\\\"2\":10}}");
    LoadReport s = new LoadReport(true, T, Duration.ofSeconds(1), 0, 0, 3, -1, null, List.of(), 0);
    assertThat(LoadReportFormat.json(s)).isEqualTo("{\"type\":\"summary\",\"time\":\"2026-11-22T01:02:03.456Z\","
        + "\"seconds\":1.0,\"good\":0,\"bad\":0,\"failed\":3,\"goal\":null,\"reached\":null,\"latencyMs\":null,"
        + "\"bodies\":{},\"unsent\":0}");
  }

  @Test
  void theRequestIsInOriginFormDirectAndInAbsoluteFormThroughAProxy() {
    LoadOptions o = LoadOptions.of(URI.create("http://bb:8080/a/b?x=1#frag"))
        .withHeaders(List.of(Map.entry("X-Tag", "t1")));
    assertThat(RequestBytes.text(o)).isEqualTo(
        "GET /a/b?x=1 HTTP/1.1\r\nhost: bb:8080\r\nX-Tag: t1\r\nuser-agent: sluice-load\r\n\r\n");
    assertThat(RequestBytes.text(o.withProxy(URI.create("http://127.0.0.1:4140")).withHost("other")))
        .isEqualTo("GET http://bb:8080/a/b?x=1 HTTP/1.1\r\nhost: other\r\nX-Tag: t1\r\nuser-agent: sluice-load\r\n\r\n");
    assertThat(RequestBytes.text(LoadOptions.of(URI.create("http://h")).withMethod("POST").withBody(new byte[3])
        .withHeaders(List.of(Map.entry("User-Agent", "me")))))
        .isEqualTo("POST / HTTP/1.1\r\nhost: h\r\nUser-Agent: me\r\ncontent-length: 3\r\n\r\n");
  }
}
