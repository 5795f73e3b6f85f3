package io.sluice.stats;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A latency distribution in milliseconds, recorded in microseconds into an HdrHistogram striped
 * per recording thread ({@link StripedHistogram}: lock-free for writers, two significant digits:
 * any reported value is within 1% of the true one), exposed as Envoy's quantiles on {@code /stats}
 * and as a Prometheus histogram with Envoy's default bucket bounds.
 */
public final class LatencyHistogram implements Metric {
  /** Envoy's default histogram bucket upper bounds, in milliseconds. */
  public static final double[] BUCKETS_MS = {
    0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000
  };

  private final String name;
  private final String family;
  private final Map<String, String> labels;
  private final String help;
  private volatile StripedHistogram micros = new StripedHistogram();

  LatencyHistogram(String name, String family, Map<String, String> labels, String help) {
    this.name = name;
    this.family = family;
    this.labels = labels;
    this.help = help;
  }

  /** Records one latency. */
  public void recordMicros(long latencyMicros) {
    recordMicros(StripedHistogram.stripe(), latencyMicros);
  }

  /** Records one latency from the thread whose stripe is {@code stripe} ({@link RequestRecorder}'s). */
  void recordMicros(int stripe, long latencyMicros) {
    micros.record(stripe, Math.max(0, latencyMicros));
  }

  /** A copy of the distribution (microseconds) for reading without blocking writers. */
  public Histogram snapshot() {
    return micros.snapshot();
  }

  /**
   * The sum of every latency in {@code snapshot}, in milliseconds: each value counted at the
   * middle of its histogram bucket, so within the histogram's 1% (no exact sum is kept: it would
   * cost every request one more atomic add).
   */
  public static double sumMillis(Histogram snapshot) {
    return snapshot.getMean() * snapshot.getTotalCount() / 1000.0;
  }

  /** Forgets everything recorded. */
  public void reset() {
    micros = new StripedHistogram();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String family() {
    return family;
  }

  @Override
  public Map<String, String> labels() {
    return labels;
  }

  @Override
  public String help() {
    return help;
  }

  @Override
  public boolean used() {
    return !micros.isEmpty();
  }
}
