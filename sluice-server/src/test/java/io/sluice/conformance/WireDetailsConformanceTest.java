package io.sluice.conformance;

import static io.sluice.conformance.ConformanceHarness.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.conformance.ConformanceHarness.Answer;
import io.sluice.conformance.EchoBackend.Received;
import org.junit.jupiter.api.Test;

/**
 * What only shows on the wire, around the conformance cases: repeated header fields on both
 * sides, a Host set by a header modifier, absolute-form targets on a Gateway, bodies of mirrored
 * requests, HEAD, and host names in other cases.
 */
class WireDetailsConformanceTest {
  private static final String V1 = "infra-backend-v1";
  private static final String V2 = "infra-backend-v2";

  /** set and remove act on every field of a name, add appends to repeated ones; in both directions. */
  @Test
  void repeatedHeaderFields() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("repeated", """
          rules:
          - filters:
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
      Answer a = h.get(port, "x", "/",
          "X-Header-Set: one", "x-header-set: two",
          "X-Header-Add: one", "X-Header-Add: two",
          "X-Header-Remove: one", "x-header-remove: two",
          "X-Echo-Set-Header: X-Header-Set:a,X-Header-Set:b,X-Header-Add:a,X-Header-Add:b,X-Header-Remove:a,X-Header-Remove:b");
      Received r = a.echo();
      assertThat(r.headers().get("x-header-set")).containsExactly("set-overwrites-values");
      assertThat(r.header("x-header-add")).isEqualTo("one,two,add-appends-values");
      assertThat(r.headers()).doesNotContainKey("x-header-remove");
      assertThat(a.header("x-header-set")).isEqualTo("set-overwrites-values");
      assertThat(a.header("x-header-add")).isEqualTo("a,b,add-appends-values");
      assertThat(a.headers()).doesNotContainKey("x-header-remove");
    }
  }

  /** A RequestHeaderModifier that sets Host changes the Host the backend gets. */
  @Test
  void settingHostRewritesTheAuthority() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("host-header", """
          rules:
          - filters:
            - type: RequestHeaderModifier
              requestHeaderModifier: {set: [{name: Host, value: internal.example}]}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          """));
      Received r = h.get(port, "public.example", "/").echo();
      assertThat(r.host()).isEqualTo("internal.example");
      assertThat(r.headers().get("host")).hasSize(1);
    }
  }

  /** An absolute-form target's authority is the request's host (RFC 9112 3.2.2), for hostnames and for matching. */
  @Test
  void absoluteFormOnAGateway() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("by-host", """
          hostnames: [one.example]
          rules:
          - backendRefs: [{name: infra-backend-v1, port: 8080}]
          """) + route("other-host", """
          hostnames: [two.example]
          rules:
          - matches: [{path: {type: Exact, value: /exact}, queryParams: [{name: q, value: "1"}]}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          """));
      Answer one = h.send(port, "GET", "two.example", "http://one.example:" + port + "/path");
      assertThat(one.backend()).isEqualTo(V1);
      assertThat(one.echo().path()).isEqualTo("/path");
      assertThat(h.send(port, "GET", "one.example", "http://two.example/exact?q=1").backend()).isEqualTo(V2);
      assertThat(h.send(port, "GET", "one.example", "http://three.example/").status()).isEqualTo(404);
    }
  }

  /** A mirrored POST reaches the mirror with its body, and HEAD is forwarded and answered without a body. */
  @Test
  void mirroredBodiesAndHead() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("mirror", """
          rules:
          - filters:
            - type: RequestMirror
              requestMirror: {backendRef: {name: infra-backend-v2, port: 8080}}
            backendRefs: [{name: infra-backend-v1, port: 8080}]
          """));
      Answer post = h.sendWithBody(port, "POST", "x", "/upload", "hello mirror", "Content-Type: text/plain");
      assertThat(post.backend()).isEqualTo(V1);
      assertThat(post.echo().body()).isEqualTo("hello mirror");
      Received copy = h.backend(V2).awaitReceived(1).get(0);
      assertThat(copy.method()).isEqualTo("POST");
      assertThat(copy.body()).isEqualTo("hello mirror");

      Answer head = h.send(port, "HEAD", "x", "/");
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      assertThat(head.header("x-backend")).isEqualTo(V1);
      assertThat(h.backend(V1).received().get(1).method()).isEqualTo("HEAD");
    }
  }

  /** Host names match whatever their case, through the Gateway and the mesh; header matching trims field values. */
  @Test
  void hostCaseAndHeaderWhitespace() throws Exception {
    try (ConformanceHarness h = ConformanceHarness.infra()) {
      int port = h.applyInfra(route("hosts", """
          hostnames: [app.example.com]
          rules:
          - matches: [{headers: [{name: version, value: one}]}]
            backendRefs: [{name: infra-backend-v2, port: 8080}]
          - backendRefs: [{name: infra-backend-v1, port: 8080}]
          """));
      assertThat(h.answerer(port, "APP.Example.COM", "/")).isEqualTo(V1);
      assertThat(h.answerer(port, "app.example.com", "/", "Version:    one   ")).isEqualTo(V2);
      int mesh = h.meshPort();
      assertThat(h.answerer(mesh, "Infra-Backend-V1.Gateway-Conformance-Infra:8080", "/")).isEqualTo(V1);
      // Literal addresses: a Gateway without hostnames serves them, IPv6 included.
      int any = ConformanceHarness.freePort();
      h.apply(ConformanceHarness.gateway("any-host", "- {name: http, port: %d, protocol: HTTP}\n".formatted(any))
          + """
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: any-host, namespace: gateway-conformance-infra}
          spec:
            parentRefs: [{name: any-host}]
            rules:
            - backendRefs: [{name: infra-backend-v2, port: 8080}]
          """);
      assertThat(h.answerer(any, "127.0.0.1:" + any, "/")).isEqualTo(V2);
      assertThat(h.answerer(any, "[::1]:" + any, "/")).isEqualTo(V2);
    }
  }
}
