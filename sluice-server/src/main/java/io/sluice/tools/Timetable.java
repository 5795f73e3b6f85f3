package io.sluice.tools;

/**
 * When each request of an open-loop load is meant to be sent: request {@code i} (from 0) at {@code
 * start + i / qps} seconds, whether or not a connection is free then. Latency is measured from
 * these times, so a stall delays the intended times of nothing and shows in every request it held
 * up (no coordinated omission). A load may end after {@code total} requests or at a deadline: the
 * requests intended before it.
 */
final class Timetable {
  private final long start;
  private final double nanosPerRequest;
  private final long limit;

  /**
   * @param start the intended time of request 0, in {@link System#nanoTime} terms
   * @param qps requests per second, more than 0
   * @param total the number of requests, or 0 for no limit
   * @param durationNanos how long after {@code start} the load ends, or 0 for never
   */
  Timetable(long start, double qps, long total, long durationNanos) {
    if (!(qps > 0)) {
      throw new IllegalArgumentException("qps must be more than 0 for a timetable, got " + qps);
    }
    this.start = start;
    this.nanosPerRequest = 1e9 / qps;
    long byTotal = total > 0 ? total : Long.MAX_VALUE;
    long byDeadline = durationNanos > 0 ? countIntendedBefore(durationNanos) : Long.MAX_VALUE;
    this.limit = Math.min(byTotal, byDeadline);
  }

  long start() {
    return start;
  }

  /** How many requests the timetable has: at most {@code total}, and only those intended before the deadline. */
  long limit() {
    return limit;
  }

  /**
   * The intended time of request {@code i}. Computed from {@code i} each time rather than by adding
   * the period again and again, so that rounding never accumulates: request one million of a
   * 3-per-second load is exactly where it should be.
   */
  long intended(long i) {
    return start + (long) (i * nanosPerRequest);
  }

  /** How many requests are intended at or before {@code now} (at most {@link #limit}). */
  long dueBy(long now) {
    long elapsed = now - start;
    if (elapsed < 0) {
      return 0;
    }
    // The estimate from the rate, then corrected by the exact rule so that dueBy and intended agree
    // where floating point rounds the other way.
    long n = (long) Math.min((double) Long.MAX_VALUE / 2, Math.floor(elapsed / nanosPerRequest) + 1);
    while (n > 0 && intended(n - 1) > now) {
      n--;
    }
    while (n < limit && intended(n) <= now) {
      n++;
    }
    return Math.min(n, limit);
  }

  /** How many requests are intended in {@code (from, to]}: an interval's goal. */
  long dueBetween(long from, long to) {
    return dueBy(to) - dueBy(from);
  }

  private long countIntendedBefore(long durationNanos) {
    // Requests intended strictly before start + duration.
    long n = (long) Math.ceil(durationNanos / nanosPerRequest);
    while (n > 0 && (long) ((n - 1) * nanosPerRequest) >= durationNanos) {
      n--;
    }
    while ((long) (n * nanosPerRequest) < durationNanos) {
      n++;
    }
    return n;
  }
}
