package io.sluice.cluster;

/**
 * Recognises IP address literals the way Envoy's IP resolver accepts them in a {@code
 * socket_address}: dotted-quad IPv4 ({@code inet_pton} rules: four decimal parts of at most three
 * digits, each at most 255) or IPv6 without brackets. Never resolves a name.
 */
public final class IpLiterals {
  private IpLiterals() {}

  /** Whether {@code s} is an IPv4 or IPv6 literal. */
  public static boolean isIpLiteral(String s) {
    return isIpv4(s) || isIpv6(s);
  }

  /** Whether {@code s} is a dotted-quad IPv4 literal. */
  public static boolean isIpv4(String s) {
    if (s == null) {
      return false;
    }
    int parts = 0;
    int i = 0;
    int n = s.length();
    while (i <= n) {
      int start = i;
      int value = 0;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        value = value * 10 + (s.charAt(i) - '0');
        i++;
        if (i - start > 3) {
          return false;
        }
      }
      if (i == start || value > 255) {
        return false;
      }
      parts++;
      if (i == n) {
        break;
      }
      if (s.charAt(i) != '.' || parts == 4) {
        return false;
      }
      i++;
    }
    return parts == 4;
  }

  /**
   * Whether {@code s} is an IPv6 literal (RFC 4291 text forms, including {@code ::} compression
   * and a trailing dotted-quad), without brackets or a zone index.
   */
  public static boolean isIpv6(String s) {
    if (s == null || s.length() < 2 || s.indexOf(':') < 0) {
      return false;
    }
    String head = s;
    int groupsForV4 = 0;
    int lastColon = s.lastIndexOf(':');
    if (s.indexOf('.', lastColon) >= 0) {
      if (!isIpv4(s.substring(lastColon + 1))) {
        return false;
      }
      // The dotted quad stands for the last two groups; keep the colon before it.
      head = s.substring(0, lastColon + 1) + "0";
      groupsForV4 = 1;
    }
    int compression = head.indexOf("::");
    if (compression >= 0 && head.indexOf("::", compression + 1) >= 0) {
      return false;
    }
    String[] sides = compression >= 0
        ? new String[] {head.substring(0, compression), head.substring(compression + 2)}
        : new String[] {head};
    int groups = groupsForV4;
    for (String side : sides) {
      if (side.isEmpty()) {
        continue;
      }
      for (String g : side.split(":", -1)) {
        if (g.isEmpty() || g.length() > 4) {
          return false;
        }
        for (int i = 0; i < g.length(); i++) {
          if (Character.digit(g.charAt(i), 16) < 0) {
            return false;
          }
        }
        groups++;
      }
    }
    return compression >= 0 ? groups <= 7 : groups == 8;
  }
}
