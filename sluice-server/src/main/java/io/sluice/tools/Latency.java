package io.sluice.tools;

import java.time.Duration;

/**
 * How long a backend waits before answering: a base delay and a jitter, each answer waiting a time
 * drawn uniformly from {@code [base - jitter, base + jitter]} (never below zero). Written {@code
 * 5ms}, {@code 5ms±2ms} or, easier to type, {@code 5ms+-2ms}.
 */
public record Latency(Duration base, Duration jitter) {
  /** No delay at all: answers are written as soon as the request has been read. */
  public static final Latency NONE = new Latency(Duration.ZERO, Duration.ZERO);

  public Latency {
    if (base.isNegative() || jitter.isNegative()) {
      throw new IllegalArgumentException("latency and jitter must not be negative, got " + base + " and " + jitter);
    }
  }

  /** Parses {@code 5ms}, {@code 5ms±2ms}, {@code 5ms+-2ms}; throws {@link IllegalArgumentException} otherwise. */
  public static Latency parse(String text) {
    String t = text.strip();
    int plusMinus = t.indexOf('±');
    int width = 1;
    if (plusMinus < 0) {
      plusMinus = t.indexOf("+-");
      width = 2;
    }
    try {
      if (plusMinus < 0) {
        return new Latency(DurationText.parse(t), Duration.ZERO);
      }
      return new Latency(DurationText.parse(t.substring(0, plusMinus)), DurationText.parse(t.substring(plusMinus + width)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected a latency such as 5ms or 5ms±2ms, got '" + text + "'");
    }
  }

  /** Whether every answer waits zero time. */
  public boolean isZero() {
    return base.isZero() && jitter.isZero();
  }

  /**
   * The wait for one answer, from one 64-bit random value. Its top 53 bits make a fraction {@code u}
   * in [0, 1) (the way {@code SplittableRandom.nextDouble} does it), and the wait is {@code base +
   * jitter * (2u - 1)}: uniform over [base - jitter, base + jitter), cut at zero.
   */
  public long nanos(long random) {
    long b = base.toNanos();
    if (jitter.isZero()) {
      return b;
    }
    double u = (random >>> 11) * 0x1.0p-53;
    long wait = b + (long) (jitter.toNanos() * (2 * u - 1));
    return Math.max(0, wait);
  }

  @Override
  public String toString() {
    return jitter.isZero()
        ? DurationText.format(base)
        : DurationText.format(base) + "±" + DurationText.format(jitter);
  }
}
