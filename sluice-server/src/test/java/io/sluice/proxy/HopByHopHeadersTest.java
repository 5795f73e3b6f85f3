package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {
  private static HttpHeaders headers(String... nameValues) {
    HttpHeaders h = new DefaultHttpHeaders();
    for (int i = 0; i < nameValues.length; i += 2) {
      h.add(nameValues[i], nameValues[i + 1]);
    }
    return h;
  }

  @Test
  void endToEndHeadersStay() {
    HttpHeaders h = headers("Host", "a", "Accept", "*/*", "Close", "kept", "Content-Length", "3");
    HopByHopHeaders.remove(h);
    assertThat(h.names()).containsExactlyInAnyOrder("Host", "Accept", "Close", "Content-Length");
  }

  @Test
  void everyHopByHopHeaderGoesWhateverItsCase() {
    HttpHeaders h = headers("te", "trailers", "TRAILER", "x", "Upgrade", "h2c", "Keep-Alive", "timeout=5",
        "Proxy-Connection", "keep-alive", "Proxy-Authenticate", "Basic", "proxy-authorization", "Basic eA==",
        "Host", "a");
    HopByHopHeaders.remove(h);
    assertThat(h.names()).containsExactly("Host");
  }

  @Test
  void connectionKeepAliveGoesWithKeepAlive() {
    HttpHeaders h = headers("Connection", "keep-alive", "Keep-Alive", "timeout=5", "Server", "nginx");
    HopByHopHeaders.remove(h);
    assertThat(h.names()).containsExactly("Server");
  }

  @Test
  void connectionCloseTakesAHeaderNamedClose() {
    HttpHeaders h = headers("Connection", "Close", "close", "x", "Server", "nginx");
    HopByHopHeaders.remove(h);
    assertThat(h.names()).containsExactly("Server");
  }

  @Test
  void headersNamedByConnectionGoButNotTheFramingOnes() {
    HttpHeaders h = headers("Connection", "x-a, Content-Length,host ,  x-b", "Connection", "X-C", "x-a", "1",
        "x-b", "2", "x-c", "3", "x-d", "4", "Content-Length", "0", "Host", "h");
    HopByHopHeaders.remove(h);
    assertThat(h.names()).containsExactlyInAnyOrder("x-d", "Content-Length", "Host");
  }
}
