package io.sluice.stats;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * A window's totals: requests, failures, status classes, bytes, and the latency distribution in
 * microseconds. Snapshots of several proxies add up exactly ({@link #plus}), histograms included,
 * which is how {@code sluice stat} sums proxies.
 *
 * @param seconds the time the snapshot covers
 */
public record WindowSnapshot(
    long requests, long failures, long[] classes, long bytesIn, long bytesOut, Histogram latency, double seconds) {

  /** Nothing, over {@code seconds}. */
  public static WindowSnapshot empty(double seconds) {
    Histogram h = new Histogram(2);
    h.setAutoResize(true);
    return new WindowSnapshot(0, 0, new long[6], 0, 0, h, seconds);
  }

  /** The share of requests that did not fail, or NaN without requests. */
  public double successRate() {
    return requests == 0 ? Double.NaN : (requests - failures) / (double) requests;
  }

  /** Requests per second over the covered time. */
  public double requestsPerSecond() {
    return seconds <= 0 ? 0 : requests / seconds;
  }

  /** A latency quantile in milliseconds (q in [0, 1]), or NaN without requests. */
  public double latencyMillis(double q) {
    return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(q * 100) / 1000.0;
  }

  /** This snapshot plus another (covering the same time, from another proxy). */
  public WindowSnapshot plus(WindowSnapshot o) {
    long[] c = new long[6];
    for (int i = 0; i < 6; i++) {
      c[i] = classes[i] + o.classes[i];
    }
    Histogram h = latency.copy();
    h.add(o.latency);
    return new WindowSnapshot(
        requests + o.requests, failures + o.failures, c, bytesIn + o.bytesIn, bytesOut + o.bytesOut, h,
        Math.max(seconds, o.seconds));
  }

  /** The latency distribution in HdrHistogram's compressed form, base64: what the admin API sends. */
  public String encodedLatency() {
    ByteBuffer buf = ByteBuffer.allocate(latency.getNeededByteBufferCapacity());
    int n = latency.encodeIntoCompressedByteBuffer(buf);
    byte[] bytes = new byte[n];
    buf.flip();
    buf.get(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Decodes {@link #encodedLatency()}. */
  public static Histogram decodeLatency(String base64) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("not an encoded latency histogram: " + e.getMessage(), e);
    }
  }
}
