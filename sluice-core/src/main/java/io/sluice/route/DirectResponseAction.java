package io.sluice.route;

import java.nio.charset.StandardCharsets;

/** A route's {@code direct_response}: a fixed status and body answered without forwarding. */
public final class DirectResponseAction {
  private final int status;
  private final byte[] body;

  DirectResponseAction(int status, byte[] body) {
    this.status = status;
    this.body = body.clone();
  }

  /** The status code (200..599). */
  public int status() {
    return status;
  }

  /** A copy of the body bytes. */
  public byte[] body() {
    return body.clone();
  }

  /** The body length in bytes. */
  public int bodyLength() {
    return body.length;
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
