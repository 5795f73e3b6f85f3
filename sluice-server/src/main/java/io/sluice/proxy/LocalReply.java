package io.sluice.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.route.ForwardAction;
import java.nio.charset.StandardCharsets;

/**
 * Responses Sluice writes itself: errors (with Envoy's short plain-text bodies where Envoy has
 * one), redirects and direct responses.
 */
final class LocalReply {
  static final String NO_ROUTE = "no route matched this request\n";
  static final String NO_CLUSTER = "cluster not found\n";
  static final String NO_HEALTHY_UPSTREAM = "no healthy upstream\n";
  static final String OVERFLOW = "upstream connect error or disconnect/reset before headers. reset reason: overflow\n";
  static final String CONNECT_FAILURE =
      "upstream connect error or disconnect/reset before headers. reset reason: connection failure\n";
  static final String CONNECTION_TERMINATION =
      "upstream connect error or disconnect/reset before headers. reset reason: connection termination\n";
  static final String TIMEOUT = "upstream request timeout\n";
  static final String BAD_REQUEST = "bad request\n";

  private LocalReply() {}

  /**
   * The body for a cluster name the Gateway API compiler wrote for an unusable backend ({@code
   * sluice:invalid-backend:BackendNotFound:default/missing:8080} gives {@code invalid backend:
   * BackendNotFound:default/missing:8080}).
   */
  static String invalidBackend(String clusterName) {
    return "invalid backend: " + clusterName.substring(ForwardAction.INVALID_BACKEND_PREFIX.length()) + "\n";
  }

  /** A response with a plain-text body (none when {@code body} is empty). */
  static FullHttpResponse text(int status, String body) {
    return bytes(status, body.getBytes(StandardCharsets.UTF_8), true);
  }

  /**
   * A response with {@code body}; {@code content-type: text/plain} is set when the body is not
   * empty and {@code plainText} is true, as Envoy's local replies do.
   */
  static FullHttpResponse bytes(int status, byte[] body, boolean plainText) {
    ByteBuf content = body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), content);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    if (body.length > 0 && plainText) {
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
    }
    return r;
  }
}
