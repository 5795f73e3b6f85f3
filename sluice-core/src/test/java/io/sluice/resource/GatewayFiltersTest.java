package io.sluice.resource;

import static io.sluice.resource.Fixtures.compile;
import static io.sluice.resource.Fixtures.gateway;
import static io.sluice.resource.Fixtures.request;
import static io.sluice.resource.Fixtures.route;
import static io.sluice.resource.Infra.V1;
import static io.sluice.resource.Infra.V2;
import static io.sluice.resource.Infra.V3;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.route.HeaderMap;
import io.sluice.route.HeaderMapRequest;
import io.sluice.route.RouteResult;
import io.sluice.route.RouteTable;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Gateway API conformance cases for filters and timeouts, on a Gateway listener. */
class GatewayFiltersTest {

  private static RouteTable table(String routes) {
    return gateway(compile(Infra.base() + routes), 80);
  }

  /** Forwards a request and returns its headers as the upstream would get them. */
  private static HeaderMap upstream(RouteTable t, HeaderMapRequest req) {
    RouteResult r = route(t, req, 0);
    assertThat(r.kind()).as(r.toString()).isEqualTo(RouteResult.Kind.FORWARD);
    return Fixtures.finalizedRequest(r, req);
  }

  /** The response headers after the decision's response-side changes. */
  private static HeaderMap response(RouteTable t, HeaderMapRequest req, String... upstreamHeaders) {
    RouteResult r = route(t, req, 0);
    HeaderMap h = new HeaderMap();
    h.add(":status", "200");
    for (int i = 0; i < upstreamHeaders.length; i += 2) {
      h.add(upstreamHeaders[i], upstreamHeaders[i + 1]);
    }
    r.finalizeResponseHeaders(h, Contexts.of(req.headers()));
    return h;
  }

  /** "status location" of a redirect. */
  private static String redirect(RouteTable t, String authority, String path) {
    HeaderMapRequest req = request("GET", authority, path);
    RouteResult r = route(t, req, 0);
    assertThat(r.kind()).as(r.toString()).isEqualTo(RouteResult.Kind.REDIRECT);
    r.finalizeRequestHeaders(req.headers(), Contexts.of(req.headers()), false);
    return r.responseCode() + " " + r.location(req);
  }

