package io.sluice.route;

import java.time.Duration;
import java.util.List;

/**
 * The routing decision for one request, built once per route outcome when the table is compiled:
 * forward to a cluster, redirect, answer directly, or no route. The data plane executes it; the
 * route checker and the admin explanation read it; all three call the same methods, so a decision
 * shown is the decision taken.
 */
public final class RouteResult {

  /** What the proxy does with the request. */
  public enum Kind {
    /** Forward to an upstream cluster. */
    FORWARD,
    /** Answer with a redirect ({@code redirect} action or {@code require_tls}). */
    REDIRECT,
    /** Answer with a fixed status and body ({@code direct_response}). */
    DIRECT_RESPONSE,
    /** No virtual host or no route matched: 404. */
    NO_ROUTE
  }

  /** The decision when nothing matched: 404, response flag {@code NR}. */
  public static final RouteResult NO_ROUTE =
      new RouteResult(Kind.NO_ROUTE, null, null, null, null, null, new HeaderMutations[0], new HeaderMutations[0]);

  private static final HeaderMutations[] NONE = new HeaderMutations[0];

  private final Kind kind;
  private final VirtualHost virtualHost;
  private final Route route;
  private final WeightedCluster weightedCluster;
  private final RedirectAction redirect;
  private final DirectResponseAction directResponse;
  private final HeaderMutations[] requestChain;
  private final HeaderMutations[] responseChain;

  private RouteResult(
      Kind kind,
      VirtualHost virtualHost,
      Route route,
      WeightedCluster weightedCluster,
      RedirectAction redirect,
      DirectResponseAction directResponse,
      HeaderMutations[] requestChain,
      HeaderMutations[] responseChain) {
    this.kind = kind;
    this.virtualHost = virtualHost;
    this.route = route;
    this.weightedCluster = weightedCluster;
    this.redirect = redirect;
    this.directResponse = directResponse;
    this.requestChain = requestChain;
    this.responseChain = responseChain;
  }

  static RouteResult forward(Route route, WeightedCluster entry, HeaderMutations[] request, HeaderMutations[] response) {
    return new RouteResult(Kind.FORWARD, route.virtualHost(), route, entry, null, null, request, response);
  }

  static RouteResult redirect(Route route, RedirectAction redirect, HeaderMutations[] response) {
    return new RouteResult(Kind.REDIRECT, route.virtualHost(), route, null, redirect, null, NONE, response);
  }

  static RouteResult directResponse(Route route, DirectResponseAction direct, HeaderMutations[] response) {
    return new RouteResult(Kind.DIRECT_RESPONSE, route.virtualHost(), route, null, null, direct, NONE, response);
  }

  /** The {@code require_tls} redirect of a virtual host: no route, no header changes. */
  static RouteResult tlsRedirect(VirtualHost virtualHost) {
    return new RouteResult(Kind.REDIRECT, virtualHost, null, null, RedirectAction.TLS, null, NONE, NONE);
  }

  /** What to do. */
  public Kind kind() {
    return kind;
  }

  /** The virtual host chosen, or null for {@link Kind#NO_ROUTE}. */
  public VirtualHost virtualHost() {
    return virtualHost;
  }

  /** The route chosen, or null ({@link Kind#NO_ROUTE} and {@code require_tls} redirects). */
  public Route route() {
    return route;
  }

  /** The route's name, or {@code ""}. */
  public String routeName() {
    return route == null ? "" : route.name();
  }

  /** The weighted cluster entry picked, or null. */
  public WeightedCluster weightedCluster() {
    return weightedCluster;
  }

  /** The forward action, or null when not forwarding. */
  public ForwardAction forward() {
    return kind == Kind.FORWARD ? route.forward() : null;
  }

  /**
   * The cluster to forward to, or null when not forwarding. For {@code cluster_header} it is the
   * header's first value, {@code ""} when the header is absent (the proxy then answers {@link
   * #clusterNotFoundCode()}).
   */
  public String clusterName(Headers request) {
    if (kind != Kind.FORWARD) {
      return null;
    }
    if (weightedCluster != null) {
      return weightedCluster.clusterFor(request);
    }
    ForwardAction f = route.forward();
    if (f.clusterHeader() != null) {
      String v = request.first(f.clusterHeader());
      return v == null ? "" : v;
    }
    return f.cluster();
  }

  /** The status answered when the cluster does not exist: 503 unless configured. */
  public int clusterNotFoundCode() {
    ForwardAction f = forward();
    return f == null ? 503 : f.clusterNotFoundCode();
  }

  /** The upstream timeout (zero: none), or null when not forwarding. */
  public Duration timeout() {
    ForwardAction f = forward();
    return f == null ? null : f.timeout();
  }

  /**
   * The mirror policies for a forwarded request (see {@link Route#mirrorPolicies()}); empty when
   * not forwarding. Whether each one fires for a request is {@link MirrorPolicy#fires}.
   */
  public List<MirrorPolicy> mirrorPolicies() {
    return kind == Kind.FORWARD ? route.mirrorPolicies() : List.of();
  }

  /** The redirect, or null. */
  public RedirectAction redirect() {
    return redirect;
  }

  /** The direct response, or null. */
  public DirectResponseAction directResponse() {
    return directResponse;
  }

  /**
   * The status of a local answer: the redirect code, the direct response status, or 404 for no
   * route; 0 when forwarding.
   */
  public int responseCode() {
    return switch (kind) {
      case REDIRECT -> redirect.responseCode();
      case DIRECT_RESPONSE -> directResponse.status();
      case NO_ROUTE -> 404;
      case FORWARD -> 0;
    };
  }

