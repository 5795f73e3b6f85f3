package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sluice used as an HTTP proxy ({@code HTTP_PROXY}): requests in absolute form, {@code GET
 * http://host/path}, are routed by the URI's authority (which replaces {@code Host}, as RFC 9112
 * requires) and sent upstream in origin form with that authority as {@code Host}.
 */
class AbsoluteFormTest {
  private TestBackend a;
  private TestBackend b;
  private ProxyFixture proxy;

  @BeforeEach
  void start() throws Exception {
    a = new TestBackend("a");
    b = new TestBackend("b");
    proxy = ProxyFixture.start(new TestBootstrap()
        .virtualHosts("""
            - name: a
              domains: [a.example]
              routes: [{match: {prefix: /}, route: {cluster: a}}]
            - name: b
              domains: [b.example, "b.example:8080"]
              routes: [{match: {prefix: /}, route: {cluster: b}}]
            """)
        .cluster(a)
        .cluster(b)
        .build());
  }

  @AfterEach
  void stop() {
    proxy.close();
    a.close();
    b.close();
  }

  @Test
  void theUriAuthorityWinsOverHost() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("GET http://b.example/echo?x=1 HTTP/1.1\r\nHost: a.example\r\n\r\n");
      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).startsWith("backend b\nGET /echo?x=1 HTTP/1.1\n").contains("host: b.example\n");

      c.write("GET HTTP://b.example:8080/echo HTTP/1.1\r\nHost: b.example:8080\r\n\r\n");
      assertThat(c.read().text()).startsWith("backend b\nGET /echo HTTP/1.1\n").contains("host: b.example:8080\n");

      c.write("GET http://a.example HTTP/1.1\r\nHost: a.example\r\n\r\n");
      assertThat(c.read().text()).isEqualTo("a");

      c.write("GET http://a.example?q=1 HTTP/1.1\r\nHost: a.example\r\n\r\n");
      assertThat(c.read().text()).isEqualTo("a");
    }
    assertThat(b.seen).containsExactly("GET /echo?x=1", "GET /echo");
    assertThat(a.seen).containsExactly("GET /", "GET /?q=1");
  }

  @Test
  void javasHttpClientCanUseSluiceAsItsProxy() throws Exception {
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port())))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
    HttpResponse<String> r = client.send(
        HttpRequest.newBuilder(URI.create("http://b.example/echo")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("backend b\nGET /echo HTTP/1.1\n").contains("host: b.example\n");

    HttpResponse<String> post = client.send(
        HttpRequest.newBuilder(URI.create("http://a.example/echo"))
            .POST(HttpRequest.BodyPublishers.ofString("twelve bytes"))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.body()).startsWith("backend a\nPOST /echo HTTP/1.1\n").contains("body-bytes: 12\n");

    HttpResponse<String> unknown = client.send(
        HttpRequest.newBuilder(URI.create("http://c.example/")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
  }
}
