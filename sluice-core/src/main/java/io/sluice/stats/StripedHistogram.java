package io.sluice.stats;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A concurrent HdrHistogram (two significant digits, growing as needed) split into stripes, one
 * per recording thread: event loops recording the same latency never write the same cache line,
 * where one shared {@link ConcurrentHistogram} would have every record bounce its counters between
 * cores (four atomic increments per value). Each thread gets the next stripe the first time it
 * records; a stripe is created when its thread first records, so an idle histogram stays small.
 * Readers add the stripes up.
 */
final class StripedHistogram {
  /** Stripes per histogram: twice the cores, a power of two, so that event loops rarely share one. */
  static final int STRIPES = Integer.highestOneBit(Math.max(1, 2 * Runtime.getRuntime().availableProcessors() - 1)) << 1;

  private static final AtomicInteger NEXT = new AtomicInteger();
  /**
   * The first {@link #STRIPES} threads that record get a stripe each, 0 to STRIPES - 1, which is
   * theirs alone ({@link StripedLong} writes it without an atomic instruction); later threads get
   * STRIPES or more and share ({@code stripe & (STRIPES - 1)} here, one atomic slot in StripedLong).
   */
  private static final ThreadLocal<Integer> STRIPE = ThreadLocal.withInitial(() -> {
    int n = NEXT.getAndIncrement();
    return n < STRIPES ? n : STRIPES + (n & (STRIPES - 1));
  });

  private final AtomicReferenceArray<ConcurrentHistogram> stripes = new AtomicReferenceArray<>(STRIPES);

  /** The calling thread's stripe: below {@link #STRIPES} when it is the thread's alone. */
  static int stripe() {
    return STRIPE.get();
  }

  /** Records a value into {@code stripe} (the recording thread's, {@link #stripe()}). */
  void record(int stripe, long value) {
    stripe &= STRIPES - 1;
    ConcurrentHistogram h = stripes.get(stripe);
    if (h == null) {
      h = newHistogram();
      if (!stripes.compareAndSet(stripe, null, h)) {
        h = stripes.get(stripe);
      }
    }
    h.recordValue(value);
  }

  /** The sum of every stripe, as a new histogram. */
  Histogram snapshot() {
    Histogram sum = new Histogram(2);
    sum.setAutoResize(true);
    addTo(sum);
    return sum;
  }

  /** Adds every stripe to {@code target}. */
  void addTo(Histogram target) {
    for (int i = 0; i < STRIPES; i++) {
      ConcurrentHistogram h = stripes.get(i);
      if (h != null) {
        target.add(h);
      }
    }
  }

  /** How many values were recorded. */
  long totalCount() {
    long n = 0;
    for (int i = 0; i < STRIPES; i++) {
      ConcurrentHistogram h = stripes.get(i);
      if (h != null) {
        n += h.getTotalCount();
      }
    }
    return n;
  }

  /** Whether anything was recorded. */
  boolean isEmpty() {
    return totalCount() == 0;
  }

  private static ConcurrentHistogram newHistogram() {
    ConcurrentHistogram h = new ConcurrentHistogram(2);
    h.setAutoResize(true);
    return h;
  }
}
