package io.sluice.runtime;

/**
 * Envoy's {@code envoy.type.v3.FractionalPercent}: {@code numerator / denominator}, where the
 * denominator is one of three fixed values.
 */
public record FractionalPercent(long numerator, Denominator denominator) {

  /** The fixed denominators, in protobuf number order. */
  public enum Denominator {
    HUNDRED(100),
    TEN_THOUSAND(10_000),
    MILLION(1_000_000);

    private final long value;

    Denominator(long value) {
      this.value = value;
    }

    /** The denominator as a number. */
    public long value() {
      return value;
    }
  }

  public FractionalPercent {
    if (numerator < 0) {
      throw new IllegalArgumentException("numerator must not be negative: " + numerator);
    }
    if (denominator == null) {
      throw new IllegalArgumentException("denominator is required");
    }
  }

  /** {@code numerator / 100}. */
  public static FractionalPercent ofHundred(long numerator) {
    return new FractionalPercent(numerator, Denominator.HUNDRED);
  }

  /**
   * Whether a request drawing {@code randomValue} falls inside the fraction. As in Envoy, the
   * random value is an unsigned 64-bit number and the request is inside when {@code random mod
   * denominator < numerator}; a numerator at or above the denominator therefore always matches, and
   * 0 never does.
   */
  public boolean matches(long randomValue) {
    return Long.remainderUnsigned(randomValue, denominator.value) < numerator;
  }

  @Override
  public String toString() {
    return numerator + "/" + denominator.value;
  }
}
