package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What happens to headers on the way through, checked where it matters: at the backend (its
 * {@code /echo} reports the request it got) and at the client. Hop-by-hop headers, the forwarding
 * headers, request ids, the {@code server} header, route rewrites and header mutations, and the
 * redirects and direct responses the proxy answers itself.
 */
class HeaderHandlingTest {
  private static final Pattern UUID4 =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  @Test
  void hopByHopRequestHeadersAreNotForwarded() throws Exception {
    try (TestBackend b = new TestBackend("b");
        ProxyFixture f = ProxyFixture.start(ProxyFixture.bootstrap("- {match: {prefix: /}, route: {cluster: b}}", b));
        RawClient c = new RawClient(f.port())) {
      String echo = c.get("/echo",
          "Connection: keep-alive, X-Private",
          "X-Private: secret",
          "Keep-Alive: timeout=5",
          "TE: trailers",
          "Trailer: x-checksum",
          "Upgrade: h2c",
          "Proxy-Connection: keep-alive",
          "Proxy-Authorization: Basic dXNlcjpwYXNz",
          "X-Kept: yes").text();
      assertThat(echo).contains("x-kept: yes\n");
      assertThat(echo).doesNotContain("connection:", "x-private", "keep-alive", "te:", "trailer:", "upgrade:",
          "proxy-connection", "proxy-authorization");
    }
  }

