package io.sluice.resource;

import static io.sluice.resource.Fixtures.assertCondition;
import static io.sluice.resource.Fixtures.compile;
import static io.sluice.resource.Fixtures.mesh;
import static io.sluice.resource.Fixtures.request;
import static io.sluice.resource.Fixtures.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.route.HeaderMapRequest;
import io.sluice.route.RouteResult;
import io.sluice.route.RouteTable;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SMI TrafficSplit in every version, with HTTPRouteGroup matches, on the mesh listener. */
class TrafficSplitTest {
  static final String ROOT = "shop/website:80";
  static final String V1 = "shop/website-v1:80";
  static final String V2 = "shop/website-v2:80";

  static String services() {
    StringBuilder sb = new StringBuilder();
    for (String s : new String[] {"website", "website-v1", "website-v2"}) {
      sb.append("""
          apiVersion: v1
          kind: Service
          metadata: {name: %s, namespace: shop}
          spec:
            ports: [{name: http, port: 80}]
          ---
          """.formatted(s));
    }
    return sb.toString();
  }

  static Map<String, Integer> spread(RouteTable t, HeaderMapRequest template, int n) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      HeaderMapRequest req = request(template.method(), template.authority(), template.path());
      counts.merge(target(t, req, i), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void v1alpha1QuantityWeights() {
    RouteTable t = mesh(compile(services() + """
        apiVersion: split.smi-spec.io/v1alpha1
        kind: TrafficSplit
        metadata: {name: website, namespace: shop}
        spec:
          service: website
          backends:
          - {service: website-v1, weight: 900m}
          - {service: website-v2, weight: 100m}
        """));
    assertThat(spread(t, request("GET", "website", "/"), 1000)).containsOnly(Map.entry(V1, 900), Map.entry(V2, 100));
  }

  @Test
  void v1alpha1WholeQuantitiesMixWithMilli() {
    RouteTable t = mesh(compile(services() + """
        apiVersion: split.smi-spec.io/v1alpha1
        kind: TrafficSplit
        metadata: {name: website, namespace: shop}
        spec:
          service: website.shop.svc.cluster.local
          backends:
          - {service: website-v1, weight: 1}
          - {service: website-v2, weight: "500m"}
        """));
    assertThat(spread(t, request("GET", "website", "/"), 1500)).containsOnly(Map.entry(V1, 1000), Map.entry(V2, 500));
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1alpha2", "v1alpha3", "v1alpha4"})
  void integerWeights(String version) {
    RouteTable t = mesh(compile(services() + """
        apiVersion: split.smi-spec.io/%s
        kind: TrafficSplit
        metadata: {name: website, namespace: shop}
        spec:
          service: website
          backends:
          - {service: website-v1, weight: 75}
          - {service: website-v2, weight: 25}
          - {service: website, weight: 0}
        """.formatted(version)));
    assertThat(spread(t, request("GET", "website", "/"), 100)).containsOnly(Map.entry(V1, 75), Map.entry(V2, 25));
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1alpha3", "v1alpha4"})
  void matchesThroughRouteGroupsAndUnmatchedToTheRoot(String version) {
    RouteTable t = mesh(compile(services() + """
        apiVersion: specs.smi-spec.io/%1$s
        kind: HTTPRouteGroup
        metadata: {name: ab-test, namespace: shop}
        spec:
          matches:
          - name: firefox-users
            headers: {user-agent: ".*Firefox.*"}
          - name: api
            pathRegex: /api
            methods: [GET, POST]
        ---
        apiVersion: split.smi-spec.io/%1$s
        kind: TrafficSplit
        metadata: {name: ab-test, namespace: shop}
        spec:
          service: website
          matches:
          - {kind: HTTPRouteGroup, name: ab-test}
          backends:
          - {service: website-v1, weight: 0}
          - {service: website-v2, weight: 100}
        """.formatted(version)));
    assertThat(target(t, "website", "/", "user-agent", "Mozilla/5.0 Firefox/120.0")).isEqualTo(V2);
    assertThat(target(t, "website", "/", "user-agent", "Chrome")).isEqualTo(ROOT);
    assertThat(target(t, "website", "/api/users")).isEqualTo(V2);
    assertThat(target(t, request("POST", "website", "/api"), 0)).isEqualTo(V2);
    assertThat(target(t, request("DELETE", "website", "/api"), 0)).isEqualTo(ROOT);
    assertThat(target(t, "website", "/x/api")).isEqualTo(ROOT);
  }

  @Test
  void v1alpha2RouteGroupWithTopLevelMatchesAndHeaderList() {
    RouteTable t = mesh(compile(services() + """
        apiVersion: specs.smi-spec.io/v1alpha2
        kind: HTTPRouteGroup
        metadata: {name: ab-test, namespace: shop}
        matches:
        - name: firefox-users
          headers:
          - user-agent: ".*Firefox.*"
        ---
        apiVersion: split.smi-spec.io/v1alpha3
        kind: TrafficSplit
        metadata: {name: ab-test, namespace: shop}
        spec:
          service: website
          matches: [{kind: HTTPRouteGroup, name: ab-test}]
          backends: [{service: website-v2, weight: 1}]
        """));
    assertThat(target(t, "website", "/", "user-agent", "Firefox")).isEqualTo(V2);
    assertThat(target(t, "website", "/")).isEqualTo(ROOT);
  }

  @Test
  void httpRouteTakesPrecedenceOverTrafficSplit() {
    CompiledResources c = compile(services() + """
        apiVersion: split.smi-spec.io/v1alpha2
        kind: TrafficSplit
        metadata: {name: website, namespace: shop}
        spec:
          service: website
          backends: [{service: website-v2, weight: 1}]
        ---
        apiVersion: policy.linkerd.io/v1beta2
        kind: HTTPRoute
        metadata: {name: website, namespace: shop}
        spec:
          parentRefs: [{name: website, kind: Service, group: core, port: 80}]
          rules:
          - backendRefs: [{name: website-v1, port: 80}]
        """);
    assertThat(target(mesh(c), "website", "/")).isEqualTo(V1);
    assertCondition(c.statuses().get(new ResourceKey(ResourceKind.TRAFFIC_SPLIT, "shop", "website")), 0, "Accepted", "False", "Conflicted");
  }

  @Test
  void invalidAndPortlessBackendsAndMissingRoot() {
    CompiledResources c = compile(services() + """
        apiVersion: v1
        kind: Service
        metadata: {name: other-port, namespace: shop}
        spec: {ports: [{port: 9090}]}
        ---
        apiVersion: split.smi-spec.io/v1alpha4
        kind: TrafficSplit
        metadata: {name: website, namespace: shop}
        spec:
          service: website
          backends:
          - {service: website-v1, weight: 1}
          - {service: missing, weight: 1}
          - {service: other-port, weight: 1}
        ---
        apiVersion: split.smi-spec.io/v1alpha4
        kind: TrafficSplit
        metadata: {name: orphan, namespace: shop}
        spec:
          service: nothing
          backends: [{service: website-v1, weight: 1}]
        """);
    RouteTable t = mesh(c);
    assertThat(target(t, request("GET", "website", "/"), 0)).isEqualTo(V1);
    HeaderMapRequest req = request("GET", "website", "/");
    RouteResult r = Fixtures.route(t, req, 1);
    assertThat(r.clusterName(req)).isEqualTo("sluice:invalid-backend:BackendNotFound:shop/missing:80");
    assertThat(r.clusterNotFoundCode()).isEqualTo(500);
    assertThat(target(t, request("GET", "website", "/"), 2)).isEqualTo(V1);
    ResourceKey website = new ResourceKey(ResourceKind.TRAFFIC_SPLIT, "shop", "website");
    assertCondition(c.statuses().get(website), 0, "Accepted", "True", "Accepted");
    assertCondition(c.statuses().get(website), 0, "ResolvedRefs", "False", "BackendNotFound");
    assertCondition(c.statuses().get(new ResourceKey(ResourceKind.TRAFFIC_SPLIT, "shop", "orphan")), 0, "Accepted", "False", "NoMatchingParent");
  }

  @Test
  void allZeroWeightsAnswer503() {
    RouteTable t = mesh(compile(services() + """
        apiVersion: split.smi-spec.io/v1alpha2
        kind: TrafficSplit
        metadata: {name: website, namespace: shop}
        spec:
          service: website
          backends: [{service: website-v1, weight: 0}]
        """));
    RouteResult r = Fixtures.route(t, request("GET", "website", "/"), 0);
    assertThat(r.responseCode()).isEqualTo(503);
    assertThat(new String(r.directResponse().body(), java.nio.charset.StandardCharsets.UTF_8)).contains("have weight 0");
  }
}
