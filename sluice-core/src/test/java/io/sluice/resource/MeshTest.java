package io.sluice.resource;

import static io.sluice.resource.Fixtures.assertCondition;
import static io.sluice.resource.Fixtures.compile;
import static io.sluice.resource.Fixtures.mesh;
import static io.sluice.resource.Fixtures.request;
import static io.sluice.resource.Fixtures.route;
import static io.sluice.resource.Fixtures.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.ClusterSpec;
import io.sluice.cluster.DiscoveryType;
import io.sluice.cluster.Endpoint;
import io.sluice.route.HeaderMap;
import io.sluice.route.HeaderMapRequest;
import io.sluice.route.RouteResult;
import io.sluice.route.RouteTable;
import org.junit.jupiter.api.Test;

/** Routes attached to Services (GEP-1426, Linkerd) on the mesh listener, and Service endpoints. */
class MeshTest {
  static final String NS = "gateway-conformance-mesh";
  static final String ECHO = NS + "/echo:80";
  static final String ECHO_V1 = NS + "/echo-v1:80";
  static final String ECHO_V2 = NS + "/echo-v2:80";

  /** The mesh conformance Services echo, echo-v1, echo-v2 with ports 80 (http) and 8080 (http-alt). */
  static String services() {
    StringBuilder sb = new StringBuilder();
    String[][] svcs = {{"echo", "10.2.0.1"}, {"echo-v1", "10.2.1.1"}, {"echo-v2", "10.2.2.1"}};
    for (String[] s : svcs) {
      sb.append("""
          apiVersion: v1
          kind: Service
          metadata: {name: %1$s, namespace: gateway-conformance-mesh}
          spec:
            ports:
            - {name: http, port: 80, targetPort: 8080, appProtocol: http}
            - {name: http-alt, port: 8080, appProtocol: http}
          ---
          apiVersion: discovery.k8s.io/v1
          kind: EndpointSlice
          metadata:
            name: %1$s-1
            namespace: gateway-conformance-mesh
            labels: {kubernetes.io/service-name: %1$s}
          addressType: IPv4
          ports: [{name: http, port: 8080}, {name: http-alt, port: 8080}]
          endpoints: [{addresses: [%2$s]}]
          ---
          """.formatted(s[0], s[1]));
    }
    return sb.toString();
  }

  @Test
  void serviceWithoutRouteGoesToItsEndpoints() {
    CompiledResources c = compile(services());
    RouteTable t = mesh(c);
    assertThat(target(t, "echo", "/anything")).isEqualTo(ECHO);
    assertThat(target(t, "echo:80", "/")).isEqualTo(ECHO);
    assertThat(target(t, "echo.gateway-conformance-mesh", "/")).isEqualTo(ECHO);
    assertThat(target(t, "echo.gateway-conformance-mesh.svc:80", "/")).isEqualTo(ECHO);
    assertThat(target(t, "echo.gateway-conformance-mesh.svc.cluster.local:8080", "/")).isEqualTo(NS + "/echo:8080");
    assertThat(target(t, "echo:9999", "/")).isEqualTo("404");
    assertThat(target(t, "unknown", "/")).isEqualTo("404");
    ClusterSpec echo = c.clusters().stream().filter(k -> k.name().equals(ECHO)).findFirst().orElseThrow();
    // Service port 80 targets the endpoints' port named http: 8080.
    assertThat(echo.endpoints()).containsExactly(Endpoint.of("10.2.0.1", 8080));
    assertThat(c.listeners()).extracting(l -> l.name() + "@" + l.address()).containsExactly("mesh@127.0.0.1:4140");
  }

  @Test
  void meshSplitByPath() {
    RouteTable t = mesh(compile(services() + """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: mesh-split, namespace: gateway-conformance-mesh}
        spec:
          parentRefs: [{group: "", kind: Service, name: echo}]
          rules:
          - matches: [{path: {type: Exact, value: /v1}}]
            backendRefs: [{name: echo-v1, port: 80}]
          - matches: [{path: {type: Exact, value: /v2}}]
            backendRefs: [{name: echo-v2, port: 80}]
        """));
    assertThat(target(t, "echo", "/v1")).isEqualTo(ECHO_V1);
    assertThat(target(t, "echo", "/v2")).isEqualTo(ECHO_V2);
    assertThat(target(t, "echo", "/other")).isEqualTo("404");
    // No port in parentRef: every port of the Service.
    assertThat(target(t, "echo:8080", "/v2")).isEqualTo(ECHO_V2);
  }