  /** Envoy's response flag for the decision itself: {@code NR} for no route, else {@code ""}. */
  public String responseFlag() {
    return kind == Kind.NO_ROUTE ? "NR" : "";
  }

  /**
   * Applies the request side of the decision, in Envoy's order: the weighted entry's header
   * changes and host rewrite, then each level's header changes, then the route's host rewrite,
   * then its path rewrite. For a redirect only the redirect's path rewrite applies (its location is
   * built from the rewritten path).
   *
   * @param insertOriginalPath whether a rewritten path's old value is kept in {@code
   *     x-envoy-original-path}
   */
  public void finalizeRequestHeaders(MutableHeaders headers, FormatContext ctx, boolean insertOriginalPath) {
    switch (kind) {
      case FORWARD -> {
        if (weightedCluster != null) {
          weightedCluster.requestHeaders().apply(headers, ctx);
          if (weightedCluster.hostRewriteLiteral() != null) {
            headers.set(":authority", weightedCluster.hostRewriteLiteral());
          }
        }
        for (HeaderMutations m : requestChain) {
          m.apply(headers, ctx);
        }
        rewriteHost(headers, route.forward());
        ForwardAction f = route.forward();
        rewritePath(headers, f.prefixRewrite(), f.regexRewrite(), insertOriginalPath);
      }
      case REDIRECT -> {
        if (route != null) {
          rewritePath(headers, redirect.prefixRewrite(), redirect.regexRewrite(), insertOriginalPath);
        }
      }
      default -> {}
    }
  }

  /** Applies the response header changes: the weighted entry's first, then each level's. */
  public void finalizeResponseHeaders(MutableHeaders headers, FormatContext ctx) {
    if (weightedCluster != null) {
      weightedCluster.responseHeaders().apply(headers, ctx);
    }
    for (HeaderMutations m : responseChain) {
      m.apply(headers, ctx);
    }
  }

  /**
   * The URI of a local answer, as Envoy's {@code newUri} builds it from the request (after {@link
   * #finalizeRequestHeaders}): the redirect's location, or for a direct response the request's own
   * URL. Null when forwarding or when there is no route. A redirect or a 201/3xx direct response
   * sends it as {@code location}.
   */
  public String location(RouteRequest request) {
    if (kind != Kind.REDIRECT && kind != Kind.DIRECT_RESPONSE) {
      return null;
    }
    String scheme = request.first(":scheme");
    if (scheme == null) {
      scheme = request.forwardedProto();
    }
    if (redirect == RedirectAction.TLS) {
      // Envoy's SSL redirect keeps the authority (port included) and the whole path.
      return "https://" + nullToEmpty(request.authority()) + nullToEmpty(request.path());
    }
    return RedirectAction.newUri(redirect, scheme, request.forwardedProto(), request.authority(), request.path());
  }

  /** Whether a local answer with this status carries a {@code location} header. */
  public boolean sendsLocation() {
    int code = responseCode();
    return (kind == Kind.REDIRECT || kind == Kind.DIRECT_RESPONSE) && (code == 201 || (code >= 300 && code < 400));
  }

  /**
   * The virtual cluster of the request (Envoy matches it against the request headers): the first
   * whose headers all match, {@code other} when the virtual host has virtual clusters but none
   * matches, null when it has none or the decision is not a forward.
   */
  public String virtualClusterName(Headers request) {
    if (kind != Kind.FORWARD) {
      return null;
    }
    return virtualHost.virtualClusterName(request);
  }

  private static void rewriteHost(MutableHeaders headers, ForwardAction f) {
    String newHost = null;
    if (f.hostRewriteLiteral() != null) {
      newHost = f.hostRewriteLiteral();
    } else if (f.hostRewriteHeader() != null) {
      String v = headers.first(f.hostRewriteHeader());
      if (v != null && !v.isEmpty()) {
        newHost = v;
      }
    } else if (f.hostRewritePathRegex() != null) {
      String path = nullToEmpty(headers.first(":path"));
      String h = f.hostRewritePathRegex().apply(path.substring(0, PathMatcher.pathEnd(path)));
      if (!h.isEmpty()) {
        newHost = h;
      }
    }
    if (newHost == null) {
      return;
    }
    String old = headers.first(":authority");
    if (f.appendXForwardedHost() && old != null && !old.isEmpty()) {
      String xfh = headers.first("x-forwarded-host");
      headers.set("x-forwarded-host", xfh == null || xfh.isEmpty() ? old : xfh + "," + old);
    }
    headers.set(":authority", newHost);
  }

  private void rewritePath(MutableHeaders headers, String prefixRewrite, RegexRewrite regex, boolean insertOriginal) {
    if (prefixRewrite == null && regex == null) {
      return;
    }
    String path = headers.first(":path");
    if (path == null) {
      return;
    }
    String rewritten;
    if (prefixRewrite != null) {
      int matched = Math.min(route.match().path().matchedLength(path), path.length());
      rewritten = prefixRewrite + path.substring(matched);
    } else {
      int end = PathMatcher.pathEnd(path);
      rewritten = regex.apply(path.substring(0, end)) + path.substring(end);
    }
    if (insertOriginal) {
      headers.set("x-envoy-original-path", path);
    }
    headers.set(":path", rewritten);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case NO_ROUTE -> "no route";
      case FORWARD -> "forward via " + route + (weightedCluster != null ? " to " + weightedCluster.name() : "");
      case REDIRECT -> "redirect " + responseCode();
      case DIRECT_RESPONSE -> "direct response " + responseCode();
    };
  }
}
