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

  /** The bit of {@code Connection} in what {@link #scan} finds; bits 0 to 6 are {@link #ALWAYS}'s. */
  private static final int CONNECTION = 1 << 7;
  /** More than one {@code Connection} header. */
  private static final int CONNECTION_REPEATED = 1 << 8;
  /** A header named {@code close}, which {@code Connection: close} names too. */
  private static final int NAMED_CLOSE = 1 << 9;

  /** Strips the hop-by-hop headers from {@code headers}. */
  static void remove(HttpHeaders headers) {
    int found = scan(headers);
    if (found == 0) {
      // Most requests have none: one pass over the names, no removal, hash or list.
      return;
    }
    if ((found & CONNECTION) != 0) {
      if ((found & CONNECTION_REPEATED) == 0) {
        removeNamedBy(headers, headers.get(HttpHeaderNames.CONNECTION), found);
      } else {
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
          removeNamedBy(headers, value, found);
        }
      }
      headers.remove(HttpHeaderNames.CONNECTION);
    }
    for (int i = 0, n = ALWAYS.size(); i < n; i++) {
      if ((found & (1 << i)) != 0) {
        headers.remove(ALWAYS.get(i));
      }
    }
  }

  /** Removes the headers one {@code Connection} value names. */
  private static void removeNamedBy(HttpHeaders headers, String value, int found) {
    String v = value.trim();
    if (v.equalsIgnoreCase("keep-alive")) {
      // Names Keep-Alive, which goes anyway (the commonest value, from upstreams).
      return;
    }
    if (v.equalsIgnoreCase("close")) {
      if ((found & NAMED_CLOSE) != 0) {
        headers.remove("close");
      }
      return;
    }
    for (String token : value.split(",")) {
      String name = token.trim();
      if (!name.isEmpty() && !isFraming(name)) {
        headers.remove(name);
      }
    }
  }

  /**
   * Which hop-by-hop headers {@code headers} has: bit i for {@code ALWAYS[i]}, {@link
   * #CONNECTION}, {@link #CONNECTION_REPEATED}, {@link #NAMED_CLOSE}; 0 when none.
   */
  private static int scan(HttpHeaders headers) {
    int found = 0;
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
      CharSequence name = it.next().getKey();
      switch (name.length()) {
        case 2, 7, 10, 16, 18, 19 -> {
          if (HttpHeaderNames.CONNECTION.contentEqualsIgnoreCase(name)) {
            found |= (found & CONNECTION) != 0 ? CONNECTION_REPEATED : CONNECTION;
            continue;
          }
          for (int i = 0, n = ALWAYS.size(); i < n; i++) {
            if (AsciiString.contentEqualsIgnoreCase(ALWAYS.get(i), name)) {
              found |= 1 << i;
              break;
            }
          }
        }
        case 5 -> {
          if (AsciiString.contentEqualsIgnoreCase("close", name)) {
            found |= NAMED_CLOSE;
          }
        }
        default -> {}
      }
    }
    // A header named close matters only when Connection names it.
    return (found & ~NAMED_CLOSE) == 0 ? 0 : found;
  }

  private static boolean isFraming(String name) {
    return HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
        || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)
        || HttpHeaderNames.HOST.contentEqualsIgnoreCase(name);
  }
}
