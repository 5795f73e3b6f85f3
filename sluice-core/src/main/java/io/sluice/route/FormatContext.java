package io.sluice.route;

import java.time.Instant;

/**
 * What the substitution formatter of header values ({@code %DOWNSTREAM_REMOTE_ADDRESS%}, {@code
 * %REQ(x-foo)%}, ...) can read about the request in flight. Every method may return null for
 * "unknown", which formats as an empty value.
 */
public interface FormatContext {

  /** The client's address as {@code ip:port} ({@code [v6]:port} for IPv6). */
  String downstreamRemoteAddress();

  /** The local address of the downstream connection as {@code ip:port}. */
  String downstreamLocalAddress();

  /** {@code HTTP/1.0}, {@code HTTP/1.1}, {@code HTTP/2}. */
  String protocol();

  /** The request headers. */
  Headers requestHeaders();

  /** The response headers, or null while the request is being forwarded. */
  default Headers responseHeaders() {
    return null;
  }

  /** When the request started. */
  default Instant startTime() {
    return null;
  }

  /** The chosen upstream cluster, once known. */
  default String upstreamCluster() {
    return null;
  }

  /** The chosen upstream endpoint as {@code ip:port}, once known. */
  default String upstreamRemoteAddress() {
    return null;
  }

  /** The response status code, once known. */
  default int responseCode() {
    return 0;
  }

  /** The name of the selected route. */
  default String routeName() {
    return null;
  }

  /** The stream (request) id. */
  default String streamId() {
    return null;
  }
}
