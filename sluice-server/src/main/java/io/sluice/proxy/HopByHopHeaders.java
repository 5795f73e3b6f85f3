package io.sluice.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Removes the hop-by-hop headers (RFC 9110 section 7.6.1) that belong to one connection and must
 * not be forwarded: {@code Connection} and every header it names, {@code Keep-Alive}, {@code
 * Proxy-Connection}, {@code TE}, {@code Trailer}, {@code Upgrade}, {@code Proxy-Authenticate} and
 * {@code Proxy-Authorization}. {@code Transfer-Encoding} is left to the codec, which frames each
 * side's body itself.
 *
 * <p>{@code Connection} cannot remove the headers that frame the message or say where it goes
 * ({@code Content-Length}, {@code Transfer-Encoding}, {@code Host}): {@code Connection:
 * content-length} would otherwise send the body on without its length, and the next hop would
 * read it as a second request.
 */
final class HopByHopHeaders {
  private static final List<CharSequence> ALWAYS =
      List.of(
          HttpHeaderNames.KEEP_ALIVE,
          HttpHeaderNames.PROXY_CONNECTION,
          HttpHeaderNames.TE,
          HttpHeaderNames.TRAILER,
          HttpHeaderNames.UPGRADE,
          HttpHeaderNames.PROXY_AUTHENTICATE,
          HttpHeaderNames.PROXY_AUTHORIZATION);

  private HopByHopHeaders() {}

  /** Strips the hop-by-hop headers from {@code headers}. */
  static void remove(HttpHeaders headers) {
    if (!anyHopByHop(headers)) {
      // Most messages have none (a client's request) or only Connection: one pass over the
      // names instead of a removal, a hash and a list per name.
      return;
    }
    List<String> connection = headers.getAll(HttpHeaderNames.CONNECTION);
    if (!connection.isEmpty()) {
      for (String value : connection) {
        for (String token : value.split(",")) {
          String name = token.trim();
          if (!name.isEmpty() && !isFraming(name)) {
            headers.remove(name);
          }
        }
      }
      headers.remove(HttpHeaderNames.CONNECTION);
    }
    for (CharSequence name : ALWAYS) {
      headers.remove(name);
    }
  }

  /** Whether a header is {@code Connection} or one of {@link #ALWAYS}. */
  private static boolean anyHopByHop(HttpHeaders headers) {
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
      CharSequence name = it.next().getKey();
      switch (name.length()) {
        case 2, 7, 10, 16, 18, 19 -> {
          if (HttpHeaderNames.CONNECTION.contentEqualsIgnoreCase(name)) {
            return true;
          }
          for (int i = 0, n = ALWAYS.size(); i < n; i++) {
            if (AsciiString.contentEqualsIgnoreCase(ALWAYS.get(i), name)) {
              return true;
            }
          }
        }
        default -> {}
      }
    }
    return false;
  }

  private static boolean isFraming(String name) {
    return HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
        || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)
        || HttpHeaderNames.HOST.contentEqualsIgnoreCase(name);
  }
}
