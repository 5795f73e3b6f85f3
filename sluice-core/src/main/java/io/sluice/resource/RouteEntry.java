package io.sluice.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Comparator;

/**
 * One generated Envoy route (one match of one rule) with what orders it among all the routes of a
 * parent: the Gateway API precedence. Envoy takes the first route that matches, so sorting by this
 * order makes the first match the best one.
 *
 * @param hostname the effective hostname the route was attached under (Gateway listeners), or
 *     null for any host
 * @param pathRank 0 for Exact, 1 for RegularExpression, 2 for PathPrefix
 * @param pathLength the length of the path value (a prefix without its trailing {@code /})
 */
record RouteEntry(
    String hostname,
    ObjectNode route,
    int pathRank,
    int pathLength,
    boolean method,
    int headers,
    int queries,
    Instant created,
    String owner,
    int rule,
    int match) {

  /**
   * The Gateway API precedence among matches of one hostname: Exact path before
   * RegularExpression (Sluice's choice: a regex is more specific than a prefix, less than an exact
   * path) before PathPrefix; then the longer path value; then a method match; then more header
   * matches; then more query matches; then the older route; then {@code namespace/name}; then
   * rule order; then match order.
   */
  static final Comparator<RouteEntry> PRECEDENCE =
      Comparator.comparingInt(RouteEntry::pathRank)
          .thenComparing(Comparator.comparingInt(RouteEntry::pathLength).reversed())
          .thenComparing(e -> !e.method())
          .thenComparing(Comparator.comparingInt(RouteEntry::headers).reversed())
          .thenComparing(Comparator.comparingInt(RouteEntry::queries).reversed())
          .thenComparing(RouteEntry::created)
          .thenComparing(RouteEntry::owner)
          .thenComparingInt(RouteEntry::rule)
          .thenComparingInt(RouteEntry::match);

  /**
   * Within a virtual host (one effective hostname, selected by the most specific hostname that
   * matches the request): {@link #PRECEDENCE} up to the query count, then the route with the more
   * specific hostname (a non-wildcard one, then the longer wildcard, then none), then the rest of
   * {@link #PRECEDENCE}. The match criteria come first because the conformance suite requires it
   * (HTTPRouteMatchingAcrossRoutes: {@code example.com/v2} goes to the {@code *.com} route's
   * {@code /v2} prefix, not to the {@code example.com} route's {@code /}).
   */
  static final Comparator<RouteEntry> WITH_HOSTNAME =
      Comparator.comparingInt(RouteEntry::pathRank)
          .thenComparing(Comparator.comparingInt(RouteEntry::pathLength).reversed())
          .thenComparing(e -> !e.method())
          .thenComparing(Comparator.comparingInt(RouteEntry::headers).reversed())
          .thenComparing(Comparator.comparingInt(RouteEntry::queries).reversed())
          .thenComparingInt((RouteEntry e) -> hostRank(e.hostname()))
          .thenComparing(Comparator.comparingInt((RouteEntry e) -> e.hostname() == null ? 0 : e.hostname().length()).reversed())
          .thenComparing(PRECEDENCE);

  private static int hostRank(String h) {
    if (h == null) {
      return 2;
    }
    return h.startsWith("*.") ? 1 : 0;
  }

  RouteEntry withHostname(String h) {
    return new RouteEntry(h, route, pathRank, pathLength, method, headers, queries, created, owner, rule, match);
  }
}
