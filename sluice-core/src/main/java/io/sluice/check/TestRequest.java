package io.sluice.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.route.HeaderMap;
import io.sluice.route.RouteRequest;

/**
 * The request a test routes: its header map (which finalization then rewrites in place) and its
 * dynamic metadata.
 */
final class TestRequest implements RouteRequest {
  private final HeaderMap headers;
  private final DynamicMetadata metadata;

  TestRequest(HeaderMap headers, DynamicMetadata metadata) {
    this.headers = headers;
    this.metadata = metadata;
  }

  HeaderMap headers() {
    return headers;
  }

  @Override
  public String get(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }

  @Override
  public String first(String lowerCaseName) {
    return headers.first(lowerCaseName);
  }

  @Override
  public int count(String lowerCaseName) {
    return headers.count(lowerCaseName);
  }

  @Override
  public JsonNode dynamicMetadata(String namespace) {
    return metadata.namespace(namespace);
  }
}
