package io.sluice.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * A cluster's passive health checking, Envoy's consecutive-failure detectors ({@code
 * outlier_detection}). A cluster without the block has none, as in Envoy. Envoy's success-rate and
 * failure-percentage detectors are not implemented; their fields are reported as unsupported when
 * read.
 *
 * <p>What counts, as in Envoy:
 *
 * <ul>
 *   <li>With {@code split_external_local_origin_errors} false (the default), a locally originated
 *       failure (connect failure, connect timeout, reset before a response) is counted as a 5xx
 *       (Envoy maps it to 503), so it advances both the {@code consecutive_5xx} streak and the
 *       {@code consecutive_gateway_failure} streak; an upstream 5xx advances the 5xx streak, and a
 *       502, 503 or 504 also the gateway streak. Any other response ends both streaks.
 *   <li>With it true, locally originated failures only advance the {@code
 *       consecutive_local_origin_failure} streak, and responses only the other two.
 * </ul>
 *
 * <p>When a streak reaches its threshold the host is ejected with probability {@code enforcing_*}
 * percent (0 disables that detector; Envoy's gateway detector is off by default). An ejection lasts
 * {@code base_ejection_time} times the number of times the host has been ejected, at most {@code
 * max_ejection_time}. A host is only ejected while that keeps the ejected share of the cluster at or
 * below {@code max_ejection_percent}; since Envoy 1.31 this is strict (a 10% limit ejects nothing in
 * a cluster of fewer than 10 hosts) unless {@code always_eject_one_host} is set, which allows one
 * ejection whatever the percentage (the behaviour of older Envoy versions).
 *
 * @param consecutive5xx streak that ejects by the 5xx detector (default 5)
 * @param enforcingConsecutive5xx percent chance such an ejection happens (default 100)
 * @param consecutiveGatewayFailure streak that ejects by the gateway-failure detector (default 5)
 * @param enforcingConsecutiveGatewayFailure its percent chance (default 0: counted, never ejects)
 * @param splitExternalLocalOriginErrors whether local-origin failures are counted apart (default
 *     false)
 * @param consecutiveLocalOriginFailure streak of local-origin failures that ejects, when split
 *     (default 5)
 * @param enforcingConsecutiveLocalOriginFailure its percent chance (default 100)
 * @param interval how often ejections are reviewed and expired ones lifted (default 10s)
 * @param baseEjectionTime the first ejection's length (default 30s)
 * @param maxEjectionTime the longest ejection (default 300s, or {@code baseEjectionTime} when that
 *     is longer)
 * @param maxEjectionPercent the share of the cluster that may be ejected at once (default 10)
 * @param alwaysEjectOneHost whether one host may be ejected whatever {@code maxEjectionPercent}
 *     says (default false)
 */
public record OutlierDetection(
    long consecutive5xx,
    int enforcingConsecutive5xx,
    long consecutiveGatewayFailure,
    int enforcingConsecutiveGatewayFailure,
    boolean splitExternalLocalOriginErrors,
    long consecutiveLocalOriginFailure,
    int enforcingConsecutiveLocalOriginFailure,
    Duration interval,
    Duration baseEjectionTime,
    Duration maxEjectionTime,
    int maxEjectionPercent,
    boolean alwaysEjectOneHost) {

  /** Envoy's {@code max_ejection_time} when none is given (and the base time is shorter). */
  public static final Duration DEFAULT_MAX_EJECTION_TIME = Duration.ofSeconds(300);

  /** Every Envoy default: what {@code outlier_detection: {}} means. */
  public static final OutlierDetection DEFAULTS =
      new OutlierDetection(
          5, 100, 5, 0, false, 5, 100, Duration.ofSeconds(10), Duration.ofSeconds(30),
          DEFAULT_MAX_EJECTION_TIME, 10, false);

  public OutlierDetection {
    percent("enforcingConsecutive5xx", enforcingConsecutive5xx);
    percent("enforcingConsecutiveGatewayFailure", enforcingConsecutiveGatewayFailure);
    percent("enforcingConsecutiveLocalOriginFailure", enforcingConsecutiveLocalOriginFailure);
    percent("maxEjectionPercent", maxEjectionPercent);
    positive("interval", interval);
    positive("baseEjectionTime", baseEjectionTime);
    positive("maxEjectionTime", maxEjectionTime);
    if (consecutive5xx < 0 || consecutiveGatewayFailure < 0 || consecutiveLocalOriginFailure < 0) {
      throw new IllegalArgumentException("consecutive failure thresholds must not be negative");
    }
  }

  private static void percent(String name, int value) {
    if (value < 0 || value > 100) {
      throw new IllegalArgumentException(name + " must be between 0 and 100, got " + value);
    }
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be greater than 0, got " + d);
    }
  }
}
