package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How messages are framed on each side of the proxy, on raw sockets: {@code Expect:
 * 100-continue}, HEAD, chunked bodies both ways, HTTP/1.0 clients, and pipelined requests. The
 * proof that framing is right is always the next message: a stray or missing byte would corrupt
 * the response that follows on the same connection.
 */
class MessageFramingTest {
  private TestBackend backend;
  private ProxyFixture proxy;

  @BeforeEach
  void start() throws Exception {
    backend = new TestBackend("b");
    proxy = ProxyFixture.start(ProxyFixture.bootstrap("""
        - {match: {prefix: /direct}, direct_response: {status: 200, body: {inline_string: direct}}}
        - {match: {prefix: /}, route: {cluster: b}}
        """, backend));
  }

  @AfterEach
  void stop() {
    proxy.close();
    backend.close();
  }

  @Test
  void expectContinueGets100BeforeTheBodyIsSent() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      RawClient.Response interim = c.read();
      assertThat(interim.status()).isEqualTo(100);
      c.write("hello");
      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).contains("body-bytes: 5").doesNotContain("expect:");
      assertThat(c.get("/").text()).isEqualTo("b");
    }
  }

  /**
   * A 100 Continue belongs to the request that asked for it: for a request pipelined behind a
   * slower one, it comes after the earlier response, never inside or before it.
   */
  @Test
  void aPipelinedExpectContinueIsAnsweredInTurn() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("GET /delay/200 HTTP/1.1\r\nHost: test\r\n\r\n"
          + "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      RawClient.Response first = c.read();
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.text()).isEqualTo("b");
      assertThat(c.read().status()).isEqualTo(100);
      c.write("hello");
      assertThat(c.read().text()).contains("POST /echo ", "body-bytes: 5");
    }
  }

  /** Other expectations are the upstream's business, as in Envoy: passed on untouched. */
  @Test
  void otherExpectationsAreForwarded() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: x-custom\r\n\r\nhello");
      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).contains("expect: x-custom\n", "body-bytes: 5");
    }
  }

  @Test
  void headResponsesHaveNoBodyWhateverTheirContentLength() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("HEAD /bytes/1000 HTTP/1.1\r\nHost: test\r\n\r\n");
      RawClient.Response head = c.read(true);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("content-length")).isEqualTo("1000");
      c.write("HEAD /chunked/1000 HTTP/1.1\r\nHost: test\r\n\r\n");
      assertThat(c.read(true).status()).isEqualTo(200);
      // A local answer to HEAD: its Content-Length, no body.
      c.write("HEAD /direct HTTP/1.1\r\nHost: test\r\n\r\n");
      RawClient.Response direct = c.read(true);
      assertThat(direct.header("content-length")).isEqualTo("6");
      // Had a body byte slipped through, this response would not parse.
      RawClient.Response next = c.get("/echo");
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.text()).startsWith("backend b\nGET /echo HTTP/1.1\n");
    }
    assertThat(backend.seen).containsExactly("HEAD /bytes/1000", "HEAD /chunked/1000", "GET /echo");
  }

  @Test
  void chunkedRequestBodiesAreForwarded() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "3\r\nabc\r\n"
          + "a;ext=1\r\n0123456789\r\n"
          + "0\r\n\r\n");
      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).contains("transfer-encoding: chunked", "body-bytes: 13");
      assertThat(c.get("/").text()).isEqualTo("b");
    }
  }

  @Test
  void chunkedResponseBodiesReachTheClient() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      RawClient.Response r = c.get("/chunked/100000");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
      assertThat(r.body()).hasSize(100_000);
      assertThat(c.get("/").text()).isEqualTo("b");
    }
  }

  @Test
  void anHttp10ClientGetsItsAnswerAndTheConnectionCloses() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("GET /echo HTTP/1.0\r\nHost: test\r\n\r\n");
      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      // Forwarded as HTTP/1.1 (the upstream connection is kept).
      assertThat(r.text()).contains("GET /echo HTTP/1.1\n", "host: test\n");
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void anHttp10ClientCanKeepItsConnectionAlive() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("GET / HTTP/1.0\r\nHost: test\r\nConnection: keep-alive\r\n\r\n");
      RawClient.Response r = c.read();
      assertThat(r.text()).isEqualTo("b");
      assertThat(r.header("connection")).isEqualToIgnoringCase("keep-alive");
      c.write("GET /echo HTTP/1.0\r\nHost: test\r\nConnection: keep-alive\r\n\r\n");
      assertThat(c.read().text()).startsWith("backend b\n");
    }
  }

  /**
   * An HTTP/1.0 client does not know chunked encoding: a chunked upstream response reaches it as
   * the plain bytes, delimited by the connection closing.
   */
  @Test
  void anHttp10ClientNeverGetsChunkedEncoding() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("GET /chunked/3000 HTTP/1.0\r\nHost: test\r\nConnection: keep-alive\r\n\r\n");
      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("transfer-encoding")).isNull();
      assertThat(r.body()).hasSize(3000).containsOnly((byte) 0);
    }
  }

  /** HTTP/1.0 does not require Host; HTTP/1.1 upstream does, so Sluice supplies the upstream's. */
  @Test
  void anHttp10RequestWithoutHostIsForwardedWithOne() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("GET /echo HTTP/1.0\r\n\r\n");
      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).contains("host: 127.0.0.1:" + backend.port() + "\n");
    }
  }

  @Test
  void anHttp11RequestWithoutHostIs400() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("GET /echo HTTP/1.1\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(400);
      assertThat(c.closedByPeer()).isTrue();
    }
    assertThat(backend.requests.get()).isZero();
  }

  /**
   * Pipelined requests, written in one go, are answered in order, whatever each takes: a slow
   * forward, a request with a body, a local answer, and a fast forward.
   */
  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("GET /delay/150 HTTP/1.1\r\nHost: test\r\n\r\n"
          + "POST /echo?seq=2 HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\n\r\nabc"
          + "GET /direct HTTP/1.1\r\nHost: test\r\n\r\n"
          + "GET /echo?seq=4 HTTP/1.1\r\nHost: test\r\n\r\n"
          + "GET /chunked/10 HTTP/1.1\r\nHost: test\r\n\r\n");
      assertThat(c.read().text()).isEqualTo("b");
      assertThat(c.read().text()).contains("POST /echo?seq=2 ", "body-bytes: 3");
      assertThat(c.read().text()).isEqualTo("direct");
      assertThat(c.read().text()).contains("GET /echo?seq=4 ");
      assertThat(c.read().body()).hasSize(10);
      assertThat(c.get("/").text()).isEqualTo("b");
    }
    assertThat(backend.seen)
        .containsExactly("GET /delay/150", "POST /echo?seq=2", "GET /echo?seq=4", "GET /chunked/10", "GET /");
  }

  /**
   * Many pipelined requests queued behind a slow one, each answered by the proxy itself, then one
   * more forwarded: all answered, in order.
   */
  @Test
  void thousandsOfPipelinedLocalAnswersAreServedInOrder() throws Exception {
    int n = 3000;
    StringBuilder sb = new StringBuilder("GET /delay/100 HTTP/1.1\r\nHost: test\r\n\r\n");
    for (int i = 0; i < n; i++) {
      sb.append("GET /direct?").append(i).append(" HTTP/1.1\r\nHost: test\r\n\r\n");
    }
    sb.append("GET /echo?last HTTP/1.1\r\nHost: test\r\n\r\n");
    try (RawClient c = new RawClient(proxy.port())) {
      c.write(sb.toString());
      assertThat(c.read().text()).isEqualTo("b");
      for (int i = 0; i < n; i++) {
        assertThat(c.read().text()).isEqualTo("direct");
      }
      assertThat(c.read().text()).contains("GET /echo?last ");
    }
  }

  @Test
  void aClientAskingToCloseGetsItsAnswerThenTheClose() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
          + "GET /never HTTP/1.1\r\nHost: test\r\n\r\n");
      RawClient.Response r = c.read();
      assertThat(r.text()).isEqualTo("b");
      assertThat(r.header("connection")).isEqualToIgnoringCase("close");
      assertThat(c.closedByPeer()).isTrue();
    }
    assertThat(backend.seen).containsExactly("GET /");
  }

  /**
   * After a request with {@code Connection: close} nothing more on the connection is processed
   * (RFC 9112 section 9.6), even requests already read and waiting behind it.
   */
  @Test
  void nothingQueuedBehindAConnectionCloseIsProcessed() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("GET /delay/100 HTTP/1.1\r\nHost: test\r\n\r\n"
          + "GET /direct HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
          + "GET /never HTTP/1.1\r\nHost: test\r\n\r\n");
      assertThat(c.read().text()).isEqualTo("b");
      RawClient.Response r = c.read();
      assertThat(r.text()).isEqualTo("direct");
      assertThat(r.header("connection")).isEqualToIgnoringCase("close");
      assertThat(c.closedByPeer()).isTrue();
    }
    Eventually.until("the proxy to let go of the connection", () -> proxy.proxy.openConnections() == 0);
    assertThat(backend.seen).containsExactly("GET /delay/100");
  }

  /** An informational response other than 100 (here 103 Early Hints) is not passed on. */
  @Test
  void informationalResponsesFromTheUpstreamAreDropped() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      RawClient.Response r = c.get("/early-hints");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("b");
      assertThat(c.get("/").text()).isEqualTo("b");
    }
  }

  /** A body sent to a route the proxy answers itself is read and dropped; the connection goes on. */
  @Test
  void aBodyForALocalAnswerIsDrainedAndTheConnectionKept() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("POST /direct HTTP/1.1\r\nHost: test\r\nContent-Length: 100000\r\n\r\n");
      c.write(new byte[100_000]);
      assertThat(c.read().text()).isEqualTo("direct");
      c.write("POST /direct HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
      assertThat(c.read().text()).isEqualTo("direct");
      assertThat(c.get("/").text()).isEqualTo("b");
    }
  }
}
