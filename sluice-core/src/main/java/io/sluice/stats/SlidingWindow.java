package io.sluice.stats;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * What happened over the last {@code window}, in 60 buckets of {@code window / 60}: requests,
 * failures (5xx answers and transport failures), status classes, bytes, and latency. Writers never
 * lock: a bucket is a set of {@link StripedLong} counters and a {@link StripedHistogram} (whose count is the
 * request count: every request records one latency), and a slot whose bucket has aged out is
 * replaced by a fresh one with a compare-and-set.
 *
 * <p>A reader sums the buckets whose time lies within the span asked for, so data older than the
 * span rolls off one bucket at a time. Rates divide by the time the window actually covers: the
 * span, or less while the window has not been running that long.
 */
public final class SlidingWindow {
  /** Buckets per window. */
  public static final int BUCKETS = 60;

  private final long windowNanos;
  private final long bucketNanos;
  private final LongSupplier clock;
  private final long startNanos;
  private final AtomicReferenceArray<Bucket> slots = new AtomicReferenceArray<>(BUCKETS);

  /** A window starting now. */
  public SlidingWindow(Duration window, LongSupplier clock) {
    this(window, clock, clock.getAsLong());
  }

  /**
   * A window whose buckets are counted from {@code originNanos}: windows with one origin have
   * their bucket boundaries at the same instants, so their sums over a span cover the same time
   * (a route's window and its backends' windows add up). Nothing before the window was created
   * was recorded, so the time it covers runs from the origin.
   */
  public SlidingWindow(Duration window, LongSupplier clock, long originNanos) {
    this.windowNanos = Math.max(BUCKETS, window.toNanos());
    this.bucketNanos = windowNanos / BUCKETS;
    this.clock = clock;
    this.startNanos = originNanos;
  }

  /** The window's length. */
  public Duration window() {
    return Duration.ofNanos(windowNanos);
  }

  /** {@code span} rounded up to whole buckets, between one bucket and the whole window. */
  public Duration roundSpan(Duration span) {
    return roundSpan(span, windowNanos);
  }

  /** {@code span} rounded up to whole buckets of a window of {@code windowNanos}. */
  static Duration roundSpan(Duration span, long windowNanos) {
    return Duration.ofNanos(buckets(span, windowNanos) * windowNanos / BUCKETS);
  }

  /**
   * The buckets a span takes: span / (window / 60) rounded up, computed as span * 60 / window so
   * that a span of whole seconds is whole buckets even when a bucket is not a whole number of
   * nanoseconds (a 10 s window has buckets of 1/6 s).
   */
  private static long buckets(Duration span, long windowNanos) {
    long s = span.isNegative() ? 0 : Math.min(span.toNanos(), windowNanos);
    return Math.max(1, Math.min(BUCKETS, (s * BUCKETS + windowNanos - 1) / windowNanos));
  }

  /** The window's clock now, for {@link #record(long, int, boolean, long, long, long)}. */
  public long now() {
    return clock.getAsLong();
  }

  /**
   * Records one request.
   *
   * @param status the status answered (0 when none came: a transport failure)
   * @param transportFailure the upstream connection failed or reset, or timed out
   */
  public void record(int status, boolean transportFailure, long latencyMicros, long bytesIn, long bytesOut) {
    record(clock.getAsLong(), status, transportFailure, latencyMicros, bytesIn, bytesOut);
  }

  /**
   * Records one request at {@code nowNanos}, a reading of this window's clock ({@link #now}): one
   * reading serves the several windows a request is recorded in.
   */
  public void record(
      long nowNanos, int status, boolean transportFailure, long latencyMicros, long bytesIn, long bytesOut) {
    record(StripedHistogram.stripe(), nowNanos, status, transportFailure, latencyMicros, bytesIn, bytesOut);
  }

  void record(int stripe, long nowNanos, int status, boolean transportFailure, long latencyMicros, long bytesIn,
      long bytesOut) {
    Bucket b = current(nowNanos);
    // One latency per request: the histogram's count is the request count.
    if (transportFailure || status >= 500) {
      b.failures.add(stripe, 1);
    }
    if (status >= 100 && status < 600) {
      b.classes[status / 100].add(stripe, 1);
    }
    if (bytesIn != 0) {
      b.bytesIn.add(stripe, bytesIn);
    }
    if (bytesOut != 0) {
      b.bytesOut.add(stripe, bytesOut);
    }
    b.latency.record(stripe, Math.max(0, latencyMicros));
  }

  private Bucket current(long nowNanos) {
    long epoch = (nowNanos - startNanos) / bucketNanos;
    int slot = (int) Math.floorMod(epoch, (long) BUCKETS);
    while (true) {
      Bucket b = slots.get(slot);
      if (b != null && b.epoch == epoch) {
        return b;
      }
      if (b != null && b.epoch > epoch) {
        // Another thread already moved on; our event belongs to a bucket that just closed. Count it
        // in the newer bucket rather than lose it.
        return b;
      }
      Bucket fresh = new Bucket(epoch);
      if (slots.compareAndSet(slot, b, fresh)) {
        return fresh;
      }
    }
  }

  /** Whether any request was recorded within the last full window. */
  public boolean active() {
    long epoch = (clock.getAsLong() - startNanos) / bucketNanos;
    for (int i = 0; i < BUCKETS; i++) {
      Bucket b = slots.get(i);
      if (b != null && b.epoch > epoch - BUCKETS && b.epoch <= epoch) {
        return true;
      }
    }
    return false;
  }

  /** The sum of the buckets within the last {@code span} (at most the window, at least one bucket). */
  public WindowSnapshot snapshot(Duration span) {
    long now = clock.getAsLong();
    long epoch = (now - startNanos) / bucketNanos;
    int count = (int) buckets(span, windowNanos);
    long oldest = epoch - count + 1;
    long requests = 0;
    long failures = 0;
    long[] classes = new long[6];
    long in = 0;
    long out = 0;
    Histogram latency = new Histogram(2);
    latency.setAutoResize(true);
    for (int i = 0; i < BUCKETS; i++) {
      Bucket b = slots.get(i);
      if (b == null || b.epoch < oldest || b.epoch > epoch) {
        continue;
      }
      requests += b.latency.totalCount();
      failures += b.failures.sum();
      for (int c = 1; c < 6; c++) {
        classes[c] += b.classes[c].sum();
      }
      in += b.bytesIn.sum();
      out += b.bytesOut.sum();
      b.latency.addTo(latency);
    }
    long covered = Math.min(count * windowNanos / BUCKETS, Math.max(1, now - startNanos));
    return new WindowSnapshot(requests, failures, classes, in, out, latency, covered / 1e9);
  }

  private static final class Bucket {
    final long epoch;
    final StripedLong failures = new StripedLong();
    final StripedLong[] classes = {
      null, new StripedLong(), new StripedLong(), new StripedLong(), new StripedLong(), new StripedLong()
    };
    final StripedLong bytesIn = new StripedLong();
    final StripedLong bytesOut = new StripedLong();
    final StripedHistogram latency = new StripedHistogram();

    Bucket(long epoch) {
      this.epoch = epoch;
    }
  }
}
