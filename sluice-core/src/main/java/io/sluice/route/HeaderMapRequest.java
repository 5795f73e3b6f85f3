package io.sluice.route;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A {@link RouteRequest} over a {@link HeaderMap}, for requests that exist only as headers: the
 * route checker's test inputs, the admin route explanation, tests. Rewrites made through {@link
 * #headers()} are seen by later reads.
 */
public final class HeaderMapRequest implements RouteRequest {
  private final HeaderMap headers;
  private final Map<String, JsonNode> dynamicMetadata;

  /** A request with these headers and no dynamic metadata. */
  public HeaderMapRequest(HeaderMap headers) {
    this(headers, Map.of());
  }

  /** A request with these headers and dynamic metadata by namespace. */
  public HeaderMapRequest(HeaderMap headers, Map<String, JsonNode> dynamicMetadata) {
    this.headers = headers;
    this.dynamicMetadata = Map.copyOf(dynamicMetadata);
  }

  /**
   * A request for {@code method authority path} with extra headers given as name, value pairs;
   * {@code x-forwarded-proto} is {@code http} unless given.
   */
  public static HeaderMapRequest of(String method, String authority, String path, String... nameValues) {
    if (nameValues.length % 2 != 0) {
      throw new IllegalArgumentException("headers must be name, value pairs");
    }
    HeaderMap h = new HeaderMap();
    h.add(":authority", authority);
    h.add(":path", path);
    h.add(":method", method);
    for (int i = 0; i < nameValues.length; i += 2) {
      h.add(nameValues[i], nameValues[i + 1]);
    }
    if (!h.contains("x-forwarded-proto")) {
      h.add("x-forwarded-proto", "http");
    }
    return new HeaderMapRequest(h);
  }

  /** The underlying headers, mutable. */
  public HeaderMap headers() {
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
    return dynamicMetadata.get(namespace);
  }
}
