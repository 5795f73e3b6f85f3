package io.sluice.conformance;

import static io.sluice.conformance.ConformanceHarness.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sluice.conformance.ConformanceHarness.Answer;
import io.sluice.cluster.UpstreamCluster;
import io.sluice.conformance.EchoBackend.Received;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Gateway API conformance cases for filters and timeouts over real sockets: what the echo
 * backend received (headers, path, Host), what the client got back (headers, Location), what a
 * mirror backend received, and 504 from a delayed backend.
 */
class GatewayFiltersConformanceTest {
  private static final String V1 = "infra-backend-v1";
  private static final String V2 = "infra-backend-v2";
  private static final String V3 = "infra-backend-v3";

  /** HTTPRouteRequestHeaderModifier. */
  @Test
  void requestHeaderModifier() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("request-header-modifier", """
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
      Received set = echo(h, port, "/set", "Some-Other-Header: val", "X-Header-Set: some-other-value");
      assertThat(set.header("x-header-set")).isEqualTo("set-overwrites-values");
      assertThat(set.header("some-other-header")).isEqualTo("val");
      assertThat(echo(h, port, "/set").header("x-header-set")).isEqualTo("set-overwrites-values");

      Received add = echo(h, port, "/add", "Some-Other-Header: val", "X-Header-Add: some-other-value");
      assertThat(add.header("x-header-add")).isEqualTo("some-other-value,add-appends-values");
      assertThat(add.header("some-other-header")).isEqualTo("val");
      assertThat(echo(h, port, "/add").header("x-header-add")).isEqualTo("add-appends-values");

      Received remove = echo(h, port, "/remove", "Some-Other-Header: val", "X-Header-Remove: val");
      assertThat(remove.headers()).doesNotContainKey("x-header-remove").containsKey("some-other-header");

      Received multiple = echo(h, port, "/multiple", "X-Header-Set-2: set-val-2", "X-Header-Add-2: add-val-2",
          "X-Header-Remove-2: remove-val-2", "Another-Header: another-header-val");
      assertThat(multiple.header("x-header-set-1")).isEqualTo("header-set-1");
      assertThat(multiple.header("x-header-set-2")).isEqualTo("header-set-2");
      assertThat(multiple.header("x-header-add-1")).isEqualTo("header-add-1");
      assertThat(multiple.header("x-header-add-2")).isEqualTo("add-val-2,header-add-2");
      assertThat(multiple.header("x-header-add-3")).isEqualTo("header-add-3");
      assertThat(multiple.header("another-header")).isEqualTo("another-header-val");
      assertThat(multiple.headers()).doesNotContainKeys("x-header-remove-1", "x-header-remove-2");

      Received ci = echo(h, port, "/case-insensitivity", "x-header-set: original-val-set",
          "x-header-add: original-val-add", "x-header-remove: original-val-remove", "Another-Header: another-header-val");
      assertThat(ci.header("x-header-set")).isEqualTo("header-set");
      assertThat(ci.header("x-header-add")).isEqualTo("original-val-add,header-add");
      assertThat(ci.header("another-header")).isEqualTo("another-header-val");
      assertThat(ci.headers()).doesNotContainKey("x-header-remove");
    }
  }

  /** HTTPRouteBackendRequestHeaderModifier: a backendRef's filters (request and response) apply only when that backend is picked. */
  @Test
  void backendRequestHeaderModifier() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("backend-request-header-modifier", """
          rules:
          - backendRefs:
            - name: infra-backend-v1
              port: 8080
              filters:
              - type: RequestHeaderModifier
                requestHeaderModifier:
                  set: [{name: X-Header-Set, value: v1}]
                  add: [{name: X-Header-Add, value: header-add}]
            - name: infra-backend-v2
              port: 8080
              filters:
              - type: RequestHeaderModifier
                requestHeaderModifier:
                  remove: [X-Header-Remove]
              - type: ResponseHeaderModifier
                responseHeaderModifier:
                  set: [{name: X-Answered-By, value: v2}]
          """));
      // Each backend has weight 1: within 200 requests both answer (a miss is 2 * 2^-200 likely).
      boolean sawV1 = false;
      boolean sawV2 = false;
      for (int i = 0; i < 200 && !(sawV1 && sawV2); i++) {
        Answer a = h.get(port, "x", "/", "X-Header-Set: old", "X-Header-Remove: val");
        Received r = a.echo();
        if (r.backend().equals(V1)) {
          sawV1 = true;
          assertThat(r.header("x-header-set")).isEqualTo("v1");
          assertThat(r.header("x-header-add")).isEqualTo("header-add");
          assertThat(r.header("x-header-remove")).isEqualTo("val");
          assertThat(a.headers()).doesNotContainKey("x-answered-by");
        } else {
          sawV2 = true;
          assertThat(r.backend()).isEqualTo(V2);
          assertThat(r.header("x-header-set")).isEqualTo("old");
          assertThat(r.headers()).doesNotContainKeys("x-header-add", "x-header-remove");
          assertThat(a.header("x-answered-by")).isEqualTo("v2");
        }
      }
      assertThat(sawV1 && sawV2).as("both backends answered").isTrue();
    }
  }

  /** HTTPRouteResponseHeaderModifier; the backend sets its response headers from X-Echo-Set-Header. */
  @Test
  void responseHeaderModifier() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("response-header-modifier", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /set}}]
            filters:
            - type: ResponseHeaderModifier
              responseHeaderModifier:
                set: [{name: X-Header-Set, value: set-overwrites-values}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /add}}]
            filters:
            - type: ResponseHeaderModifier
              responseHeaderModifier:
                add: [{name: X-Header-Add, value: add-appends-values}]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /remove}}]
            filters:
            - type: ResponseHeaderModifier
              responseHeaderModifier:
                remove: [X-Header-Remove]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /multiple}}]
            filters:
            - type: ResponseHeaderModifier
              responseHeaderModifier:
                set: [{name: X-Header-Set-1, value: header-set-1}, {name: X-Header-Set-2, value: header-set-2}]
                add:
                - {name: X-Header-Add-1, value: header-add-1}
                - {name: X-Header-Add-2, value: header-add-2}
                - {name: X-Header-Add-3, value: header-add-3}
                remove: [X-Header-Remove-1, X-Header-Remove-2]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /case-insensitivity}}]
            filters:
            - type: ResponseHeaderModifier
              responseHeaderModifier:
                set: [{name: X-Header-Set, value: header-set}]
                add:
                - {name: X-Header-Add, value: header-add}
                - {name: x-lowercase-add, value: lowercase-add}
                - {name: x-Mixedcase-ADD-1, value: mixedcase-add-1}
                - {name: X-mixeDcase-add-2, value: mixedcase-add-2}
                - {name: X-UPPERCASE-ADD, value: uppercase-add}
                remove: [X-Header-Remove]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /response-and-request-header-modifiers}}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set: [{name: X-Header-Set, value: set-overwrites-values}]
                add: [{name: X-Header-Add, value: add-appends-values}]
                remove: [X-Header-Remove]
            - type: ResponseHeaderModifier
              responseHeaderModifier:
                set: [{name: X-Header-Set, value: set-overwrites-values}]
                add: [{name: X-Header-Add, value: add-appends-values}]
                remove: [X-Header-Remove]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          """));
      assertThat(h.get(port, "x", "/set").header("x-header-set")).isEqualTo("set-overwrites-values");
      assertThat(h.get(port, "x", "/set", "X-Echo-Set-Header: X-Header-Set:some-other-value").header("x-header-set"))
          .isEqualTo("set-overwrites-values");

      assertThat(h.get(port, "x", "/add").header("x-header-add")).isEqualTo("add-appends-values");
      assertThat(h.get(port, "x", "/add", "X-Echo-Set-Header: X-Header-Add:some-other-value").header("x-header-add"))
          .isEqualTo("some-other-value,add-appends-values");

      Answer remove = h.get(port, "x", "/remove", "X-Echo-Set-Header: X-Header-Remove:val,Another-Header:kept");
      assertThat(remove.headers()).doesNotContainKey("x-header-remove");
      assertThat(remove.header("another-header")).isEqualTo("kept");

      Answer multiple = h.get(port, "x", "/multiple", "X-Echo-Set-Header: X-Header-Set-2:set-val-2,"
          + "X-Header-Add-2:add-val-2,X-Header-Remove-2:remove-val-2,Another-Header:another-header-val");
      assertThat(multiple.header("x-header-set-1")).isEqualTo("header-set-1");
      assertThat(multiple.header("x-header-set-2")).isEqualTo("header-set-2");
      assertThat(multiple.header("x-header-add-1")).isEqualTo("header-add-1");
      assertThat(multiple.header("x-header-add-2")).isEqualTo("add-val-2,header-add-2");
      assertThat(multiple.header("x-header-add-3")).isEqualTo("header-add-3");
      assertThat(multiple.header("another-header")).isEqualTo("another-header-val");
      assertThat(multiple.headers()).doesNotContainKeys("x-header-remove-1", "x-header-remove-2");

      Answer ci = h.get(port, "x", "/case-insensitivity", "X-Echo-Set-Header: x-header-set:original-val-set,"
          + "x-header-add:original-val-add,x-header-remove:original-val-remove,Another-Header:another-header-val");
      assertThat(ci.header("x-header-set")).isEqualTo("header-set");
      assertThat(ci.header("x-header-add")).isEqualTo("original-val-add,header-add");
      assertThat(ci.header("x-lowercase-add")).isEqualTo("lowercase-add");
      assertThat(ci.header("x-mixedcase-add-1")).isEqualTo("mixedcase-add-1");
      assertThat(ci.header("x-mixedcase-add-2")).isEqualTo("mixedcase-add-2");
      assertThat(ci.header("x-uppercase-add")).isEqualTo("uppercase-add");
      assertThat(ci.header("another-header")).isEqualTo("another-header-val");
      assertThat(ci.headers()).doesNotContainKey("x-header-remove");

      Answer both = h.get(port, "x", "/response-and-request-header-modifiers", "X-Header-Set: old",
          "X-Header-Add: original", "X-Header-Remove: val",
          "X-Echo-Set-Header: X-Header-Set:upstream-set,X-Header-Add:upstream-add,X-Header-Remove:upstream-remove");
      assertThat(both.echo().header("x-header-set")).isEqualTo("set-overwrites-values");
      assertThat(both.echo().header("x-header-add")).isEqualTo("original,add-appends-values");
      assertThat(both.echo().headers()).doesNotContainKey("x-header-remove");
      assertThat(both.header("x-header-set")).isEqualTo("set-overwrites-values");
      assertThat(both.header("x-header-add")).isEqualTo("upstream-add,add-appends-values");
      assertThat(both.headers()).doesNotContainKey("x-header-remove");
    }
  }

  /** HTTPRouteRedirectHostAndStatus, HTTPRouteRedirectScheme, HTTPRouteRedirectPort. */
  @Test
  void redirectHostStatusSchemeAndPort() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("redirect", """
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
      String gw = "gw.example:" + port;
      // No port in the filter and no scheme: the listener's port (not 80 here, so it is written).
      assertThat(redirect(h, port, gw, "/hostname-redirect")).isEqualTo("302 http://example.org:" + port + "/hostname-redirect");
      assertThat(redirect(h, port, gw, "/host-and-status")).isEqualTo("301 http://example.org:" + port + "/host-and-status");
      // A scheme and no port: the scheme's port, which is left out.
      assertThat(redirect(h, port, gw, "/scheme")).isEqualTo("302 https://gw.example/scheme");
      assertThat(redirect(h, port, gw, "/scheme-and-host")).isEqualTo("302 https://example.org/scheme-and-host");
      assertThat(redirect(h, port, gw, "/scheme-and-status")).isEqualTo("301 https://gw.example/scheme-and-status");
      assertThat(redirect(h, port, gw, "/scheme-and-host-and-status"))
          .isEqualTo("302 https://example.org/scheme-and-host-and-status");
      assertThat(redirect(h, port, gw, "/port")).isEqualTo("302 http://gw.example:8083/port");
      assertThat(redirect(h, port, gw, "/port-and-host")).isEqualTo("302 http://example.org:8083/port-and-host");
      assertThat(redirect(h, port, gw, "/port-and-status")).isEqualTo("301 http://gw.example:8083/port-and-status");
      assertThat(redirect(h, port, gw, "/port-and-host-and-status"))
          .isEqualTo("302 http://example.org:8083/port-and-host-and-status");
      assertThat(redirect(h, port, gw, "/see-other?a=1")).isEqualTo("303 http://gw.example:" + port + "/see-other?a=1");
      assertThat(redirect(h, port, gw, "/temporary")).isEqualTo("307 http://gw.example:" + port + "/temporary");
      assertThat(redirect(h, port, gw, "/permanent")).isEqualTo("308 http://gw.example:" + port + "/permanent");
      assertThat(h.backend(V1).count() + h.backend(V2).count() + h.backend(V3).count())
          .as("a redirect contacts no backend").isZero();
    }
  }

  /** HTTPRouteRedirectPath. */
  @Test
  void redirectPath() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("redirect-path", """
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
      String gw = "gw:" + port;
      String base = "http://gw:" + port;
      assertThat(redirect(h, port, gw, "/original-prefix/lemon")).isEqualTo("302 " + base + "/replacement-prefix/lemon");
      assertThat(redirect(h, port, gw, "/full/path/original")).isEqualTo("302 " + base + "/full-path-replacement");
      assertThat(redirect(h, port, gw, "/path-and-host")).isEqualTo("302 http://example.org:" + port + "/replacement-prefix");
      assertThat(redirect(h, port, gw, "/path-and-status")).isEqualTo("301 " + base + "/replacement-prefix");
      assertThat(redirect(h, port, gw, "/full-path-and-host")).isEqualTo("302 http://example.org:" + port + "/replacement-full");
      assertThat(redirect(h, port, gw, "/full-path-and-status")).isEqualTo("301 " + base + "/replacement-full");
      assertThat(redirect(h, port, gw, "/full/path/original?q=1")).isEqualTo("302 " + base + "/full-path-replacement?q=1");
    }
  }

  /**
   * HTTPRouteRedirectPortAndScheme on two HTTP listeners. The conformance listeners are on 80 and
   * 8080; here both are on free ports, so both behave as its 8080 listener does (a redirect
   * without scheme and port keeps the listener's port, which is written), and the rows for port
   * 80 and 443 check that a well-known port is left out.
   */
  @Test
  void redirectPortAndScheme() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int first = ConformanceHarness.freePort();
      int second = ConformanceHarness.freePort();
      StringBuilder routes = new StringBuilder();
      for (String section : new String[] {"http", "http-other"}) {
        routes.append("""
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
            """.formatted(section));
      }
      h.apply(ConformanceHarness.gateway("port-and-scheme", """
          - {name: http, port: %d, protocol: HTTP}
          - {name: http-other, port: %d, protocol: HTTP}
          """.formatted(first, second)) + h.infraServices() + routes);
      for (int port : new int[] {first, second}) {
        String host = "example.org:" + port;
        assertThat(redirect(h, port, host, "/scheme-nil-and-port-nil"))
            .isEqualTo("302 http://example.org:" + port + "/scheme-nil-and-port-nil");
        assertThat(redirect(h, port, host, "/scheme-nil-and-port-80"))
            .isEqualTo("302 http://example.org/scheme-nil-and-port-80");
        assertThat(redirect(h, port, host, "/scheme-nil-and-port-8080"))
            .isEqualTo("302 http://example.org:8080/scheme-nil-and-port-8080");
        assertThat(redirect(h, port, host, "/scheme-https-and-port-nil"))
            .isEqualTo("302 https://example.org/scheme-https-and-port-nil");
        assertThat(redirect(h, port, host, "/scheme-https-and-port-443"))
            .isEqualTo("302 https://example.org/scheme-https-and-port-443");
        assertThat(redirect(h, port, host, "/scheme-https-and-port-8443"))
            .isEqualTo("302 https://example.org:8443/scheme-https-and-port-8443");
      }
      // The routes are for example.org only.
      assertThat(h.get(first, "example.com", "/scheme-nil-and-port-nil").status()).isEqualTo(404);
    }
  }

  /** HTTPRouteRewritePath. */
  @Test
  void rewritePath() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("rewrite-path", """
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
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set: [{name: X-Header-Set, value: set-overwrites-values}]
                add: [{name: X-Header-Add-Append, value: append-value}]
                remove: [X-Header-Remove]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /prefix/rewrite-path-and-modify-headers}}]
            filters:
            - {type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /prefix}}}
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set: [{name: X-Header-Set, value: set-overwrites-values}]
                add: [{name: X-Header-Add-Append, value: append-value}]
                remove: [X-Header-Remove]
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          """));
      assertThat(echo(h, port, "/prefix/one/two").target()).isEqualTo("/one/two");
      assertThat(echo(h, port, "/strip-prefix/three").target()).isEqualTo("/three");
      assertThat(echo(h, port, "/strip-prefix").target()).isEqualTo("/");
      assertThat(echo(h, port, "/full/one/two").target()).isEqualTo("/one");
      assertThat(echo(h, port, "/prefix/one/two?q=1").target()).isEqualTo("/one/two?q=1");
      for (String[] c : new String[][] {
          {"/full/rewrite-path-and-modify-headers/test", "/test"},
          {"/prefix/rewrite-path-and-modify-headers/one", "/prefix/one"}}) {
        Received r = echo(h, port, c[0], "X-Header-Set: old", "X-Header-Add-Append: original", "X-Header-Remove: val");
        assertThat(r.target()).isEqualTo(c[1]);
        assertThat(r.header("x-header-set")).isEqualTo("set-overwrites-values");
        assertThat(r.header("x-header-add-append")).isEqualTo("original,append-value");
        assertThat(r.headers()).doesNotContainKey("x-header-remove");
      }
    }
  }

  /** HTTPRouteRewriteHost. */
  @Test
  void rewriteHost() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("rewrite-host", """
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
                add: [{name: X-Header-Add-Append, value: append-value}]
                remove: [X-Header-Remove]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          """));
      Answer one = h.get(port, "rewrite.example", "/one");
      assertThat(one.backend()).isEqualTo(V1);
      assertThat(one.echo().host()).isEqualTo("one.example.org");
      Answer two = h.get(port, "rewrite.example", "/two");
      assertThat(two.backend()).isEqualTo(V2);
      assertThat(two.echo().host()).isEqualTo("example.org");
      Answer both = h.get(port, "rewrite.example", "/rewrite-host-and-modify-headers",
          "X-Header-Set: old", "X-Header-Add-Append: original", "X-Header-Remove: val");
      assertThat(both.backend()).isEqualTo(V2);
      assertThat(both.echo().host()).isEqualTo("test.example.org");
      assertThat(both.echo().header("x-header-set")).isEqualTo("set-overwrites-values");
      assertThat(both.echo().header("x-header-add-append")).isEqualTo("original,append-value");
      assertThat(both.echo().headers()).doesNotContainKey("x-header-remove");
      // Without a rewrite the Host goes upstream as the client sent it.
      try (ConformanceHarness plain = ConformanceHarness.infra()) {
        int p = plain.applyInfra(route("plain", "rules:\n- backendRefs: [{name: infra-backend-v1, port: 8080}]\n"));
        assertThat(plain.get(p, "client.example:1234", "/").echo().host()).isEqualTo("client.example:1234");
      }
    }
  }

  /** HTTPRouteRequestMirror and HTTPRouteRequestMultipleMirrors: each mirror backend receives the copy. */
  @Test
  void requestMirror() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("request-mirror", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /mirror}}]
            filters:
            - type: RequestMirror
              requestMirror: {backendRef: {name: infra-backend-v2, namespace: gateway-conformance-infra, port: 8080}}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /mirror-and-modify-headers}}]
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set: [{name: X-Header-Set, value: set-overwrites-values}]
                add: [{name: X-Header-Add, value: header-val-1}]
                remove: [X-Header-Remove]
            - type: RequestMirror
              requestMirror: {backendRef: {name: infra-backend-v2, port: 8080}}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /multi-mirror}}]
            filters:
            - type: RequestMirror
              requestMirror: {backendRef: {name: infra-backend-v2, port: 8080}}
            - type: RequestMirror
              requestMirror: {backendRef: {name: infra-backend-v3, port: 8080}}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /no-mirror}}]
            filters:
            - type: RequestMirror
              requestMirror: {backendRef: {name: infra-backend-v2, port: 8080}, percent: 0}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          """));
      Answer mirrored = h.get(port, "x", "/mirror", "X-Tag: first");
      assertThat(mirrored.backend()).as("the primary answers").isEqualTo(V1);
      Received copy = h.backend(V2).awaitReceived(1).get(0);
      assertThat(copy.target()).isEqualTo("/mirror");
      assertThat(copy.header("x-tag")).isEqualTo("first");
      assertThat(copy.host()).as("the mirror keeps the Host").isEqualTo("x");

      Answer modified = h.get(port, "x", "/mirror-and-modify-headers", "X-Header-Set: old", "X-Header-Remove: val");
      assertThat(modified.backend()).isEqualTo(V1);
      assertThat(modified.echo().header("x-header-set")).isEqualTo("set-overwrites-values");
      assertThat(modified.echo().header("x-header-add")).isEqualTo("header-val-1");
      Received modifiedCopy = h.backend(V2).awaitReceived(2).get(1);
      assertThat(modifiedCopy.target()).isEqualTo("/mirror-and-modify-headers");
      assertThat(modifiedCopy.header("x-header-set")).isEqualTo("set-overwrites-values");
      assertThat(modifiedCopy.header("x-header-add")).isEqualTo("header-val-1");
      assertThat(modifiedCopy.headers()).doesNotContainKey("x-header-remove");

      assertThat(h.get(port, "x", "/multi-mirror").backend()).isEqualTo(V1);
      assertThat(h.backend(V2).awaitReceived(3).get(2).target()).isEqualTo("/multi-mirror");
      assertThat(h.backend(V3).awaitReceived(1).get(0).target()).isEqualTo("/multi-mirror");

      // percent 0 never mirrors; a later 100% mirror shows nothing was on its way before it.
      assertThat(h.get(port, "x", "/no-mirror").backend()).isEqualTo(V1);
      h.get(port, "x", "/mirror", "X-Tag: last");
      List<Received> atV2 = h.backend(V2).awaitReceived(4);
      assertThat(atV2).extracting(Received::path).doesNotContain("/no-mirror");
      assertThat(h.backend(V1).received()).extracting(Received::path)
          .containsExactly("/mirror", "/mirror-and-modify-headers", "/multi-mirror", "/no-mirror", "/mirror");
    }
  }

  /**
   * HTTPRouteRequestPercentageMirror: percent 20 and fraction 25/50 of the requests are mirrored.
   * Sluice decides each mirror when it forwards the primary, counting it on the mirror cluster's
   * endpoint, so once the primaries are answered that count is final and the test waits for the
   * mirror backend to have received exactly as many. 500 requests at 0.2: sqrt(0.2 * 0.8 / 500) =
   * 0.0179, so 0.09 is 5 standard deviations; at 0.5: 0.0224, so 0.12 is 5.4.
   */
  @Test
  void requestPercentageMirror() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("request-percentage-mirror", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /percent-mirror}}]
            filters:
            - type: RequestMirror
              requestMirror: {backendRef: {name: infra-backend-v2, port: 8080}, percent: 20}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /percent-mirror-fraction}}]
            filters:
            - type: RequestMirror
              requestMirror: {backendRef: {name: infra-backend-v3, port: 8080}, fraction: {numerator: 25, denominator: 50}}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          """));
      assertThat(mirrored(h, port, "/percent-mirror", V2) / 500.0).isCloseTo(0.2, within(0.09));
      assertThat(mirrored(h, port, "/percent-mirror-fraction", V3) / 500.0).isCloseTo(0.5, within(0.12));
    }
  }

  /** Sends 500 GETs for {@code path} and returns how many copies {@code mirror} received, once all arrived. */
  private static int mirrored(ConformanceHarness h, int port, String path, String mirror) throws Exception {
    for (int i = 0; i < 500; i++) {
      assertThat(h.get(port, "x", path).backend()).isEqualTo(V1);
    }
    UpstreamCluster cluster = h.proxy.proxy.clusters().get(ConformanceHarness.INFRA + "/" + mirror + ":8080");
    long started = cluster.endpoints().get(0).requestsTotal();
    List<Received> copies = h.backend(mirror).awaitReceived((int) started);
    assertThat(copies).hasSize((int) started).extracting(Received::path).containsOnly(path);
    return copies.size();
  }

  /**
   * The mirror's answer is never waited for: a mirror backend that accepts the connection and
   * never answers (a socket nobody accepts from; the kernel completes the handshake) and one with
   * no endpoints leave the primary's answers as they are. Were the primary held by the silent
   * mirror, it would wait the mirror's 15 s timeout and the client's 10 s read timeout fails first.
   */
  @Test
  void aMirrorThatNeverAnswersDoesNotHoldThePrimary() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra();
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String silentService = """
          apiVersion: v1
          kind: Service
          metadata: {name: silent, namespace: gateway-conformance-infra}
          spec:
            ports: [{name: http, port: 8080}]
          ---
          apiVersion: discovery.k8s.io/v1
          kind: EndpointSlice
          metadata:
            name: silent-1
            namespace: gateway-conformance-infra
            labels: {kubernetes.io/service-name: silent}
          addressType: IPv4
          ports: [{name: http, port: %d}]
          endpoints: [{addresses: [127.0.0.1]}]
          ---
          """.formatted(silent.getLocalPort()) + h.service(ConformanceHarness.INFRA, "empty", "http=8080");
      int port = h.applyInfra(silentService + route("mirror-nowhere", """
          rules:
          - matches: [{path: {type: PathPrefix, value: /silent}}]
            filters:
            - type: RequestMirror
              requestMirror: {backendRef: {name: silent, port: 8080}}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /empty}}]
            filters:
            - type: RequestMirror
              requestMirror: {backendRef: {name: empty, port: 8080}}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          """));
      for (int i = 0; i < 5; i++) {
        assertThat(h.get(port, "x", "/silent").backend()).isEqualTo(V1);
        assertThat(h.get(port, "x", "/empty").backend()).isEqualTo(V1);
      }
      Answer posted = h.sendWithBody(port, "POST", "x", "/silent", "body for both");
      assertThat(posted.echo().body()).isEqualTo("body for both");
    }
  }

  /** HTTPRouteTimeoutRequest and HTTPRouteTimeoutBackendRequest: a backend slower than the timeout gives 504. */
  @Test
  void timeouts() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("timeouts", """
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
          """));
      assertThat(h.get(port, "x", "/request-timeout").status()).isEqualTo(200);
      Answer late = h.get(port, "x", "/request-timeout?delay=1s");
      assertThat(late.status()).isEqualTo(504);
      assertThat(late.body()).isEqualTo("upstream request timeout\n");
      assertThat(h.get(port, "x", "/backend-timeout").status()).isEqualTo(200);
      assertThat(h.get(port, "x", "/backend-timeout?delay=1s").status()).isEqualTo(504);
      Answer patient = h.get(port, "x", "/disable-request-timeout?delay=1s");
      assertThat(patient.status()).isEqualTo(200);
      assertThat(patient.echo().target()).isEqualTo("/disable-request-timeout?delay=1s");
    }
  }

  /** What the backend received for a GET of {@code path}; it must have answered 200. */
  private static Received echo(ConformanceHarness h, int port, String path, String... headers) throws Exception {
    Answer a = h.get(port, "x", path, headers);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    return a.echo();
  }

  /**
   * "status location" of the redirect a GET gets, a port that is its scheme's own left out. The
   * API says an implementation SHOULD NOT write {@code :80} for http or {@code :443} for https, and
   * the conformance suite accepts a Location that does ("a missing value of expected Port ...
   * implies that it is still valid and acceptable for a port to be specified in the redirect if it
   * corresponds to the scheme"). Sluice writes {@code https://host:443} when the filter gives a
   * scheme but no hostname and the request came to another port: its redirects are Envoy's, where
   * replacing the request's port takes a {@code port_redirect}.
   */
  private static String redirect(ConformanceHarness h, int port, String host, String path) throws Exception {
    Answer a = h.get(port, host, path);
    assertThat(a.echo()).as("no backend answers a redirect").isNull();
    String location = a.header("location");
    location = location.replaceFirst("^(https://[^/]+):443(/|$)", "$1$2").replaceFirst("^(http://[^/]+):80(/|$)", "$1$2");
    return a.status() + " " + location;
  }
}
