package io.sluice.tools;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a load saw in one interval: answers by kind (good: status 200-499, bad: any other status,
 * failed: no answer), their latencies, and their count per body label. Owned by one event loop
 * while it fills; merged on the reporting thread once handed over.
 */
final class IntervalStats {
  /** Distinct labels counted one by one; answers with further labels are counted under {@link #OTHER}. */
  static final int MAX_LABELS = 1000;
  static final String OTHER = "(other)";

  // Nanoseconds, three significant digits (0.1% resolution), growing to whatever the values need.
  final Histogram latency = new Histogram(3);
  long good;
  long bad;
  long failed;
  long minNanos = Long.MAX_VALUE;
  long maxNanos;
  final Map<String, long[]> bodies = new HashMap<>();

  /** An answer with {@code status} and a body labelled {@code label}, {@code latencyNanos} after its intended time. */
  void answered(int status, String label, long latencyNanos) {
    if (status >= 200 && status < 500) {
      good++;
    } else {
      bad++;
    }
    long v = Math.max(0, latencyNanos);
    latency.recordValue(v);
    minNanos = Math.min(minNanos, v);
    maxNanos = Math.max(maxNanos, v);
    count(label, 1);
  }

  /** A request that got no answer: refused, reset, timed out, or not HTTP. */
  void failed() {
    failed++;
  }

  private void count(String label, long n) {
    long[] c = bodies.get(label);
    if (c == null) {
      if (bodies.size() >= MAX_LABELS && !label.equals(OTHER)) {
        count(OTHER, n);
        return;
      }
      bodies.put(label, c = new long[1]);
    }
    c[0] += n;
  }

  /** Adds everything {@code other} saw. */
  void add(IntervalStats other) {
    latency.add(other.latency);
    good += other.good;
    bad += other.bad;
    failed += other.failed;
    minNanos = Math.min(minNanos, other.minNanos);
    maxNanos = Math.max(maxNanos, other.maxNanos);
    other.bodies.forEach((label, c) -> count(label, c[0]));
  }

  /** The latencies, or null when nothing was answered. */
  LoadReport.Latencies latencies() {
    if (good + bad == 0) {
      return null;
    }
    return new LoadReport.Latencies(minNanos, percentile(50), percentile(95), percentile(99), percentile(99.9), maxNanos);
  }

  // The histogram answers with the top of the value's bucket (0.1% wide), which can be just above
  // the exact maximum; kept within the exact extremes so that no percentile exceeds max.
  private long percentile(double p) {
    return Math.max(minNanos, Math.min(maxNanos, latency.getValueAtPercentile(p)));
  }

  /** The count per label, most frequent first (ties by label). */
  List<LoadReport.BodyCount> bodyCounts() {
    List<LoadReport.BodyCount> out = new ArrayList<>(bodies.size());
    bodies.forEach((label, c) -> out.add(new LoadReport.BodyCount(label, c[0])));
    out.sort((a, b) -> a.count() != b.count() ? Long.compare(b.count(), a.count()) : a.label().compareTo(b.label()));
    return out;
  }
}
