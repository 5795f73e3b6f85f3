package io.sluice.stats;

import io.sluice.route.Route;

/**
 * The names statistics give routes and backends. A route compiled from an HTTPRoute is named
 * {@code <ns>/<httproute>:rules[i].matches[j]}; its statistics and windows use {@code
 * <ns>/<httproute>}, so that they are per HTTPRoute. A backend {@code <ns>/<svc>:<port>} (a
 * Kubernetes Service port) is shown as {@code <svc>} in namespace {@code <ns>}.
 */
public final class StatNames {
  private static final String RULE_SUFFIX = ":rules[";

  private StatNames() {}

  /** The route's part of {@code vhost.<vh>.route.<route>.*}: its stat name, or its index when unnamed. */
  public static String route(Route route) {
    String name = route.name();
    if (name.isEmpty()) {
      return Integer.toString(route.index());
    }
    int rules = name.indexOf(RULE_SUFFIX);
    return rules > 0 ? name.substring(0, rules) : name;
  }

  /**
   * The route's name in the traffic windows ({@code /stats/window}, {@code sluice stat --by
   * route}): as {@link #route}, with an unnamed route as {@code <virtual host>/<index>}, unique in
   * the proxy.
   */
  public static String windowRoute(Route route) {
    return route.name().isEmpty() ? route.virtualHost().name() + "/" + route.index() : route(route);
  }

  /** The namespace of a {@code <ns>/<name>} (or {@code <ns>/<name>:<port>}) name, or null. */
  public static String namespace(String name) {
    int slash = name.indexOf('/');
    return slash <= 0 || name.startsWith("sluice:") ? null : name.substring(0, slash);
  }

  /**
   * How a row is named in a table: {@code bb} for {@code ns/bb:8080} and for {@code ns/bb-route},
   * other names as they are.
   */
  public static String display(String name) {
    if (namespace(name) == null) {
      return name;
    }
    String rest = name.substring(name.indexOf('/') + 1);
    int colon = rest.lastIndexOf(':');
    return colon > 0 && isPort(rest.substring(colon + 1)) ? rest.substring(0, colon) : rest;
  }

  private static boolean isPort(String s) {
    if (s.isEmpty() || s.length() > 5) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
