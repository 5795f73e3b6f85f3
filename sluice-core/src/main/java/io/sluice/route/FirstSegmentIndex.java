package io.sluice.route;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Skips the routes of a virtual host that cannot match a request's path, so routing tries only
 * candidates, still in configuration order (first match wins, as in Envoy).
 *
 * <p>Why it is exact: a {@code prefix}, {@code path} or {@code path_separated_prefix} route with
 * value v, where v has a {@code /} at p = {@code v.indexOf('/', 1)} >= 1, matches only paths that
 * start with v[0, p] (ignoring ASCII case when it is case-insensitive, which never maps another
 * character to {@code /}). Such a path has its first {@code /} after index 0 at p, and its
 * characters [1, p) equal v[1, p) up to ASCII case. So the route is filed under the key
 * lowerAscii(v[1, p)), and a request whose path has its first {@code /} after index 0 at s needs
 * only the routes filed under lowerAscii(path[1, s)); no keyed route can match a path without
 * such a {@code /}, or a null path. Every other route (regex, CONNECT, a value like {@code /} or
 * {@code /api} with no second {@code /}) has no key and is tried for every request. The index only
 * removes routes whose own matcher would say no, and every candidate still runs its full match.
 */
final class FirstSegmentIndex {
  private static final int[] NONE = new int[0];

  /**
   * Below this many routes the plain scan wins: hashing the path's first segment costs about as
   * much as trying three routes (RouteLookupBenchmark, 1 route: 22 ns scanned, 35 ns indexed).
   */
  static final int MIN_ROUTES = 4;

  private final DomainIndex.AsciiTable<int[]> keyed;
  private final int[] unkeyed;

  private FirstSegmentIndex(DomainIndex.AsciiTable<int[]> keyed, int[] unkeyed) {
    this.keyed = keyed;
    this.unkeyed = unkeyed;
  }

  /** The index of {@code routes}, or null when it would not pay: too few routes, or none with a key. */
  static FirstSegmentIndex of(Route[] routes) {
    if (routes.length < MIN_ROUTES) {
      return null;
    }
    Map<String, List<Integer>> byKey = new LinkedHashMap<>();
    List<Integer> rest = new ArrayList<>();
    for (int i = 0; i < routes.length; i++) {
      String key = keyOf(routes[i].match().path());
      if (key == null) {
        rest.add(i);
      } else {
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
      }
    }
    if (byKey.isEmpty()) {
      return null;
    }
    Map<String, int[]> keyed = new LinkedHashMap<>();
    byKey.forEach((k, v) -> keyed.put(k, toArray(v)));
    return new FirstSegmentIndex(new DomainIndex.AsciiTable<>(keyed), toArray(rest));
  }

  /**
   * The positions of the keyed routes that may match {@code path}, increasing. The routes to try
   * are these merged with {@link #unkeyed()}.
   */
  int[] keyed(String path) {
    if (path == null) {
      return NONE;
    }
    int slash = path.indexOf('/', 1);
    if (slash < 0) {
      return NONE;
    }
    int[] routes = keyed.get(path, 1, slash);
    return routes == null ? NONE : routes;
  }

  /** The routes without a key, tried for every path, in increasing order. */
  int[] unkeyed() {
    return unkeyed;
  }

  /** The key a route is filed under (see the class comment), or null. */
  static String keyOf(PathMatcher matcher) {
    switch (matcher.kind()) {
      case PREFIX, PATH, PATH_SEPARATED_PREFIX -> {
        String v = matcher.value();
        int slash = v.indexOf('/', 1);
        if (slash < 1) {
          return null;
        }
        StringBuilder key = new StringBuilder(slash - 1);
        for (int i = 1; i < slash; i++) {
          key.append(StringMatcher.lowerAscii(v.charAt(i)));
        }
        return key.toString();
      }
      default -> {
        return null;
      }
    }
  }

  private static int[] toArray(List<Integer> list) {
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }
}
