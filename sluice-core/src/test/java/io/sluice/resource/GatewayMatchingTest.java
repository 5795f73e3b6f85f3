package io.sluice.resource;

import static io.sluice.resource.Fixtures.compile;
import static io.sluice.resource.Fixtures.gateway;
import static io.sluice.resource.Fixtures.request;
import static io.sluice.resource.Fixtures.target;
import static io.sluice.resource.Infra.V1;
import static io.sluice.resource.Infra.V2;
import static io.sluice.resource.Infra.V3;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.route.RouteTable;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Gateway API conformance cases for weights, matching and precedence, on a Gateway listener. */
class GatewayMatchingTest {

  private static RouteTable table(String routes) {
    return gateway(compile(Infra.base() + routes), 80);
  }

  @Test
  void httpRouteWeight() {
    RouteTable t = table(Infra.route("weighted-backends", """
          rules:
          - backendRefs:
            - name: infra-backend-v1
              port: 8080
              weight: 70
            - name: infra-backend-v2
              port: 8080
              weight: 30
            - name: infra-backend-v3
              port: 8080
              weight: 0
        """));
    // Every residue of the random value modulo 100 once: exactly 70/30/0.
    Map<String, Integer> exact = new HashMap<>();
    for (long r = 0; r < 1000; r++) {
      exact.merge(target(t, request("GET", "example.com", "/"), r), 1, Integer::sum);
    }
    assertThat(exact).containsOnly(Map.entry(V1, 700), Map.entry(V2, 300));
    // 500 requests with random values, as the conformance test sends: each share within 5%.
    Random random = new Random(42);
    Map<String, Integer> sampled = new HashMap<>();
    for (int i = 0; i < 500; i++) {
      sampled.merge(target(t, request("GET", "example.com", "/"), random.nextLong()), 1, Integer::sum);
    }
    assertThat(sampled).doesNotContainKey(V3);
    assertThat(sampled.get(V1) / 500.0).isCloseTo(0.70, org.assertj.core.data.Offset.offset(0.05));
    assertThat(sampled.get(V2) / 500.0).isCloseTo(0.30, org.assertj.core.data.Offset.offset(0.05));
  }

  @Test
  void defaultWeightIsOne() {
    RouteTable t = table(Infra.route("two", """
          rules:
          - backendRefs:
            - {name: infra-backend-v1, port: 8080}
            - {name: infra-backend-v2, port: 8080}
        """));
    assertThat(target(t, request("GET", "x", "/"), 0)).isEqualTo(V1);
    assertThat(target(t, request("GET", "x", "/"), 1)).isEqualTo(V2);
    assertThat(target(t, request("GET", "x", "/"), 2)).isEqualTo(V1);
  }

