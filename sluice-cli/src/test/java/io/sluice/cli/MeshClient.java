package io.sluice.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A client of the mesh listener, used as an HTTP proxy as a meshed application's traffic reaches
 * it: {@code GET http://bb:8080/} in absolute form, {@code Host: bb:8080}, over kept-alive
 * connections.
 */
final class MeshClient {
  private final HttpClient http;

  MeshClient(int meshPort) {
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", meshPort)))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** GET {@code url} through the mesh listener. */
  HttpResponse<String> get(String url) throws IOException {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
