package io.sluice.conformance;

import static io.sluice.conformance.ConformanceHarness.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.conformance.ConformanceHarness.Answer;
import io.sluice.resource.ResourceKind;
import io.sluice.testing.HttpConnection;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateway API resources through the admin API as {@code sluice apply/get/delete} send them, with
 * traffic checked after each step: a round trip, an invalid apply that changes nothing (malformed
 * YAML, an unknown field, an out-of-range value, each named by its path), a restart that restores
 * the Gateway's listener and its routes.
 */
class ResourceLifecycleConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String V1 = "infra-backend-v1";
  private static final String V2 = "infra-backend-v2";

  @TempDir Path dir;

  private static String split(int v1, int v2) {
    return route("split", """
        rules:
        - backendRefs:
          - {name: infra-backend-v1, port: 8080, weight: %d}
          - {name: infra-backend-v2, port: 8080, weight: %d}
        """.formatted(v1, v2));
  }

  @Test
  void applyGetDeleteRoundTripWithTraffic() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.startWithState(dir.resolve("state"), V1, V2, "infra-backend-v3")) {
      int port = ConformanceHarness.freePort();
      String infra = ConformanceHarness.sameNamespaceGateway(port) + h.infraServices();
      HttpResponse<String> created = h.proxy.adminPost("/apis/apply?source=infra.yaml", infra + split(1, 0));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
      assertThat(created.body()).contains("gateway.gateway.networking.k8s.io/same-namespace created\n",
          "service/infra-backend-v1 created\n", "httproute.gateway.networking.k8s.io/split created\n");
      assertThat(h.answerer(port, "example.com", "/")).isEqualTo(V1);

      HttpResponse<String> configured = h.proxy.adminPost("/apis/apply", split(0, 1));
      assertThat(configured.body()).isEqualTo("httproute.gateway.networking.k8s.io/split configured\n");
      assertThat(h.answerer(port, "example.com", "/")).isEqualTo(V2);
      assertThat(h.proxy.adminPost("/apis/apply", split(0, 1)).body())
          .isEqualTo("httproute.gateway.networking.k8s.io/split unchanged\n");

      JsonNode got = JSON.readTree(h.proxy.adminGet(
          "/apis/resources?kind=httproute&namespace=gateway-conformance-infra&name=split").body()).get("items").get(0);
      assertThat(got.get("apiVersion").asText()).isEqualTo("gateway.networking.k8s.io/v1");
      assertThat(got.get("metadata").get("generation").asLong()).isEqualTo(2);
      assertThat(got.get("spec").get("rules").get(0).get("backendRefs").get(1).get("weight").asInt()).isEqualTo(1);
      JsonNode parent = got.get("status").get("parents").get(0);
      assertThat(parent.get("parentRef").get("name").asText()).isEqualTo("same-namespace");
      assertThat(parent.get("conditions").findValuesAsText("reason")).contains("Accepted", "ResolvedRefs");

      HttpResponse<String> deleted = h.proxy.adminPost(
          "/apis/delete?kind=httproute&namespace=gateway-conformance-infra&name=split", "");
      assertThat(deleted.body()).isEqualTo("httproute.gateway.networking.k8s.io/split deleted\n");
      assertThat(h.answerer(port, "example.com", "/")).as("no route left on the Gateway").isEqualTo("404");

      assertThat(h.proxy.adminPost("/apis/delete", ConformanceHarness.sameNamespaceGateway(port)).body())
          .isEqualTo("gateway.gateway.networking.k8s.io/same-namespace deleted\n");
      // New connections are refused (one already open finishes on the listener it was accepted by).
      assertThatThrownBy(() -> new HttpConnection(port).close())
          .as("the listener is released").isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void anInvalidApplyIsRejectedWithItsPathsAndTrafficIsUnchanged() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(split(1, 0));
      assertThat(h.answerer(port, "example.com", "/")).isEqualTo(V1);

      // A good change next to an out-of-range weight, an unknown field and an out-of-range port.
      String bad = split(0, 1) + route("bad-weight", """
          rules:
          - backendRefs: [{name: infra-backend-v1, port: 8080, weight: 1000001}]
          """) + route("typo", """
          rules:
          - backendRefz: [{name: infra-backend-v1, port: 8080}]
          """) + route("bad-port", """
          rules:
          - backendRefs: [{name: infra-backend-v1, port: 70000}]
          """);
      HttpResponse<String> rejected = h.proxy.adminPost("/apis/apply?source=bad.yaml", bad);
      assertThat(rejected.statusCode()).isEqualTo(422);
      List<String> lines = rejected.body().lines().toList();
      assertThat(lines).contains(
          "httproute/bad-weight: spec.rules[0].backendRefs[0].weight: must be between 0 and 1000000, got 1000001");
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("httproute/typo: spec.rules[0].backendRefz: "));
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("httproute/bad-port: spec.rules[0].backendRefs[0].port: "));
      assertThat(h.answerer(port, "example.com", "/")).as("nothing changed").isEqualTo(V1);

      HttpResponse<String> malformed = h.proxy.adminPost("/apis/apply?source=broken.yaml", split(0, 1) + "spec: [\n");
      assertThat(malformed.statusCode()).isEqualTo(422);
      assertThat(malformed.body()).contains("broken.yaml").contains("line");
      assertThat(h.answerer(port, "example.com", "/")).isEqualTo(V1);
    }
  }

  @Test
  void aRestartRestoresTheGatewayListenerAndItsRoutes() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.startWithState(dir.resolve("state"), V1, V2, "infra-backend-v3")) {
      int port = h.applyInfra(split(0, 1) + route("exact", """
          rules:
          - matches: [{path: {type: Exact, value: /one}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          """));
      assertThat(h.answerer(port, "example.com", "/")).isEqualTo(V2);
      assertThat(h.answerer(port, "example.com", "/one")).isEqualTo(V1);

      h.restartProxy();
      assertThat(h.answerer(port, "example.com", "/")).isEqualTo(V2);
      assertThat(h.answerer(port, "example.com", "/one")).isEqualTo(V1);
      assertThat(h.answerer(port, "example.com", "/two")).isEqualTo(V2);
      assertThat(h.proxy.store.snapshot().set().all()).hasSize(1 + 3 * 2 + 2);
    }
  }

  /**
   * No request fails while routes change: one thread applies 40 changes (the split moving between
   * v1 and v2, a rule added and removed), while this one keeps sending on a kept-alive connection
   * and on new ones until the changes are done.
   */
  @Test
  void noRequestFailsWhileRoutesChange() throws Exception {
    ExecutorService applier = Executors.newSingleThreadExecutor();
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(split(1, 0));
      Future<?> changes = applier.submit(() -> {
        for (int i = 0; i < 40; i++) {
          if (i % 2 == 0) {
            h.apply(split(i % 3, 1) + route("extra", """
                rules:
                - matches: [{path: {type: Exact, value: /extra}}]
                  backendRefs: [{name: infra-backend-v3, port: 8080}]
                """));
          } else {
            h.apply(split(i % 3, 1));
            h.proxy.store.delete(List.of(ResourceKind.HTTP_ROUTE), "httproute", ConformanceHarness.INFRA,
                List.of("extra"), false);
          }
        }
        return null;
      });
      int sent = 0;
      while (!changes.isDone() || sent < 100) {
        Answer a = sent % 10 == 0
            ? ConformanceHarness.getOnNewConnection(port, "example.com", "/")
            : h.get(port, "example.com", "/");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.backend()).isIn(V1, V2);
        sent++;
      }
      changes.get();
      assertThat(h.answerer(port, "example.com", "/extra")).as("the extra route is gone").isIn(V1, V2);
    } finally {
      applier.shutdownNow();
    }
  }
}
