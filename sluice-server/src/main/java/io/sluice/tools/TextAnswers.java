package io.sluice.tools;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A backend's plain answers on one port: its text and a newline, with status 200 or, for the
 * requests chosen to fail, 500. The common case (HTTP/1.1, keep-alive, not HEAD) is encoded once
 * and written as a duplicate of a shared read-only buffer; the rest is encoded per request.
 */
final class TextAnswers {
  private static final String CONTENT_TYPE = "text/plain; charset=utf-8";

  private final byte[] body;
  private final ByteBuf ok;
  private final ByteBuf failed;

  TextAnswers(String text) {
    this.body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    this.ok = shared(200);
    this.failed = shared(500);
  }

  private ByteBuf shared(int status) {
    ByteBuf b = ResponseBytes.encode(ByteBufAllocator.DEFAULT, status, CONTENT_TYPE, List.of(), body, false,
        ResponseBytes.Connection.DEFAULT);
    ByteBuf direct = Unpooled.directBuffer(b.readableBytes()).writeBytes(b);
    b.release();
    return Unpooled.unreleasableBuffer(direct.asReadOnly());
  }

  /** The answer's bytes; the caller writes them (writing releases them). */
  ByteBuf answer(ByteBufAllocator alloc, boolean fail, boolean head, ResponseBytes.Connection connection) {
    if (!head && connection == ResponseBytes.Connection.DEFAULT) {
      return (fail ? failed : ok).duplicate();
    }
    return ResponseBytes.encode(alloc, fail ? 500 : 200, CONTENT_TYPE, List.of(), body, head, connection);
  }
}
