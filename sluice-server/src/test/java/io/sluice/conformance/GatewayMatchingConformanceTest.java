package io.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.conformance.ConformanceHarness.Answer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Gateway API conformance cases for weights, path, header, query and method matching and
 * their precedence, over real sockets: the manifests applied to a running Sluice, requests sent to
 * the Gateway's listener, the answering echo backend checked.
 */
class GatewayMatchingConformanceTest {
  private static final String V1 = "infra-backend-v1";
  private static final String V2 = "infra-backend-v2";
  private static final String V3 = "infra-backend-v3";

  /** HTTPRouteWeight: 70/30/0 over 500 requests, each share within 5 percentage points (see {@link WeightedShares}). */
  @Test
  void httpRouteWeight() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(ConformanceHarness.route("weighted-backends", """
          rules:
          - backendRefs:
            - {name: infra-backend-v1, port: 8080, weight: 70}
            - {name: infra-backend-v2, port: 8080, weight: 30}
            - {name: infra-backend-v3, port: 8080, weight: 0}
          """));
      WeightedShares.assertConformanceShares(Map.of(V1, 0.7, V2, 0.3, V3, 0.0), () -> {
        Answer a = h.get(port, "example.com", "/");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return a.backend();
      });
    }
  }

  @Test
  void exactPathMatching() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(ConformanceHarness.route("exact-matching", """
          rules:
          - matches: [{path: {type: Exact, value: /one}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: Exact, value: /two}}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          """));
      assertThat(h.answerer(port, "example.com", "/one")).isEqualTo(V1);
      assertThat(h.answerer(port, "example.com", "/two")).isEqualTo(V2);
      assertThat(h.answerer(port, "example.com", "/")).isEqualTo("404");
      assertThat(h.answerer(port, "example.com", "/one/example")).isEqualTo("404");
      assertThat(h.answerer(port, "example.com", "/two/")).isEqualTo("404");
      assertThat(h.answerer(port, "example.com", "/Two")).isEqualTo("404");
      // The path is matched without the query, and the query reaches the backend.
      Answer withQuery = h.get(port, "example.com", "/one?x=1");
      assertThat(withQuery.backend()).isEqualTo(V1);
      assertThat(withQuery.echo().target()).isEqualTo("/one?x=1");
    }
  }

  /** HTTPRouteMatching. */
  @Test
  void matching() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(ConformanceHarness.route("matching", """
          rules:
          - matches:
            - path: {type: PathPrefix, value: /}
            - headers: [{name: version, value: one}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches:
            - path: {type: PathPrefix, value: /v2}
            - headers: [{name: version, value: two}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          """));
      assertThat(h.answerer(port, "example.com", "/")).isEqualTo(V1);
      assertThat(h.answerer(port, "example.com", "/example")).isEqualTo(V1);
      assertThat(h.answerer(port, "example.com", "/", "Version: one")).isEqualTo(V1);
      assertThat(h.answerer(port, "example.com", "/v2")).isEqualTo(V2);
      assertThat(h.answerer(port, "example.com", "/v2/example")).isEqualTo(V2);
      assertThat(h.answerer(port, "example.com", "/", "Version: two")).isEqualTo(V2);
      assertThat(h.answerer(port, "example.com", "/v2/")).isEqualTo(V2);
      assertThat(h.answerer(port, "example.com", "/v2example")).isEqualTo(V1);
      assertThat(h.answerer(port, "example.com", "/foo/v2/example")).isEqualTo(V1);
    }
  }

  /** HTTPRouteMatchingAcrossRoutes. */
  @Test
  void matchingAcrossRoutes() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(ConformanceHarness.route("matching-part1", """
          hostnames: [example.com, example.net]
          rules:
          - matches:
            - path: {type: PathPrefix, value: /}
            - headers: [{name: version, value: one}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          """) + ConformanceHarness.route("matching-part2", """
          hostnames: ["*.com"]
          rules:
          - matches:
            - path: {type: PathPrefix, value: /v2}
            - headers: [{name: version, value: two}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          """));
      assertThat(h.answerer(port, "example.com", "/")).isEqualTo(V1);
      assertThat(h.answerer(port, "example.com", "/example")).isEqualTo(V1);
      assertThat(h.answerer(port, "example.net", "/example")).isEqualTo(V1);
      assertThat(h.answerer(port, "example.com", "/example", "Version: one")).isEqualTo(V1);
      assertThat(h.answerer(port, "example.com", "/v2")).isEqualTo(V2);
      assertThat(h.answerer(port, "example.net", "/v2")).isEqualTo(V1);
      assertThat(h.answerer(port, "example.com", "/v2/example")).isEqualTo(V2);
      assertThat(h.answerer(port, "example.com", "/", "Version: two")).isEqualTo(V2);
      // Neither route has a hostname that covers it.
      assertThat(h.answerer(port, "example.org", "/")).isEqualTo("404");
    }
  }

  /** HTTPRoutePathMatchOrder. */
  @Test
  void pathMatchOrder() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(ConformanceHarness.route("path-matching-order", """
          rules:
          - matches: [{path: {type: Exact, value: /match}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: Exact, value: /match/exact}}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - matches: [{path: {type: Exact, value: /match/exact/one}}]
            backendRefs: [{name: infra-backend-v3, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /match/}}]
            backendRefs: [{name: infra-backend-v3, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /match/prefix/}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /match/prefix/one}}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          """));
      assertThat(h.answerer(port, "example.com", "/match/exact/one")).isEqualTo(V3);
      assertThat(h.answerer(port, "example.com", "/match/exact")).isEqualTo(V2);
      assertThat(h.answerer(port, "example.com", "/match")).isEqualTo(V1);
      assertThat(h.answerer(port, "example.com", "/match/prefix/one/any")).isEqualTo(V2);
      assertThat(h.answerer(port, "example.com", "/match/prefix/any")).isEqualTo(V1);
      assertThat(h.answerer(port, "example.com", "/match/any")).isEqualTo(V3);
    }
  }

  /** HTTPRouteHeaderMatching. */
  @Test
  void headerMatching() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(ConformanceHarness.route("header-matching", """
          rules:
          - matches: [{headers: [{name: version, value: one}]}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{headers: [{name: version, value: two}]}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - matches: [{headers: [{name: version, value: two}, {name: color, value: orange}]}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{headers: [{name: color, value: blue}]}, {headers: [{name: color, value: green}]}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{headers: [{name: color, value: red}]}, {headers: [{name: color, value: yellow}]}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          """));
      assertThat(h.answerer(port, "x", "/", "Version: one")).isEqualTo(V1);
      assertThat(h.answerer(port, "x", "/", "Version: two")).isEqualTo(V2);
      assertThat(h.answerer(port, "x", "/", "Version: two", "Color: orange")).isEqualTo(V1);
      assertThat(h.answerer(port, "x", "/", "Version: two", "Color: blue")).isEqualTo(V2);
      assertThat(h.answerer(port, "x", "/", "Color: orange")).isEqualTo("404");
      assertThat(h.answerer(port, "x", "/", "Some-Other-Header: one")).isEqualTo("404");
      assertThat(h.answerer(port, "x", "/", "Color: blue")).isEqualTo(V1);
      assertThat(h.answerer(port, "x", "/", "Color: green")).isEqualTo(V1);
      assertThat(h.answerer(port, "x", "/", "Color: red")).isEqualTo(V2);
      assertThat(h.answerer(port, "x", "/", "Color: yellow")).isEqualTo(V2);
      assertThat(h.answerer(port, "x", "/", "Color: purple")).isEqualTo("404");
      // Names are case-insensitive, values are not.
      assertThat(h.answerer(port, "x", "/", "VERSION: one")).isEqualTo(V1);
      assertThat(h.answerer(port, "x", "/", "Version: ONE")).isEqualTo("404");
    }
  }

  /** HTTPRouteQueryParamMatching. */
  @Test
  void queryParamMatching() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(ConformanceHarness.route("query-param-matching", """
          rules:
          - matches: [{queryParams: [{name: animal, value: whale}]}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{queryParams: [{name: animal, value: dolphin}]}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - matches:
            - queryParams: [{name: animal, value: dolphin}, {name: color, value: blue}]
            - queryParams: [{name: ANIMAL, value: Whale}]
            backendRefs: [{name: infra-backend-v3, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /path1}, queryParams: [{name: animal, value: whale}]}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{headers: [{name: version, value: one}], queryParams: [{name: animal, value: whale}]}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - matches:
            - path: {type: PathPrefix, value: /path2}
              headers: [{name: version, value: two}]
              queryParams: [{name: animal, value: whale}]
            backendRefs: [{name: infra-backend-v3, port: 8080}]
          - matches:
            - path: {type: PathPrefix, value: /path3}
              queryParams: [{name: animal, value: shark}]
            - path: {type: PathPrefix, value: /path4}
              headers: [{name: version, value: three}]
              queryParams: [{name: animal, value: kraken}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /path5}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{queryParams: [{name: animal, value: hydra}]}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - matches: [{headers: [{name: version, value: four}]}]
            backendRefs: [{name: infra-backend-v3, port: 8080}]
          """));
      assertThat(h.answerer(port, "x", "/?animal=whale")).isEqualTo(V1);
      assertThat(h.answerer(port, "x", "/?animal=dolphin")).isEqualTo(V2);
      assertThat(h.answerer(port, "x", "/?animal=dolphin&color=blue")).isEqualTo(V3);
      assertThat(h.answerer(port, "x", "/?ANIMAL=Whale")).isEqualTo(V3);
      assertThat(h.answerer(port, "x", "/?animal=whale&otherparam=irrelevant")).isEqualTo(V1);
      assertThat(h.answerer(port, "x", "/?animal=dolphin&color=yellow")).isEqualTo(V2);
      assertThat(h.answerer(port, "x", "/?color=blue")).isEqualTo("404");
      assertThat(h.answerer(port, "x", "/?animal=dog")).isEqualTo("404");
      assertThat(h.answerer(port, "x", "/?animal=whaledolphin")).isEqualTo("404");
      assertThat(h.answerer(port, "x", "/")).isEqualTo("404");
      assertThat(h.answerer(port, "x", "/path1?animal=whale")).isEqualTo(V1);
      assertThat(h.answerer(port, "x", "/?animal=whale", "version: one")).isEqualTo(V2);
      assertThat(h.answerer(port, "x", "/path2?animal=whale", "version: two")).isEqualTo(V3);
      assertThat(h.answerer(port, "x", "/path3?animal=shark")).isEqualTo(V1);
      assertThat(h.answerer(port, "x", "/path4?animal=kraken", "version: three")).isEqualTo(V1);
      assertThat(h.answerer(port, "x", "/?animal=shark")).isEqualTo("404");
      assertThat(h.answerer(port, "x", "/path4?animal=kraken")).isEqualTo("404");
      assertThat(h.answerer(port, "x", "/path5?animal=hydra")).isEqualTo(V1);
      assertThat(h.answerer(port, "x", "/?animal=hydra", "version: four")).isEqualTo(V3);
    }
  }

  /** HTTPRouteMethodMatching. */
  @Test
  void methodMatching() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(ConformanceHarness.route("method-matching", """
          rules:
          - matches: [{method: POST}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{method: GET}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /path1}, method: GET}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{headers: [{name: version, value: one}], method: PUT}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /path2}, headers: [{name: version, value: two}], method: POST}]
            backendRefs: [{name: infra-backend-v3, port: 8080}]
          - matches:
            - {path: {type: PathPrefix, value: /path3}, method: PATCH}
            - {path: {type: PathPrefix, value: /path4}, headers: [{name: version, value: three}], method: DELETE}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /path5}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{method: PATCH}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - matches: [{headers: [{name: version, value: four}]}]
            backendRefs: [{name: infra-backend-v3, port: 8080}]
          """));
      assertThat(method(h, port, "POST", "/")).isEqualTo(V1);
      assertThat(method(h, port, "GET", "/")).isEqualTo(V2);
      assertThat(method(h, port, "HEAD", "/")).isEqualTo("404");
      assertThat(method(h, port, "GET", "/path1")).isEqualTo(V1);
      assertThat(method(h, port, "PUT", "/", "version: one")).isEqualTo(V2);
      assertThat(method(h, port, "POST", "/path2", "version: two")).isEqualTo(V3);
      assertThat(method(h, port, "PATCH", "/path3")).isEqualTo(V1);
      assertThat(method(h, port, "DELETE", "/path4", "version: three")).isEqualTo(V1);
      assertThat(method(h, port, "PUT", "/")).isEqualTo("404");
      assertThat(method(h, port, "DELETE", "/path4")).isEqualTo("404");
      assertThat(method(h, port, "PATCH", "/path5")).isEqualTo(V1);
      assertThat(method(h, port, "PATCH", "/", "version: four")).isEqualTo(V2);
    }
  }

  /** RegularExpression matches (RE2, whole value) on path, header and query parameter. */
  @Test
  void regularExpressionMatching() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(ConformanceHarness.route("regex", """
          rules:
          - matches: [{path: {type: RegularExpression, value: "/v[0-9]+/items/[a-z]+"}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{headers: [{name: X-Canary, type: RegularExpression, value: "(yes|true)"}]}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - matches: [{queryParams: [{name: id, type: RegularExpression, value: "[0-9]{3}"}]}]
            backendRefs: [{name: infra-backend-v3, port: 8080}]
          """));
      assertThat(h.answerer(port, "x", "/v2/items/abc")).isEqualTo(V1);
      assertThat(h.answerer(port, "x", "/v2/items/abc?x=1")).isEqualTo(V1);
      assertThat(h.answerer(port, "x", "/v2/items/abc/more")).isEqualTo("404");
      assertThat(h.answerer(port, "x", "/", "x-canary: true")).isEqualTo(V2);
      assertThat(h.answerer(port, "x", "/", "x-canary: yes-please")).isEqualTo("404");
      assertThat(h.answerer(port, "x", "/?id=123")).isEqualTo(V3);
      assertThat(h.answerer(port, "x", "/?id=1234")).isEqualTo("404");
    }
  }

  /** Two Gateways with listeners on one port share it; each request goes by its host to the right Gateway's routes. */
  @Test
  void twoGatewaysOnOnePort() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = ConformanceHarness.freePort();
      String routes = """
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: to-a, namespace: gateway-conformance-infra}
          spec:
            parentRefs: [{name: gw-a}]
            rules:
            - backendRefs: [{name: infra-backend-v1, port: 8080}]
          ---
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: to-b, namespace: gateway-conformance-infra}
          spec:
            parentRefs: [{name: gw-b}]
            rules:
            - backendRefs: [{name: infra-backend-v2, port: 8080}]
          """;
      h.apply(ConformanceHarness.gateway("gw-a", "- {name: http, port: %d, protocol: HTTP, hostname: a.example}\n"
          .formatted(port)) + ConformanceHarness.gateway("gw-b", "- {name: http, port: %d, protocol: HTTP, hostname: b.example}\n"
          .formatted(port)) + h.infraServices() + routes);
      assertThat(h.answerer(port, "a.example", "/")).isEqualTo(V1);
      assertThat(h.answerer(port, "b.example", "/")).isEqualTo(V2);
      assertThat(h.answerer(port, "c.example", "/")).isEqualTo("404");
    }
  }

  /** The backend answering {@code method path}, which it must have received with that method. */
  private static String method(ConformanceHarness h, int port, String method, String path, String... headers)
      throws Exception {
    Answer a = h.send(port, method, "x", path, headers);
    if (a.echo() != null) {
      assertThat(a.echo().method()).isEqualTo(method);
    }
    return a.backend();
  }
}
