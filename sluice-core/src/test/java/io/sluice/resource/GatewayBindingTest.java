package io.sluice.resource;

import static io.sluice.resource.Fixtures.assertCondition;
import static io.sluice.resource.Fixtures.compile;
import static io.sluice.resource.Fixtures.gateway;
import static io.sluice.resource.Fixtures.request;
import static io.sluice.resource.Fixtures.route;
import static io.sluice.resource.Fixtures.target;
import static io.sluice.resource.Infra.V1;
import static io.sluice.resource.Infra.V2;
import static io.sluice.resource.Infra.V3;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.ClusterSpec;
import io.sluice.route.HeaderMapRequest;
import io.sluice.route.RouteResult;
import io.sluice.route.RouteTable;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Backends (invalid, empty, zero weights), listener binding, hostnames and statuses. */
class GatewayBindingTest {

  private static ResourceKey routeKey(String name) {
    return new ResourceKey(ResourceKind.HTTP_ROUTE, Infra.NS, name);
  }

  @Test
  void invalidBackendKeepsItsShareAndThatShareAnswers500() {
    CompiledResources c = compile(Infra.base() + Infra.route("partially-invalid", """
          rules:
          - backendRefs:
            - {name: infra-backend-v1, port: 8080}
            - {name: nonexistent, port: 8080}
        """));
    RouteTable t = gateway(c, 80);
    HeaderMapRequest ok = request("GET", "x", "/");
    assertThat(target(t, ok, 0)).isEqualTo(V1);
    HeaderMapRequest bad = request("GET", "x", "/");
    RouteResult r = route(t, bad, 1);
    assertThat(r.clusterName(bad)).isEqualTo("sluice:invalid-backend:BackendNotFound:gateway-conformance-infra/nonexistent:8080");
    assertThat(r.clusterNotFoundCode()).isEqualTo(500);
    assertThat(c.clusters().stream().map(ClusterSpec::name)).doesNotContain(r.clusterName(bad));
    JsonNode status = c.statuses().get(routeKey("partially-invalid"));
    assertCondition(status, 0, "Accepted", "True", "Accepted");
    assertCondition(status, 0, "ResolvedRefs", "False", "BackendNotFound");
    assertThat(Fixtures.condition(status, 0, "ResolvedRefs").get("message").asText()).contains("nonexistent");
  }

