package io.sluice.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/** Talks to a running proxy's admin interface for the CLI commands. */
final class AdminClient {
  /** The admin address every command uses unless told otherwise. */
  static final String DEFAULT = "http://127.0.0.1:9901";

  private final URI base;
  private final Duration requestTimeout;
  private final HttpClient http;

  /**
   * A client for the admin interface at {@code base} ({@code HOST:PORT} or an {@code http://} URL).
   *
   * @throws IllegalArgumentException when {@code base} is not such an address
   */
  AdminClient(String base) {
    this(base, Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  AdminClient(String base, Duration connectTimeout, Duration requestTimeout) {
    String b = base.strip();
    b = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    if (!b.contains("://")) {
      b = "http://" + b;
    }
    URI uri;
    try {
      uri = new URI(b);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("expected HOST:PORT or http://HOST:PORT, got '" + base + "'");
    }
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException("expected HOST:PORT or http://HOST:PORT, got '" + base + "'");
    }
    this.base = uri;
    this.requestTimeout = requestTimeout;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
  }

  /** An admin answer. */
  record Answer(int status, String body) {}

  Answer get(String pathAndQuery) throws IOException {
    return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET());
  }

  /** POSTs {@code form} as {@code application/x-www-form-urlencoded}. */
  Answer postForm(String path, Map<String, String> form) throws IOException {
    StringJoiner body = new StringJoiner("&");
    form.forEach((k, v) -> body.add(encode(k) + "=" + encode(v)));
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  /** POSTs {@code body} (text of {@code contentType}) to {@code pathAndQuery}. */
  Answer post(String pathAndQuery, String contentType, String body) throws IOException {
    return send(
        HttpRequest.newBuilder(base.resolve(pathAndQuery))
            .header("content-type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
  }

  /** Sends a request; every way of not getting an answer becomes one readable sentence. */
  private Answer send(HttpRequest.Builder b) throws IOException {
    try {
      HttpResponse<String> r = http.send(b.timeout(requestTimeout).build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (HttpConnectTimeoutException e) {
      throw new IOException("cannot reach the admin interface at " + base + ": no answer to the connection attempt"
          + " (is the address right? use --admin)", e);
    } catch (ConnectException e) {
      throw new IOException("cannot reach the admin interface at " + base + " (is `sluice proxy` running? use --admin)", e);
    } catch (HttpTimeoutException e) {
      throw new IOException("the admin interface at " + base + " did not answer within "
          + requestTimeout.toMillis() + " ms", e);
    } catch (IOException e) {
      String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
      throw new IOException("talking to the admin interface at " + base + " failed: " + why, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  URI base() {
    return base;
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
