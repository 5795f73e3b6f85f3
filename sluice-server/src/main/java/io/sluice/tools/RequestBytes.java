package io.sluice.tools;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * A load's request, encoded once: every request of a load is the same bytes, written as a
 * duplicate of one read-only buffer. Through a proxy the target is in absolute form ({@code GET
 * http://bb:8080/ HTTP/1.1}), as HTTP proxies expect; otherwise in origin form ({@code GET /}).
 */
final class RequestBytes {
  private RequestBytes() {}

  /** The request line and headers (and body) as text, for tests and {@code --verbose} output. */
  static String text(LoadOptions o) {
    StringBuilder sb = new StringBuilder(256);
    sb.append(o.method()).append(' ').append(target(o)).append(" HTTP/1.1\r\n");
    sb.append("host: ").append(o.host() != null ? o.host() : o.url().getRawAuthority()).append("\r\n");
    boolean userAgent = false;
    for (Map.Entry<String, String> h : o.headers()) {
      userAgent |= h.getKey().toLowerCase(Locale.ROOT).equals("user-agent");
      sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    if (!userAgent) {
      sb.append("user-agent: sluice-load\r\n");
    }
    if (o.body() != null) {
      sb.append("content-length: ").append(o.body().length).append("\r\n");
    }
    sb.append("\r\n");
    return sb.toString();
  }

  /** The whole request, shared: write {@code duplicate()}s of it. */
  static ByteBuf encode(LoadOptions o) {
    byte[] head = text(o).getBytes(StandardCharsets.ISO_8859_1);
    byte[] body = o.body() == null ? new byte[0] : o.body();
    ByteBuf b = Unpooled.directBuffer(head.length + body.length).writeBytes(head).writeBytes(body);
    return Unpooled.unreleasableBuffer(b.asReadOnly());
  }

  /** The request target: absolute form through a proxy, else the URL's path and query. */
  static String target(LoadOptions o) {
    String path = o.url().getRawPath();
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    String query = o.url().getRawQuery();
    String originForm = query == null ? path : path + "?" + query;
    if (o.proxy() == null) {
      return originForm;
    }
    return o.url().getScheme().toLowerCase(Locale.ROOT) + "://" + o.url().getRawAuthority() + originForm;
  }
}
