package io.sluice.tools;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a load sends, how fast, for how long.
 *
 * @param url the {@code http://} URL requested
 * @param qps requests per second over all connections, sent on a fixed timetable; 0 runs closed
 *     loop (each connection sends its next request as soon as its answer is in)
 * @param concurrency keep-alive connections
 * @param interval how often a report is made
 * @param total stop after this many requests (0: no limit)
 * @param duration stop after this long (null: no limit)
 * @param host the {@code Host} header, or null for the URL's authority
 * @param headers more request headers, in order
 * @param method the request method
 * @param body the request body, or null for none
 * @param proxy an HTTP proxy ({@code http://HOST:PORT}) to send requests to in absolute form, or null
 * @param timeout how long a request may wait for its answer (from when it is sent) before it counts as failed
 * @param threads event loops sending requests (each with its share of the connections and the rate)
 */
public record LoadOptions(
    URI url, double qps, int concurrency, Duration interval, long total, Duration duration, String host,
    List<Map.Entry<String, String>> headers, String method, byte[] body, URI proxy, Duration timeout, int threads) {

  public LoadOptions {
    checkHttpUrl("url", url);
    if (!(qps >= 0) || Double.isInfinite(qps)) {
      throw new IllegalArgumentException("qps: must be 0 (closed loop) or more, got " + qps);
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency: must be at least 1, got " + concurrency);
    }
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval: must be more than 0, got " + interval);
    }
    if (total < 0) {
      throw new IllegalArgumentException("total: must be at least 1, or 0 for no limit, got " + total);
    }
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new IllegalArgumentException("duration: must be more than 0, got " + duration);
    }
    headers = List.copyOf(headers);
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.get(i).getKey().toLowerCase(Locale.ROOT);
      if (name.equals("host") || name.equals("content-length") || name.equals("transfer-encoding")) {
        throw new IllegalArgumentException("headers[" + i + "]: " + headers.get(i).getKey()
            + " is set from the host and the body, not as a header");
      }
      if (!name.matches("[a-z!#$%&'*+.^_`|~0-9-]+") || !fieldValue(headers.get(i).getValue())) {
        throw new IllegalArgumentException("headers[" + i + "]: expected a header name and a value without line breaks, got '"
            + headers.get(i).getKey() + ": " + headers.get(i).getValue() + "'");
      }
    }
    if (host != null && (host.isBlank() || !fieldValue(host))) {
      throw new IllegalArgumentException("host: expected a host name, got '" + host + "'");
    }
    if (method == null || !method.matches("[A-Za-z!#$%&'*+.^_`|~0-9-]+")) {
      throw new IllegalArgumentException("method: expected a method name such as GET or POST, got '" + method + "'");
    }
    if (proxy != null) {
      checkHttpUrl("proxy", proxy);
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: must be more than 0, got " + timeout);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads: must be at least 1, got " + threads);
    }
  }

  /**
   * GET {@code url} at 1 request per second on one connection, a report every 10 s, no end, no
   * proxy, a 10 s timeout, one thread.
   */
  public static LoadOptions of(URI url) {
    return new LoadOptions(url, 1, 1, Duration.ofSeconds(10), 0, null, null, List.of(), "GET", null, null,
        Duration.ofSeconds(10), 1);
  }

  public LoadOptions withQps(double qps) {
    return new LoadOptions(url, qps, concurrency, interval, total, duration, host, headers, method, body, proxy,
        timeout, threads);
  }

  public LoadOptions withConcurrency(int concurrency) {
    return new LoadOptions(url, qps, concurrency, interval, total, duration, host, headers, method, body, proxy,
        timeout, threads);
  }

  public LoadOptions withInterval(Duration interval) {
    return new LoadOptions(url, qps, concurrency, interval, total, duration, host, headers, method, body, proxy,
        timeout, threads);
  }

  public LoadOptions withTotal(long total) {
    return new LoadOptions(url, qps, concurrency, interval, total, duration, host, headers, method, body, proxy,
        timeout, threads);
  }

  public LoadOptions withDuration(Duration duration) {
    return new LoadOptions(url, qps, concurrency, interval, total, duration, host, headers, method, body, proxy,
        timeout, threads);
  }

  public LoadOptions withHost(String host) {
    return new LoadOptions(url, qps, concurrency, interval, total, duration, host, headers, method, body, proxy,
        timeout, threads);
  }

  public LoadOptions withHeaders(List<Map.Entry<String, String>> headers) {
    return new LoadOptions(url, qps, concurrency, interval, total, duration, host, headers, method, body, proxy,
        timeout, threads);
  }

  public LoadOptions withMethod(String method) {
    return new LoadOptions(url, qps, concurrency, interval, total, duration, host, headers, method, body, proxy,
        timeout, threads);
  }

  public LoadOptions withBody(byte[] body) {
    return new LoadOptions(url, qps, concurrency, interval, total, duration, host, headers, method, body, proxy,
        timeout, threads);
  }

  public LoadOptions withProxy(URI proxy) {
    return new LoadOptions(url, qps, concurrency, interval, total, duration, host, headers, method, body, proxy,
        timeout, threads);
  }

  public LoadOptions withTimeout(Duration timeout) {
    return new LoadOptions(url, qps, concurrency, interval, total, duration, host, headers, method, body, proxy,
        timeout, threads);
  }

  public LoadOptions withThreads(int threads) {
    return new LoadOptions(url, qps, concurrency, interval, total, duration, host, headers, method, body, proxy,
        timeout, threads);
  }

  /** Whether requests are sent as fast as answers come back rather than on a timetable. */
  public boolean closedLoop() {
    return qps == 0;
  }

  /** The port of an {@code http://} URL: its own, else 80. */
  static int portOf(URI u) {
    return u.getPort() >= 0 ? u.getPort() : 80;
  }

  private static boolean fieldValue(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c > 0xff || (c < 0x20 && c != '\t') || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static void checkHttpUrl(String field, URI u) {
    if (u == null) {
      throw new IllegalArgumentException(field + ": must not be null");
    }
    if (u.getScheme() == null || !u.getScheme().equalsIgnoreCase("http")) {
      throw new IllegalArgumentException(field + ": expected an http:// URL, got '" + u + "'"
          + ("https".equalsIgnoreCase(u.getScheme()) ? " (https is not supported)" : ""));
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      throw new IllegalArgumentException(field + ": expected an http://HOST[:PORT]/ URL, got '" + u + "'");
    }
  }
}
