package io.sluice.route;

import java.time.Duration;

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
    Duration idleTimeout) {

  /** Envoy's default route timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  /** Whether any path rewrite applies. */
  public boolean rewritesPath() {
    return prefixRewrite != null || regexRewrite != null;
  }
}
