package io.sluice.proxy;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * Netty's response encoder, told when the response answers a HEAD request: such a response has no
 * body whatever its headers say, so no terminating chunk may be written for it. (Netty's
 * HttpServerCodec tracks this itself, but Sluice uses its own decoder, so the handler sets it.)
 */
final class ResponseEncoder extends HttpResponseEncoder {
  private boolean headRequest;

  /** Sets whether the response being written answers a HEAD request. */
  void answeringHead(boolean head) {
    this.headRequest = head;
  }

  @Override
  protected boolean isContentAlwaysEmpty(HttpResponse msg) {
    return headRequest || super.isContentAlwaysEmpty(msg);
  }
}
