package io.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.conformance.ConformanceHarness.Answer;
import io.sluice.resource.ResourceKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Routes on Services over real sockets through the mesh listener: the GAMMA (GEP-1426) mesh
 * conformance cases, and Linkerd's {@code policy.linkerd.io} HTTPRoute where it differs (a rule
 * without backendRefs goes to the parent Service; timeouts in v1beta3).
 */
class MeshConformanceTest {
  private static final String MESH = "gateway-conformance-mesh";
  private static final String ECHO_V1 = "echo-v1";
  private static final String ECHO_V2 = "echo-v2";

  /** The mesh conformance Services: echo (both versions), echo-v1, echo-v2, each with ports http 80 and http-alt 8080. */
  private static String services(ConformanceHarness h) {
    String ports = "http=80,http-alt=8080";
    return h.service(MESH, "echo", ports, ECHO_V1, ECHO_V2)
        + h.service(MESH, "echo-v1", ports, ECHO_V1)
        + h.service(MESH, "echo-v2", ports, ECHO_V2);
  }

  private static String meshRoute(String name, String spec) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: gateway-conformance-mesh}
        spec:
        %s---
        """.formatted(name, spec.stripIndent().indent(2));
  }

  /** MeshBasic: a Service without a route goes to its endpoints, by every name a client may use. */
  @Test
  void serviceWithoutRouteGoesToItsEndpoints() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.start(ECHO_V1, ECHO_V2)) {
      h.apply(services(h));
      int mesh = h.meshPort();
      for (String host : List.of("echo-v1", "echo-v1:80", "echo-v1.gateway-conformance-mesh",
          "echo-v1.gateway-conformance-mesh.svc:80", "echo-v1.gateway-conformance-mesh.svc.cluster.local:8080")) {
        Answer a = h.get(mesh, host, "/anything");
        assertThat(a.backend()).as(host).isEqualTo(ECHO_V1);
        assertThat(a.echo().host()).as("the Host goes upstream unchanged").isEqualTo(host);
      }
      // Absolute form, as an HTTP proxy client sends it.
      Answer absolute = h.send(mesh, "GET", "echo-v2.gateway-conformance-mesh", "http://echo-v2.gateway-conformance-mesh/abs");
      assertThat(absolute.backend()).isEqualTo(ECHO_V2);
      assertThat(absolute.echo().path()).isEqualTo("/abs");
      assertThat(h.answerer(mesh, "echo", "/")).isIn(ECHO_V1, ECHO_V2);
      assertThat(h.answerer(mesh, "echo:9999", "/")).isEqualTo("404");
      assertThat(h.answerer(mesh, "unknown", "/")).isEqualTo("404");
    }
  }

  /** MeshTrafficSplit: a route on Service echo sends /v1 and /v2 to the versions; anything else is 404. */
  @Test
  void meshSplitByPath() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.start(ECHO_V1, ECHO_V2)) {
      h.apply(services(h) + meshRoute("mesh-split", """
          parentRefs: [{group: "", kind: Service, name: echo}]
          rules:
          - matches: [{path: {type: Exact, value: /v1}}]
            backendRefs: [{name: echo-v1, port: 80}]
          - matches: [{path: {type: Exact, value: /v2}}]
            backendRefs: [{name: echo-v2, port: 80}]
          """));
      int mesh = h.meshPort();
      for (int i = 0; i < 10; i++) {
        assertThat(h.answerer(mesh, "echo", "/v1")).isEqualTo(ECHO_V1);
        assertThat(h.answerer(mesh, "echo", "/v2")).isEqualTo(ECHO_V2);
      }
      assertThat(h.answerer(mesh, "echo", "/other")).isEqualTo("404");
      // No port in the parentRef: every port of the Service.
      assertThat(h.answerer(mesh, "echo:8080", "/v2")).isEqualTo(ECHO_V2);
    }
  }

  /** MeshHTTPRouteWeight: 70/30 over 500 requests, each share within 5 percentage points. */
  @Test
  void meshWeights() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.start(ECHO_V1, ECHO_V2)) {
      h.apply(services(h) + meshRoute("mesh-weighted", """
          parentRefs: [{group: "", kind: Service, name: echo}]
          rules:
          - backendRefs:
            - {name: echo-v1, port: 80, weight: 70}
            - {name: echo-v2, port: 80, weight: 30}
          """));
      int mesh = h.meshPort();
      WeightedShares.assertConformanceShares(Map.of(ECHO_V1, 0.7, ECHO_V2, 0.3), () -> h.answerer(mesh, "echo", "/"));
    }
  }

  /** MeshPorts: a parentRef with a port applies to that Service port only; without one, to all. */
  @Test
  void meshPorts() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.start(ECHO_V1, ECHO_V2)) {
      h.apply(services(h) + meshRoute("mesh-split-v1", """
          parentRefs: [{group: "", kind: Service, name: echo-v1, port: 80}]
          rules:
          - filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: X-Header-Set, value: v1}]}}]
            backendRefs: [{name: echo-v1, port: 80}]
          """) + meshRoute("mesh-split-v2", """
          parentRefs: [{group: "", kind: Service, name: echo-v2}]
          rules:
          - filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: X-Header-Set, value: v2}]}}]
            backendRefs: [{name: echo-v2, port: 80}]
          """));
      int mesh = h.meshPort();
      Answer v1 = h.get(mesh, "echo-v1", "/");
      assertThat(v1.backend()).isEqualTo(ECHO_V1);
      assertThat(v1.header("x-header-set")).isEqualTo("v1");
      Answer v1Alt = h.get(mesh, "echo-v1:8080", "/");
      assertThat(v1Alt.backend()).isEqualTo(ECHO_V1);
      assertThat(v1Alt.headers()).doesNotContainKey("x-header-set");
      assertThat(h.get(mesh, "echo-v2", "/").header("x-header-set")).isEqualTo("v2");
      assertThat(h.get(mesh, "echo-v2:8080", "/").header("x-header-set")).isEqualTo("v2");
    }
  }

  /**
   * MeshConsumerRoute: a route in the client's namespace on a Service of another namespace
   * replaces that Service's producer routes for that client. Sluice's client namespace here is
   * {@code default}; deleting the consumer route gives the producer route back, live.
   */
  @Test
  void consumerRouteReplacesProducerRoutes() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.start(ECHO_V1, ECHO_V2)) {
      h.apply(services(h) + meshRoute("producer", """
          parentRefs: [{group: "", kind: Service, name: echo}]
          rules:
          - backendRefs: [{name: echo-v1, port: 80}]
          """) + """
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: consumer, namespace: default}
          spec:
            parentRefs: [{group: "", kind: Service, name: echo, namespace: gateway-conformance-mesh}]
            rules:
            - filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: X-Header-Set, value: set}]}}]
              backendRefs: [{name: echo-v2, namespace: gateway-conformance-mesh, port: 80}]
          """);
      int mesh = h.meshPort();
      Answer consumer = h.get(mesh, "echo.gateway-conformance-mesh", "/");
      assertThat(consumer.backend()).isEqualTo(ECHO_V2);
      assertThat(consumer.header("x-header-set")).isEqualTo("set");

      h.proxy.store.delete(List.of(ResourceKind.HTTP_ROUTE), "httproute", "default", List.of("consumer"), false);
      Answer producer = h.get(mesh, "echo.gateway-conformance-mesh", "/");
      assertThat(producer.backend()).isEqualTo(ECHO_V1);
      assertThat(producer.headers()).doesNotContainKey("x-header-set");
    }
  }

  /** Mesh filters: request header modifier, redirect (keeping the Service port) and path rewrite through a Service parent. */
  @Test
  void meshFilters() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.start(ECHO_V1, ECHO_V2)) {
      h.apply(services(h) + meshRoute("mesh-filters", """
          parentRefs: [{group: "", kind: Service, name: echo, port: 8080}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /headers}}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set: [{name: X-Header-Set, value: set-overwrites-values}]
                add: [{name: X-Header-Add, value: add-appends-values}]
                remove: [X-Header-Remove]
            backendRefs: [{name: echo-v1, port: 80}]
          - matches: [{path: {type: PathPrefix, value: /old}}]
            filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /moved}}}]
          - matches: [{path: {type: PathPrefix, value: /prefix}}]
            filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /rewritten}}}]
            backendRefs: [{name: echo-v2, port: 80}]
          """));
      int mesh = h.meshPort();
      Answer headers = h.get(mesh, "echo:8080", "/headers", "X-Header-Set: old", "X-Header-Add: original",
          "X-Header-Remove: val");
      assertThat(headers.backend()).isEqualTo(ECHO_V1);
      assertThat(headers.echo().header("x-header-set")).isEqualTo("set-overwrites-values");
      assertThat(headers.echo().header("x-header-add")).isEqualTo("original,add-appends-values");
      assertThat(headers.echo().headers()).doesNotContainKey("x-header-remove");
      Answer moved = h.get(mesh, "echo:8080", "/old/page");
      assertThat(moved.status()).isEqualTo(302);
      assertThat(moved.header("location")).isEqualTo("http://echo:8080/moved");
      assertThat(h.get(mesh, "echo:8080", "/prefix/one").echo().target()).isEqualTo("/rewritten/one");
    }
  }

  /** One route with a Gateway parent and a Service parent serves both: north-south on the Gateway, east-west on the mesh. */
  @Test
  void routeWithGatewayAndServiceParents() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.start(ECHO_V1, ECHO_V2)) {
      int port = ConformanceHarness.freePort();
      h.apply(services(h) + """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: edge, namespace: gateway-conformance-mesh}
          spec:
            gatewayClassName: sluice
            listeners: [{name: http, port: %d, protocol: HTTP}]
          ---
          """.formatted(port) + meshRoute("both", """
          parentRefs:
          - {name: edge}
          - {group: "", kind: Service, name: echo, port: 80}
          rules:
          - matches: [{path: {type: PathPrefix, value: /v2}}]
            backendRefs: [{name: echo-v2, port: 80}]
          - backendRefs: [{name: echo-v1, port: 80}]
          """));
      assertThat(h.answerer(port, "edge.example", "/v2/x")).isEqualTo(ECHO_V2);
      assertThat(h.answerer(port, "edge.example", "/")).isEqualTo(ECHO_V1);
      int mesh = h.meshPort();
      assertThat(h.answerer(mesh, "echo", "/v2/x")).isEqualTo(ECHO_V2);
      assertThat(h.answerer(mesh, "echo", "/")).isEqualTo(ECHO_V1);
      // The Service's other port has no route: its endpoints, both versions.
      assertThat(h.answerer(mesh, "echo:8080", "/v2/x")).isIn(ECHO_V1, ECHO_V2);
    }
  }

  // ---- Linkerd

  private static final String DEMO = "traffic-shift-demo";

  private static String linkerdServices(ConformanceHarness h) {
    return h.service(DEMO, "bb", "http=8080", "bb") + h.service(DEMO, "bb-v2", "http=8080", "bb-v2");
  }

  /**
   * Linkerd's difference from the Gateway API: a rule without backendRefs sends what it matches to
   * the parent Service (its endpoints), with the rule's filters applied, where a Gateway API rule
   * would answer 500.
   */
  @Test
  void linkerdRuleWithoutBackendsGoesToTheParentService() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.start("bb", "bb-v2")) {
      h.apply(linkerdServices(h) + """
          apiVersion: policy.linkerd.io/v1beta3
          kind: HTTPRoute
          metadata: {name: bb-route, namespace: traffic-shift-demo}
          spec:
            parentRefs: [{name: bb, kind: Service, group: core, port: 8080}]
            rules:
            - matches: [{headers: [{name: x-canary, value: "true"}]}]
              backendRefs: [{name: bb-v2, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /}}]
              filters:
              - type: RequestHeaderModifier
                requestHeaderModifier: {set: [{name: l5d-dst, value: bb}]}
          """);
      int mesh = h.meshPort();
      for (int i = 0; i < 10; i++) {
        Answer canary = h.get(mesh, "bb:8080", "/", "x-canary: true");
        assertThat(canary.backend()).isEqualTo("bb-v2");
        Answer parent = h.get(mesh, "bb:8080", "/");
        assertThat(parent.status()).isEqualTo(200);
        assertThat(parent.backend()).isEqualTo("bb");
        assertThat(parent.echo().header("l5d-dst")).isEqualTo("bb");
      }
    }
  }

  /** Linkerd v1beta2 weights (the reference's 90/10 and 0/100) and v1beta3 rule timeouts (504). */
  @Test
  void linkerdWeightsAndTimeouts() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.start("bb", "bb-v2")) {
      h.apply(linkerdServices(h) + """
          apiVersion: policy.linkerd.io/v1beta2
          kind: HTTPRoute
          metadata: {name: bb-route, namespace: traffic-shift-demo}
          spec:
            parentRefs: [{name: bb, kind: Service, group: core, port: 8080}]
            rules:
            - backendRefs:
              - {name: bb, port: 8080, weight: 90}
              - {name: bb-v2, port: 8080, weight: 10}
          """);
      int mesh = h.meshPort();
      // 600 requests: sqrt(0.9 * 0.1 / 600) = 0.0122, so 0.065 is 5.3 standard deviations.
      WeightedShares.assertShares(600, 0.065, Map.of("bb", 0.9, "bb-v2", 0.1), () -> h.answerer(mesh, "bb:8080", "/"));

      h.apply("""
          apiVersion: policy.linkerd.io/v1beta3
          kind: HTTPRoute
          metadata: {name: bb-route, namespace: traffic-shift-demo}
          spec:
            parentRefs: [{name: bb, kind: Service, group: core, port: 8080}]
            rules:
            - matches: [{path: {type: PathPrefix, value: /slow}}]
              timeouts: {request: 500ms}
              backendRefs: [{name: bb-v2, port: 8080}]
            - backendRefs:
              - {name: bb, port: 8080, weight: 0}
              - {name: bb-v2, port: 8080, weight: 100}
          """);
      for (int i = 0; i < 20; i++) {
        assertThat(h.answerer(mesh, "bb:8080", "/")).isEqualTo("bb-v2");
      }
      assertThat(h.get(mesh, "bb:8080", "/slow").backend()).isEqualTo("bb-v2");
      Answer late = h.get(mesh, "bb:8080", "/slow?delay=1s");
      assertThat(late.status()).isEqualTo(504);
      assertThat(late.body()).isEqualTo("upstream request timeout\n");
    }
  }
}
