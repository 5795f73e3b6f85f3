package io.sluice.conformance;

import static io.sluice.conformance.ConformanceHarness.INFRA;
import static io.sluice.conformance.ConformanceHarness.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.conformance.ConformanceHarness.Answer;
import io.sluice.resource.Resource;
import io.sluice.resource.ResourceKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Gateway API conformance cases for backends (missing, invalid, without endpoints, all at
 * weight 0), rules without backends, no match, listener binding and hostname intersection, over
 * real sockets; local answers are checked with their bodies, and the route statuses the store
 * keeps with the conditions the suite asserts.
 */
class GatewayBackendsConformanceTest {
  private static final String V1 = "infra-backend-v1";
  private static final String V2 = "infra-backend-v2";
  private static final String V3 = "infra-backend-v3";

  /** HTTPRouteSimpleSameNamespace. */
  @Test
  void simpleSameNamespace() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("gateway-conformance-infra-test", """
          rules:
          - backendRefs: [{name: infra-backend-v1, port: 8080}]
          """));
      Answer a = h.get(port, "example.com", "/");
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.backend()).isEqualTo(V1);
      assertThat(a.echo().method()).isEqualTo("GET");
      assertThat(a.echo().target()).isEqualTo("/");
      assertThat(a.echo().host()).isEqualTo("example.com");
      assertCondition(h, "gateway-conformance-infra-test", "Accepted", "True", "Accepted");
      assertCondition(h, "gateway-conformance-infra-test", "ResolvedRefs", "True", "ResolvedRefs");
    }
  }

  /** HTTPRouteInvalidNonExistentBackendRef: 500, and the body names the backend. */
  @Test
  void nonExistentBackend() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("invalid-nonexistent-backend-ref", """
          rules:
          - backendRefs: [{name: nonexistent, port: 8080}]
          """));
      Answer a = h.get(port, "example.com", "/");
      assertThat(a.status()).isEqualTo(500);
      assertThat(a.body()).isEqualTo("invalid backend: BackendNotFound:gateway-conformance-infra/nonexistent:8080\n");
      assertCondition(h, "invalid-nonexistent-backend-ref", "Accepted", "True", "Accepted");
      assertCondition(h, "invalid-nonexistent-backend-ref", "ResolvedRefs", "False", "BackendNotFound");
    }
  }

  /** HTTPRouteInvalidBackendRefUnknownKind: the rule with the unknown kind answers 500, the other rule still serves. */
  @Test
  void unknownBackendKind() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("invalid-backend-ref-unknown-kind", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /v2}}]
            backendRefs:
            - {group: unknownkind.example.com, kind: NonExistent, name: infra-backend-v2, port: 8080}
          - backendRefs: [{name: infra-backend-v1, port: 8080}]
          """));
      Answer bad = h.get(port, "example.com", "/v2");
      assertThat(bad.status()).isEqualTo(500);
      assertThat(bad.body()).startsWith("invalid backend: InvalidKind:");
      assertThat(h.get(port, "example.com", "/").backend()).isEqualTo(V1);
      assertThat(h.backend(V2).count()).isZero();
      assertCondition(h, "invalid-backend-ref-unknown-kind", "ResolvedRefs", "False", "InvalidKind");
    }
  }

  /**
   * An invalid backend keeps its weight, and its share of the requests answers 500: equal weights,
   * 300 requests, each share 0.5 +- 0.15 (5.2 standard deviations of sqrt(0.25 / 300) = 0.029).
   */
  @Test
  void partiallyInvalidBackendsKeepTheirShare() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("partially-invalid", """
          rules:
          - backendRefs:
            - {name: infra-backend-v1, port: 8080}
            - {name: nonexistent, port: 8080}
          """));
      WeightedShares.assertShares(300, 0.15, Map.of(V1, 0.5, "500", 0.5), () -> {
        Answer a = h.get(port, "example.com", "/");
        if (a.status() == 500) {
          assertThat(a.body()).isEqualTo("invalid backend: BackendNotFound:gateway-conformance-infra/nonexistent:8080\n");
        }
        return a.backend();
      });
    }
  }

  /** A backend Service with no endpoints answers 503 (the spec's SHOULD); its siblings are unaffected. */
  @Test
  void backendWithoutEndpoints() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(h.service(INFRA, "empty", "http=8080") + route("to-empty", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /empty}}]
            backendRefs: [{name: empty, port: 8080}]
          - backendRefs: [{name: infra-backend-v1, port: 8080}]
          """));
      Answer a = h.get(port, "example.com", "/empty");
      assertThat(a.status()).isEqualTo(503);
      assertThat(a.body()).isEqualTo("no healthy upstream\n");
      assertThat(h.get(port, "example.com", "/").backend()).isEqualTo(V1);
      assertCondition(h, "to-empty", "ResolvedRefs", "True", "ResolvedRefs");

      // Endpoints arriving later are used at once.
      h.apply(h.service(INFRA, "empty", "http=8080", V3));
      assertThat(h.get(port, "example.com", "/empty").backend()).isEqualTo(V3);
    }
  }

  /**
   * HTTPRouteAllBackendsWeightZero. The suite expects 500; Sluice answers 503 with a body saying
   * why (its documented choice: nothing is wrong with the backends, none is meant to get traffic).
   */
  @Test
  void allBackendsWeightZero() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("all-backends-weight-zero", """
          rules:
          - backendRefs:
            - {name: infra-backend-v1, port: 8080, weight: 0}
            - {name: infra-backend-v2, port: 8080, weight: 0}
          """));
      for (int i = 0; i < 20; i++) {
        Answer a = h.get(port, "example.com", "/");
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.body()).isEqualTo("all backends of rule rules[0] of httproute/all-backends-weight-zero have weight 0\n");
      }
      assertThat(h.backend(V1).count() + h.backend(V2).count()).isZero();
      assertCondition(h, "all-backends-weight-zero", "Accepted", "True", "Accepted");
      assertCondition(h, "all-backends-weight-zero", "ResolvedRefs", "True", "ResolvedRefs");
    }
  }

  /** A Gateway rule with no backendRefs and no filter that answers: 500 for what it matches. */
  @Test
  void ruleWithoutBackendsAnswers500() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("no-backends", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /nothing}}]
          - backendRefs: [{name: infra-backend-v1, port: 8080}]
          """));
      assertThat(h.get(port, "example.com", "/nothing").status()).isEqualTo(500);
      assertThat(h.get(port, "example.com", "/something").backend()).isEqualTo(V1);
    }
  }

  /** No rule matches: 404, from Sluice, without reaching a backend. */
  @Test
  void noMatchIs404() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("only-v1", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /v1}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          """));
      Answer a = h.get(port, "example.com", "/v2");
      assertThat(a.status()).isEqualTo(404);
      assertThat(a.body()).isEqualTo("no route matched this request\n");
      assertThat(h.backend(V1).count()).isZero();
      // A Gateway with no route at all answers 404 too.
      int bare = ConformanceHarness.freePort();
      h.apply(ConformanceHarness.gateway("bare", "- {name: http, port: %d, protocol: HTTP}\n".formatted(bare)));
      assertThat(h.get(bare, "example.com", "/").status()).isEqualTo(404);
    }
  }

  /** HTTPRouteServiceTypes (manual variants): Endpoints and EndpointSlices resolved by port name. */
  @Test
  void serviceWithManualEndpointsAndTargetPort() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      String manual = """
          apiVersion: v1
          kind: Service
          metadata: {name: manual-endpoints, namespace: gateway-conformance-infra}
          spec:
            clusterIP: None
            ports: [{name: first-port, port: 8080, targetPort: 3000}]
          ---
          apiVersion: v1
          kind: Endpoints
          metadata: {name: manual-endpoints, namespace: gateway-conformance-infra}
          subsets:
          - addresses: [{ip: 127.0.0.1}]
            ports: [{name: first-port, port: %d}]
          ---
          """.formatted(h.backend(V2).port());
      int port = h.applyInfra(manual + route("service-types", """
          rules:
          - backendRefs: [{name: manual-endpoints, port: 8080}]
          """));
      assertThat(h.get(port, "example.com", "/").backend()).isEqualTo(V2);
    }
  }

  /** allowedRoutes: From Same admits routes of the Gateway's namespace only, From All any namespace. */
  @Test
  void allowedRoutesNamespaces() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int same = ConformanceHarness.freePort();
      int all = ConformanceHarness.freePort();
      h.apply(ConformanceHarness.gateway("gw", """
          - {name: same, port: %d, protocol: HTTP}
          - {name: all, port: %d, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
          """.formatted(same, all)) + h.infraServices() + """
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: from-other, namespace: other}
          spec:
            parentRefs: [{name: gw, namespace: gateway-conformance-infra}]
            rules:
            - backendRefs: [{name: infra-backend-v1, namespace: gateway-conformance-infra, port: 8080}]
          """);
      assertThat(h.get(all, "example.com", "/").backend()).isEqualTo(V1);
      assertThat(h.get(same, "example.com", "/").status()).isEqualTo(404);
    }
  }

  /** HTTPRouteHostnameIntersection; the Host's port is ignored. */
  @Test
  void hostnameIntersection() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = ConformanceHarness.freePort();
      String gateway = ConformanceHarness.gateway("httproute-hostname-intersection", """
          - {name: listener-1, port: %1$d, protocol: HTTP, hostname: very.specific.com}
          - {name: listener-2, port: %1$d, protocol: HTTP, hostname: "*.wildcard.io"}
          - {name: listener-3, port: %1$d, protocol: HTTP, hostname: "*.anotherwildcard.io"}
          """.formatted(port));
      h.apply(gateway + h.infraServices()
          + hostRoute("specific-host-matches-listener-specific-host",
              "[non.matching.com, \"*.nonmatchingwildcard.io\", very.specific.com]", "/s1", V1)
          + hostRoute("specific-host-matches-listener-wildcard-host",
              "[non.matching.com, wildcard.io, foo.wildcard.io, bar.wildcard.io, foo.bar.wildcard.io]", "/s2", V2)
          + hostRoute("wildcard-host-matches-listener-specific-host", "[non.matching.com, \"*.specific.com\"]", "/s3", V3)
          + hostRoute("wildcard-host-matches-listener-wildcard-host", "[\"*.anotherwildcard.io\"]", "/s4", V1)
          + hostRoute("no-intersecting-hosts", "[specific.but.wrong.com, wildcard.io]", "/s5", V2));
      assertThat(h.answerer(port, "very.specific.com", "/s1")).isEqualTo(V1);
      assertThat(h.answerer(port, "very.specific.com:1234", "/s1")).isEqualTo(V1);
      assertThat(h.answerer(port, "non.matching.com", "/s1")).isEqualTo("404");
      assertThat(h.answerer(port, "foo.nonmatchingwildcard.io", "/s1")).isEqualTo("404");
      assertThat(h.answerer(port, "foo.wildcard.io", "/s2")).isEqualTo(V2);
      assertThat(h.answerer(port, "bar.wildcard.io", "/s2")).isEqualTo(V2);
      assertThat(h.answerer(port, "foo.bar.wildcard.io", "/s2")).isEqualTo(V2);
      assertThat(h.answerer(port, "foo.wildcard.io:" + port, "/s2")).isEqualTo(V2);
      assertThat(h.answerer(port, "non.matching.com", "/s2")).isEqualTo("404");
      assertThat(h.answerer(port, "wildcard.io", "/s2")).isEqualTo("404");
      assertThat(h.answerer(port, "very.specific.com", "/s3")).isEqualTo(V3);
      assertThat(h.answerer(port, "non.matching.com", "/s3")).isEqualTo("404");
      assertThat(h.answerer(port, "foo.specific.com", "/s3")).isEqualTo("404");
      assertThat(h.answerer(port, "foo.anotherwildcard.io", "/s4")).isEqualTo(V1);
      assertThat(h.answerer(port, "anotherwildcard.io", "/s4")).isEqualTo("404");
      assertThat(h.answerer(port, "specific.but.wrong.com", "/s5")).isEqualTo("404");
      assertThat(h.answerer(port, "wildcard.io", "/s5")).isEqualTo("404");
      // Host names are compared case-insensitively.
      assertThat(h.answerer(port, "Very.Specific.COM", "/s1")).isEqualTo(V1);
      assertCondition(h, "no-intersecting-hosts", "Accepted", "False", "NoMatchingListenerHostname");
      assertCondition(h, "wildcard-host-matches-listener-specific-host", "Accepted", "True", "Accepted");
    }
  }

  /** HTTPRouteListenerHostnameMatching: the most specific listener hostname takes the request. */
  @Test
  void listenerHostnameMatching() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = ConformanceHarness.freePort();
      String gateway = ConformanceHarness.gateway("httproute-listener-hostname-matching", """
          - {name: listener-1, port: %1$d, protocol: HTTP, hostname: bar.com}
          - {name: listener-2, port: %1$d, protocol: HTTP, hostname: foo.bar.com}
          - {name: listener-3, port: %1$d, protocol: HTTP, hostname: "*.bar.com"}
          - {name: listener-4, port: %1$d, protocol: HTTP, hostname: "*.foo.com"}
          """.formatted(port));
      String parent = "{name: httproute-listener-hostname-matching, sectionName: %s}";
      h.apply(gateway + h.infraServices()
          + sectionRoute("backend-v1", "[" + parent.formatted("listener-1") + "]", V1)
          + sectionRoute("backend-v2", "[" + parent.formatted("listener-2") + "]", V2)
          + sectionRoute("backend-v3", "[" + parent.formatted("listener-3") + ", " + parent.formatted("listener-4") + "]", V3));
      assertThat(h.answerer(port, "bar.com", "/")).isEqualTo(V1);
      assertThat(h.answerer(port, "foo.bar.com", "/")).isEqualTo(V2);
      assertThat(h.answerer(port, "baz.bar.com", "/")).isEqualTo(V3);
      assertThat(h.answerer(port, "boo.bar.com", "/")).isEqualTo(V3);
      assertThat(h.answerer(port, "multiple.prefixes.bar.com", "/")).isEqualTo(V3);
      assertThat(h.answerer(port, "multiple.prefixes.foo.com", "/")).isEqualTo(V3);
      assertThat(h.answerer(port, "foo.com", "/")).isEqualTo("404");
      assertThat(h.answerer(port, "no.matching.host", "/")).isEqualTo("404");
    }
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

  /** The condition {@code type} of the first parent in the stored status of HTTPRoute {@code name}. */
  static void assertCondition(ConformanceHarness h, String name, String type, String status, String reason) {
    List<Resource> found = h.proxy.store.list(List.of(ResourceKind.HTTP_ROUTE), INFRA, name);
    assertThat(found).as("httproute/" + name).hasSize(1);
    JsonNode conditions = found.get(0).status().get("parents").get(0).get("conditions");
    for (JsonNode c : conditions) {
      if (type.equals(c.get("type").asText())) {
        assertThat(c.get("status").asText() + "/" + c.get("reason").asText()).as(c.toString())
            .isEqualTo(status + "/" + reason);
        return;
      }
    }
    throw new AssertionError("no condition " + type + " in " + conditions);
  }
}
