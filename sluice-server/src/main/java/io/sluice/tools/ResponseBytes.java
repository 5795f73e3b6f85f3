package io.sluice.tools;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Encodes a whole HTTP/1.1 response (status line, headers, body) into one buffer. The backend
 * writes bytes, not Netty response objects: its plain answers are encoded once per port and
 * written as duplicates of one buffer, which is what makes it as fast as nginx.
 */
final class ResponseBytes {
  /** The {@code Connection} header an answer carries. */
  enum Connection {
    /** None: HTTP/1.1 keeps the connection open by default. */
    DEFAULT,
    /** {@code connection: keep-alive}, for HTTP/1.0 clients that asked for it. */
    KEEP_ALIVE,
    /** {@code connection: close}; the backend closes the connection after writing. */
    CLOSE
  }

  static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private ResponseBytes() {}

  /**
   * The response's bytes. {@code head}: the headers describe the body (its length) but none is
   * written, as HEAD requires.
   */
  static ByteBuf encode(ByteBufAllocator alloc, int status, String contentType, List<Map.Entry<String, String>> extra,
      byte[] body, boolean head, Connection connection) {
    StringBuilder h = new StringBuilder(128);
    h.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    h.append("content-type: ").append(contentType).append("\r\n");
    h.append("content-length: ").append(body.length).append("\r\n");
    for (Map.Entry<String, String> e : extra) {
      h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
    }
    if (connection == Connection.KEEP_ALIVE) {
      h.append("connection: keep-alive\r\n");
    } else if (connection == Connection.CLOSE) {
      h.append("connection: close\r\n");
    }
    h.append("\r\n");
    // Header values are checked to be ISO-8859-1 without CR/LF before they get here.
    byte[] head8859 = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuf buf = alloc.buffer(head8859.length + (head ? 0 : body.length));
    buf.writeBytes(head8859);
    if (!head) {
      buf.writeBytes(body);
    }
    return buf;
  }

  static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 500 -> "Internal Server Error";
      default -> "Status " + status;
    };
  }
}
