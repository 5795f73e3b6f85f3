package io.sluice.tools;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

/**
 * Which HTTP proxy a load goes through: the one named on the command line ({@code none}: no
 * proxy), else {@code http_proxy} or {@code HTTP_PROXY} from the environment unless {@code
 * no_proxy}/{@code NO_PROXY} exempts the target's host (a comma-separated list of host names,
 * domain suffixes such as {@code .example.com}, or {@code *}), as curl reads them.
 */
public final class HttpProxySetting {
  private HttpProxySetting() {}

  /**
   * The proxy for {@code target}, or null for none.
   *
   * @param flag the {@code --proxy} value, or null when not given
   * @throws IllegalArgumentException when the flag or the variable is not an http:// proxy URL
   */
  public static URI resolve(String flag, Map<String, String> env, URI target) {
    if (flag != null) {
      return flag.equalsIgnoreCase("none") ? null : parse("--proxy", flag);
    }
    String name = env.get("http_proxy") != null && !env.get("http_proxy").isBlank() ? "http_proxy" : "HTTP_PROXY";
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    String noProxy = env.get("no_proxy") != null ? env.get("no_proxy") : env.get("NO_PROXY");
    if (noProxy != null && exempt(noProxy, target.getHost())) {
      return null;
    }
    return parse(name, value);
  }

  static boolean exempt(String noProxy, String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    for (String entry : noProxy.split(",")) {
      String e = entry.strip().toLowerCase(Locale.ROOT);
      if (e.isEmpty()) {
        continue;
      }
      if (e.equals("*")) {
        return true;
      }
      String suffix = e.startsWith(".") ? e : "." + e;
      if (h.equals(e.startsWith(".") ? e.substring(1) : e) || h.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  /** {@code http://HOST:PORT} (a missing scheme means http://, a missing port 80). */
  static URI parse(String source, String value) {
    String v = value.strip();
    if (!v.contains("://")) {
      v = "http://" + v;
    }
    try {
      URI u = new URI(v);
      if (!"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
        throw new IllegalArgumentException(source + ": expected an http://HOST:PORT proxy, got '" + value + "'");
      }
      return new URI("http", null, u.getHost(), u.getPort(), null, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(source + ": expected an http://HOST:PORT proxy, got '" + value + "'");
    }
  }
}
