package io.sluice.check;

import io.sluice.check.TestInput.HeaderEntry;
import io.sluice.route.DirectResponseAction;
import io.sluice.route.FormatContext;
import io.sluice.route.HeaderMap;
import io.sluice.route.HeaderMapRequest;
import io.sluice.route.RouteResult;
import io.sluice.route.RouteTable;

/**
 * A test's request after routing and header finalization, which is what every check compares
 * against.
 *
 * @param result the routing decision
 * @param request the request; its headers are finalized
 * @param responseHeaders the finalized response headers
 * @param clusterName the cluster chosen when routing (before finalization could change a {@code
 *     cluster_header}), or {@code ""} when not forwarding
 * @param location the URI of a redirect or direct response (Envoy's {@code newUri}), else {@code ""}
 */
record RoutedTest(
    RouteResult result, HeaderMapRequest request, HeaderMap responseHeaders, String clusterName, String location) {

  /** Builds the request of {@code input}, routes it through {@code table} and finalizes the headers. */
  static RoutedTest route(RouteTable table, TestInput input) {
    HeaderMap headers = new HeaderMap();
    headers.add(":authority", input.authority());
    headers.add(":path", input.path());
    headers.add(":method", input.method());
    String scheme = input.ssl() ? "https" : "http";
    headers.add("x-forwarded-proto", scheme);
    headers.add(":scheme", scheme);
    if (input.internal()) {
      headers.add("x-envoy-internal", "true");
    }
    for (HeaderEntry h : input.additionalRequestHeaders()) {
      headers.add(h.key(), h.value());
    }
    HeaderMap response = new HeaderMap();
    for (HeaderEntry h : input.additionalResponseHeaders()) {
      response.add(h.key(), h.value());
    }
    HeaderMapRequest request = new HeaderMapRequest(headers, DynamicMetadata.of(input.dynamicMetadata()).untyped());
    RouteResult result = table.route(request, input.routingRandomValue(), new TestRuntime(input.runtime()));
    String cluster = result.kind() == RouteResult.Kind.FORWARD ? result.clusterName(request) : "";
    FormatContext ctx = new TestFormatContext(headers, response);
    String location = "";
    switch (result.kind()) {
      case FORWARD -> {
        result.finalizeRequestHeaders(headers, ctx, true);
        result.finalizeResponseHeaders(response, ctx);
      }
      case REDIRECT, DIRECT_RESPONSE -> {
        // A redirect's own path rewrite applies to :path first; the location is built from it.
        result.finalizeRequestHeaders(headers, ctx, true);
        location = result.location(request);
        addLocalReplyHeaders(result, response);
        result.finalizeResponseHeaders(response, ctx);
      }
      case NO_ROUTE -> {}
    }
    return new RoutedTest(result, request, response, cluster == null ? "" : cluster, location);
  }

  /**
   * The headers of Envoy's local reply: {@code :status}, and for a non-empty body its length and
   * {@code content-type: text/plain}. The tool builds no {@code location} header.
   */
  private static void addLocalReplyHeaders(RouteResult result, HeaderMap response) {
    response.set(":status", Integer.toString(result.responseCode()));
    DirectResponseAction direct = result.directResponse();
    if (direct != null && direct.bodyLength() > 0) {
      response.set("content-length", Integer.toString(direct.bodyLength()));
      response.set("content-type", "text/plain");
    }
  }

  /** Whether the decision forwards to a cluster (Envoy: a route entry). */
  boolean isRouteEntry() {
    return result.kind() == RouteResult.Kind.FORWARD;
  }

  /** Whether the decision is a redirect or direct response (Envoy: a direct-response entry). */
  boolean isDirectResponse() {
    return result.kind() == RouteResult.Kind.REDIRECT || result.kind() == RouteResult.Kind.DIRECT_RESPONSE;
  }
}
