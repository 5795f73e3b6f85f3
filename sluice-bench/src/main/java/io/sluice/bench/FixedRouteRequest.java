package io.sluice.bench;

import io.sluice.route.RouteRequest;

/**
 * A request over fixed fields, the way a codec adapter exposes a decoded request to routing:
 * pseudo-headers are fields, other headers parallel arrays of lower-case names and values. No
 * method allocates, so a benchmark measures routing and not the adapter.
 */
final class FixedRouteRequest implements RouteRequest {
  private final String authority;
  private final String path;
  private final String method;
  private final String[] names;
  private final String[] values;

  /**
   * @param headers lower-case name, value, name, value, ... (a repeated name is a repeated header)
   */
  FixedRouteRequest(String authority, String path, String method, String... headers) {
    if (headers.length % 2 != 0) {
      throw new IllegalArgumentException("headers come in name, value pairs");
    }
    this.authority = authority;
    this.path = path;
    this.method = method;
    this.names = new String[headers.length / 2];
    this.values = new String[headers.length / 2];
    for (int i = 0; i < names.length; i++) {
      names[i] = headers[2 * i];
      values[i] = headers[2 * i + 1];
    }
  }

  @Override
  public String authority() {
    return authority;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String first(String lowerCaseName) {
    String pseudo = pseudo(lowerCaseName);
    if (pseudo != null || lowerCaseName.startsWith(":")) {
      return pseudo;
    }
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(lowerCaseName)) {
        return values[i];
      }
    }
    return null;
  }

  @Override
  public int count(String lowerCaseName) {
    if (lowerCaseName.startsWith(":")) {
      return pseudo(lowerCaseName) == null ? 0 : 1;
    }
    int n = 0;
    for (String name : names) {
      if (name.equals(lowerCaseName)) {
        n++;
      }
    }
    return n;
  }

  /**
   * Joined values, as {@link io.sluice.route.Headers#get} requires. Only a repeated header needs
   * a new string; the benchmarks' tables never match on one.
   */
  @Override
  public String get(String lowerCaseName) {
    if (lowerCaseName.startsWith(":")) {
      return pseudo(lowerCaseName);
    }
    String joined = null;
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(lowerCaseName)) {
        joined = joined == null ? values[i] : joined + "," + values[i];
      }
    }
    return joined;
  }

  private String pseudo(String name) {
    switch (name) {
      case ":authority":
        return authority;
      case ":path":
        return path;
      case ":method":
        return method;
      default:
        return null;
    }
  }

  @Override
  public String toString() {
    return method + " " + authority + path;
  }
}
