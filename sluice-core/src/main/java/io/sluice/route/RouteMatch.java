package io.sluice.route;

import io.sluice.runtime.FractionalPercent;
import io.sluice.runtime.Runtime;
import java.util.List;

/**
 * A route's {@code match}: path specifier, headers, query parameters, gRPC, runtime fraction, TLS
 * context and dynamic metadata. All conditions must hold.
 *
 * @param path the path specifier
 * @param headers header matchers
 * @param queryParameters query parameter matchers
 * @param grpc whether only gRPC requests match
 * @param runtimeKey the {@code runtime_fraction} key, or null
 * @param runtimeDefault the {@code runtime_fraction} default, or null when there is none
 * @param tlsPresented required certificate presence, or null
 * @param tlsValidated required certificate validation, or null
 * @param dynamicMetadata dynamic metadata matchers
 */
public record RouteMatch(
    PathMatcher path,
    List<HeaderMatcher> headers,
    List<QueryParameterMatcher> queryParameters,
    boolean grpc,
    String runtimeKey,
    FractionalPercent runtimeDefault,
    Boolean tlsPresented,
    Boolean tlsValidated,
    List<MetadataMatcher> dynamicMetadata) {

  public RouteMatch {
    headers = List.copyOf(headers);
    queryParameters = List.copyOf(queryParameters);
    dynamicMetadata = List.copyOf(dynamicMetadata);
  }

  /**
   * Whether the request matches. The conditions are independent, so the order only saves work:
   * the path first, the runtime fraction (a map lookup) after the cheap checks.
   */
  public boolean matches(RouteRequest request, long randomValue, Runtime runtime) {
    if (!path.matches(request.path(), request.method())) {
      return false;
    }
    if (grpc && !isGrpc(request.first("content-type"))) {
      return false;
    }
    for (int i = 0, n = headers.size(); i < n; i++) {
      if (!headers.get(i).matches(request)) {
        return false;
      }
    }
    for (int i = 0, n = queryParameters.size(); i < n; i++) {
      if (!queryParameters.get(i).matches(request)) {
        return false;
      }
    }
    if (tlsPresented != null && tlsPresented != request.peerCertificatePresented()) {
      return false;
    }
    if (tlsValidated != null && tlsValidated != request.peerCertificateValidated()) {
      return false;
    }
    for (int i = 0, n = dynamicMetadata.size(); i < n; i++) {
      if (!dynamicMetadata.get(i).matches(request)) {
        return false;
      }
    }
    return runtimeDefault == null || runtime.featureEnabled(runtimeKey, runtimeDefault, randomValue);
  }

  /** Envoy's gRPC test: {@code application/grpc} exactly, or followed by {@code +}. */
  static boolean isGrpc(String contentType) {
    if (contentType == null || !contentType.startsWith("application/grpc")) {
      return false;
    }
    return contentType.length() == 16 || contentType.charAt(16) == '+';
  }
}
