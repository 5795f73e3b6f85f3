package io.sluice.resource;

import java.util.List;
import java.util.Map;

/** The matches of an SMI HTTPRouteGroup. */
record RouteGroupSpec(List<Match> matches) {
  RouteGroupSpec {
    matches = List.copyOf(matches);
  }

  /**
   * One match: every condition present must hold.
   *
   * @param methods method names; empty or containing {@code *} means any method
   * @param pathRegex a regex anchored at the start of the path, or null for any path
   * @param headers header name to a regex the whole value must match
   */
  record Match(String name, List<String> methods, String pathRegex, Map<String, String> headers) {
    Match {
      methods = List.copyOf(methods);
      headers = Map.copyOf(headers);
    }
  }
}