  /** MeshPorts: a parentRef with a port applies to that port only. */
  @Test
  void meshPorts() {
    RouteTable t = mesh(compile(services() + """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: mesh-split-v1, namespace: gateway-conformance-mesh}
        spec:
          parentRefs: [{group: "", kind: Service, name: echo-v1, port: 80}]
          rules:
          - filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: X-Header-Set, value: v1}]}}]
            backendRefs: [{name: echo-v1, port: 80}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: mesh-split-v2, namespace: gateway-conformance-mesh}
        spec:
          parentRefs: [{group: "", kind: Service, name: echo-v2}]
          rules:
          - filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: X-Header-Set, value: v2}]}}]
            backendRefs: [{name: echo-v2, port: 80}]
        """));
    assertThat(responseHeader(t, "echo-v1", "x-header-set")).isEqualTo("v1");
    assertThat(responseHeader(t, "echo-v1:8080", "x-header-set")).isNull();
    assertThat(target(t, "echo-v1:8080", "/")).isEqualTo(NS + "/echo-v1:8080");
    assertThat(responseHeader(t, "echo-v2", "x-header-set")).isEqualTo("v2");
    assertThat(responseHeader(t, "echo-v2:8080", "x-header-set")).isEqualTo("v2");
  }

  private static String responseHeader(RouteTable t, String authority, String name) {
    HeaderMapRequest req = request("GET", authority, "/");
    RouteResult r = route(t, req, 0);
    HeaderMap h = new HeaderMap();
    r.finalizeResponseHeaders(h, Contexts.of(req.headers()));
    return h.get(name);
  }

