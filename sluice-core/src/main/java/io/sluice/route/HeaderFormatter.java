package io.sluice.route;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A header value with Envoy substitution commands, compiled once: {@code %%} is a literal percent,
 * {@code %COMMAND%}, {@code %COMMAND(arg)%} and {@code %COMMAND(arg):N%} are replaced per request.
 * The commands route configurations commonly use are supported; an unknown one is rejected at load
 * with Envoy's message.
 */
public final class HeaderFormatter {
  private static final Pattern COMMAND =
      Pattern.compile("^%((?:[A-Z]|[0-9]|_)+)(?:\\((.*?)\\))?(?::([0-9]+))?%");
  private static final DateTimeFormatter DEFAULT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final String source;
  private final List<Segment> segments;
  private final String constant;

  private HeaderFormatter(String source, List<Segment> segments) {
    this.source = source;
    this.segments = List.copyOf(segments);
    String c = null;
    if (segments.isEmpty()) {
      c = "";
    } else if (segments.size() == 1 && segments.get(0) instanceof Literal l) {
      c = l.text;
    }
    this.constant = c;
  }

  /**
   * Compiles {@code format}.
   *
   * @throws IllegalArgumentException with Envoy's message when the format is invalid
   */
  public static HeaderFormatter compile(String format) {
    List<Segment> out = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i);
      if (c != '%') {
        literal.append(c);
        i++;
        continue;
      }
      if (i + 1 < format.length() && format.charAt(i + 1) == '%') {
        literal.append('%');
        i += 2;
        continue;
      }
      Matcher m = COMMAND.matcher(format.substring(i));
      if (!m.find()) {
        throw new IllegalArgumentException(
            "Incorrect configuration: " + format + ". Couldn't find valid command at position " + i);
      }
      if (literal.length() > 0) {
        out.add(new Literal(literal.toString()));
        literal.setLength(0);
      }
      String length = m.group(3);
      out.add(command(m.group(1), m.group(2), length == null ? -1 : Integer.parseInt(length)));
      i += m.end();
    }
    if (literal.length() > 0) {
      out.add(new Literal(literal.toString()));
    }
    return new HeaderFormatter(format, out);
  }

  /** The value for one request; empty commands produce nothing (Envoy omits empty values here). */
  public String format(FormatContext ctx) {
    if (constant != null) {
      return constant;
    }
    StringBuilder sb = new StringBuilder();
    for (Segment s : segments) {
      String v = s.value(ctx);
      if (v != null) {
        sb.append(v);
      }
    }
    return sb.toString();
  }

  /** The format as written. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return source;
  }

  private interface Segment {
    String value(FormatContext ctx);
  }

  private record Literal(String text) implements Segment {
    @Override
    public String value(FormatContext ctx) {
      return text;
    }
  }

  private record Command(String name, java.util.function.Function<FormatContext, String> fn, int maxLength)
      implements Segment {
    @Override
    public String value(FormatContext ctx) {
      String v = fn.apply(ctx);
      if (v != null && maxLength >= 0 && v.length() > maxLength) {
        v = v.substring(0, maxLength);
      }
      return v;
    }
  }

  private static Segment command(String name, String arg, int length) {
    java.util.function.Function<FormatContext, String> fn =
        switch (name) {
          case "DOWNSTREAM_REMOTE_ADDRESS", "DOWNSTREAM_DIRECT_REMOTE_ADDRESS" -> noArg(
              name, arg, FormatContext::downstreamRemoteAddress);
          case "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT", "DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT" -> noArg(
              name, arg, c -> withoutPort(c.downstreamRemoteAddress()));
          case "DOWNSTREAM_REMOTE_PORT", "DOWNSTREAM_DIRECT_REMOTE_PORT" -> noArg(
              name, arg, c -> portOf(c.downstreamRemoteAddress()));
          case "DOWNSTREAM_LOCAL_ADDRESS" -> noArg(name, arg, FormatContext::downstreamLocalAddress);
          case "DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT" -> noArg(
              name, arg, c -> withoutPort(c.downstreamLocalAddress()));
          case "DOWNSTREAM_LOCAL_PORT" -> noArg(name, arg, c -> portOf(c.downstreamLocalAddress()));
          case "UPSTREAM_REMOTE_ADDRESS", "UPSTREAM_HOST" -> noArg(name, arg, FormatContext::upstreamRemoteAddress);
          case "UPSTREAM_REMOTE_ADDRESS_WITHOUT_PORT" -> noArg(
              name, arg, c -> withoutPort(c.upstreamRemoteAddress()));
          case "UPSTREAM_CLUSTER" -> noArg(name, arg, FormatContext::upstreamCluster);
          case "PROTOCOL" -> noArg(name, arg, FormatContext::protocol);
          case "ROUTE_NAME" -> noArg(name, arg, FormatContext::routeName);
          case "STREAM_ID" -> noArg(name, arg, FormatContext::streamId);
          case "RESPONSE_CODE" -> noArg(name, arg, c -> c.responseCode() == 0 ? null : Integer.toString(c.responseCode()));
          case "HOSTNAME" -> {
            String host = hostname();
            yield noArg(name, arg, c -> host);
          }
          case "REQ", "RESP" -> headerCommand(name, arg);
          case "ENVIRONMENT" -> {
            if (arg == null || arg.isEmpty()) {
              throw new IllegalArgumentException(name + " requires parameters");
            }
            String value = System.getenv(arg);
            yield c -> value;
          }
          case "START_TIME" -> startTime(arg);
          case "UPSTREAM_METADATA", "DYNAMIC_METADATA" -> {
            if (arg == null || arg.isEmpty()) {
              throw new IllegalArgumentException(name + " requires parameters");
            }
            // Sluice has no endpoint or filter metadata yet: the value is empty, as Envoy's is when
            // the key is absent.
            yield c -> null;
          }
          default -> throw new IllegalArgumentException("Not supported field in StreamInfo: " + name);
        };
    return new Command(name, fn, length);
  }

  private static java.util.function.Function<FormatContext, String> noArg(
      String name, String arg, java.util.function.Function<FormatContext, String> fn) {
    if (arg != null) {
      throw new IllegalArgumentException(name + " does not take any parameters or length");
    }
    return fn;
  }

  private static java.util.function.Function<FormatContext, String> headerCommand(String name, String arg) {
    if (arg == null || arg.isEmpty()) {
      throw new IllegalArgumentException(name + " requires parameters");
    }
    String[] alternatives = arg.split("\\?", -1);
    if (alternatives.length > 2) {
      throw new IllegalArgumentException("More than 1 alternative header specified in token: " + arg);
    }
    String main = alternatives[0].toLowerCase(Locale.ROOT);
    String alt = alternatives.length == 2 ? alternatives[1].toLowerCase(Locale.ROOT) : null;
    boolean request = name.equals("REQ");
    return c -> {
      Headers h = request ? c.requestHeaders() : c.responseHeaders();
      if (h == null) {
        return null;
      }
      String v = h.first(main);
      if (v == null && alt != null) {
        v = h.first(alt);
      }
      return v;
    };
  }

  private static java.util.function.Function<FormatContext, String> startTime(String arg) {
    DateTimeFormatter f = arg == null || arg.isEmpty() ? DEFAULT_TIME : Strftime.toFormatter(arg);
    return c -> {
      Instant t = c.startTime();
      return t == null ? null : f.format(t);
    };
  }

  /** {@code 1.2.3.4:80} → {@code 1.2.3.4}; {@code [::1]:80} → {@code ::1}. */
  static String withoutPort(String address) {
    if (address == null) {
      return null;
    }
    if (address.startsWith("[")) {
      int close = address.indexOf(']');
      return close < 0 ? address : address.substring(1, close);
    }
    int colon = address.lastIndexOf(':');
    return colon < 0 || address.indexOf(':') != colon ? address : address.substring(0, colon);
  }

  static String portOf(String address) {
    if (address == null) {
      return null;
    }
    int colon = address.lastIndexOf(':');
    int close = address.lastIndexOf(']');
    return colon < 0 || colon < close ? null : address.substring(colon + 1);
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** Translates the strftime subset Envoy users write in {@code START_TIME(...)}. */
  static final class Strftime {
    private Strftime() {}

    static DateTimeFormatter toFormatter(String strftime) {
      StringBuilder p = new StringBuilder();
      StringBuilder quoted = new StringBuilder();
      for (int i = 0; i < strftime.length(); i++) {
        char c = strftime.charAt(i);
        if (c == '%' && i + 1 < strftime.length()) {
          flush(p, quoted);
          char d = strftime.charAt(++i);
          String piece =
              switch (d) {
                case 'Y' -> "yyyy";
                case 'm' -> "MM";
                case 'd' -> "dd";
                case 'H' -> "HH";
                case 'M' -> "mm";
                case 'S' -> "ss";
                case 'y' -> "yy";
                case 'b' -> "MMM";
                case 'a' -> "EEE";
                case 'z' -> "xx";
                case 'Z' -> "zzz";
                case 'j' -> "DDD";
                case 'f' -> "SSSSSSSSS";
                case 'F' -> "yyyy-MM-dd";
                case 'T' -> "HH:mm:ss";
                case '%' -> "'%'";
                default -> {
                  if (d >= '1' && d <= '9' && i + 1 < strftime.length() && strftime.charAt(i + 1) == 'f') {
                    i++;
                    yield "S".repeat(d - '0');
                  }
                  throw new IllegalArgumentException(
                      "Invalid START_TIME format: unsupported conversion %" + d + " in " + strftime);
                }
              };
          p.append(piece);
        } else {
          quoted.append(c);
        }
      }
      flush(p, quoted);
      return DateTimeFormatter.ofPattern(p.toString(), Locale.ROOT).withZone(ZoneOffset.UTC);
    }

    private static void flush(StringBuilder p, StringBuilder quoted) {
      if (quoted.length() > 0) {
        p.append('\'').append(quoted.toString().replace("'", "''")).append('\'');
        quoted.setLength(0);
      }
    }
  }
}
