package io.sluice.resource;

import io.sluice.route.FormatContext;
import io.sluice.route.Headers;

/** A fixed {@link FormatContext} for finalizing headers in tests. */
final class Contexts {
  private Contexts() {}

  static FormatContext of(Headers request) {
    return new FormatContext() {
      @Override
      public String downstreamRemoteAddress() {
        return "10.0.0.1:40000";
      }

      @Override
      public String downstreamLocalAddress() {
        return "127.0.0.1:4140";
      }

      @Override
      public String protocol() {
        return "HTTP/1.1";
      }

      @Override
      public Headers requestHeaders() {
        return request;
      }
    };
  }
}
