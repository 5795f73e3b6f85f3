package io.sluice.config;

import java.time.Duration;
import java.util.Set;

/**
 * Reads Envoy's {@code core.v3.HttpProtocolOptions} ({@code common_http_protocol_options}), shared
 * by the connection manager (downstream) and clusters (upstream). Sluice honours {@code
 * idle_timeout}, {@code max_connection_duration} and {@code max_headers_count}; {@code
 * headers_with_underscores_action} other than {@code ALLOW} is a header-hardening setting, so
 * ignoring it is an error rather than a warning.
 */
final class ProtocolOptionsReader {
  static final String TYPE = "envoy.config.core.v3.HttpProtocolOptions";
  private static final Set<String> WARN =
      Set.of("max_response_headers_kb", "max_stream_duration", "max_requests_per_connection");

  /**
   * The options read; a field is null when not set.
   *
   * @param idleTimeout {@code idle_timeout} (zero disables)
   * @param maxConnectionDuration {@code max_connection_duration} (zero: no limit)
   * @param maxHeadersCount {@code max_headers_count}
   */
  record Options(Duration idleTimeout, Duration maxConnectionDuration, Integer maxHeadersCount) {
    static final Options NONE = new Options(null, null, null);
  }

  private ProtocolOptionsReader() {}

  /** Reads the message in {@code field} of {@code owner}; {@link Options#NONE} when absent. */
  static Options read(MessageReader owner, String field) {
    MessageReader m = owner.message(field, TYPE);
    if (m == null) {
      return Options.NONE;
    }
    Duration idle = nonNegative(m, "idle_timeout");
    Duration maxDuration = nonNegative(m, "max_connection_duration");
    Integer maxHeaders = null;
    Long count = m.optUint32("max_headers_count");
    if (count != null) {
      if (count < 1) {
        m.error("max_headers_count", "value must be greater than or equal to 1");
      } else {
        maxHeaders = (int) Math.min(count, Integer.MAX_VALUE);
      }
    }
    Underscores action = m.enumValue("headers_with_underscores_action", Underscores.values(), Underscores.ALLOW);
    if (action != Underscores.ALLOW) {
      m.error(
          "headers_with_underscores_action",
          "not supported by Sluice: " + action + " of headers with underscores (only ALLOW)");
    }
    Unsupported.warn(m, WARN);
    m.finish();
    return new Options(idle, maxDuration, maxHeaders);
  }

  /** A duration field that must not be negative, or null when absent or invalid. */
  static Duration nonNegative(MessageReader m, String field) {
    Duration d = m.duration(field);
    if (d != null && d.isNegative()) {
      m.error(field, "Invalid duration: Expected positive duration: " + Durations.format(d));
      return null;
    }
    return d;
  }

  /** {@code HttpProtocolOptions.HeadersWithUnderscoresAction}, in protobuf number order. */
  private enum Underscores {
    ALLOW,
    REJECT_REQUEST,
    DROP_HEADER
  }
}
