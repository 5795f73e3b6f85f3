package io.sluice.route;

import io.sluice.runtime.FractionalPercent;
import io.sluice.runtime.Runtime;

/**
 * One of Envoy's {@code request_mirror_policies}: a copy of a forwarded request also goes to
 * another cluster, fire and forget, for the requests inside the policy's runtime fraction. The
 * mirror's answer is discarded; the client only ever sees the primary's.
 *
 * @param cluster the mirror cluster, or null when {@code clusterHeader} names it per request
 * @param clusterHeader the lower-case request header naming the mirror cluster, or null
 * @param runtimeKey the runtime key that may override the fraction ({@code ""} when none)
 * @param defaultValue the fraction of requests mirrored when the runtime does not say (100% when
 *     the policy has no {@code runtime_fraction}, as in Envoy)
 * @param disableShadowHostSuffixAppend whether the copy keeps the request's host as it is instead
 *     of getting Envoy's {@code -shadow} suffix
 */
public record MirrorPolicy(
    String cluster,
    String clusterHeader,
    String runtimeKey,
    FractionalPercent defaultValue,
    boolean disableShadowHostSuffixAppend) {

  /** What Envoy mirrors when a policy has no {@code runtime_fraction}: every request. */
  public static final FractionalPercent ALL = FractionalPercent.ofHundred(100);

  public MirrorPolicy {
    if ((cluster == null || cluster.isEmpty()) == (clusterHeader == null || clusterHeader.isEmpty())) {
      throw new IllegalArgumentException("exactly one of cluster or clusterHeader is required");
    }
    if (defaultValue == null) {
      throw new IllegalArgumentException("defaultValue is required");
    }
    runtimeKey = runtimeKey == null ? "" : runtimeKey;
  }

  /** A policy mirroring every request to {@code cluster}, with the {@code -shadow} host suffix. */
  public static MirrorPolicy toCluster(String cluster) {
    return new MirrorPolicy(cluster, null, "", ALL, false);
  }

  /**
   * Whether this request is mirrored: Envoy's {@code shouldShadow}, the runtime's {@code
   * featureEnabled(runtime_key, default_value, random)} with the request's one random value (Envoy
   * passes the stream id, the same value its route matching and weighted pick use). So two
   * policies with the same fraction fire together, and a policy's fraction is correlated with a
   * weighted pick or a {@code runtime_fraction} match on the same request, exactly as in Envoy.
   */
  public boolean fires(long randomValue, Runtime runtime) {
    return runtime.featureEnabled(runtimeKey, defaultValue, randomValue);
  }

  /**
   * The mirror cluster for this request: {@link #cluster}, or the first value of {@link
   * #clusterHeader}; null when that header is absent or empty (Envoy then skips the mirror).
   */
  public String clusterName(Headers request) {
    if (cluster != null) {
      return cluster;
    }
    String v = request.first(clusterHeader);
    return v == null || v.isEmpty() ? null : v;
  }

  /** The host the copy is sent with: {@code authority} with the {@code -shadow} suffix unless disabled. */
  public String mirrorHost(String authority) {
    return disableShadowHostSuffixAppend ? authority : shadowHost(authority);
  }

  /**
   * Envoy's {@code shadowAppendedHost}: {@code -shadow} goes before the port, so upstream logs can
   * tell mirrored requests apart ({@code api:8080} becomes {@code api-shadow:8080}, {@code [::1]:80}
   * becomes {@code [::1]-shadow:80}).
   */
  public static String shadowHost(String authority) {
    int port = RouteTable.portStart(authority);
    return port < 0 ? authority + "-shadow" : authority.substring(0, port) + "-shadow" + authority.substring(port);
  }

  @Override
  public String toString() {
    String target = cluster != null ? cluster : "cluster from header " + clusterHeader;
    return "mirror to " + target + " (" + defaultValue + (runtimeKey.isEmpty() ? "" : ", runtime key " + runtimeKey) + ")";
  }
}
