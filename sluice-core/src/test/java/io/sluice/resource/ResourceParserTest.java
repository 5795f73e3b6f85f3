package io.sluice.resource;

import static io.sluice.resource.Fixtures.errors;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing and validation: every class of message, each naming its resource and field path. */
class ResourceParserTest {

  private static String linkerdRoute(String version, String rules) {
    return """
        apiVersion: policy.linkerd.io/%s
        kind: HTTPRoute
        metadata: {name: bb-route, namespace: demo}
        spec:
          parentRefs: [{name: bb, kind: Service, group: core, port: 8080}]
          rules:
        %s""".formatted(version, rules);
  }

  private static String gatewayRoute(String rules) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r}
        spec:
          parentRefs: [{name: gw}]
          rules:
        %s""".formatted(rules);
  }

  @Test
  void malformedYamlNamesLineAndColumn() {
    List<String> e = errors("apiVersion: v1\nkind: Service\nmetadata: {name: x\n");
    assertThat(e).hasSize(1);
    assertThat(e.get(0)).startsWith("test.yaml: invalid YAML at line ").contains("column");
  }

  @Test
  void malformedJson() {
    assertThat(errors("{\"apiVersion\": \"v1\", \"kind\": }").get(0)).startsWith("test.yaml: invalid JSON at line 1");
  }

  @Test
  void outOfRangeWeightIsReportedWithItsPath() {
    assertThat(errors(linkerdRoute("v1beta2", """
          - backendRefs:
            - {name: bb, port: 8080, weight: 90}
            - {name: bb-v2, port: 8080, weight: -5}
        """))).containsExactly("httproute/bb-route: spec.rules[0].backendRefs[1].weight: must be between 0 and 1000000, got -5");
    assertThat(errors(gatewayRoute("  - backendRefs: [{name: a, port: 80, weight: 1000001}]\n")))
        .containsExactly("httproute/r: spec.rules[0].backendRefs[0].weight: must be between 0 and 1000000, got 1000001");
  }

  @Test
  void unknownFieldsAreErrorsWithTheirPaths() {
    List<String> e = errors("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r, lables: {a: b}}
        spec:
          parentRefs: [{name: gw, sektion: x}]
          rules:
          - backendRef: [{name: a, port: 80}]
        extra: true
        """);
    assertThat(e).containsExactly(
        "httproute/r: metadata.lables: unknown field (expected one of: annotations, labels, name, namespace)",
        "httproute/r: spec.parentRefs[0].sektion: unknown field (expected one of: group, kind, name, namespace, port, sectionName)",
        "httproute/r: spec.rules[0].backendRef: unknown field (expected one of: backendRefs, filters, matches, name, retry, sessionPersistence, timeouts)",
        "httproute/r: extra: unknown field (expected one of: apiVersion, kind, metadata, spec, status)");
  }

  @Test
  void everyErrorOfEveryDocumentAtOnce() {
    String stream = """
        apiVersion: v1
        kind: Service
        metadata: {name: Bad_Name}
        spec:
          ports: [{port: 70000}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r}
        spec:
          hostnames: [Example.com]
          rules:
          - matches: [{path: {type: Prefix, value: /a}, method: get}]
            backendRefs: [{name: a}]
        ---
        kind: Deployment
        metadata: {name: d}
        """;
    assertThat(errors(stream)).containsExactly(
        "service/Bad_Name: metadata.name: invalid Service name \"Bad_Name\": must be a DNS-1035 label (a lower-case letter, then a-z, 0-9 or '-', at most 63 characters)",
        "service/Bad_Name: spec.ports[0].port: must be between 1 and 65535, got 70000",
        "httproute/r: spec.hostnames[0]: invalid hostname \"Example.com\": must be a lower-case DNS name, optionally starting with \"*.\" (no port, no trailing dot)",
        "httproute/r: spec.rules[0].matches[0].path.type: type must be one of ['Exact', 'PathPrefix', 'RegularExpression'], got \"Prefix\"",
        "httproute/r: spec.rules[0].matches[0].method: unsupported value \"get\": must be one of \"GET\", \"HEAD\", \"POST\", \"PUT\", \"DELETE\", \"CONNECT\", \"OPTIONS\", \"TRACE\", \"PATCH\"",
        "httproute/r: spec.rules[0].backendRefs[0]: Must have port for Service reference",
        "deployment/d: apiVersion: required");
  }

  @Test
  void celRulesOfRulesAndFilters() {
    List<String> e = errors(gatewayRoute("""
          - name: same
            matches: [{path: {value: /a}}, {path: {value: /b}}]
            filters:
            - {type: RequestRedirect, requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /x}}}
            - {type: URLRewrite, urlRewrite: {hostname: a.example}}
            backendRefs: [{name: a, port: 80}]
          - name: same
            filters:
            - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: a, value: b}]}}
            - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: c, value: d}]}}
            - {type: RequestMirror, requestHeaderModifier: {set: [{name: c, value: d}]}}
            - type: RequestMirror
              requestMirror: {backendRef: {name: m, port: 80}, percent: 10, fraction: {numerator: 3, denominator: 2}}
        """));
    assertThat(e).containsExactly(
        "httproute/r: spec.rules[0].filters: May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both",
        "httproute/r: spec.rules[0]: RequestRedirect filter must not be used together with backendRefs",
        "httproute/r: spec.rules[0]: When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
        "httproute/r: spec.rules[1].filters[2].requestHeaderModifier: filter.requestHeaderModifier must be nil if the filter.type is not RequestHeaderModifier",
        "httproute/r: spec.rules[1].filters[2]: filter.requestMirror must be specified for RequestMirror filter.type",
        "httproute/r: spec.rules[1].filters[3].requestMirror.fraction: numerator must be less than or equal to denominator",
        "httproute/r: spec.rules[1].filters[3].requestMirror: Only one of percent or fraction may be specified in HTTPRequestMirrorFilter",
        "httproute/r: spec.rules[1].filters: RequestHeaderModifier filter cannot be repeated",
        "httproute/r: spec.rules: Rule name must be unique within the route");
  }

  @Test
  void pathValueRules() {
    List<String> e = errors(gatewayRoute("""
          - matches:
            - path: {type: Exact, value: "a//b"}
            - path: {type: PathPrefix, value: "/a/../b"}
            - path: {type: PathPrefix, value: "/a/."}
            - path: {type: RegularExpression, value: "/a/(b"}
            - path: {type: PathPrefix, value: "/a b"}
            backendRefs: [{name: a, port: 80}]
        """));
    String when = " when type one of ['Exact', 'PathPrefix']";
    assertThat(e).containsExactly(
        "httproute/r: spec.rules[0].matches[0].path.value: value must be an absolute path and start with '/'" + when,
        "httproute/r: spec.rules[0].matches[0].path.value: must not contain '//'" + when,
        "httproute/r: spec.rules[0].matches[1].path.value: must not contain '/../'" + when,
        "httproute/r: spec.rules[0].matches[2].path.value: must not end with '/.'" + when,
        "httproute/r: spec.rules[0].matches[3].path.value: invalid regular expression \"/a/(b\": missing closing ) (RE2 syntax)",
        "httproute/r: spec.rules[0].matches[4].path.value: must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']");
  }

  @Test
  void headerListsRejectExactDuplicatesAndBadNames() {
    List<String> e = errors(gatewayRoute("""
          - matches: [{headers: [{name: x-a, value: "1"}, {name: x-a, value: "2"}, {name: ":method", value: GET}]}]
            filters:
            - type: ResponseHeaderModifier
              responseHeaderModifier: {remove: [x-b, x-b], add: [{name: x-c, value: ""}]}
            backendRefs: [{name: a, port: 80}]
        """));
    assertThat(e).containsExactly(
        "httproute/r: spec.rules[0].matches[0].headers[1].name: Duplicate value: \"x-a\"",
        "httproute/r: spec.rules[0].matches[0].headers[2].name: invalid header name \":method\": must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~)",
        "httproute/r: spec.rules[0].filters[0].responseHeaderModifier.add[0].value: must not be empty",
        "httproute/r: spec.rules[0].filters[0].responseHeaderModifier.remove[1]: Duplicate value: \"x-b\"");
  }

  @Test
  void parentRefCelRules() {
    List<String> e = errors("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r}
        spec:
          parentRefs: [{name: gw}, {name: gw}]
        """);
    assertThat(e).containsExactly(
        "httproute/r: spec.parentRefs: sectionName or port must be unique when parentRefs includes 2 or more references to the same parent");
    assertThat(errors("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r}
        spec:
          parentRefs: [{name: gw, sectionName: a}, {name: gw}]
        """)).containsExactly(
        "httproute/r: spec.parentRefs: sectionName or port must be specified when parentRefs includes 2 or more references to the same parent");
  }

  @ParameterizedTest
  @CsvSource({
    "1.5h, 'invalid duration \"1.5h\"'",
    "1d, 'invalid duration \"1d\"'",
    "1, 'invalid duration \"1\"'",
    "1h30m10s20ms50h, 'invalid duration \"1h30m10s20ms50h\"'",
    "999999h, 'invalid duration \"999999h\"'",
    "-15m, 'invalid duration \"-15m\"'",
  })
  void badGatewayDurations(String value, String message) {
    List<String> e = errors(gatewayRoute("  - timeouts: {request: \"" + value + "\"}\n    backendRefs: [{name: a, port: 80}]\n"));
    assertThat(e).hasSize(1);
    assertThat(e.get(0)).startsWith("httproute/r: spec.rules[0].timeouts.request: " + message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "0h", "10s", "500ms", "150m", "7230s", "10s30m1h", "100ms200ms300ms"})
  void goodGatewayDurations(String value) {
    ResourceParser.parse(gatewayRoute("  - timeouts: {request: \"" + value + "\"}\n    backendRefs: [{name: a, port: 80}]\n"), "t");
  }

  @Test
  void backendRequestLongerThanRequest() {
    assertThat(errors(gatewayRoute("  - timeouts: {request: 1s, backendRequest: 2s}\n    backendRefs: [{name: a, port: 80}]\n")))
        .containsExactly("httproute/r: spec.rules[0].timeouts: backendRequest timeout cannot be longer than request timeout");
    ResourceParser.parse(gatewayRoute("  - timeouts: {request: 0s, backendRequest: 2s}\n    backendRefs: [{name: a, port: 80}]\n"), "t");
  }

  @Test
  void linkerdVersionsDifferInFieldsAndFilters() {
    assertThat(errors(linkerdRoute("v1beta2", "  - timeouts: {request: 10s}\n")))
        .containsExactly("httproute/bb-route: spec.rules[0].timeouts: unknown field (expected one of: backendRefs, filters, matches)");
    ResourceParser.parse(linkerdRoute("v1beta3", "  - timeouts: {request: 1.5s, backendRequest: 300ms}\n"), "t");
    assertThat(errors(linkerdRoute("v1beta3", "  - timeouts: {request: 10x}\n")).get(0))
        .startsWith("httproute/bb-route: spec.rules[0].timeouts.request: invalid duration \"10x\"");
    assertThat(errors(linkerdRoute("v1beta1", "  - backendRefs: [{name: bb, port: 8080}]\n")))
        .containsExactly("httproute/bb-route: spec.rules[0].backendRefs: unknown field (expected one of: filters, matches)");
    assertThat(errors(linkerdRoute("v1beta3", "  - filters: [{type: URLRewrite, urlRewrite: {hostname: a}}]\n")).get(0))
        .isEqualTo("httproute/bb-route: spec.rules[0].filters[0].type: unsupported value \"URLRewrite\": must be one of \"RequestHeaderModifier\", \"ResponseHeaderModifier\", \"RequestRedirect\"");
    assertThat(errors(linkerdRoute("v2", "  - {}\n")))
        .containsExactly("httproute/bb-route: apiVersion: unsupported version \"policy.linkerd.io/v2\" of HTTPRoute: must be one of policy.linkerd.io/v1beta3, policy.linkerd.io/v1beta2, policy.linkerd.io/v1beta1, policy.linkerd.io/v1alpha1");
  }

  @Test
  void gatewayApiV1beta1IsTheSameSchema() {
    List<ParsedDocument> docs = ResourceParser.parse(gatewayRoute("  - backendRefs: [{name: a, port: 80}]\n").replace("/v1\n", "/v1beta1\n"), "t");
    ParsedDocument.Known k = (ParsedDocument.Known) docs.get(0);
    assertThat(k.apiVersion()).isEqualTo("gateway.networking.k8s.io/v1beta1");
    assertThat(k.key()).isEqualTo(new ResourceKey(ResourceKind.HTTP_ROUTE, "default", "r"));
  }

  @Test
  void trafficSplitWeightsPerVersion() {
    String split = """
        apiVersion: split.smi-spec.io/%s
        kind: TrafficSplit
        metadata: {name: ts}
        spec:
          service: web
          backends:
          - {service: web-v1, weight: %s}
        """;
    ResourceParser.parse(split.formatted("v1alpha1", "900m"), "t");
    ResourceParser.parse(split.formatted("v1alpha1", "1"), "t");
    ResourceParser.parse(split.formatted("v1alpha2", "90"), "t");
    assertThat(errors(split.formatted("v1alpha2", "900m"))).containsExactly(
        "trafficsplit/ts: spec.backends[0].weight: must be a whole number in v1alpha2 (Quantities such as \"900m\" are v1alpha1 only), got \"900m\"");
    assertThat(errors(split.formatted("v1alpha1", "lots"))).containsExactly(
        "trafficsplit/ts: spec.backends[0].weight: expected a quantity such as \"900m\" or 1, got \"lots\"");
    assertThat(errors(split.formatted("v1alpha1", "-1"))).containsExactly(
        "trafficsplit/ts: spec.backends[0].weight: must not be negative, got -1");
    assertThat(errors(split.formatted("v1alpha4", "-1"))).containsExactly(
        "trafficsplit/ts: spec.backends[0].weight: must be between 0 and 2147483647, got -1");
    assertThat(errors(split.formatted("v1alpha2", "1") + "  matches: [{kind: HTTPRouteGroup, name: g}]\n")).containsExactly(
        "trafficsplit/ts: spec.matches: unknown field (expected one of: backends, service)");
    ResourceParser.parse(split.formatted("v1alpha3", "1") + "  matches: [{kind: HTTPRouteGroup, name: g}]\n", "t");
    assertThat(errors("""
        apiVersion: split.smi-spec.io/v1alpha4
        kind: TrafficSplit
        metadata: {name: ts}
        spec:
          backends: []
        """)).containsExactly("trafficsplit/ts: spec.service: required", "trafficsplit/ts: spec.backends: must have at least 1 item");
  }

  @Test
  void routeGroupsPerVersion() {
    ResourceParser.parse("""
        apiVersion: specs.smi-spec.io/v1alpha1
        kind: HTTPRouteGroup
        metadata: {name: g}
        matches: [{name: m, pathRegex: /api, methods: ["*"]}]
        """, "t");
    assertThat(errors("""
        apiVersion: specs.smi-spec.io/v1alpha4
        kind: HTTPRouteGroup
        metadata: {name: g}
        spec:
          matches: [{name: m, pathRegex: "(", methods: [FETCH], headers: {x-a: "["}}]
        """)).containsExactly(
        "httproutegroup/g: spec.matches[0].methods[0]: unsupported value \"FETCH\": must be one of \"*\", \"GET\", \"HEAD\", \"PUT\", \"POST\", \"DELETE\", \"CONNECT\", \"OPTIONS\", \"TRACE\", \"PATCH\"",
        "httproutegroup/g: spec.matches[0].pathRegex: invalid regular expression \"(\": missing closing ) (RE2 syntax)",
        "httproutegroup/g: spec.matches[0].headers.x-a: invalid regular expression \"[\": missing closing ] (RE2 syntax)");
  }

  @Test
  void gatewayValidation() {
    assertThat(errors("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          gatewayClassName: sluice
          listeners:
          - {name: http, port: 80, protocol: HTTP, hostname: "Foo.com", allowedRoutes: {namespaces: {from: Some}}}
          - {name: http, port: 0, protocol: HTTP, tls: {mode: Terminate}}
        """)).containsExactly(
        "gateway/gw: spec.listeners[0].hostname: invalid hostname \"Foo.com\": must be a lower-case DNS name, optionally starting with \"*.\" (no port, no trailing dot)",
        "gateway/gw: spec.listeners[0].allowedRoutes.namespaces.from: unsupported value \"Some\": must be one of \"All\", \"Same\", \"Selector\"",
        "gateway/gw: spec.listeners[1].port: must be between 1 and 65535, got 0",
        "gateway/gw: spec.listeners[1]: tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
        "gateway/gw: spec.listeners: Listener name must be unique within the Gateway");
    assertThat(errors("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec: {}
        """)).containsExactly("gateway/gw: spec.gatewayClassName: required", "gateway/gw: spec.listeners: required");
  }

  @Test
  void serviceAndEndpointValidation() {
    assertThat(errors("""
        apiVersion: v1
        kind: Service
        metadata: {name: s}
        spec:
          type: Cluster
          ports: [{port: 80}, {port: 80, protocol: TCP}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: s-1}
        addressType: IPv4
        endpoints: [{addresses: ["10.0.0.300"]}, {addresses: []}]
        ---
        apiVersion: v1
        kind: Endpoints
        metadata: {name: s}
        subsets: [{addresses: [{ip: nope}], ports: [{name: http}]}]
        """)).containsExactly(
        "service/s: spec.type: unsupported value \"Cluster\": must be one of \"ClusterIP\", \"NodePort\", \"LoadBalancer\", \"ExternalName\"",
        "service/s: spec.ports[0].name: required when the Service has more than one port",
        "service/s: spec.ports[1].name: required when the Service has more than one port",
        "service/s: spec.ports[1]: Duplicate value: port 80/TCP",
        "endpointslice/s-1: endpoints[0].addresses[0]: invalid address \"10.0.0.300\": must be an IPv4 address",
        "endpointslice/s-1: endpoints[1].addresses: must have at least 1 item",
        "endpoints/s: subsets[0].addresses[0].ip: invalid address \"nope\": must be an IP address",
        "endpoints/s: subsets[0].ports[0].port: required");
  }

  @Test
  void documentsAreNormalisedAndOtherKindsIgnored() {
    List<ParsedDocument> docs = ResourceParser.parse("""
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Service
          metadata:
            name: bb
            uid: 1234
            resourceVersion: "99"
            creationTimestamp: "2020-01-01T00:00:00Z"
            labels: {app: bb}
          spec: {ports: [{port: 8080}]}
          status: {loadBalancer: {}}
        - apiVersion: apps/v1
          kind: Deployment
          metadata: {name: v1, namespace: demo}
          spec: {anything: [goes]}
        """, "t");
    assertThat(docs).hasSize(2);
    ParsedDocument.Known svc = (ParsedDocument.Known) docs.get(0);
    assertThat(svc.key()).isEqualTo(new ResourceKey(ResourceKind.SERVICE, "default", "bb"));
    assertThat(svc.manifest().toString()).isEqualTo(
        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"bb\",\"namespace\":\"default\",\"labels\":{\"app\":\"bb\"}},"
            + "\"spec\":{\"ports\":[{\"port\":8080}]}}");
    assertThat(docs.get(1)).isEqualTo(new ParsedDocument.Ignored("apps/v1", "Deployment", "demo", "v1"));
  }

  @Test
  void jsonStreamsAndEmptyDocuments() {
    List<ParsedDocument> docs = ResourceParser.parse(
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a\"}}\n"
            + "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"s\",\"namespace\":\"a\"},\"spec\":{\"ports\":[{\"port\":1}]}}",
        "t");
    assertThat(docs).hasSize(2);
    assertThat(ResourceParser.parse("---\n---\n", "t")).isEmpty();
  }

  @Test
  void missingIdentity() {
    assertThat(errors("apiVersion: v1\nkind: Service\nspec: {}\n")).containsExactly("service (document 1): metadata: required");
    assertThat(errors("- just\n- a list\n")).containsExactly(
        "document 1: expected an object with apiVersion, kind and metadata, got \"just\"",
        "document 2: expected an object with apiVersion, kind and metadata, got \"a list\"");
    assertThat(errors("apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: Bad}\nspec: {ports: [{port: 1}]}\n"))
        .containsExactly("service/s: metadata.namespace: invalid namespace \"Bad\": must be a lower-case DNS label of at most 63 characters");
  }

  @Test
  void wrongTypesAreNamed() {
    assertThat(errors(gatewayRoute("  - backendRefs: {name: a}\n    matches: [{path: {value: 5}}]\n"))).containsExactly(
        "httproute/r: spec.rules[0].matches[0].path.value: expected a string, got 5",
        "httproute/r: spec.rules[0].backendRefs: expected a list, got an object");
  }

  @Test
  void tooManyItems() {
    StringBuilder rules = new StringBuilder();
    for (int i = 0; i < 17; i++) {
      rules.append("  - backendRefs: [{name: a, port: 80}]\n");
    }
    assertThat(errors(gatewayRoute(rules.toString()))).containsExactly("httproute/r: spec.rules: must have at most 16 items, got 17");
  }
}
