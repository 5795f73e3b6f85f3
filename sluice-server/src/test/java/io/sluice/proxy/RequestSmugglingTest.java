package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request-smuggling defences, on raw sockets so every byte is the test's. Each attack is a request
 * whose body boundary a proxy and a server could disagree on, followed by a second, smuggled
 * request ({@code GET /smuggled}) hidden in what one of them would take for body. Sluice must
 * refuse the ambiguous request with the right status, close the connection (the rest of its bytes
 * cannot be trusted), and forward nothing: the backend sees no request at all.
 */
class RequestSmugglingTest {
  private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: test\r\n\r\n";

  private TestBackend backend;
  private ProxyFixture proxy;

  @BeforeEach
  void start() throws Exception {
    backend = new TestBackend("b");
    proxy = ProxyFixture.start(ProxyFixture.bootstrap("- {match: {prefix: /}, route: {cluster: b}}", backend));
  }

  @AfterEach
  void stop() {
    proxy.close();
    backend.close();
  }

  /** Sends {@code request}, expects {@code status} then the connection closed, and no forwarding. */
  private void assertRejected(String request, int status) throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.setReadTimeout(3_000);
      c.write(request);
      RawClient.Response r = c.read();
      assertThat(r.status()).as("status for %s", request).isEqualTo(status);
      assertThat(r.header("connection")).isEqualToIgnoringCase("close");
      assertThat(c.closedByPeer()).as("connection closed after %s", request).isTrue();
    }
    // A request after it, on a new connection, proves the backend was reachable all along.
    try (RawClient c = new RawClient(proxy.port())) {
      assertThat(c.get("/after").status()).isEqualTo(200);
    }
    assertThat(backend.seen).containsExactly("GET /after");
  }

  @Test
  void contentLengthWithTransferEncodingIs400() throws Exception {
    assertRejected(
        "POST /a HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "0\r\n\r\n" + SMUGGLED,
        400);
  }

  @Test
  void transferEncodingWithContentLengthIs400() throws Exception {
    String body = "0\r\n\r\n" + SMUGGLED;
    assertRejected(
        "POST /a HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\nContent-Length: " + body.length()
            + "\r\n\r\n" + body,
        400);
  }

  @Test
  void twoDifferentContentLengthsAre400() throws Exception {
    assertRejected(
        "POST /a HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\nContent-Length: " + SMUGGLED.length()
            + "\r\n\r\n" + SMUGGLED,
        400);
  }

  @Test
  void aListOfDifferentContentLengthsIs400() throws Exception {
    assertRejected(
        "POST /a HTTP/1.1\r\nHost: test\r\nContent-Length: 0, " + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED,
        400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"chunked, identity", "gzip", "gzip, chunked", "identity", "chunked, chunked"})
  void transferCodingsOtherThanChunkedAre501(String coding) throws Exception {
    assertRejected(
        "POST /a HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: " + coding + "\r\n\r\n0\r\n\r\n" + SMUGGLED, 501);
  }

  @Test
  void twoTransferEncodingHeadersAre501() throws Exception {
    assertRejected(
        "POST /a HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n"
            + "0\r\n\r\n" + SMUGGLED,
        501);
  }

  /**
   * Obfuscated {@code Transfer-Encoding} headers, each beside a {@code Content-Length} that would
   * end the body before the smuggled request: a front end that fails to recognise the header frames
   * by length, a back end that recognises it frames by chunks.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "Transfer-Encoding : chunked",
      "Transfer-Encoding:\tchunked",
      "Transfer-Encoding: xchunked",
      "Transfer-Encoding: chunked\u000b",
      "Transfer-Encoding: \u000bchunked",
      "Transfer-Encoding:\r\n chunked",
      "Transfer-Encoding: x\r\n chunked",
      "Transfer-Encoding\r\n : chunked",
      "Transfer-Encoding: chunked\r\nTransfer-Encoding: x",
      " Transfer-Encoding: chunked",
  })
  void obfuscatedTransferEncodingIsRejected(String header) throws Exception {
    String chunkedBody = "0\r\n\r\n";
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("POST /a HTTP/1.1\r\nHost: test\r\nContent-Length: " + chunkedBody.length() + "\r\n" + header
          + "\r\n\r\n" + chunkedBody + SMUGGLED);
      c.setReadTimeout(3_000);
      RawClient.Response r = c.read();
      assertThat(r.status()).isIn(400, 501);
      assertThat(c.closedByPeer()).isTrue();
    }
    assertThat(backend.seen).isEmpty();
  }

  /**
   * An obsolete line folding hides {@code Transfer-Encoding} inside another header's value. RFC
   * 9112 lets a proxy replace the fold with a space; what matters is that the backend then parses
   * exactly what Sluice parsed: the POST with its 5-byte body, then the second request the client
   * really sent, each answered in turn, and no {@code Transfer-Encoding} at the backend.
   */
  @Test
  void aFoldedHeaderIsForwardedUnfolded() throws Exception {
    String body = "0\r\n\r\n";
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: " + body.length()
          + "\r\nX-Padding: x\r\n Transfer-Encoding: chunked\r\n\r\n" + body + SMUGGLED);
      RawClient.Response first = c.read();
      if (first.status() == 200) {
        assertThat(first.text()).contains("body-bytes: 5").doesNotContain("transfer-encoding");
        assertThat(c.read().status()).isEqualTo(200);
        assertThat(backend.seen).containsExactly("POST /echo", "GET /smuggled");
      } else {
        assertThat(first.status()).isEqualTo(400);
        assertThat(backend.seen).isEmpty();
      }
    }
  }

  @Test
  void headersOverTheLimitAre431() throws Exception {
    String big = "x-big: " + "a".repeat(61 * 1024) + "\r\n";
    assertRejected("GET /a HTTP/1.1\r\nHost: test\r\n" + big + "\r\n", 431);
  }

  @Test
  void headersOverAConfiguredLimitAre431() throws Exception {
    proxy.close();
    proxy = ProxyFixture.start(new TestBootstrap()
        .hcm("max_request_headers_kb: 2")
        .routes("- {match: {prefix: /}, route: {cluster: b}}")
        .cluster(backend)
        .build());
    try (RawClient c = new RawClient(proxy.port())) {
      assertThat(c.get("/fits", "x-pad: " + "a".repeat(1500)).status()).isEqualTo(200);
    }
    backend.seen.clear();
    assertRejected("GET /a HTTP/1.1\r\nHost: test\r\nx-pad: " + "a".repeat(2100) + "\r\n\r\n", 431);
  }

  @Test
  void anOverlongRequestLineIs414() throws Exception {
    assertRejected("GET /" + "a".repeat(70 * 1024) + " HTTP/1.1\r\nHost: test\r\n\r\n", 414);
  }

  /**
   * {@code Connection} may name hop-by-hop headers to strip, but never the headers that frame the
   * body: stripping {@code Content-Length} on the way upstream would turn the body into a second
   * request there.
   */
  @Test
  void connectionCannotStripTheBodyFraming() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("POST /echo HTTP/1.1\r\nHost: test\r\nConnection: content-length\r\nContent-Length: "
          + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED);
      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).contains("content-length: " + SMUGGLED.length(), "body-bytes: " + SMUGGLED.length());
      c.write("POST /echo HTTP/1.1\r\nHost: test\r\nConnection: transfer-encoding, host\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n"
          + Integer.toHexString(SMUGGLED.length()) + "\r\n" + SMUGGLED + "\r\n0\r\n\r\n");
      r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).contains("host: test", "transfer-encoding: chunked", "body-bytes: " + SMUGGLED.length());
    }
    assertThat(backend.seen).containsExactly("POST /echo", "POST /echo");
  }

  /** A well-framed request followed by a pipelined one: two requests, as the client meant. */
  @Test
  void aChunkedBodyEndsWhereItsLastChunkSays() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n0\r\n\r\n"
          + "GET /second HTTP/1.1\r\nHost: test\r\n\r\n");
      RawClient.Response first = c.read();
      assertThat(first.text()).contains("body-bytes: 5");
      assertThat(c.read().text()).isEqualTo("b");
    }
    assertThat(backend.seen).containsExactly("POST /echo", "GET /second");
  }
}
