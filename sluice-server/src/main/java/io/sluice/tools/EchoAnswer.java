package io.sluice.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The answer of a backend in echo mode: a JSON document describing the request it received (name,
 * port, method, uri, path, query, host, protocol, headers by lower-case name, body size), with the
 * response headers the request asked for in {@code X-Echo-Set-Header: Name:value,Name2:value2}, and
 * after the delay it asked for in {@code ?delay=1s}. A malformed ask is answered 400 saying why.
 */
final class EchoAnswer {
  static final String SET_HEADER = "x-echo-set-header";
  private static final JsonFactory JSON = new JsonFactory();

  /** The bytes to write, and the delay the request asked for in nanoseconds, or -1 for the backend's own. */
  record Answer(ByteBuf bytes, long delayNanos) {}

  private EchoAnswer() {}

  static Answer build(ByteBufAllocator alloc, String name, int port, HttpRequest request, long bodyBytes, boolean fail,
      boolean head, ResponseBytes.Connection connection) {
    Target target = Target.of(request);
    List<Map.Entry<String, String>> setHeaders;
    long delay = -1;
    try {
      setHeaders = headersToSet(request.headers().getAll(SET_HEADER));
      List<String> delays = new QueryStringDecoder(target.query, StandardCharsets.UTF_8, false).parameters().get("delay");
      if (delays != null && !delays.isEmpty()) {
        try {
          delay = DurationText.parse(delays.get(delays.size() - 1)).toNanos();
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("delay: " + e.getMessage());
        }
      }
    } catch (IllegalArgumentException e) {
      byte[] body = (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
      return new Answer(
          ResponseBytes.encode(alloc, 400, "text/plain; charset=utf-8", List.of(), body, head, connection), -1);
    }
    String host = target.authority != null ? target.authority : request.headers().get("host");
    byte[] body = document(name, port, request, target, host, bodyBytes);
    return new Answer(
        ResponseBytes.encode(alloc, fail ? 500 : 200, "application/json", setHeaders, body, head, connection), delay);
  }

  private static byte[] document(String name, int port, HttpRequest r, Target target, String host, long bodyBytes) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : r.headers()) {
      headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("name", name);
      g.writeNumberField("port", port);
      g.writeStringField("method", r.method().name());
      g.writeStringField("uri", r.uri());
      g.writeStringField("path", target.path);
      g.writeStringField("query", target.query);
      if (host == null) {
        g.writeNullField("host");
      } else {
        g.writeStringField("host", host);
      }
      g.writeStringField("protocol", r.protocolVersion().text());
      g.writeObjectFieldStart("headers");
      for (Map.Entry<String, List<String>> h : headers.entrySet()) {
        g.writeArrayFieldStart(h.getKey());
        for (String v : h.getValue()) {
          g.writeString(v);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
      g.writeNumberField("bodyBytes", bodyBytes);
      g.writeEndObject();
      g.writeRaw('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * The headers {@code X-Echo-Set-Header} values ask for: {@code Name:value} items separated by
   * commas (so a value cannot hold a comma), names HTTP tokens, values trimmed.
   */
  static List<Map.Entry<String, String>> headersToSet(List<String> values) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (String value : values) {
      for (String item : value.split(",")) {
        if (item.isBlank()) {
          continue;
        }
        int colon = item.indexOf(':');
        String n = colon < 0 ? "" : item.substring(0, colon).strip();
        if (colon < 0 || !isToken(n)) {
          throw new IllegalArgumentException(
              "X-Echo-Set-Header: expected Name:value items separated by commas, got '" + item.strip() + "'");
        }
        String v = item.substring(colon + 1).strip();
        for (int i = 0; i < v.length(); i++) {
          char c = v.charAt(i);
          if (c > 0xff || (c < 0x20 && c != '\t') || c == 0x7f) {
            throw new IllegalArgumentException("X-Echo-Set-Header: the value of " + n + " has a control character");
          }
        }
        out.add(Map.entry(n, v));
      }
    }
    return out;
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The request target split up: the authority of an absolute-form target, the path and the raw query. */
  private record Target(String authority, String path, String query) {
    static Target of(HttpRequest r) {
      String uri = r.uri();
      String authority = null;
      int schemeEnd = uri.indexOf("://");
      if (schemeEnd > 0 && !uri.startsWith("/")) {
        int start = schemeEnd + 3;
        int end = start;
        while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
          end++;
        }
        authority = uri.substring(start, end);
        uri = end < uri.length() ? uri.substring(end) : "/";
        if (uri.startsWith("?")) {
          uri = "/" + uri;
        }
      }
      int hash = uri.indexOf('#');
      if (hash >= 0) {
        uri = uri.substring(0, hash);
      }
      int q = uri.indexOf('?');
      return q < 0
          ? new Target(authority, uri, "")
          : new Target(authority, uri.substring(0, q), uri.substring(q + 1));
    }
  }
}