  @Test
  void requestHeaderModifier() {
    RouteTable t = table(Infra.route("request-header-modifier", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /set}}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set: [{name: X-Header-Set, value: set-overwrites-values}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /add}}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                add: [{name: X-Header-Add, value: add-appends-values}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /remove}}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                remove: [X-Header-Remove]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /multiple}}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set: [{name: X-Header-Set-1, value: header-set-1}, {name: X-Header-Set-2, value: header-set-2}]
                add:
                - {name: X-Header-Add-1, value: header-add-1}
                - {name: X-Header-Add-2, value: header-add-2}
                - {name: X-Header-Add-3, value: header-add-3}
                remove: [X-Header-Remove-1, X-Header-Remove-2]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /case-insensitivity}}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set: [{name: X-Header-Set, value: header-set}]
                add: [{name: X-Header-Add, value: header-add}]
                remove: [X-Header-Remove]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
        """));
    HeaderMap set = upstream(t, request("GET", "x", "/set", "Some-Other-Header", "val", "X-Header-Set", "some-other-value"));
    assertThat(set.get("x-header-set")).isEqualTo("set-overwrites-values");
    assertThat(set.get("some-other-header")).isEqualTo("val");
    assertThat(upstream(t, request("GET", "x", "/set")).get("x-header-set")).isEqualTo("set-overwrites-values");

    HeaderMap add = upstream(t, request("GET", "x", "/add", "X-Header-Add", "some-other-value"));
    assertThat(add.get("x-header-add")).isEqualTo("some-other-value,add-appends-values");
    assertThat(upstream(t, request("GET", "x", "/add")).get("x-header-add")).isEqualTo("add-appends-values");

    HeaderMap remove = upstream(t, request("GET", "x", "/remove", "X-Header-Remove", "val"));
    assertThat(remove.contains("x-header-remove")).isFalse();

    HeaderMap multiple = upstream(t, request("GET", "x", "/multiple", "X-Header-Add-2", "add-val-2", "X-Header-Remove-2", "v"));
    assertThat(multiple.get("x-header-set-1")).isEqualTo("header-set-1");
    assertThat(multiple.get("x-header-set-2")).isEqualTo("header-set-2");
    assertThat(multiple.get("x-header-add-1")).isEqualTo("header-add-1");
    assertThat(multiple.get("x-header-add-2")).isEqualTo("add-val-2,header-add-2");
    assertThat(multiple.get("x-header-add-3")).isEqualTo("header-add-3");
    assertThat(multiple.contains("x-header-remove-2")).isFalse();

    HeaderMap ci = upstream(t, request("GET", "x", "/case-insensitivity",
        "x-header-set", "original-val-set", "x-header-add", "original-val-add", "x-header-remove", "val"));
    assertThat(ci.get("x-header-set")).isEqualTo("header-set");
    assertThat(ci.get("x-header-add")).isEqualTo("original-val-add,header-add");
    assertThat(ci.contains("x-header-remove")).isFalse();
  }

  @Test
  void responseHeaderModifierAndBothTogether() {
    RouteTable t = table(Infra.route("response-header-modifier", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /response-and-request-header-modifiers}}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set: [{name: X-Header-Set, value: set-overwrites-values}]
            - type: ResponseHeaderModifier
              responseHeaderModifier:
                add: [{name: X-Header-Add, value: add-appends-values}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /}}]
            filters:
            - type: ResponseHeaderModifier
              responseHeaderModifier:
                set: [{name: X-Header-Set, value: header-set}]
                add:
                - {name: x-lowercase-add, value: lower}
                - {name: x-Mixedcase-ADD-1, value: mixed-1}
                - {name: X-mixeDcase-add-2, value: mixed-2}
                - {name: X-UPPERCASE-ADD, value: upper}
                - {name: X-Header-Add, value: header-add}
                remove: [X-Header-Remove]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
        """));
    HeaderMap h = response(t, request("GET", "x", "/"), "X-Header-Set", "upstream", "X-Header-Add", "upstream-add", "X-Header-Remove", "gone");
    assertThat(h.get("x-header-set")).isEqualTo("header-set");
    assertThat(h.get("x-header-add")).isEqualTo("upstream-add,header-add");
    assertThat(h.contains("x-header-remove")).isFalse();
    assertThat(h.get("x-lowercase-add")).isEqualTo("lower");
    assertThat(h.get("x-mixedcase-add-1")).isEqualTo("mixed-1");
    assertThat(h.get("x-mixedcase-add-2")).isEqualTo("mixed-2");
    assertThat(h.get("x-uppercase-add")).isEqualTo("upper");

    HeaderMapRequest both = request("GET", "x", "/response-and-request-header-modifiers", "X-Header-Set", "old");
    assertThat(upstream(t, both).get("x-header-set")).isEqualTo("set-overwrites-values");
    assertThat(response(t, request("GET", "x", "/response-and-request-header-modifiers")).get("x-header-add"))
        .isEqualTo("add-appends-values");
  }

  @Test
  void backendRequestHeaderModifierAppliesOnlyToItsBackend() {
    RouteTable t = table(Infra.route("backend-header", """
          rules:
          - backendRefs:
            - name: infra-backend-v1
              port: 8080
              filters:
              - type: RequestHeaderModifier
                requestHeaderModifier:
                  set: [{name: X-Backend, value: v1}]
            - name: infra-backend-v2
              port: 8080
        """));
    HeaderMapRequest r0 = request("GET", "x", "/");
    RouteResult first = route(t, r0, 0);
    assertThat(first.clusterName(r0)).isEqualTo(V1);
    assertThat(Fixtures.finalizedRequest(first, r0).get("x-backend")).isEqualTo("v1");
    HeaderMapRequest r1 = request("GET", "x", "/");
    RouteResult second = route(t, r1, 1);
    assertThat(second.clusterName(r1)).isEqualTo(V2);
    assertThat(Fixtures.finalizedRequest(second, r1).contains("x-backend")).isFalse();
  }

  @Test
  void percentInHeaderValuesIsLiteral() {
    RouteTable t = table(Infra.route("percent", """
          rules:
          - filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set: [{name: X-Rate, value: "100%"}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
        """));
    assertThat(upstream(t, request("GET", "x", "/")).get("x-rate")).isEqualTo("100%");
  }

  @Test
  void redirectHostAndStatusSchemeAndPort() {
    RouteTable t = table(Infra.route("redirect", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /hostname-redirect}}]
            filters: [{type: RequestRedirect, requestRedirect: {hostname: example.org}}]
          - matches: [{path: {type: PathPrefix, value: /host-and-status}}]
            filters: [{type: RequestRedirect, requestRedirect: {hostname: example.org, statusCode: 301}}]
          - matches: [{path: {type: PathPrefix, value: /scheme}}]
            filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]
          - matches: [{path: {type: PathPrefix, value: /scheme-and-host}}]
            filters: [{type: RequestRedirect, requestRedirect: {scheme: https, hostname: example.org}}]
          - matches: [{path: {type: PathPrefix, value: /scheme-and-status}}]
            filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}]
          - matches: [{path: {type: PathPrefix, value: /scheme-and-host-and-status}}]
            filters: [{type: RequestRedirect, requestRedirect: {scheme: https, hostname: example.org, statusCode: 302}}]
          - matches: [{path: {type: PathPrefix, value: /port}}]
            filters: [{type: RequestRedirect, requestRedirect: {port: 8083}}]
          - matches: [{path: {type: PathPrefix, value: /port-and-host}}]
            filters: [{type: RequestRedirect, requestRedirect: {hostname: example.org, port: 8083}}]
          - matches: [{path: {type: PathPrefix, value: /port-and-status}}]
            filters: [{type: RequestRedirect, requestRedirect: {port: 8083, statusCode: 301}}]
          - matches: [{path: {type: PathPrefix, value: /port-and-host-and-status}}]
            filters: [{type: RequestRedirect, requestRedirect: {port: 8083, hostname: example.org, statusCode: 302}}]
          - matches: [{path: {type: PathPrefix, value: /see-other}}]
            filters: [{type: RequestRedirect, requestRedirect: {statusCode: 303}}]
          - matches: [{path: {type: PathPrefix, value: /temporary}}]
            filters: [{type: RequestRedirect, requestRedirect: {statusCode: 307}}]
          - matches: [{path: {type: PathPrefix, value: /permanent}}]
            filters: [{type: RequestRedirect, requestRedirect: {statusCode: 308}}]
        """));
    assertThat(redirect(t, "gw.example", "/hostname-redirect")).isEqualTo("302 http://example.org/hostname-redirect");
    assertThat(redirect(t, "gw.example", "/host-and-status")).isEqualTo("301 http://example.org/host-and-status");
    assertThat(redirect(t, "gw.example", "/scheme")).isEqualTo("302 https://gw.example/scheme");
    assertThat(redirect(t, "gw.example", "/scheme-and-host")).isEqualTo("302 https://example.org/scheme-and-host");
    assertThat(redirect(t, "gw.example", "/scheme-and-status")).isEqualTo("301 https://gw.example/scheme-and-status");
    assertThat(redirect(t, "gw.example", "/scheme-and-host-and-status")).isEqualTo("302 https://example.org/scheme-and-host-and-status");
    assertThat(redirect(t, "gw.example", "/port")).isEqualTo("302 http://gw.example:8083/port");
    assertThat(redirect(t, "gw.example", "/port-and-host")).isEqualTo("302 http://example.org:8083/port-and-host");
    assertThat(redirect(t, "gw.example", "/port-and-status")).isEqualTo("301 http://gw.example:8083/port-and-status");
    assertThat(redirect(t, "gw.example", "/port-and-host-and-status")).isEqualTo("302 http://example.org:8083/port-and-host-and-status");
    assertThat(redirect(t, "gw.example", "/see-other?a=1")).isEqualTo("303 http://gw.example/see-other?a=1");
    assertThat(redirect(t, "gw.example", "/temporary")).startsWith("307 ");
    assertThat(redirect(t, "gw.example", "/permanent")).startsWith("308 ");
  }

  @Test
  void redirectPath() {
    RouteTable t = table(Infra.route("redirect-path", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /original-prefix}}]
            filters:
            - type: RequestRedirect
              requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}}
          - matches: [{path: {type: PathPrefix, value: /full}}]
            filters:
            - type: RequestRedirect
              requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /full-path-replacement}}
          - matches: [{path: {type: PathPrefix, value: /path-and-host}}]
            filters:
            - type: RequestRedirect
              requestRedirect: {hostname: example.org, path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}}
          - matches: [{path: {type: PathPrefix, value: /path-and-status}}]
            filters:
            - type: RequestRedirect
              requestRedirect: {statusCode: 301, path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement-prefix}}
          - matches: [{path: {type: PathPrefix, value: /full-path-and-host}}]
            filters:
            - type: RequestRedirect
              requestRedirect: {hostname: example.org, path: {type: ReplaceFullPath, replaceFullPath: /replacement-full}}
          - matches: [{path: {type: PathPrefix, value: /full-path-and-status}}]
            filters:
            - type: RequestRedirect
              requestRedirect: {statusCode: 301, path: {type: ReplaceFullPath, replaceFullPath: /replacement-full}}
        """));
    assertThat(redirect(t, "gw", "/original-prefix/lemon")).isEqualTo("302 http://gw/replacement-prefix/lemon");
    assertThat(redirect(t, "gw", "/full/path/original")).isEqualTo("302 http://gw/full-path-replacement");
    assertThat(redirect(t, "gw", "/path-and-host")).isEqualTo("302 http://example.org/replacement-prefix");
    assertThat(redirect(t, "gw", "/path-and-status")).isEqualTo("301 http://gw/replacement-prefix");
    assertThat(redirect(t, "gw", "/full-path-and-host")).isEqualTo("302 http://example.org/replacement-full");
    assertThat(redirect(t, "gw", "/full-path-and-status")).isEqualTo("301 http://gw/replacement-full");
    assertThat(redirect(t, "gw", "/full/path/original?q=1")).isEqualTo("302 http://gw/full-path-replacement?q=1");
  }

  /** HTTPRouteRedirectPortAndScheme, for the HTTP listeners on 80 and 8080 (Sluice serves no HTTPS listener). */
  @ParameterizedTest
  @CsvSource({
    "80, gw, /scheme-nil-and-port-nil, http://example.org/scheme-nil-and-port-nil",
    "80, gw, /scheme-nil-and-port-80, http://example.org/scheme-nil-and-port-80",
    "80, gw, /scheme-nil-and-port-8080, http://example.org:8080/scheme-nil-and-port-8080",
    "80, gw, /scheme-https-and-port-nil, https://example.org/scheme-https-and-port-nil",
    "80, gw, /scheme-https-and-port-443, https://example.org/scheme-https-and-port-443",
    "80, gw, /scheme-https-and-port-8443, https://example.org:8443/scheme-https-and-port-8443",
    "8080, gw:8080, /scheme-nil-and-port-nil, http://example.org:8080/scheme-nil-and-port-nil",
    "8080, gw:8080, /scheme-nil-and-port-80, http://example.org/scheme-nil-and-port-80",
    "8080, gw:8080, /scheme-https-and-port-nil, https://example.org/scheme-https-and-port-nil",
  })
  void redirectPortAndScheme(int port, String authority, String path, String location) {
    String listeners = "  - {name: http, port: 80, protocol: HTTP}\n  - {name: http-8080, port: 8080, protocol: HTTP}\n";
    String routes = "";
    for (String section : new String[] {"http", "http-8080"}) {
      routes += """
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: redirect-%1$s, namespace: gateway-conformance-infra}
          spec:
            parentRefs: [{name: port-and-scheme, sectionName: %1$s}]
            hostnames: [example.org]
            rules:
            - matches: [{path: {type: PathPrefix, value: /scheme-nil-and-port-nil}}]
              filters: [{type: RequestRedirect, requestRedirect: {hostname: example.org}}]
            - matches: [{path: {type: PathPrefix, value: /scheme-nil-and-port-80}}]
              filters: [{type: RequestRedirect, requestRedirect: {hostname: example.org, port: 80}}]
            - matches: [{path: {type: PathPrefix, value: /scheme-nil-and-port-8080}}]
              filters: [{type: RequestRedirect, requestRedirect: {hostname: example.org, port: 8080}}]
            - matches: [{path: {type: PathPrefix, value: /scheme-https-and-port-nil}}]
              filters: [{type: RequestRedirect, requestRedirect: {hostname: example.org, scheme: https}}]
            - matches: [{path: {type: PathPrefix, value: /scheme-https-and-port-443}}]
              filters: [{type: RequestRedirect, requestRedirect: {hostname: example.org, scheme: https, port: 443}}]
            - matches: [{path: {type: PathPrefix, value: /scheme-https-and-port-8443}}]
              filters: [{type: RequestRedirect, requestRedirect: {hostname: example.org, scheme: https, port: 8443}}]
          ---
          """.formatted(section);
    }
    CompiledResources c = compile(Infra.gateway("port-and-scheme", listeners) + Infra.backends() + routes);
    HeaderMapRequest req = request("GET", authority.replace("gw", "example.org"), path);
    RouteResult r = route(gateway(c, port), req, 0);
    assertThat(r.responseCode()).isEqualTo(302);
    assertThat(r.location(req)).isEqualTo(location);
  }

  @Test
  void redirectWithoutHostnameKeepsRequestHostAndListenerPort() {
    String listeners = "  - {name: http-8080, port: 8080, protocol: HTTP}\n";
    String route = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /nil}}]
            filters: [{type: RequestRedirect, requestRedirect: {}}]
          - matches: [{path: {type: PathPrefix, value: /https}}]
            filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]
        """;
    RouteTable t = gateway(compile(Infra.gateway("gw", listeners) + route), 8080);
    assertThat(redirect(t, "host.test:8080", "/nil")).isEqualTo("302 http://host.test:8080/nil");
    assertThat(redirect(t, "host.test:8080", "/https")).isEqualTo("302 https://host.test:443/https");
  }

  /** The API's ReplacePrefixMatch table, through URLRewrite; the same rules serve redirects. */
  @ParameterizedTest
  @CsvSource({
    "/foo/bar, /foo, /xyz, /xyz/bar",
    "/foo/bar, /foo, /xyz/, /xyz/bar",
    "/foo/bar, /foo/, /xyz, /xyz/bar",
    "/foo/bar, /foo/, /xyz/, /xyz/bar",
    "/foo, /foo, /xyz, /xyz",
    "/foo/, /foo, /xyz, /xyz/",
    "/foo/bar, /foo, '', /bar",
    "/foo/, /foo, '', /",
    "/foo, /foo, '', /",
    "/foo/, /foo, /, /",
    "/foo, /foo, /, /",
    "/foo/bar?q=1, /foo, /xyz, /xyz/bar?q=1",
    "/anything, /, /xyz, /xyz/anything",
  })
  void replacePrefixMatch(String request, String prefix, String replacement, String expected) {
    RouteTable t = table(Infra.route("rewrite", """
          rules:
          - matches: [{path: {type: PathPrefix, value: "%s"}}]
            filters:
            - type: URLRewrite
              urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: "%s"}}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
        """.formatted(prefix, replacement)));
    assertThat(upstream(t, request("GET", "x", request)).get(":path")).isEqualTo(expected);

    RouteTable r = table(Infra.route("redirect", """
          rules:
          - matches: [{path: {type: PathPrefix, value: "%s"}}]
            filters:
            - type: RequestRedirect
              requestRedirect: {hostname: example.org, path: {type: ReplacePrefixMatch, replacePrefixMatch: "%s"}}
        """.formatted(prefix, replacement)));
    assertThat(redirect(r, "x", request)).isEqualTo("302 http://example.org" + expected);
  }

  @Test
  void rewriteHost() {
    RouteTable t = table(Infra.route("rewrite-host", """
          hostnames: [rewrite.example]
          rules:
          - matches: [{path: {type: PathPrefix, value: /one}}]
            filters: [{type: URLRewrite, urlRewrite: {hostname: one.example.org}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - filters: [{type: URLRewrite, urlRewrite: {hostname: example.org}}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /rewrite-host-and-modify-headers}}]
            filters:
            - type: URLRewrite
              urlRewrite: {hostname: test.example.org}
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set: [{name: X-Header-Set, value: set-overwrites-values}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
        """));
    HeaderMapRequest one = request("GET", "rewrite.example", "/one");
    assertThat(Fixtures.target(t, one, 0)).isEqualTo(V1);
    assertThat(upstream(t, one).get(":authority")).isEqualTo("one.example.org");
    assertThat(upstream(t, request("GET", "rewrite.example", "/two")).get(":authority")).isEqualTo("example.org");
    HeaderMap both = upstream(t, request("GET", "rewrite.example", "/rewrite-host-and-modify-headers"));
    assertThat(both.get(":authority")).isEqualTo("test.example.org");
    assertThat(both.get("x-header-set")).isEqualTo("set-overwrites-values");
  }

  @Test
  void rewritePath() {
    RouteTable t = table(Infra.route("rewrite-path", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /prefix/one}}]
            filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /one}}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /strip-prefix}}]
            filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /full/one}}]
            filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /one}}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /full/rewrite-path-and-modify-headers}}]
            filters:
            - {type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /test}}}
            - {type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: X-Header-Add, value: header-add}]}}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /prefix/rewrite-path-and-modify-headers}}]
            filters:
            - {type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /prefix}}}
            - {type: RequestHeaderModifier, requestHeaderModifier: {remove: [X-Header-Remove]}}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
        """));
    assertThat(upstream(t, request("GET", "x", "/prefix/one/two")).get(":path")).isEqualTo("/one/two");
    assertThat(upstream(t, request("GET", "x", "/strip-prefix/three")).get(":path")).isEqualTo("/three");
    assertThat(upstream(t, request("GET", "x", "/strip-prefix")).get(":path")).isEqualTo("/");
    assertThat(upstream(t, request("GET", "x", "/full/one/two")).get(":path")).isEqualTo("/one");
    HeaderMap test = upstream(t, request("GET", "x", "/full/rewrite-path-and-modify-headers/test?x=y"));
    assertThat(test.get(":path")).isEqualTo("/test?x=y");
    assertThat(test.get("x-header-add")).isEqualTo("header-add");
    HeaderMap prefix = upstream(t, request("GET", "x", "/prefix/rewrite-path-and-modify-headers/one", "X-Header-Remove", "v"));
    assertThat(prefix.get(":path")).isEqualTo("/prefix/one");
    assertThat(prefix.contains("x-header-remove")).isFalse();
  }

  @Test
  void mirrorPoliciesAreGenerated() {
    CompiledResources c = compile(Infra.base() + Infra.route("mirror", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /mirror}}]
            filters:
            - type: RequestMirror
              requestMirror: {backendRef: {name: infra-backend-v2, port: 8080}}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /percent}}]
            filters:
            - type: RequestMirror
              requestMirror: {backendRef: {name: infra-backend-v2, port: 8080}, percent: 20}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /fraction}}]
            filters:
            - type: RequestMirror
              requestMirror: {backendRef: {name: infra-backend-v2, port: 8080}, fraction: {numerator: 25, denominator: 50}}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /multi-mirror}}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier: {add: [{name: X-Header-Add, value: header-add}]}
            - type: RequestMirror
              requestMirror: {backendRef: {name: infra-backend-v2, port: 8080}}
            - type: RequestMirror
              requestMirror: {backendRef: {name: infra-backend-v3, port: 8080}, fraction: {numerator: 35}}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /missing}}]
            filters:
            - type: RequestMirror
              requestMirror: {backendRef: {name: nowhere, port: 8080}}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
        """));
    JsonNode routes = c.routeConfigs().get("gateway:80").get("virtual_hosts").get(0).get("routes");
    assertThat(mirrors(routes, "/mirror")).isEqualTo("[{\"cluster\":\"" + V2 + "\",\"runtime_fraction\":{\"default_value\":"
        + "{\"numerator\":1000000,\"denominator\":\"MILLION\"}},\"disable_shadow_host_suffix_append\":true}]");
    assertThat(mirrors(routes, "/percent")).contains("\"numerator\":200000");
    assertThat(mirrors(routes, "/fraction")).contains("\"numerator\":500000");
    assertThat(mirrors(routes, "/multi-mirror")).contains(V2).contains(V3).contains("\"numerator\":350000");
    assertThat(mirrors(routes, "/missing")).isEqualTo("null");
    // The primary request still goes to its backend; the decision carries the mirrors.
    RouteTable t = gateway(c, 80);
    assertThat(Fixtures.target(t, "x", "/mirror")).isEqualTo(V1);
    RouteResult multi = route(t, request("GET", "x", "/multi-mirror"), 0);
    assertThat(multi.mirrorPolicies()).extracting(p -> p.cluster()).containsExactly(V2, V3);
    assertThat(multi.mirrorPolicies()).allMatch(p -> p.disableShadowHostSuffixAppend());
    // percent 20: 100 of 500 evenly spread random values are mirrored (the conformance expectation).
    int mirrored = 0;
    for (int i = 0; i < 500; i++) {
      RouteResult r = route(t, request("GET", "x", "/percent"), i * 2000L);
      if (r.mirrorPolicies().get(0).fires(i * 2000L, io.sluice.runtime.RuntimeSnapshot.EMPTY)) {
        mirrored++;
      }
    }
    assertThat(mirrored).isEqualTo(100);
    assertThat(route(t, request("GET", "x", "/missing"), 0).mirrorPolicies()).isEmpty();
    JsonNode status = c.statuses().get(new ResourceKey(ResourceKind.HTTP_ROUTE, Infra.NS, "mirror"));
    Fixtures.assertCondition(status, 0, "Accepted", "True", "Accepted");
    Fixtures.assertCondition(status, 0, "ResolvedRefs", "False", "BackendNotFound");
  }

  private static String mirrors(JsonNode routes, String prefix) {
    for (JsonNode r : routes) {
      if (prefix.equals(r.path("match").path("path_separated_prefix").asText())) {
        return String.valueOf(r.path("route").get("request_mirror_policies"));
      }
    }
    throw new AssertionError("no route for " + prefix);
  }

  @Test
  void timeouts() {
    RouteTable t = table(Infra.route("timeouts", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /request-timeout}}]
            timeouts: {request: 500ms}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /disable-request-timeout}}]
            timeouts: {request: 0s}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /backend-timeout}}]
            timeouts: {backendRequest: 500ms}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /both}}]
            timeouts: {request: 1m30s, backendRequest: 10s}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /none}}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
        """));
    assertThat(route(t, request("GET", "x", "/request-timeout"), 0).timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(route(t, request("GET", "x", "/disable-request-timeout"), 0).timeout()).isEqualTo(Duration.ZERO);
    assertThat(route(t, request("GET", "x", "/backend-timeout"), 0).timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(route(t, request("GET", "x", "/both"), 0).timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(route(t, request("GET", "x", "/none"), 0).timeout()).isEqualTo(Duration.ZERO);
  }

  @Test
  void settingTheHostHeaderRewritesTheAuthority() {
    RouteTable t = table(Infra.route("host-header", """
          rules:
          - filters:
            - type: RequestHeaderModifier
              requestHeaderModifier: {set: [{name: Host, value: internal.example}]}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
        """));
    assertThat(upstream(t, request("GET", "public.example", "/")).get(":authority")).isEqualTo("internal.example");
  }
}
