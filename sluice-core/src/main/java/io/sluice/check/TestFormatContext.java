package io.sluice.check;

import io.sluice.route.FormatContext;
import io.sluice.route.Headers;

/**
 * What header formatters see in a route check: Envoy's tool runs with a mock stream whose client
 * is {@code 127.0.0.1} (port 0) and local address {@code 127.0.0.2}, over HTTP/1.1.
 */
final class TestFormatContext implements FormatContext {
  private final Headers request;
  private final Headers response;

  TestFormatContext(Headers request, Headers response) {
    this.request = request;
    this.response = response;
  }

  @Override
  public String downstreamRemoteAddress() {
    return "127.0.0.1:0";
  }

  @Override
  public String downstreamLocalAddress() {
    return "127.0.0.2:0";
  }

  @Override
  public String protocol() {
    return "HTTP/1.1";
  }

  @Override
  public Headers requestHeaders() {
    return request;
  }

  @Override
  public Headers responseHeaders() {
    return response;
  }
}
