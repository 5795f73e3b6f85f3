package io.sluice.route;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What routing reads from one request: its headers (with the pseudo-headers {@code :authority},
 * {@code :path}, {@code :method} and {@code :scheme}), its query parameters, and what the
 * connection knows. The data plane adapts its codec's request to this; the route checker builds
 * one from a test input.
 */
public interface RouteRequest extends Headers {

  /** The {@code :authority} (HTTP/1 {@code Host}), or null. */
  default String authority() {
    return first(":authority");
  }

  /** The {@code :path}, query string included, or null. */
  default String path() {
    return first(":path");
  }

  /** The {@code :method}, or null. */
  default String method() {
    return first(":method");
  }

  /**
   * The scheme the client used, as Envoy's router sees it: {@code x-forwarded-proto}, else {@code
   * :scheme}, else {@code http}.
   */
  default String forwardedProto() {
    String p = first("x-forwarded-proto");
    if (p == null) {
      p = first(":scheme");
    }
    return p == null ? "http" : p;
  }

  /** Whether the request is internal ({@code x-envoy-internal: true}), for {@code EXTERNAL_ONLY}. */
  default boolean internal() {
    return "true".equals(first("x-envoy-internal"));
  }

  /**
   * The first value of a query parameter (not percent-decoded, as in Envoy), or null when absent;
   * a parameter written without {@code =} has the value {@code ""}.
   */
  default String queryParameter(String name) {
    return QueryString.firstValue(path(), name);
  }

  /** Dynamic metadata of a namespace (a protobuf Struct as JSON), or null; none by default. */
  default JsonNode dynamicMetadata(String namespace) {
    return null;
  }

  /** Whether the client presented a TLS certificate. */
  default boolean peerCertificatePresented() {
    return false;
  }

  /** Whether the client's TLS certificate was validated. */
  default boolean peerCertificateValidated() {
    return false;
  }
}