  @Test
  void hopByHopResponseHeadersAreNotForwarded() throws Exception {
    try (TestBackend b = new TestBackend("b");
        ProxyFixture f = ProxyFixture.start(ProxyFixture.bootstrap("- {match: {prefix: /}, route: {cluster: b}}", b));
        RawClient c = new RawClient(f.port())) {
      RawClient.Response r = c.get("/headers?Connection=x-secret&x-secret=1&Keep-Alive=timeout%3D5"
          + "&Proxy-Authenticate=Basic&Upgrade=h2c&Trailer=x-sum&x-kept=yes");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("x-kept")).isEqualTo("yes");
      for (String h : new String[] {"connection", "x-secret", "keep-alive", "proxy-authenticate", "upgrade", "trailer"}) {
        assertThat(r.header(h)).as(h).isNull();
      }
      assertThat(c.get("/").text()).isEqualTo("b");
    }
  }

  /** As Envoy at the edge ({@code use_remote_address: true}): the peer's address is appended. */
  @Test
  void xForwardedForGetsTheClientAddressAppendedAtTheEdge() throws Exception {
    try (TestBackend b = new TestBackend("b");
        ProxyFixture f = ProxyFixture.start(new TestBootstrap()
            .hcm("use_remote_address: true")
            .routes("- {match: {prefix: /}, route: {cluster: b}}")
            .cluster(b)
            .build());
        RawClient c = new RawClient(f.port())) {
      assertThat(c.get("/echo").text()).contains("x-forwarded-for: 127.0.0.1\n");
      assertThat(c.get("/echo", "X-Forwarded-For: 10.0.0.1").text())
          .contains("x-forwarded-for: 10.0.0.1, 127.0.0.1\n");
      assertThat(c.get("/echo", "X-Forwarded-For: 10.0.0.1", "X-Forwarded-For: 10.0.0.2").text())
          .contains("x-forwarded-for: 10.0.0.1,10.0.0.2, 127.0.0.1\n");
      // Naming x-forwarded-for in Connection drops the client's own value, never the proxy's.
      assertThat(c.get("/echo", "Connection: x-forwarded-for", "X-Forwarded-For: 10.0.0.1").text())
          .contains("x-forwarded-for: 127.0.0.1\n");
      // At the edge the scheme is the connection's, whatever the client claims.
      assertThat(c.get("/echo", "X-Forwarded-Proto: https").text()).contains("x-forwarded-proto: http\n");
    }
  }

  /**
   * Without {@code use_remote_address} Sluice still appends the client's address (Envoy would not;
   * see the README), trusts the client's {@code x-forwarded-proto}, and {@code skip_xff_append}
   * leaves {@code x-forwarded-for} as it came.
   */
  @Test
  void xForwardedForIsAppendedByDefaultAndLeftAloneWithSkipXffAppend() throws Exception {
    try (TestBackend b = new TestBackend("b");
        ProxyFixture f = ProxyFixture.start(ProxyFixture.bootstrap("- {match: {prefix: /}, route: {cluster: b}}", b));
        RawClient c = new RawClient(f.port())) {
      assertThat(c.get("/echo", "X-Forwarded-For: 10.0.0.1").text()).contains("x-forwarded-for: 10.0.0.1, 127.0.0.1\n");
      assertThat(c.get("/echo").text()).contains("x-forwarded-for: 127.0.0.1\n");
      assertThat(c.get("/echo", "X-Forwarded-Proto: https").text()).contains("x-forwarded-proto: https\n");
      assertThat(c.get("/echo").text()).contains("x-forwarded-proto: http\n");
    }
    try (TestBackend b = new TestBackend("b");
        ProxyFixture f = ProxyFixture.start(new TestBootstrap()
            .hcm("skip_xff_append: true")
            .routes("- {match: {prefix: /}, route: {cluster: b}}")
            .cluster(b)
            .build());
        RawClient c = new RawClient(f.port())) {
      assertThat(c.get("/echo", "X-Forwarded-For: 10.0.0.1").text()).contains("x-forwarded-for: 10.0.0.1\n");
      assertThat(c.get("/echo").text()).doesNotContain("x-forwarded-for");
    }
  }

  /** Envoy matches a repeated header as its values joined by commas, in the order they came. */
  @Test
  void aRepeatedHeaderIsMatchedAsItsValuesInOrder() throws Exception {
    try (TestBackend a = new TestBackend("a");
        TestBackend b = new TestBackend("b");
        ProxyFixture f = ProxyFixture.start(ProxyFixture.bootstrap("""
            - match: {prefix: /, headers: [{name: x-multi, string_match: {exact: "one,two"}}]}
              route: {cluster: b}
            - {match: {prefix: /}, route: {cluster: a}}
            """, a, b));
        RawClient c = new RawClient(f.port())) {
      assertThat(c.get("/", "X-Multi: one", "X-Multi: two").text()).isEqualTo("b");
      assertThat(c.get("/", "X-Multi: two", "X-Multi: one").text()).isEqualTo("a");
      assertThat(c.get("/", "X-Multi: one,two").text()).isEqualTo("b");
    }
  }

  @Test
  void xRequestIdIsGeneratedWhenAbsentAndKeptWhenPresent() throws Exception {
    try (TestBackend b = new TestBackend("b");
        ProxyFixture f = ProxyFixture.start(ProxyFixture.bootstrap("- {match: {prefix: /}, route: {cluster: b}}", b));
        RawClient c = new RawClient(f.port())) {
      String first = requestId(c.get("/echo").text());
      String second = requestId(c.get("/echo").text());
      assertThat(first).matches(UUID4).isNotEqualTo(second);
      assertThat(second).matches(UUID4);
      assertThat(requestId(c.get("/echo", "X-Request-Id: abc-123").text())).isEqualTo("abc-123");
    }
  }

  /** At the edge an external client's id is replaced unless {@code preserve_external_request_id}. */
  @Test
  void anExternalRequestIdIsReplacedAtTheEdge() throws Exception {
    try (TestBackend b = new TestBackend("b");
        ProxyFixture edge = ProxyFixture.start(new TestBootstrap()
            .hcm("use_remote_address: true")
            .routes("- {match: {prefix: /}, route: {cluster: b}}")
            .cluster(b)
            .build());
        ProxyFixture preserving = ProxyFixture.start(new TestBootstrap()
            .hcm("use_remote_address: true\npreserve_external_request_id: true")
            .routes("- {match: {prefix: /}, route: {cluster: b}}")
            .cluster(b)
            .build());
        RawClient c = new RawClient(edge.port());
        RawClient p = new RawClient(preserving.port())) {
      assertThat(requestId(c.get("/echo", "X-Request-Id: abc-123").text())).matches(UUID4);
      assertThat(requestId(p.get("/echo", "X-Request-Id: abc-123").text())).isEqualTo("abc-123");
    }
  }

  @Test
  void theServerHeaderIsSluicesUnlessConfiguredOtherwise() throws Exception {
    try (TestBackend b = new TestBackend("b");
        ProxyFixture plain = ProxyFixture.start(ProxyFixture.bootstrap("- {match: {prefix: /}, route: {cluster: b}}", b));
        ProxyFixture named = ProxyFixture.start(new TestBootstrap()
            .hcm("server_name: edge-7\nserver_header_transformation: APPEND_IF_ABSENT")
            .routes("- {match: {prefix: /}, route: {cluster: b}}")
            .cluster(b)
            .build());
        RawClient c = new RawClient(plain.port());
        RawClient n = new RawClient(named.port())) {
      assertThat(c.get("/").header("server")).isEqualTo("sluice");
      assertThat(c.get("/headers?server=backend").header("server")).isEqualTo("sluice");
      assertThat(n.get("/").header("server")).isEqualTo("edge-7");
      assertThat(n.get("/headers?server=backend").header("server")).isEqualTo("backend");
    }
  }

  @Test
  void rewritesAndHeaderMutationsReachTheBackend() throws Exception {
    try (TestBackend b = new TestBackend("b");
        ProxyFixture f = ProxyFixture.start(ProxyFixture.bootstrap("""
            - match: {prefix: /old}
              route: {cluster: b, prefix_rewrite: /echo, host_rewrite_literal: backend.internal}
              request_headers_to_add:
              - header: {key: x-client, value: "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%"}
              - header: {key: x-tag, value: added}
                append_action: OVERWRITE_IF_EXISTS_OR_ADD
              request_headers_to_remove: [x-secret]
              response_headers_to_add:
              - header: {key: x-served-by, value: sluice-route}
              response_headers_to_remove: [x-backend]
            """, b));
        RawClient c = new RawClient(f.port())) {
      RawClient.Response r = c.get("/old?q=1", "X-Secret: s3cret", "X-Tag: original");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text())
          .startsWith("backend b\nGET /echo?q=1 HTTP/1.1\n")
          .contains("host: backend.internal\n", "x-client: 127.0.0.1\n", "x-tag: added\n",
              "x-envoy-original-path: /old?q=1\n")
          .doesNotContain("s3cret", "x-tag: original");
      assertThat(r.header("x-served-by")).isEqualTo("sluice-route");
      assertThat(r.header("x-backend")).isNull();
    }
  }

  @Test
  void redirectsAndDirectResponsesAreAnsweredByTheProxy() throws Exception {
    try (TestBackend b = new TestBackend("b");
        ProxyFixture f = ProxyFixture.start(ProxyFixture.bootstrap("""
            - match: {prefix: /moved}
              redirect: {path_redirect: /new/place, response_code: PERMANENT_REDIRECT}
            - match: {prefix: /secure}
              redirect: {https_redirect: true}
            - match: {prefix: /teapot}
              direct_response: {status: 418, body: {inline_string: "short and stout"}}
              response_headers_to_add: [{header: {key: x-direct, value: "yes"}}]
            - {match: {prefix: /}, route: {cluster: b}}
            """, b));
        RawClient c = new RawClient(f.port())) {
      RawClient.Response moved = c.get("/moved?x=1");
      assertThat(moved.status()).isEqualTo(308);
      assertThat(moved.header("location")).isEqualTo("http://test/new/place?x=1");
      assertThat(moved.body()).isEmpty();

      RawClient.Response secure = c.get("/secure/page");
      assertThat(secure.status()).isEqualTo(301);
      assertThat(secure.header("location")).isEqualTo("https://test/secure/page");

      RawClient.Response teapot = c.get("/teapot");
      assertThat(teapot.status()).isEqualTo(418);
      assertThat(teapot.text()).isEqualTo("short and stout");
      assertThat(teapot.header("content-type")).isEqualTo("text/plain");
      assertThat(teapot.header("x-direct")).isEqualTo("yes");

      assertThat(c.get("/").text()).isEqualTo("b");
    }
  }

  private static String requestId(String echo) {
    Matcher m = Pattern.compile("(?m)^x-request-id: (.*)$").matcher(echo);
    assertThat(m.find()).as("x-request-id in %s", echo).isTrue();
    return m.group(1);
  }
}
