package io.sluice.proxy;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.config.ListenerSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the proxy does to a request's and a response's headers, through the same package-private
 * entry points {@code Exchange} calls: {@link HopByHopHeaders#remove}, {@link ForwardedHeaders#prepare}
 * (x-forwarded-for appended, x-forwarded-proto, a generated x-request-id) and {@link RequestIds#next}.
 * Each of those changes its headers, so every operation starts from a fresh copy of a typical
 * decoded request; {@link #copyOnly} is that copy alone, to subtract.
 *
 * <p>Run with {@code bench/jmh HeaderHandlingBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HeaderHandlingBenchmark {
  private ListenerSpec listener;
  private HttpRequest request;
  private HttpRequest requestNamingHeaders;
  private HttpResponse response;

  @Setup(Level.Trial)
  public void setUp() {
    listener = BenchBootstrap.read().listeners().get(0);
    // What a browser behind a load balancer sends: ten headers, one hop of x-forwarded-for already.
    request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/items?id=42");
    request.headers()
        .add("Host", "shop.example.com")
        .add("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
        .add("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        .add("Accept-Language", "en-GB,en;q=0.5")
        .add("Accept-Encoding", "gzip, deflate, br")
        .add("Connection", "keep-alive")
        .add("Cookie", "session=5f0c2a9e1b; theme=dark")
        .add("Upgrade-Insecure-Requests", "1")
        .add("X-Forwarded-For", "203.0.113.7")
        .add("Priority", "u=0, i");
    // A client whose Connection names more headers to drop (RFC 9110 7.6.1).
    requestNamingHeaders = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/items?id=42",
        request.headers().copy());
    requestNamingHeaders.headers()
        .set("Connection", "keep-alive, x-debug-token")
        .add("Keep-Alive", "timeout=5")
        .add("X-Debug-Token", "abc")
        .add("TE", "trailers");
    response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    response.headers()
        .add("Server", "nginx/1.22.1")
        .add("Date", "Sun, 22 Nov 2026 03:00:00 GMT")
        .add("Content-Type", "text/plain")
        .add("Content-Length", "3")
        .add("Connection", "keep-alive");

    // The benchmark must exercise the work it names.
    HttpRequest check = fresh(requestNamingHeaders);
    HopByHopHeaders.remove(check.headers());
    ForwardedHeaders.prepare(new ProxiedRequest(check, "http"), listener, "192.0.2.10");
    HttpHeaders h = check.headers();
    if (h.contains("Connection") || h.contains("X-Debug-Token") || h.contains("TE")
        || !"203.0.113.7, 192.0.2.10".equals(h.get("x-forwarded-for")) || h.get("x-request-id") == null) {
      throw new IllegalStateException("header handling did not do its work: " + h);
    }
  }

  /** The fresh copy every other case starts from (the decoder builds one per request too). */
  @Benchmark
  public HttpRequest copyOnly() {
    return fresh(request);
  }

  /** Hop-by-hop removal from a request whose {@code Connection} is {@code keep-alive}. */
  @Benchmark
  public HttpRequest hopByHop() {
    HttpRequest r = fresh(request);
    HopByHopHeaders.remove(r.headers());
    return r;
  }

  /** Hop-by-hop removal where {@code Connection} names another header, with Keep-Alive and TE present. */
  @Benchmark
  public HttpRequest hopByHopNamedHeaders() {
    HttpRequest r = fresh(requestNamingHeaders);
    HopByHopHeaders.remove(r.headers());
    return r;
  }

  /** A new x-request-id (a version 4 UUID's text) alone. */
  @Benchmark
  public String requestId() {
    return RequestIds.next();
  }

  /** x-forwarded-for appended, x-forwarded-proto set, x-request-id generated, on the routing view of the request. */
  @Benchmark
  public HttpRequest forwardedHeaders() {
    HttpRequest r = fresh(request);
    ForwardedHeaders.prepare(new ProxiedRequest(r, "http"), listener, "192.0.2.10");
    return r;
  }

  /** Everything {@code Exchange.begin} does to a request's headers before routing, in its order. */
  @Benchmark
  public HttpRequest requestHeadersBeforeRouting() {
    HttpRequest r = fresh(request);
    ProxiedRequest view = new ProxiedRequest(r, "http");
    HopByHopHeaders.remove(r.headers());
    ForwardedHeaders.prepare(view, listener, "192.0.2.10");
    return r;
  }

  /** Hop-by-hop removal from a response, as the exchange does to the upstream's answer. */
  @Benchmark
  public HttpResponse responseHopByHop() {
    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, response.headers().copy());
    HopByHopHeaders.remove(r.headers());
    return r;
  }

  private static HttpRequest fresh(HttpRequest template) {
    return new DefaultHttpRequest(template.protocolVersion(), template.method(), template.uri(),
        template.headers().copy());
  }
}
