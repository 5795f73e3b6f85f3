package io.sluice.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsFormatsTest {
  private final StatsRegistry registry = new StatsRegistry();

  StatsFormatsTest() {
    ClusterStats c = registry.cluster("demo/bb:8080");
    c.rqTotal.add(3);
    c.response(200);
    c.response(200);
    c.response(503);
    c.rqTime.recordMicros(700);
    c.rqTime.recordMicros(30_000);
    c.gauge("membership_total", "Endpoints of the cluster.", () -> 2);
    registry.http("ingress");
  }

  @Test
  void envoyTextIsSortedNameValueLinesWithHistogramQuantiles() {
    String text = StatsFormats.envoyText(registry, Pattern.compile("^cluster\\..*rq_(2xx|total|time)$"), false);
    assertThat(text).isEqualTo("""
        cluster.demo/bb:8080.upstream_rq_2xx: 2
        cluster.demo/bb:8080.upstream_rq_time: P0(nan,0.7) P25(nan,0.703) P50(nan,0.703) P75(nan,30.079) \
        P90(nan,30.079) P95(nan,30.079) P99(nan,30.079) P99.5(nan,30.079) P99.9(nan,30.079) P100(nan,30.079)
        cluster.demo/bb:8080.upstream_rq_total: 3
        """);
  }

  @Test
  void usedOnlyLeavesOutWhatWasNeverWritten() {
    String all = StatsFormats.envoyText(registry, null, false);
    String used = StatsFormats.envoyText(registry, null, true);
    assertThat(all).contains("http.ingress.no_route: 0\n").contains("cluster.demo/bb:8080.upstream_rq_timeout: 0\n");
    assertThat(used).doesNotContain("no_route").doesNotContain("upstream_rq_timeout")
        .contains("cluster.demo/bb:8080.upstream_rq_503: 1\n").contains("membership_total: 2\n");
  }

  @Test
  void jsonHasEnvoysShape() {
    JsonNode root = StatsFormats.json(registry, Pattern.compile("rq_(5xx|time)$"), false);
    assertThat(root.get("stats").get(0).toString())
        .isEqualTo("{\"name\":\"cluster.demo/bb:8080.upstream_rq_5xx\",\"value\":1}");
    JsonNode h = root.get("stats").get(1).get("histograms");
    assertThat(h.get("supported_quantiles").toString()).isEqualTo("[0.0,25.0,50.0,75.0,90.0,95.0,99.0,99.5,99.9,100.0]");
    assertThat(h.get("computed_quantiles").get(0).get("name").asText()).isEqualTo("cluster.demo/bb:8080.upstream_rq_time");
    assertThat(h.get("computed_quantiles").get(0).get("values").get(0).toString())
        .isEqualTo("{\"interval\":null,\"cumulative\":0.7}");
  }

  @Test
  void prometheusFamiliesHaveHelpTypeAndLabels() {
    String text = StatsFormats.prometheus(registry);
    assertThat(text).contains("""
        # HELP envoy_cluster_upstream_rq_xx_total Responses of the cluster by status class.
        # TYPE envoy_cluster_upstream_rq_xx_total counter
        envoy_cluster_upstream_rq_xx_total{envoy_cluster_name="demo/bb:8080",namespace="demo",envoy_response_code_class="2"} 2
        envoy_cluster_upstream_rq_xx_total{envoy_cluster_name="demo/bb:8080",namespace="demo",envoy_response_code_class="5"} 1
        """);
    assertThat(text).contains("""
        # TYPE envoy_cluster_membership_size gauge
        envoy_cluster_membership_size{envoy_cluster_name="demo/bb:8080",namespace="demo"} 2
        """);
    assertThat(text).contains("""
        envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="demo/bb:8080",namespace="demo",le="0.5"} 0
        envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="demo/bb:8080",namespace="demo",le="1"} 1
        """);
    // The sum counts each latency at the middle of its histogram bucket: 30.718 for 0.7 + 30 ms.
    assertThat(text).contains("""
        envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="demo/bb:8080",namespace="demo",le="+Inf"} 2
        envoy_cluster_upstream_rq_time_sum{envoy_cluster_name="demo/bb:8080",namespace="demo"} 30.718
        envoy_cluster_upstream_rq_time_count{envoy_cluster_name="demo/bb:8080",namespace="demo"} 2
        """);
  }

  @Test
  void labelValuesAndHelpAreEscaped() {
    registry.counter("x", "x_total", Map.of("l", "a\"b\\c\nd"), "line one\nline two\\").inc();
    String text = StatsFormats.prometheus(registry);
    assertThat(text).contains("# HELP x_total line one\\nline two\\\\\n").contains("x_total{l=\"a\\\"b\\\\c\\nd\"} 1\n");
  }

  @Test
  void resetPutsCountersAndHistogramsBackToZeroButNotGauges() {
    registry.resetCounters();
    String used = StatsFormats.envoyText(registry, null, false);
    assertThat(used).contains("cluster.demo/bb:8080.upstream_rq_total: 0\n")
        .contains("cluster.demo/bb:8080.upstream_rq_time: No recorded values\n")
        .contains("membership_total: 2\n");
  }
}
