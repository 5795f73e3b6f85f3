package io.sluice.route;

/**
 * Reads query parameters out of a {@code :path} without building a map, the way Envoy's route
 * matcher parses them: split on {@code &}, split each part at its first {@code =}, no
 * percent-decoding, and the fragment (if a client sent one) stays in the last value.
 */
public final class QueryString {
  private QueryString() {}

  /**
   * The first value of {@code name} in the query of {@code path}; {@code ""} for a bare {@code
   * name} or {@code name=}; null when absent.
   */
  public static String firstValue(String path, String name) {
    if (path == null) {
      return null;
    }
    int q = path.indexOf('?');
    if (q < 0) {
      return null;
    }
    int end = path.length();
    int start = q + 1;
    while (start <= end) {
      int amp = path.indexOf('&', start);
      if (amp < 0) {
        amp = end;
      }
      int eq = path.indexOf('=', start);
      int keyEnd = eq >= 0 && eq < amp ? eq : amp;
      if (keyEnd - start == name.length() && path.startsWith(name, start)) {
        return keyEnd == amp ? "" : path.substring(keyEnd + 1, amp);
      }
      start = amp + 1;
    }
    return null;
  }
}
