package io.sluice.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The options of an {@code http_connection_manager} that Sluice honours on the downstream side, with
 * Envoy's defaults. A duration of zero means "disabled", as in Envoy.
 *
 * @param useRemoteAddress whether the connection's peer address is the client address (appended to
 *     {@code x-forwarded-for}, used for {@code x-envoy-external-address}) rather than an address
 *     taken from {@code x-forwarded-for} (default false)
 * @param xffNumTrustedHops how many addresses at the right of {@code x-forwarded-for} are trusted
 *     proxies (default 0)
 * @param serverName the {@code server} response header value; Envoy's default is {@code envoy},
 *     Sluice's is {@code sluice}
 * @param serverHeaderTransformation what happens to a {@code server} header from upstream
 * @param maxRequestHeadersKb the largest request header block, in KiB (default 60, at most 8192)
 * @param maxHeadersCount the most request headers (default 100)
 * @param idleTimeout how long a downstream connection may sit with no stream before it is closed
 *     ({@code common_http_protocol_options.idle_timeout}, default 1h)
 * @param maxConnectionDuration how long a downstream connection may live (default zero: no limit)
 * @param streamIdleTimeout how long a request may go without activity (default 5 min)
 * @param requestTimeout how long the whole request may take to arrive (default zero: disabled)
 * @param drainTimeout how long connections get to finish when the listener drains (default 5s)
 * @param generateRequestId whether an {@code x-request-id} is generated when missing (default true)
 * @param preserveExternalRequestId whether an {@code x-request-id} from an external client is kept
 *     (default false: replaced)
 * @param skipXffAppend whether the client's address is left out of {@code x-forwarded-for} (default
 *     false: Sluice always appends it; Envoy appends only with {@code use_remote_address})
 */
public record HttpConnectionOptions(
    boolean useRemoteAddress,
    int xffNumTrustedHops,
    String serverName,
    ServerHeaderTransformation serverHeaderTransformation,
    int maxRequestHeadersKb,
    int maxHeadersCount,
    Duration idleTimeout,
    Duration maxConnectionDuration,
    Duration streamIdleTimeout,
    Duration requestTimeout,
    Duration drainTimeout,
    boolean generateRequestId,
    boolean preserveExternalRequestId,
    boolean skipXffAppend) {

  /** The {@code server} header value when {@code server_name} is not set. */
  public static final String DEFAULT_SERVER_NAME = "sluice";

  /** What happens to a {@code server} header in an upstream response (Envoy's enum). */
  public enum ServerHeaderTransformation {
    /** Always replaced by {@code serverName} (Envoy's default). */
    OVERWRITE,
    /** Kept when present, {@code serverName} otherwise. */
    APPEND_IF_ABSENT,
    /** Passed through as it is, never added. */
    PASS_THROUGH
  }

  /** Every default: an {@code http_connection_manager} that sets none of these fields. */
  public static final HttpConnectionOptions DEFAULTS =
      new HttpConnectionOptions(
          false, 0, DEFAULT_SERVER_NAME, ServerHeaderTransformation.OVERWRITE, 60, 100, Duration.ofHours(1),
          Duration.ZERO, Duration.ofMinutes(5), Duration.ZERO, Duration.ofSeconds(5), true, false, false);

  public HttpConnectionOptions {
    Objects.requireNonNull(serverName, "serverName");
    Objects.requireNonNull(serverHeaderTransformation, "serverHeaderTransformation");
    if (xffNumTrustedHops < 0) {
      throw new IllegalArgumentException("xffNumTrustedHops must not be negative");
    }
    if (maxRequestHeadersKb < 1 || maxRequestHeadersKb > 8192) {
      throw new IllegalArgumentException("maxRequestHeadersKb must be in (0, 8192], got " + maxRequestHeadersKb);
    }
    if (maxHeadersCount < 1) {
      throw new IllegalArgumentException("maxHeadersCount must be at least 1, got " + maxHeadersCount);
    }
    Duration[] timeouts = {idleTimeout, maxConnectionDuration, streamIdleTimeout, requestTimeout, drainTimeout};
    for (Duration d : timeouts) {
      Objects.requireNonNull(d, "timeout");
      if (d.isNegative()) {
        throw new IllegalArgumentException("timeouts must not be negative, got " + d);
      }
    }
  }
}
