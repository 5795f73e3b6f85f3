package io.sluice.route;

/**
 * A route's {@code redirect} action.
 *
 * @param scheme the new scheme ({@code https_redirect} gives {@code https}), or null
 * @param host the new host, or null
 * @param port the new port, or 0
 * @param pathRedirect the new path, or null
 * @param prefixRewrite replaces the matched prefix, or null
 * @param regexRewrite rewrites the path, or null
 * @param responseCode 301, 302, 303, 307 or 308
 * @param stripQuery whether the query string is dropped
 */
public record RedirectAction(
    String scheme,
    String host,
    int port,
    String pathRedirect,
    String prefixRewrite,
    RegexRewrite regexRewrite,
    int responseCode,
    boolean stripQuery) {

  /** The {@code require_tls} redirect: https, same host and path, 301. */
  static final RedirectAction TLS = new RedirectAction("https", null, 0, null, null, null, 301, false);

  /** Envoy's {@code RedirectResponseCode} values, in protobuf number order. */
  enum Code {
    MOVED_PERMANENTLY(301),
    FOUND(302),
    SEE_OTHER(303),
    TEMPORARY_REDIRECT(307),
    PERMANENT_REDIRECT(308);

    final int status;

    Code(int status) {
      this.status = status;
    }
  }

  /**
   * The redirect URI for a request, as Envoy's {@code Http::Utility::newUri} builds it. {@code
   * path} is the request's {@code :path} after this redirect's prefix or regex rewrite.
   */
  public String location(String requestScheme, String forwardedProto, String authority, String path) {
    return newUri(this, requestScheme, forwardedProto, authority, path);
  }

  /**
   * Envoy's {@code newUri}: the scheme is the redirect's, else the request's; the host is the
   * redirect's, else the request's with its port dropped when a new port is given or when the
   * scheme changes away from the port that scheme implies ({@code :80} for http, {@code :443} for
   * https); a path redirect keeps the request's query unless it has its own; {@code strip_query}
   * drops the query.
   */
  static String newUri(
      RedirectAction r, String requestScheme, String forwardedProto, String authority, String path) {
    String scheme = r != null && r.scheme != null ? r.scheme : requestScheme;
    String port = r != null && r.port != 0 ? ":" + r.port : "";
    String host;
    if (r != null && r.host != null) {
      host = r.host;
    } else {
      host = processRequestHost(authority == null ? "" : authority, scheme, forwardedProto, port);
    }
    String finalPath;
    boolean pathHasQuery = false;
    String current = path == null ? "" : path;
    if (r != null && r.pathRedirect != null) {
      pathHasQuery = r.pathRedirect.indexOf('?') >= 0;
      if (pathHasQuery) {
        finalPath = r.pathRedirect;
      } else {
        int q = current.indexOf('?');
        finalPath = q >= 0 ? r.pathRedirect + current.substring(q) : r.pathRedirect;
      }
    } else {
      finalPath = current;
    }
    if (!finalPath.startsWith("/")) {
      finalPath = "/" + finalPath;
    }
    if (r != null && r.stripQuery && !pathHasQuery) {
      int q = finalPath.indexOf('?');
      if (q >= 0) {
        finalPath = finalPath.substring(0, q);
      }
    }
    return scheme + "://" + host + port + finalPath;
  }

  private static String processRequestHost(String host, String newScheme, String forwardedProto, String newPort) {
    if (host.isEmpty()) {
      return host;
    }
    int portStart;
    if (host.charAt(0) == '[') {
      portStart = host.lastIndexOf("]:");
      if (portStart >= 0) {
        portStart += 1;
      }
    } else {
      portStart = host.lastIndexOf(':');
    }
    if (portStart < 0) {
      return host;
    }
    String requestPort = host.substring(portStart);
    boolean remove = !newPort.isEmpty();
    if (!newScheme.equals(forwardedProto)) {
      remove |= "https".equals(forwardedProto) && requestPort.equals(":443");
      remove |= "http".equals(forwardedProto) && requestPort.equals(":80");
    }
    return remove ? host.substring(0, portStart) : host;
  }
}
