package io.sluice.resource;

/**
 * Gateway API hostname arithmetic: a wildcard {@code *.example.com} stands for every name with at
 * least one more label in front of {@code example.com}.
 */
final class Hostnames {
  private Hostnames() {}

  static boolean isWildcard(String h) {
    return h.startsWith("*.");
  }

  /**
   * Whether {@code pattern} covers {@code name} (itself a name or a wildcard): equal, or a
   * wildcard whose suffix {@code name} ends with while being longer.
   */
  static boolean covers(String pattern, String name) {
    if (pattern.equals(name)) {
      return true;
    }
    if (!isWildcard(pattern)) {
      return false;
    }
    String suffix = pattern.substring(1);
    String n = isWildcard(name) ? name.substring(1) : name;
    return n.length() > suffix.length() && n.endsWith(suffix);
  }

  /**
   * The intersection of a route hostname and a listener hostname: the more specific of the two
   * when one covers the other, else null.
   */
  static String intersect(String route, String listener) {
    if (covers(listener, route)) {
      return route;
    }
    if (covers(route, listener)) {
      return listener;
    }
    return null;
  }
}