  @Test
  void consumerRouteReplacesProducerRoutesForClientsInItsNamespace() {
    String routes = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: producer, namespace: gateway-conformance-mesh}
        spec:
          parentRefs: [{group: "", kind: Service, name: echo}]
          rules:
          - backendRefs: [{name: echo-v1, port: 80}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: consumer, namespace: gateway-conformance-mesh-consumer}
        spec:
          parentRefs: [{group: "", kind: Service, name: echo, namespace: gateway-conformance-mesh}]
          rules:
          - backendRefs: [{name: echo-v2, namespace: gateway-conformance-mesh, port: 80}]
        """;
    ResourceSet set = Fixtures.set(services() + routes);
    RouteTable producerView = mesh(ResourceCompiler.compile(set, Fixtures.MESH));
    assertThat(target(producerView, "echo.gateway-conformance-mesh", "/")).isEqualTo(ECHO_V1);
    MeshOptions consumer = new MeshOptions(Fixtures.MESH.meshListener(), "0.0.0.0", "gateway-conformance-mesh-consumer");
    CompiledResources c = ResourceCompiler.compile(set, consumer);
    assertThat(target(mesh(c), "echo.gateway-conformance-mesh", "/")).isEqualTo(ECHO_V2);
    assertCondition(c.statuses().get(new ResourceKey(ResourceKind.HTTP_ROUTE, "gateway-conformance-mesh-consumer", "consumer")),
        0, "Accepted", "True", "Accepted");
  }

  @Test
  void linkerdRuleWithoutBackendsGoesToTheParentService() {
    RouteTable t = mesh(compile(services() + """
        apiVersion: policy.linkerd.io/v1beta3
        kind: HTTPRoute
        metadata: {name: canary-header, namespace: gateway-conformance-mesh}
        spec:
          parentRefs: [{name: echo, kind: Service, group: core, port: 80}]
          rules:
          - matches: [{headers: [{name: x-canary, value: "true"}]}]
            backendRefs: [{name: echo-v2, port: 80}]
          - matches: [{path: {type: PathPrefix, value: /}}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier: {set: [{name: l5d-dst, value: echo}]}
        """));
    assertThat(target(t, "echo", "/", "x-canary", "true")).isEqualTo(ECHO_V2);
    HeaderMapRequest req = request("GET", "echo", "/");
    RouteResult r = route(t, req, 0);
    assertThat(r.clusterName(req)).isEqualTo(ECHO);
    assertThat(Fixtures.finalizedRequest(r, req).get("l5d-dst")).isEqualTo("echo");
  }

  @Test
  void linkerdRouteWithDefaultRulesAndMissingPortBackend() {
    CompiledResources c = compile(services() + """
        apiVersion: policy.linkerd.io/v1beta2
        kind: HTTPRoute
        metadata: {name: missing-port, namespace: gateway-conformance-mesh}
        spec:
          parentRefs: [{name: echo, kind: Service, group: core, port: 80}]
          rules:
          - backendRefs: [{name: echo-v1}]
        """);
    HeaderMapRequest req = request("GET", "echo", "/");
    RouteResult r = route(mesh(c), req, 0);
    assertThat(r.clusterName(req)).startsWith("sluice:invalid-backend:BackendNotFound:");
    assertThat(r.clusterNotFoundCode()).isEqualTo(500);
    assertCondition(c.statuses().get(new ResourceKey(ResourceKind.LINKERD_HTTP_ROUTE, NS, "missing-port")),
        0, "ResolvedRefs", "False", "BackendNotFound");
  }

  @Test
  void parentServiceNotFoundOrPortMissing() {
    CompiledResources c = compile(services() + """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: orphan, namespace: gateway-conformance-mesh}
        spec:
          parentRefs:
          - {group: "", kind: Service, name: nothing}
          - {group: "", kind: Service, name: echo, port: 81, sectionName: http}
          - {group: "", kind: Service, name: echo, port: 8080, sectionName: http-alt}
          rules:
          - backendRefs: [{name: echo-v1, port: 80}]
        """);
    ResourceKey key = new ResourceKey(ResourceKind.HTTP_ROUTE, NS, "orphan");
    assertCondition(c.statuses().get(key), 0, "Accepted", "False", "NoMatchingParent");
    assertCondition(c.statuses().get(key), 1, "Accepted", "False", "NoMatchingParent");
    assertCondition(c.statuses().get(key), 2, "Accepted", "True", "Accepted");
    assertThat(target(mesh(c), "echo:8080", "/")).isEqualTo(ECHO_V1);
    assertThat(target(mesh(c), "echo", "/")).isEqualTo(ECHO);
  }

  @Test
  void bareNamesResolveInTheClientNamespaceOrWhenUnambiguous() {
    String two = """
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: team-a}
        spec: {ports: [{port: 8080}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: team-b}
        spec: {ports: [{port: 8080}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: default}
        spec: {ports: [{port: 8080}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: db, namespace: team-a}
        spec: {ports: [{port: 5432}]}
        """;
    ResourceSet set = Fixtures.set(two);
    RouteTable t = mesh(ResourceCompiler.compile(set, Fixtures.MESH));
    assertThat(target(t, "api:8080", "/")).isEqualTo("default/api:8080");
    assertThat(target(t, "api.team-b:8080", "/")).isEqualTo("team-b/api:8080");
    assertThat(target(t, "db:5432", "/")).isEqualTo("team-a/db:5432");
    CompiledResources inA = ResourceCompiler.compile(set, new MeshOptions(Fixtures.MESH.meshListener(), "0.0.0.0", "team-a"));
    assertThat(target(mesh(inA), "api:8080", "/")).isEqualTo("team-a/api:8080");
    CompiledResources inC = ResourceCompiler.compile(set, new MeshOptions(Fixtures.MESH.meshListener(), "0.0.0.0", "team-c"));
    CompiledResources ambiguous = ResourceCompiler.compile(Fixtures.set(two.substring(0, two.indexOf("apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: default}"))), Fixtures.MESH);
    assertThat(target(mesh(ambiguous), "api:8080", "/")).isEqualTo("404");
    assertThat(ambiguous.warnings()).anyMatch(w -> w.contains("bare name api is ambiguous"));
    assertThat(target(mesh(inC), "api:8080", "/")).isEqualTo("404");
  }

  @Test
  void endpointsObjectsAndReadiness() {
    CompiledResources c = compile("""
        apiVersion: v1
        kind: Service
        metadata: {name: manual, namespace: ns}
        spec:
          ports: [{name: first-port, port: 8080, targetPort: 3000}]
        ---
        apiVersion: v1
        kind: Endpoints
        metadata: {name: manual, namespace: ns}
        subsets:
        - addresses: [{ip: 10.3.0.1}, {ip: 10.3.0.2}]
          notReadyAddresses: [{ip: 10.3.0.3}]
          ports: [{name: first-port, port: 3000}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: sliced, namespace: ns}
        spec:
          ports: [{name: first-port, port: 8080, targetPort: web}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: sliced-a, namespace: ns, labels: {kubernetes.io/service-name: sliced}}
        addressType: IPv4
        ports: [{name: first-port, port: 3000}]
        endpoints:
        - addresses: [10.4.0.1]
          conditions: {ready: true}
        - addresses: [10.4.0.2]
          conditions: {ready: false}
        - addresses: [10.4.0.3]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: sliced-b, namespace: ns, labels: {kubernetes.io/service-name: sliced}}
        addressType: IPv4
        ports: [{name: first-port, port: 3001}]
        endpoints: [{addresses: [10.4.0.4]}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: external, namespace: ns}
        spec:
          ports: [{port: 80}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: external-a, namespace: ns, labels: {kubernetes.io/service-name: external}}
        addressType: FQDN
        ports: [{port: 80}]
        endpoints: [{addresses: [backend.example.com]}]
        """);
    assertThat(cluster(c, "ns/manual:8080").endpoints()).containsExactly(Endpoint.of("10.3.0.1", 3000), Endpoint.of("10.3.0.2", 3000));
    assertThat(cluster(c, "ns/sliced:8080").endpoints())
        .containsExactly(Endpoint.of("10.4.0.1", 3000), Endpoint.of("10.4.0.3", 3000), Endpoint.of("10.4.0.4", 3001));
    assertThat(cluster(c, "ns/external:80").type()).isEqualTo(DiscoveryType.STRICT_DNS);
    assertThat(cluster(c, "ns/external:80").endpoints()).containsExactly(Endpoint.of("backend.example.com", 80));
  }

  private static ClusterSpec cluster(CompiledResources c, String name) {
    return c.clusters().stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void meshRedirectKeepsTheServicePort() {
    RouteTable t = mesh(compile(services() + """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: redirect, namespace: gateway-conformance-mesh}
        spec:
          parentRefs: [{group: "", kind: Service, name: echo, port: 8080}]
          rules:
          - filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /moved}}}]
        """));
    HeaderMapRequest req = request("GET", "echo:8080", "/old");
    RouteResult r = route(t, req, 0);
    assertThat(r.location(req)).isEqualTo("http://echo:8080/moved");
  }

  @Test
  void serviceParentGroups() {
    CompiledResources c = compile(services() + """
        apiVersion: policy.linkerd.io/v1beta3
        kind: HTTPRoute
        metadata: {name: linkerd-no-group, namespace: gateway-conformance-mesh}
        spec:
          parentRefs: [{name: echo-v1, kind: Service, port: 80}]
          rules:
          - backendRefs: [{name: echo-v2, port: 80}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: gateway-no-group, namespace: gateway-conformance-mesh}
        spec:
          parentRefs: [{name: echo, kind: Service}]
          rules:
          - backendRefs: [{name: echo-v2, port: 80}]
        """);
    assertThat(target(mesh(c), "echo-v1", "/")).isEqualTo(ECHO_V2);
    assertThat(target(mesh(c), "echo", "/")).isEqualTo(ECHO);
    ResourceKey gatewayRoute = new ResourceKey(ResourceKind.HTTP_ROUTE, NS, "gateway-no-group");
    assertCondition(c.statuses().get(gatewayRoute), 0, "Accepted", "False", "NoMatchingParent");
    assertThat(Fixtures.condition(c.statuses().get(gatewayRoute), 0, "Accepted").get("message").asText())
        .isEqualTo("parent kind gateway.networking.k8s.io/Service is not supported by Sluice (Gateway or Service)"
            + " (a Service parent needs group \"\")");
  }
}