  @Test
  void unknownKindIsInvalidKind() {
    CompiledResources c = compile(Infra.base() + Infra.route("unknown-kind", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /v2}}]
            backendRefs:
            - {group: unknownkind.example.com, kind: NonExistent, name: infra-backend-v2, port: 8080}
          - backendRefs: [{name: infra-backend-v1, port: 8080}]
        """));
    HeaderMapRequest req = request("GET", "x", "/v2");
    RouteResult r = route(gateway(c, 80), req, 0);
    assertThat(r.clusterName(req)).startsWith("sluice:invalid-backend:InvalidKind:");
    assertThat(r.clusterNotFoundCode()).isEqualTo(500);
    assertThat(target(gateway(c, 80), "x", "/")).isEqualTo(V1);
    assertCondition(c.statuses().get(routeKey("unknown-kind")), 0, "ResolvedRefs", "False", "InvalidKind");
    assertCondition(c.statuses().get(routeKey("unknown-kind")), 0, "Accepted", "True", "Accepted");
  }

  @Test
  void backendWithNoEndpointsIsAClusterWithNoEndpoints() {
    String svc = """
        apiVersion: v1
        kind: Service
        metadata: {name: empty, namespace: gateway-conformance-infra}
        spec:
          ports: [{name: http, port: 8080}]
        ---
        """;
    CompiledResources c = compile(Infra.base() + svc + Infra.route("to-empty", """
          rules:
          - backendRefs: [{name: empty, port: 8080}]
        """));
    assertThat(target(gateway(c, 80), "x", "/")).isEqualTo(Infra.NS + "/empty:8080");
    ClusterSpec empty = c.clusters().stream().filter(k -> k.name().equals(Infra.NS + "/empty:8080")).findFirst().orElseThrow();
    assertThat(empty.endpoints()).isEmpty();
    assertCondition(c.statuses().get(routeKey("to-empty")), 0, "ResolvedRefs", "True", "ResolvedRefs");
  }

  @Test
  void allWeightsZeroAnswer503WithABodyThatSaysWhy() {
    CompiledResources c = compile(Infra.base() + Infra.route("all-zero", """
          rules:
          - backendRefs:
            - {name: infra-backend-v1, port: 8080, weight: 0}
            - {name: infra-backend-v2, port: 8080, weight: 0}
        """));
    RouteResult r = route(gateway(c, 80), request("GET", "x", "/"), 0);
    assertThat(r.kind()).isEqualTo(RouteResult.Kind.DIRECT_RESPONSE);
    assertThat(r.responseCode()).isEqualTo(503);
    assertThat(new String(r.directResponse().body(), StandardCharsets.UTF_8))
        .isEqualTo("all backends of rule rules[0] of httproute/all-zero have weight 0\n");
    assertCondition(c.statuses().get(routeKey("all-zero")), 0, "Accepted", "True", "Accepted");
    assertCondition(c.statuses().get(routeKey("all-zero")), 0, "ResolvedRefs", "True", "ResolvedRefs");
  }

  @Test
  void gatewayRuleWithoutBackendsAnswers500() {
    RouteTable t = gateway(compile(Infra.base() + Infra.route("no-backends", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /}}]
        """)), 80);
    RouteResult r = route(t, request("GET", "x", "/"), 0);
    assertThat(r.kind()).isEqualTo(RouteResult.Kind.DIRECT_RESPONSE);
    assertThat(r.responseCode()).isEqualTo(500);
  }

  @Test
  void unsupportedRulesAreDroppedAndReported() {
    CompiledResources c = compile(Infra.base() + Infra.route("partly", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /cors}}]
            filters: [{type: CORS, cors: {allowOrigins: ["https://a.example"]}}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /twice}}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set: [{name: X-A, value: "1"}]
                add: [{name: x-a, value: "2"}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - backendRefs: [{name: infra-backend-v1, port: 8080}]
        """) + Infra.route("only-extension", """
          rules:
          - filters: [{type: ExtensionRef, extensionRef: {group: example.com, kind: Thing, name: t}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
        """));
    assertThat(target(gateway(c, 80), "x", "/cors")).isEqualTo(V1);
    assertThat(target(gateway(c, 80), "x", "/twice")).isEqualTo(V1);
    JsonNode partly = c.statuses().get(routeKey("partly"));
    assertCondition(partly, 0, "Accepted", "True", "Accepted");
    assertCondition(partly, 0, "PartiallyInvalid", "True", "UnsupportedValue");
    assertThat(Fixtures.condition(partly, 0, "PartiallyInvalid").get("message").asText())
        .startsWith("Dropped Rule rules[0]: CORS filter is not supported by Sluice")
        .contains("Dropped Rule rules[1]: header x-a is changed by more than one action");
    assertCondition(c.statuses().get(routeKey("only-extension")), 0, "Accepted", "False", "UnsupportedValue");
  }

  /** HTTPRouteHostnameIntersection. */
  @Test
  void hostnameIntersection() {
    String listeners = """
          - {name: listener-1, port: 80, protocol: HTTP, hostname: very.specific.com}
          - {name: listener-2, port: 80, protocol: HTTP, hostname: "*.wildcard.io"}
          - {name: listener-3, port: 80, protocol: HTTP, hostname: "*.anotherwildcard.io"}
        """;
    String routes = hostRoute("specific-host-matches-listener-specific-host",
            "[non.matching.com, \"*.nonmatchingwildcard.io\", very.specific.com]", "/s1", "infra-backend-v1")
        + hostRoute("specific-host-matches-listener-wildcard-host",
            "[non.matching.com, wildcard.io, foo.wildcard.io, bar.wildcard.io, foo.bar.wildcard.io]", "/s2", "infra-backend-v2")
        + hostRoute("wildcard-host-matches-listener-specific-host", "[non.matching.com, \"*.specific.com\"]", "/s3", "infra-backend-v3")
        + hostRoute("wildcard-host-matches-listener-wildcard-host", "[\"*.anotherwildcard.io\"]", "/s4", "infra-backend-v1")
        + hostRoute("no-intersecting-hosts", "[specific.but.wrong.com, wildcard.io]", "/s5", "infra-backend-v2");
    CompiledResources c = compile(Infra.gateway("httproute-hostname-intersection", listeners) + Infra.backends() + routes);
    RouteTable t = gateway(c, 80);
    assertThat(target(t, "very.specific.com", "/s1")).isEqualTo(V1);
    assertThat(target(t, "very.specific.com:1234", "/s1")).isEqualTo(V1);
    assertThat(target(t, "non.matching.com", "/s1")).isEqualTo("404");
    assertThat(target(t, "foo.nonmatchingwildcard.io", "/s1")).isEqualTo("404");
    assertThat(target(t, "foo.wildcard.io", "/s2")).isEqualTo(V2);
    assertThat(target(t, "bar.wildcard.io", "/s2")).isEqualTo(V2);
    assertThat(target(t, "foo.bar.wildcard.io", "/s2")).isEqualTo(V2);
    assertThat(target(t, "non.matching.com", "/s2")).isEqualTo("404");
    assertThat(target(t, "wildcard.io", "/s2")).isEqualTo("404");
    assertThat(target(t, "very.specific.com", "/s3")).isEqualTo(V3);
    assertThat(target(t, "non.matching.com", "/s3")).isEqualTo("404");
    assertThat(target(t, "foo.specific.com", "/s3")).isEqualTo("404");
    assertThat(target(t, "foo.anotherwildcard.io", "/s4")).isEqualTo(V1);
    assertThat(target(t, "anotherwildcard.io", "/s4")).isEqualTo("404");
    assertThat(target(t, "specific.but.wrong.com", "/s5")).isEqualTo("404");
    assertThat(target(t, "wildcard.io", "/s5")).isEqualTo("404");
    assertCondition(c.statuses().get(routeKey("no-intersecting-hosts")), 0, "Accepted", "False", "NoMatchingListenerHostname");
    assertCondition(c.statuses().get(routeKey("wildcard-host-matches-listener-specific-host")), 0, "Accepted", "True", "Accepted");
  }

  private static String hostRoute(String name, String hostnames, String prefix, String backend) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: httproute-hostname-intersection}]
          hostnames: %s
          rules:
          - matches: [{path: {type: PathPrefix, value: %s}}]
            backendRefs: [{name: %s, port: 8080}]
        ---
        """.formatted(name, hostnames, prefix, backend);
  }

  /** HTTPRouteListenerHostnameMatching. */
  @Test
  void listenerHostnameMatching() {
    String listeners = """
          - {name: listener-1, port: 80, protocol: HTTP, hostname: bar.com}
          - {name: listener-2, port: 80, protocol: HTTP, hostname: foo.bar.com}
          - {name: listener-3, port: 80, protocol: HTTP, hostname: "*.bar.com"}
          - {name: listener-4, port: 80, protocol: HTTP, hostname: "*.foo.com"}
        """;
    String routes = sectionRoute("backend-v1", "[{name: httproute-listener-hostname-matching, sectionName: listener-1}]", "infra-backend-v1")
        + sectionRoute("backend-v2", "[{name: httproute-listener-hostname-matching, sectionName: listener-2}]", "infra-backend-v2")
        + sectionRoute("backend-v3", "[{name: httproute-listener-hostname-matching, sectionName: listener-3},"
            + " {name: httproute-listener-hostname-matching, sectionName: listener-4}]", "infra-backend-v3");
    CompiledResources c = compile(Infra.gateway("httproute-listener-hostname-matching", listeners) + Infra.backends() + routes);
    RouteTable t = gateway(c, 80);
    assertThat(target(t, "bar.com", "/")).isEqualTo(V1);
    assertThat(target(t, "foo.bar.com", "/")).isEqualTo(V2);
    assertThat(target(t, "baz.bar.com", "/")).isEqualTo(V3);
    assertThat(target(t, "boo.bar.com", "/")).isEqualTo(V3);
    assertThat(target(t, "multiple.prefixes.bar.com", "/")).isEqualTo(V3);
    assertThat(target(t, "multiple.prefixes.foo.com", "/")).isEqualTo(V3);
    assertThat(target(t, "foo.com", "/")).isEqualTo("404");
    assertThat(target(t, "no.matching.host", "/")).isEqualTo("404");
    JsonNode gw = c.statuses().get(new ResourceKey(ResourceKind.GATEWAY, Infra.NS, "httproute-listener-hostname-matching"));
    assertThat(gw.get("listeners").get(2).get("attachedRoutes").asInt()).isEqualTo(1);
    assertCondition(gw, 0, "Programmed", "True", "Programmed");
  }

  private static String sectionRoute(String name, String parents, String backend) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: gateway-conformance-infra}
        spec:
          parentRefs: %s
          rules:
          - backendRefs: [{name: %s, port: 8080}]
        ---
        """.formatted(name, parents, backend);
  }

  @Test
  void allowedRoutesSameAndAllAndKinds() {
    String listeners = """
          - {name: same, port: 80, protocol: HTTP}
          - {name: all, port: 8080, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
          - {name: tls-only, port: 9090, protocol: HTTP, allowedRoutes: {kinds: [{kind: TLSRoute}]}}
        """;
    String other = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: from-other, namespace: other}
        spec:
          parentRefs: [{name: gw, namespace: gateway-conformance-infra}]
          rules:
          - backendRefs: [{name: infra-backend-v1, namespace: gateway-conformance-infra, port: 8080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: to-same-only, namespace: other}
        spec:
          parentRefs: [{name: gw, namespace: gateway-conformance-infra, sectionName: same}]
          rules:
          - backendRefs: [{name: infra-backend-v1, namespace: gateway-conformance-infra, port: 8080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: disallowed-kind, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: gw, sectionName: tls-only}]
          rules:
          - backendRefs: [{name: infra-backend-v1, port: 8080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: missing-gateway, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: nope}, {name: gw, sectionName: nosuch}]
          rules:
          - backendRefs: [{name: infra-backend-v1, port: 8080}]
        """;
    CompiledResources c = compile(Infra.gateway("gw", listeners) + Infra.backends() + other);
    assertThat(target(gateway(c, 8080), "x", "/")).isEqualTo(V1);
    assertThat(target(gateway(c, 80), "x", "/")).isEqualTo("404");
    assertThat(target(gateway(c, 9090), "x", "/")).isEqualTo("404");
    ResourceKey fromOther = new ResourceKey(ResourceKind.HTTP_ROUTE, "other", "from-other");
    assertCondition(c.statuses().get(fromOther), 0, "Accepted", "True", "Accepted");
    ResourceKey sameOnly = new ResourceKey(ResourceKind.HTTP_ROUTE, "other", "to-same-only");
    assertCondition(c.statuses().get(sameOnly), 0, "Accepted", "False", "NotAllowedByListeners");
    assertCondition(c.statuses().get(routeKey("disallowed-kind")), 0, "Accepted", "False", "NotAllowedByListeners");
    assertCondition(c.statuses().get(routeKey("missing-gateway")), 0, "Accepted", "False", "NoMatchingParent");
    assertCondition(c.statuses().get(routeKey("missing-gateway")), 1, "Accepted", "False", "NoMatchingParent");
    JsonNode gw = c.statuses().get(new ResourceKey(ResourceKind.GATEWAY, Infra.NS, "gw"));
    assertThat(gw.get("listeners").get(1).get("attachedRoutes").asInt()).isEqualTo(1);
    assertThat(gw.get("listeners").get(2).get("supportedKinds")).isEmpty();
  }

  @Test
  void listenerPortsAreBoundOnGatewayHostAndHttpsIsUnsupported() {
    String listeners = """
          - {name: http, port: 80, protocol: HTTP}
          - {name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: cert}]}}
        """;
    CompiledResources c = ResourceCompiler.compile(Fixtures.set(Infra.gateway("gw", listeners)),
        new MeshOptions(null, "10.9.8.7", "default"));
    assertThat(c.listeners()).extracting(l -> l.name() + "@" + l.address()).containsExactly("gateway:80@10.9.8.7:80");
    assertThat(c.routeConfigs()).containsKeys("mesh", "gateway:80");
    JsonNode gw = c.statuses().get(new ResourceKey(ResourceKind.GATEWAY, Infra.NS, "gw"));
    JsonNode https = gw.get("listeners").get(1).get("conditions").get(0);
    assertThat(https.get("reason").asText()).isEqualTo("UnsupportedProtocol");
    assertThat(gw.get("conditions").get(0).get("observedGeneration").asLong()).isEqualTo(1);
  }

  @Test
  void statusesAreStableAcrossRecompiles() {
    ResourceSet set = Fixtures.set(Infra.base() + Infra.route("r", """
          rules:
          - backendRefs: [{name: infra-backend-v1, port: 8080}]
        """));
    CompiledResources first = ResourceCompiler.compile(set, Fixtures.MESH);
    ResourceSet withStatus = set.withStatuses(first.statuses());
    CompiledResources second = ResourceCompiler.compile(withStatus, Fixtures.MESH);
    assertThat(second.statuses()).isEqualTo(first.statuses());
    assertThat(withStatus.withStatuses(second.statuses())).isSameAs(withStatus);
    JsonNode parent = first.statuses().get(routeKey("r")).get("parents").get(0);
    assertThat(parent.get("controllerName").asText()).isEqualTo("sluice.io/gateway-controller");
    assertThat(parent.get("parentRef").toString())
        .isEqualTo("{\"group\":\"gateway.networking.k8s.io\",\"kind\":\"Gateway\",\"name\":\"same-namespace\"}");
  }
}
