package io.sluice.route;

import java.time.Duration;
import java.util.List;

/**
 * A route's {@code route} action: which cluster to forward to ({@code cluster}, {@code
 * cluster_header} or {@code weighted_clusters}), and how the request is rewritten on the way.
 *
 * @param cluster the cluster name, or null
 * @param clusterHeader the header naming the cluster, or null
 * @param weighted the weighted clusters, or null
 * @param clusterNotFoundCode the status answered when the cluster does not exist (503, 404, 500)
 * @param prefixRewrite replaces the matched prefix or path, or null
 * @param regexRewrite rewrites the path, or null
 * @param hostRewriteLiteral the new authority, or null
 * @param hostRewriteHeader the request header holding the new authority, or null
 * @param hostRewritePathRegex derives the new authority from the path, or null
 * @param autoHostRewrite whether the upstream endpoint's hostname becomes the authority
 * @param appendXForwardedHost whether a rewritten authority's old value goes to x-forwarded-host
 * @param timeout the upstream response timeout; zero disables it
 * @param idleTimeout the stream idle timeout, or null for the listener's
 * @param mirrorPolicies the route's own {@code request_mirror_policies} (empty: the virtual host's
 *     apply, see {@link Route#mirrorPolicies()})
 */
public record ForwardAction(
    String cluster,
    String clusterHeader,
    WeightedClusters weighted,
    int clusterNotFoundCode,
    String prefixRewrite,
    RegexRewrite regexRewrite,
    String hostRewriteLiteral,
    String hostRewriteHeader,
    RegexRewrite hostRewritePathRegex,
    boolean autoHostRewrite,
    boolean appendXForwardedHost,
    Duration timeout,
    Duration idleTimeout,
    List<MirrorPolicy> mirrorPolicies) {

  /** Envoy's default route timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  /**
   * Cluster names starting with this are placeholders for a backend that cannot be used (the
   * Gateway API compiler writes {@code sluice:invalid-backend:<reason>:<ref>}, keeping the entry's
   * weight): the data plane answers {@link #clusterNotFoundCode()} with {@code invalid backend:
   * <reason>:<ref>} for them.
   */
  public static final String INVALID_BACKEND_PREFIX = "sluice:invalid-backend:";

  public ForwardAction {
    mirrorPolicies = mirrorPolicies == null ? List.of() : List.copyOf(mirrorPolicies);
  }

  /** Whether any path rewrite applies. */
  public boolean rewritesPath() {
    return prefixRewrite != null || regexRewrite != null;
  }
}