  @Test
  void pathMatchOrder() {
    RouteTable t = table(Infra.route("path-matching-order", """
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
    assertThat(target(t, "example.com", "/match/exact/one")).isEqualTo(V3);
    assertThat(target(t, "example.com", "/match/exact")).isEqualTo(V2);
    assertThat(target(t, "example.com", "/match")).isEqualTo(V1);
    assertThat(target(t, "example.com", "/match/prefix/one/any")).isEqualTo(V2);
    assertThat(target(t, "example.com", "/match/prefix/any")).isEqualTo(V1);
    assertThat(target(t, "example.com", "/match/any")).isEqualTo(V3);
  }

  @Test
  void matchingAcrossRoutes() {
    RouteTable t = table(
        Infra.route("matching-part1", """
              hostnames: [example.com, example.net]
              rules:
              - matches:
                - path: {type: PathPrefix, value: /}
                - headers: [{name: version, value: one}]
                backendRefs: [{name: infra-backend-v1, port: 8080}]
            """)
            + Infra.route("matching-part2", """
              hostnames: ["*.com"]
              rules:
              - matches:
                - path: {type: PathPrefix, value: /v2}
                - headers: [{name: version, value: two}]
                backendRefs: [{name: infra-backend-v2, port: 8080}]
            """));
    assertThat(target(t, "example.com", "/")).isEqualTo(V1);
    assertThat(target(t, "example.com", "/example")).isEqualTo(V1);
    assertThat(target(t, "example.net", "/example")).isEqualTo(V1);
    assertThat(target(t, "example.com", "/example", "Version", "one")).isEqualTo(V1);
    assertThat(target(t, "example.com", "/v2")).isEqualTo(V2);
    assertThat(target(t, "example.net", "/v2")).isEqualTo(V1);
    assertThat(target(t, "example.com", "/v2/example")).isEqualTo(V2);
    assertThat(target(t, "example.com", "/", "Version", "two")).isEqualTo(V2);
  }

  @Test
  void matching() {
    RouteTable t = table(Infra.route("matching", """
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
    assertThat(target(t, "example.com", "/")).isEqualTo(V1);
    assertThat(target(t, "example.com", "/example")).isEqualTo(V1);
    assertThat(target(t, "example.com", "/", "Version", "one")).isEqualTo(V1);
    assertThat(target(t, "example.com", "/v2")).isEqualTo(V2);
    assertThat(target(t, "example.com", "/v2/example")).isEqualTo(V2);
    assertThat(target(t, "example.com", "/", "Version", "two")).isEqualTo(V2);
    assertThat(target(t, "example.com", "/v2/")).isEqualTo(V2);
    assertThat(target(t, "example.com", "/v2example")).isEqualTo(V1);
    assertThat(target(t, "example.com", "/foo/v2/example")).isEqualTo(V1);
  }

  @Test
  void exactPathMatching() {
    RouteTable t = table(Infra.route("exact-matching", """
          rules:
          - matches: [{path: {type: Exact, value: /one}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: Exact, value: /two}}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
        """));
    assertThat(target(t, "example.com", "/one")).isEqualTo(V1);
    assertThat(target(t, "example.com", "/two")).isEqualTo(V2);
    assertThat(target(t, "example.com", "/")).isEqualTo("404");
    assertThat(target(t, "example.com", "/one/example")).isEqualTo("404");
    assertThat(target(t, "example.com", "/two/")).isEqualTo("404");
    assertThat(target(t, "example.com", "/Two")).isEqualTo("404");
    assertThat(target(t, "example.com", "/one?x=1")).isEqualTo(V1);
  }

  @Test
  void headerMatching() {
    RouteTable t = table(Infra.route("header-matching", """
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
    assertThat(target(t, "x", "/", "Version", "one")).isEqualTo(V1);
    assertThat(target(t, "x", "/", "Version", "two")).isEqualTo(V2);
    assertThat(target(t, "x", "/", "Version", "two", "Color", "orange")).isEqualTo(V1);
    assertThat(target(t, "x", "/", "Version", "two", "Color", "blue")).isEqualTo(V2);
    assertThat(target(t, "x", "/", "Color", "orange")).isEqualTo("404");
    assertThat(target(t, "x", "/", "Some-Other-Header", "one")).isEqualTo("404");
    assertThat(target(t, "x", "/", "Color", "blue")).isEqualTo(V1);
    assertThat(target(t, "x", "/", "Color", "green")).isEqualTo(V1);
    assertThat(target(t, "x", "/", "Color", "red")).isEqualTo(V2);
    assertThat(target(t, "x", "/", "Color", "yellow")).isEqualTo(V2);
    assertThat(target(t, "x", "/", "Color", "purple")).isEqualTo("404");
    // Values are case-sensitive.
    assertThat(target(t, "x", "/", "Version", "ONE")).isEqualTo("404");
  }

  @Test
  void headerRegexAndEquivalentNames() {
    RouteTable t = table(Infra.route("header-regex", """
          rules:
          - matches:
            - headers:
              - {name: X-Canary, type: RegularExpression, value: "(yes|true)"}
              - {name: x-canary, value: ignored-second-entry}
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - backendRefs: [{name: infra-backend-v1, port: 8080}]
        """));
    assertThat(target(t, "x", "/", "x-canary", "yes")).isEqualTo(V2);
    assertThat(target(t, "x", "/", "X-CANARY", "true")).isEqualTo(V2);
    // Full match, not a search.
    assertThat(target(t, "x", "/", "x-canary", "yes-please")).isEqualTo(V1);
    assertThat(target(t, "x", "/")).isEqualTo(V1);
  }

  @Test
  void queryParamMatching() {
    RouteTable t = table(Infra.route("query-param-matching", """
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
    assertThat(target(t, "x", "/?animal=whale")).isEqualTo(V1);
    assertThat(target(t, "x", "/?animal=dolphin")).isEqualTo(V2);
    assertThat(target(t, "x", "/?animal=dolphin&color=blue")).isEqualTo(V3);
    assertThat(target(t, "x", "/?ANIMAL=Whale")).isEqualTo(V3);
    assertThat(target(t, "x", "/?animal=whale&otherparam=irrelevant")).isEqualTo(V1);
    assertThat(target(t, "x", "/?animal=dolphin&color=yellow")).isEqualTo(V2);
    assertThat(target(t, "x", "/?color=blue")).isEqualTo("404");
    assertThat(target(t, "x", "/?animal=dog")).isEqualTo("404");
    assertThat(target(t, "x", "/?animal=whaledolphin")).isEqualTo("404");
    assertThat(target(t, "x", "/")).isEqualTo("404");
    assertThat(target(t, "x", "/path1?animal=whale")).isEqualTo(V1);
    assertThat(target(t, "x", "/?animal=whale", "version", "one")).isEqualTo(V2);
    assertThat(target(t, "x", "/path2?animal=whale", "version", "two")).isEqualTo(V3);
    assertThat(target(t, "x", "/path3?animal=shark")).isEqualTo(V1);
    assertThat(target(t, "x", "/path4?animal=kraken", "version", "three")).isEqualTo(V1);
    assertThat(target(t, "x", "/?animal=shark")).isEqualTo("404");
    assertThat(target(t, "x", "/path4?animal=kraken")).isEqualTo("404");
    assertThat(target(t, "x", "/path5?animal=hydra")).isEqualTo(V1);
    assertThat(target(t, "x", "/?animal=hydra", "version", "four")).isEqualTo(V3);
  }

  @Test
  void methodMatching() {
    RouteTable t = table(Infra.route("method-matching", """
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
    assertThat(target(t, request("POST", "x", "/"), 0)).isEqualTo(V1);
    assertThat(target(t, request("GET", "x", "/"), 0)).isEqualTo(V2);
    assertThat(target(t, request("HEAD", "x", "/"), 0)).isEqualTo("404");
    assertThat(target(t, request("GET", "x", "/path1"), 0)).isEqualTo(V1);
    assertThat(target(t, request("PUT", "x", "/", "version", "one"), 0)).isEqualTo(V2);
    assertThat(target(t, request("POST", "x", "/path2", "version", "two"), 0)).isEqualTo(V3);
    assertThat(target(t, request("PATCH", "x", "/path3"), 0)).isEqualTo(V1);
    assertThat(target(t, request("DELETE", "x", "/path4", "version", "three"), 0)).isEqualTo(V1);
    assertThat(target(t, request("PUT", "x", "/"), 0)).isEqualTo("404");
    assertThat(target(t, request("DELETE", "x", "/path4"), 0)).isEqualTo("404");
    assertThat(target(t, request("PATCH", "x", "/path5"), 0)).isEqualTo(V1);
    assertThat(target(t, request("PATCH", "x", "/", "version", "four"), 0)).isEqualTo(V2);
  }

  @Test
  void regexPathFullMatchAndPrecedenceBetweenExactAndPrefix() {
    RouteTable t = table(Infra.route("regex", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /api}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: RegularExpression, value: "/api/v[0-9]+/.*"}}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - matches: [{path: {type: Exact, value: /api/v1/health}}]
            backendRefs: [{name: infra-backend-v3, port: 8080}]
        """));
    assertThat(target(t, "x", "/api/v1/health")).isEqualTo(V3);
    assertThat(target(t, "x", "/api/v1/users")).isEqualTo(V2);
    assertThat(target(t, "x", "/api/v1/users?q=1")).isEqualTo(V2);
    assertThat(target(t, "x", "/api/vx/users")).isEqualTo(V1);
    assertThat(target(t, "x", "/x/api/v1/users")).isEqualTo("404");
  }

  @Test
  void olderRouteWinsATieThenNamespaceAndName() {
    String older = Infra.route("zzz-older", """
          rules:
          - backendRefs: [{name: infra-backend-v1, port: 8080}]
        """);
    String newer = Infra.route("aaa-newer", """
          rules:
          - backendRefs: [{name: infra-backend-v2, port: 8080}]
        """);
    ResourceSet first = Fixtures.set(Infra.base() + older);
    ResourceSet both = Fixtures.apply(first, newer, Fixtures.T0.plusSeconds(5));
    assertThat(target(gateway(ResourceCompiler.compile(both, Fixtures.MESH), 80), "x", "/")).isEqualTo(V1);
    // Same creation time: alphabetical namespace/name decides.
    assertThat(target(table(older + newer), "x", "/")).isEqualTo(V2);
  }

  @Test
  void noMatchIs404() {
    RouteTable t = table(Infra.route("only-foo", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /foo}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
        """));
    assertThat(target(t, "x", "/bar")).isEqualTo("404");
    assertThat(target(t, "x", "/foobar")).isEqualTo("404");
    assertThat(target(t, "x", "/foo/bar")).isEqualTo(V1);
  }
}
