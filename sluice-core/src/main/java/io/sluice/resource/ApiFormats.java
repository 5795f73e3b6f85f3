package io.sluice.resource;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scalar formats of the Kubernetes and Gateway API schemas (hostnames, names, header names,
 * durations, quantities), each checked where a field is read so that the error names the field.
 * The patterns are the OpenAPI patterns of the CRDs, verbatim.
 */
final class ApiFormats {
  private ApiFormats() {}

  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("^" + LABEL + "(\\." + LABEL + ")*$");
  private static final Pattern HOSTNAME = Pattern.compile("^(\\*\\.)?" + LABEL + "(\\." + LABEL + ")*$");
  private static final Pattern DNS_LABEL = Pattern.compile("^" + LABEL + "$");
  private static final Pattern DNS_1035_LABEL = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern GROUP = Pattern.compile("^$|^" + LABEL + "(\\." + LABEL + ")*$");
  private static final Pattern KIND = Pattern.compile("^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$");
  private static final Pattern HEADER_NAME = Pattern.compile("^[A-Za-z0-9!#$%&'*+\\-.^_`|~]+$");
  private static final Pattern PATH_CHARS = Pattern.compile("^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$");
  private static final Pattern GATEWAY_DURATION = Pattern.compile("^([0-9]{1,5}(h|m|s|ms)){1,4}$");
  private static final Pattern GATEWAY_DURATION_PART = Pattern.compile("([0-9]{1,5})(h|ms|m|s)");
  private static final Pattern GO_DURATION_PART = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)");
  private static final Pattern QUANTITY =
      Pattern.compile("^([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+)?$");
  private static final Pattern PROTOCOL =
      Pattern.compile("^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|" + LABEL + "(\\." + LABEL + ")*/[A-Za-z0-9]+$");

  /** Gateway API {@code Hostname}: lower case, an optional leading {@code *.} label, no port. */
  static void hostname(FieldErrors errors, String path, String value) {
    if (value.length() > 253) {
      errors.error(path, "must be at most 253 characters, got " + value.length());
    } else if (!HOSTNAME.matcher(value).matches()) {
      errors.error(path, "invalid hostname \"" + value + "\": must be a lower-case DNS name, optionally starting with \"*.\" (no port, no trailing dot)");
    }
  }

  /** Gateway API {@code PreciseHostname}: a hostname without wildcard. */
  static void preciseHostname(FieldErrors errors, String path, String value) {
    if (value.length() > 253) {
      errors.error(path, "must be at most 253 characters, got " + value.length());
    } else if (!DNS_SUBDOMAIN.matcher(value).matches()) {
      errors.error(path, "invalid hostname \"" + value + "\": must be a lower-case DNS name (no wildcard, no port)");
    }
  }

  /** A namespace: a DNS label of at most 63 characters. */
  static void namespace(FieldErrors errors, String path, String value) {
    if (value.length() > 63 || !DNS_LABEL.matcher(value).matches()) {
      errors.error(path, "invalid namespace \"" + value + "\": must be a lower-case DNS label of at most 63 characters");
    }
  }

  /** {@code metadata.name} of most kinds: a DNS subdomain of at most 253 characters. */
  static void objectName(FieldErrors errors, String path, String value) {
    if (value.length() > 253 || !DNS_SUBDOMAIN.matcher(value).matches()) {
      errors.error(path, "invalid name \"" + value + "\": must be a lower-case DNS subdomain of at most 253 characters (a-z, 0-9, '-', '.')");
    }
  }

  /** A Service's name: a DNS-1035 label (starts with a letter, at most 63 characters). */
  static void serviceName(FieldErrors errors, String path, String value) {
    if (value.length() > 63 || !DNS_1035_LABEL.matcher(value).matches()) {
      errors.error(path, "invalid Service name \"" + value + "\": must be a DNS-1035 label (a lower-case letter, then a-z, 0-9 or '-', at most 63 characters)");
    }
  }

  /** A port name (Service, Endpoints): a DNS label of at most 63 characters. */
  static void portName(FieldErrors errors, String path, String value) {
    if (value.length() > 63 || !DNS_LABEL.matcher(value).matches()) {
      errors.error(path, "invalid port name \"" + value + "\": must be a lower-case DNS label");
    }
  }

  /** Gateway API {@code SectionName}. */
  static void sectionName(FieldErrors errors, String path, String value) {
    if (value.isEmpty() || value.length() > 253 || !DNS_SUBDOMAIN.matcher(value).matches()) {
      errors.error(path, "invalid section name \"" + value + "\": must be a lower-case DNS name of 1 to 253 characters");
    }
  }

  /** Gateway API {@code ObjectName}: 1 to 253 characters. */
  static void refName(FieldErrors errors, String path, String value) {
    if (value.isEmpty() || value.length() > 253) {
      errors.error(path, "must be 1 to 253 characters, got " + value.length());
    }
  }

  /** Gateway API {@code Group} ({@code ""} is the core group). */
  static void group(FieldErrors errors, String path, String value) {
    if (value.length() > 253 || !GROUP.matcher(value).matches()) {
      errors.error(path, "invalid group \"" + value + "\": must be empty (the core group) or a lower-case DNS name");
    }
  }

  /** Gateway API {@code Kind}. */
  static void kind(FieldErrors errors, String path, String value) {
    if (value.isEmpty() || value.length() > 63 || !KIND.matcher(value).matches()) {
      errors.error(path, "invalid kind \"" + value + "\": must be 1 to 63 letters, digits or '-', starting with a letter");
    }
  }

  /** Gateway API {@code HTTPHeaderName}: an RFC 7230 token of 1 to 256 characters. */
  static void headerName(FieldErrors errors, String path, String value) {
    if (value.isEmpty() || value.length() > 256) {
      errors.error(path, "must be 1 to 256 characters, got " + value.length());
    } else if (!HEADER_NAME.matcher(value).matches()) {
      errors.error(path, "invalid header name \"" + value + "\": must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~)");
    }
  }

  /** A listener protocol: a name such as {@code HTTP}, or a domain-prefixed custom protocol. */
  static void protocol(FieldErrors errors, String path, String value) {
    if (value.isEmpty() || value.length() > 255 || !PROTOCOL.matcher(value).matches()) {
      errors.error(path, "invalid protocol \"" + value + "\"");
    }
  }

  /**
   * Checks a path of an {@code Exact} or {@code PathPrefix} match with the CRD's CEL rules, each
   * reported with its own message.
   */
  static void matchPath(FieldErrors errors, String path, String v) {
    String types = " when type one of ['Exact', 'PathPrefix']";
    if (!v.startsWith("/")) {
      errors.error(path, "value must be an absolute path and start with '/'" + types);
    }
    for (String bad : new String[] {"//", "/./", "/../", "%2f", "%2F", "#"}) {
      if (v.contains(bad)) {
        errors.error(path, "must not contain '" + bad + "'" + types);
      }
    }
    if (v.endsWith("/..")) {
      errors.error(path, "must not end with '/..'" + types);
    }
    if (v.endsWith("/.")) {
      errors.error(path, "must not end with '/.'" + types);
    }
    if (!PATH_CHARS.matcher(v).matches()) {
      errors.error(
          path,
          "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']");
    }
  }

  /**
   * A Gateway API {@code Duration} (GEP-2257): one to four groups of up to five digits and a unit
   * of h, m, s or ms, summed; null (after recording why) when invalid.
   */
  static Duration gatewayDuration(FieldErrors errors, String path, String v) {
    if (!GATEWAY_DURATION.matcher(v).matches()) {
      errors.error(
          path,
          "invalid duration \"" + v + "\": must be 1 to 4 groups of a number of up to 5 digits and a unit of h, m, s or ms, such as \"10s\" or \"1m30s\" (GEP-2257)");
      return null;
    }
    Duration total = Duration.ZERO;
    Matcher m = GATEWAY_DURATION_PART.matcher(v);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        case "s" -> Duration.ofSeconds(n);
        default -> Duration.ofMillis(n);
      });
    }
    return total;
  }

  /**
   * A Go {@code time.ParseDuration} string (Linkerd's {@code format: duration}): {@code 0}, or
   * signed sequences of decimal numbers with units ns, us, ms, s, m, h; negative values rejected.
   */
  static Duration goDuration(FieldErrors errors, String path, String v) {
    String bad = "invalid duration \"" + v + "\": must be a duration such as \"300ms\", \"1.5s\" or \"2m30s\"";
    if (v.equals("0")) {
      return Duration.ZERO;
    }
    if (v.startsWith("-")) {
      errors.error(path, "must not be negative, got \"" + v + "\"");
      return null;
    }
    String s = v.startsWith("+") ? v.substring(1) : v;
    Matcher m = GO_DURATION_PART.matcher(s);
    int at = 0;
    BigDecimal nanos = BigDecimal.ZERO;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at || m.group(1).isEmpty() || m.group(1).equals(".")) {
        errors.error(path, bad);
        return null;
      }
      BigDecimal n = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
      long unit = switch (m.group(2)) {
        case "ns" -> 1L;
        case "us", "µs", "μs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      nanos = nanos.add(n.multiply(BigDecimal.valueOf(unit)));
      at = m.end();
    }
    if (s.isEmpty() || nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      errors.error(path, bad);
      return null;
    }
    return Duration.ofNanos(nanos.longValue());
  }

  /**
   * A Kubernetes {@code resource.Quantity} ({@code 900m}, {@code 1}, {@code 1.5}, {@code 2k}) as
   * a number, or null when it is not one.
   */
  static BigDecimal quantity(String v) {
    Matcher m = QUANTITY.matcher(v.strip());
    if (!m.matches()) {
      return null;
    }
    BigDecimal base = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
    String suffix = m.group(2);
    if (suffix == null) {
      return base;
    }
    return switch (suffix) {
      case "m" -> base.movePointLeft(3);
      case "k" -> base.movePointRight(3);
      case "M" -> base.movePointRight(6);
      case "G" -> base.movePointRight(9);
      case "T" -> base.movePointRight(12);
      case "P" -> base.movePointRight(15);
      case "E" -> base.movePointRight(18);
      case "Ki" -> base.multiply(BigDecimal.valueOf(1L << 10));
      case "Mi" -> base.multiply(BigDecimal.valueOf(1L << 20));
      case "Gi" -> base.multiply(BigDecimal.valueOf(1L << 30));
      case "Ti" -> base.multiply(BigDecimal.valueOf(1L << 40));
      case "Pi" -> base.multiply(BigDecimal.valueOf(1L << 50));
      case "Ei" -> base.multiply(BigDecimal.valueOf(1L << 60));
      default -> base.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
    };
  }
}
