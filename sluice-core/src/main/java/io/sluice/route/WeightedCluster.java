package io.sluice.route;

/**
 * One entry of {@code weighted_clusters}: a cluster named directly or taken from a request header,
 * its weight, and the header changes and host rewrite that apply when it is picked.
 */
public record WeightedCluster(
    String name,
    String clusterHeader,
    long weight,
    HeaderMutations requestHeaders,
    HeaderMutations responseHeaders,
    String hostRewriteLiteral) {

  /** The cluster for this request: the name, or the first value of the cluster header. */
  public String clusterFor(Headers request) {
    if (clusterHeader == null) {
      return name;
    }
    String v = request.first(clusterHeader);
    return v == null ? "" : v;
  }
}
