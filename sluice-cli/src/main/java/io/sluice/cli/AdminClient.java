package io.sluice.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/** Talks to a running proxy's admin interface for the CLI commands. */
final class AdminClient {
  /** The admin address every command uses unless told otherwise. */
  static final String DEFAULT = "http://127.0.0.1:9901";

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  AdminClient(String base) {
    String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    if (!b.startsWith("http://") && !b.startsWith("https://")) {
      b = "http://" + b;
    }
    this.base = URI.create(b);
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

  private Answer send(HttpRequest.Builder b) throws IOException {
    try {
      HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (ConnectException e) {
      throw new IOException("cannot reach the admin interface at " + base + " (is `sluice proxy` running? use --admin)", e);
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
