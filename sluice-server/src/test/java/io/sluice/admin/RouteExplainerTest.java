package io.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.BootstrapYaml;
import io.sluice.testing.HttpConnection;
import io.sluice.testing.NamedBackend;
import io.sluice.testing.RunningProxy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /route} explains a decision with the code the data plane runs: for the same random value,
 * headers and runtime, the cluster it names is the cluster that actually answers.
 */
class RouteExplainerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Each case: path, then request headers as name:value. */
  private static final List<List<String>> CASES =
      List.of(
          List.of("/api/users"),
          List.of("/api/users", "x-canary:1"),
          List.of("/api/users", "X-Canary:1"),
          // Routes on headers the connection manager prepares before routing.
          List.of("/proto", "X-Forwarded-Proto:https"),
          List.of("/proto"),
          List.of("/id"),
          List.of("/api/users", "x-canary:2"),
          List.of("/static/logo.png"),
          List.of("/", "x-canary:1"));

  @TempDir Path dir;

  @Test
  void theExplainedClusterIsTheClusterThatAnswers() throws Exception {
    try (NamedBackend canary = new NamedBackend("canary");
        NamedBackend v1 = new NamedBackend("v1");
        NamedBackend v2 = new NamedBackend("v2");
        NamedBackend v3 = new NamedBackend("v3")) {
      String yaml =
          new BootstrapYaml()
              .routes("""
                  - match: {prefix: /proto, headers: [{name: x-forwarded-proto, string_match: {exact: https}}]}
                    route: {cluster: v3}
                  - match: {prefix: /id, headers: [{name: x-request-id, present_match: true}]}
                    route: {cluster: canary}
                  - match: {prefix: /api, headers: [{name: x-canary, string_match: {exact: "1"}}]}
                    route: {cluster: canary}
                  - match:
                      prefix: /api
                      runtime_fraction: {default_value: {numerator: 30, denominator: HUNDRED}, runtime_key: api.shift}
                    route: {cluster: v2}
                  - match: {prefix: /}
                    route:
                      weighted_clusters:
                        runtime_key_prefix: split
                        clusters: [{name: v1, weight: 50}, {name: v2, weight: 30}, {name: v3, weight: 20}]
                  """)
              .cluster(canary).cluster(v1).cluster(v2).cluster(v3)
              .toString();
      AtomicLong nextRandom = new AtomicLong();
      try (RunningProxy p = RunningProxy.start(dir, yaml, nextRandom::get, null, null);
          HttpConnection c = new HttpConnection(p.port())) {
        SplittableRandom seeds = new SplittableRandom(42);
        Map<String, Integer> seen = new HashMap<>();
        for (int round = 0; round < 3; round++) {
          if (round == 1) {
            p.adminPost("/runtime_modify?api.shift=80&split.v1=0");
          } else if (round == 2) {
            p.adminPost("/runtime_modify?api.shift=&split.v1=&split.v3=1000");
          }
          for (int i = 0; i < 40; i++) {
            long random = seeds.nextLong();
            for (List<String> request : CASES) {
              StringBuilder query = new StringBuilder("/route?authority=test&path=" + enc(request.get(0)))
                  .append("&random=").append(Long.toUnsignedString(random));
              String[] headers = new String[request.size() - 1];
              for (int h = 1; h < request.size(); h++) {
                query.append("&header=").append(enc(request.get(h)));
                headers[h - 1] = request.get(h);
              }
              JsonNode explained = JSON.readTree(p.adminGet(query.toString()).body());
              assertThat(explained.get("decision").asText()).isEqualTo("forward");
              assertThat(explained.get("random_value").asText()).isEqualTo(Long.toUnsignedString(random));

              nextRandom.set(random);
              HttpConnection.Response r = c.get(request.get(0), headers);
              assertThat(r.header("x-backend"))
                  .as("%s with random %s, round %d", request, Long.toUnsignedString(random), round)
                  .isEqualTo(explained.get("cluster").asText());
              seen.merge(r.header("x-backend"), 1, Integer::sum);
            }
          }
        }
        // Every branch of the table was exercised, so the comparison covered each kind of decision.
        assertThat(seen).containsOnlyKeys("canary", "v1", "v2", "v3");
      }
    }
  }

  @Test
  void aSplitIsExplainedEntryByEntry() throws Exception {
    try (NamedBackend v1 = new NamedBackend("v1");
        NamedBackend v2 = new NamedBackend("v2")) {
      String yaml =
          new BootstrapYaml()
              .routes("""
                  - match: {prefix: /}
                    route:
                      weighted_clusters:
                        runtime_key_prefix: split
                        clusters: [{name: v1, weight: 90}, {name: v2, weight: 10}]
                  """)
              .cluster(v1).cluster(v2).toString();
      try (RunningProxy p = RunningProxy.start(dir, yaml)) {
        p.adminPost("/runtime_modify?split.v2=30");
        JsonNode e = JSON.readTree(p.adminGet("/route?authority=x&path=/&random=95").body());
        assertThat(e.get("cluster").asText()).isEqualTo("v2");
        assertThat(e.get("total_weight").asLong()).isEqualTo(120);
        assertThat(e.get("picked_by").asText()).isEqualTo("random_value mod 120 = 95");
        JsonNode split = e.get("weighted_clusters");
        assertThat(split.get(0).get("owns").asText()).isEqualTo("[0, 90)");
        assertThat(split.get(1).get("weight").asLong()).isEqualTo(30);
        assertThat(split.get(1).get("configured_weight").asLong()).isEqualTo(10);
        assertThat(split.get(1).get("runtime_key").asText()).isEqualTo("split.v2");
        assertThat(split.get(1).get("owns").asText()).isEqualTo("[90, 120)");

        assertThat(p.adminGet("/route?path=/").statusCode()).isEqualTo(400);
        assertThat(p.adminGet("/route?authority=x&path=/&random=-1").statusCode()).isEqualTo(400);
        assertThat(p.adminGet("/route?authority=x&path=/&header=novalue").statusCode()).isEqualTo(400);
        assertThat(p.adminGet("/route?authority=x&path=/&listener=nope").statusCode()).isEqualTo(404);
      }
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
