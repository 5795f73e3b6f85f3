package io.sluice.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.sluice.route.MutableHeaders;
import io.sluice.route.RouteRequest;

/**
 * The request being proxied, seen as the routing core sees one: Netty's {@link HttpRequest} with
 * the pseudo-headers {@code :authority}, {@code :path}, {@code :method} and {@code :scheme}. Route
 * decisions rewrite it in place ({@link MutableHeaders}); the same object is then sent upstream,
 * with {@code :path} as the request target and {@code :authority} as {@code Host}.
 *
 * <p>An absolute-form target ({@code GET http://bb:8080/x}, a client using Sluice as its HTTP
 * proxy) is turned into origin form, its authority replacing {@code Host} as RFC 9112 requires.
 */
final class ProxiedRequest implements RouteRequest, MutableHeaders {
  private final HttpRequest request;
  private final String scheme;
  private String authority;
  private String path;

  ProxiedRequest(HttpRequest request, String scheme) {
    this.request = request;
    this.scheme = scheme;
    String uri = request.uri();
    int authorityStart = absoluteFormAuthorityStart(uri);
    if (authorityStart > 0) {
      int slash = uri.indexOf('/', authorityStart);
      int query = uri.indexOf('?', authorityStart);
      int end = slash < 0 ? (query < 0 ? uri.length() : query) : (query >= 0 && query < slash ? query : slash);
      this.authority = uri.substring(authorityStart, end);
      String rest = uri.substring(end);
      this.path = rest.startsWith("/") ? rest : "/" + rest;
      request.setUri(path);
      request.headers().set(HttpHeaderNames.HOST, authority);
    } else {
      this.authority = request.headers().get(HttpHeaderNames.HOST);
      this.path = uri;
    }
  }

  /** Where the authority of {@code http://host/...} starts, or -1 for an origin-form target. */
  static int absoluteFormAuthorityStart(String uri) {
    if (uri.isEmpty() || uri.charAt(0) == '/') {
      return -1;
    }
    if (uri.regionMatches(true, 0, "http://", 0, 7)) {
      return 7;
    }
    if (uri.regionMatches(true, 0, "https://", 0, 8)) {
      return 8;
    }
    return -1;
  }

  /** The Netty request, as it will be sent upstream. */
  HttpRequest netty() {
    return request;
  }

  @Override
  public String authority() {
    return authority;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String method() {
    return request.method().name();
  }

  @Override
  public String get(String name) {
    if (!name.isEmpty() && name.charAt(0) == ':') {
      return pseudo(name);
    }
    return HeaderValues.joined(request.headers(), name);
  }

  @Override
  public String first(String name) {
    if (!name.isEmpty() && name.charAt(0) == ':') {
      return pseudo(name);
    }
    return request.headers().get(name);
  }

  @Override
  public int count(String name) {
    if (!name.isEmpty() && name.charAt(0) == ':') {
      return pseudo(name) == null ? 0 : 1;
    }
    return HeaderValues.count(request.headers(), name);
  }

  private String pseudo(String name) {
    return switch (name) {
      case ":authority" -> authority;
      case ":path" -> path;
      case ":method" -> request.method().name();
      case ":scheme" -> scheme;
      default -> null;
    };
  }

  @Override
  public void add(String name, String value) {
    if (!setPseudo(name, value)) {
      request.headers().add(name, value);
    }
  }

  @Override
  public void set(String name, String value) {
    if (!setPseudo(name, value)) {
      request.headers().set(name, value);
    }
  }

  @Override
  public void remove(String name) {
    if (name.isEmpty() || name.charAt(0) != ':') {
      request.headers().remove(name);
    }
  }

  private boolean setPseudo(String name, String value) {
    if (name.isEmpty() || name.charAt(0) != ':') {
      return false;
    }
    switch (name) {
      case ":authority" -> {
        authority = value;
        request.headers().set(HttpHeaderNames.HOST, value);
      }
      case ":path" -> {
        path = value;
        request.setUri(value);
      }
      default -> {
        // :method and :scheme are never rewritten by routing.
      }
    }
    return true;
  }
}
