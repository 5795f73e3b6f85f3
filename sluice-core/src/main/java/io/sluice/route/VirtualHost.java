package io.sluice.route;

import io.sluice.runtime.Runtime;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled virtual host: its domains, its routes in order (first match wins), its TLS
 * requirement, its virtual clusters and its header changes.
 */
public final class VirtualHost {

  /** {@code require_tls}, in protobuf number order. */
  public enum TlsRequirement {
    NONE,
    EXTERNAL_ONLY,
    ALL
  }

  private final String name;
  private final List<String> domains;
  private final TlsRequirement requireTls;
  private final List<VirtualCluster> virtualClusters;
  private final HeaderMutations requestHeaders;
  private final HeaderMutations responseHeaders;
  private final List<MirrorPolicy> mirrorPolicies;
  private final Route[] routes;
  /** Skips routes that cannot match the path; null when no route could be skipped. */
  private final FirstSegmentIndex index;
  private final RouteResult tlsRedirect;

  VirtualHost(
      String name,
      List<String> domains,
      TlsRequirement requireTls,
      List<VirtualCluster> virtualClusters,
      HeaderMutations requestHeaders,
      HeaderMutations responseHeaders,
      List<RouteSpec> routes,
      HeaderLevels levels,
      List<MirrorPolicy> mirrorPolicies) {
    this.name = name;
    this.domains = List.copyOf(domains);
    this.requireTls = requireTls;
    this.virtualClusters = List.copyOf(virtualClusters);
    this.requestHeaders = requestHeaders;
    this.responseHeaders = responseHeaders;
    this.mirrorPolicies = List.copyOf(mirrorPolicies);
    this.tlsRedirect = RouteResult.tlsRedirect(this);
    this.routes = new Route[routes.size()];
    for (int i = 0; i < routes.size(); i++) {
      this.routes[i] = new Route(routes.get(i), this, i, levels);
    }
    this.index = FirstSegmentIndex.of(this.routes);
  }

  /**
   * The decision for a request that selected this virtual host, or null when no route matches: a
   * TLS redirect when TLS is required and the request is not {@code https} ({@code EXTERNAL_ONLY}
   * spares internal requests), else the first route that matches.
   */
  RouteResult route(RouteRequest request, long randomValue, Runtime runtime) {
    if (requireTls != TlsRequirement.NONE && !"https".equals(request.forwardedProto())) {
      if (requireTls == TlsRequirement.ALL || !request.internal()) {
        return tlsRedirect;
      }
    }
    if (index == null) {
      for (Route r : routes) {
        RouteResult result = r.select(request, randomValue, runtime);
        if (result != null) {
          return result;
        }
      }
      return null;
    }
    // The candidates in configuration order: the merge of two increasing lists of positions.
    int[] keyed = index.keyed(request.path());
    int[] unkeyed = index.unkeyed();
    int k = 0;
    int u = 0;
    while (k < keyed.length || u < unkeyed.length) {
      int next;
      if (u == unkeyed.length || (k < keyed.length && keyed[k] < unkeyed[u])) {
        next = keyed[k++];
      } else {
        next = unkeyed[u++];
      }
      RouteResult result = routes[next].select(request, randomValue, runtime);
      if (result != null) {
        return result;
      }
    }
    return null;
  }

  /** See {@link RouteResult#virtualClusterName}. */
  String virtualClusterName(Headers request) {
    if (virtualClusters.isEmpty()) {
      return null;
    }
    for (VirtualCluster vc : virtualClusters) {
      if (vc.matches(request)) {
        return vc.name();
      }
    }
    return "other";
  }

  /** The name. */
  public String name() {
    return name;
  }

  /** The domains, as written. */
  public List<String> domains() {
    return domains;
  }

  /** The TLS requirement. */
  public TlsRequirement requireTls() {
    return requireTls;
  }

  /** The virtual clusters. */
  public List<VirtualCluster> virtualClusters() {
    return virtualClusters;
  }

  /** The routes, in order. */
  public List<Route> routes() {
    return List.of(routes);
  }

  /**
   * The mirror policies this virtual host's routes inherit: its own {@code
   * request_mirror_policies}, or the route configuration's when it has none (Envoy: the most
   * specific non-empty list wins, lists are never merged).
   */
  public List<MirrorPolicy> mirrorPolicies() {
    return mirrorPolicies;
  }

  HeaderMutations requestHeaders() {
    return requestHeaders;
  }

  HeaderMutations responseHeaders() {
    return responseHeaders;
  }

  /** Every cluster name this virtual host's routes name directly (not header-derived ones). */
  public List<String> referencedClusters() {
    List<String> out = new ArrayList<>();
    for (Route r : routes) {
      ForwardAction f = r.forward();
      if (f == null) {
        continue;
      }
      if (f.cluster() != null) {
        out.add(f.cluster());
      }
      if (f.weighted() != null) {
        for (WeightedCluster w : f.weighted().entries()) {
          if (w.name() != null) {
            out.add(w.name());
          }
        }
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "virtual host " + name + " " + domains;
  }
}
