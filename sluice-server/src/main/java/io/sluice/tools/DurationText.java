package io.sluice.tools;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them on a command line or in a query string: a decimal number and a
 * unit, {@code 250us}, {@code 5ms}, {@code 1.5s}, {@code 2m}, {@code 1h}.
 */
public final class DurationText {
  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)(us|ms|s|m|h)");

  private DurationText() {}

  /** The duration {@code text} says; throws {@link IllegalArgumentException} saying what is expected. */
  public static Duration parse(String text) {
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a duration such as 500ms, 1.5s or 2m, got '" + text + "'");
    }
    long unitNanos = switch (m.group(2)) {
      case "us" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      default -> 3_600_000_000_000L;
    };
    BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos));
    // A year is far beyond anything these tools wait for; it keeps nanosecond arithmetic in a long.
    if (nanos.compareTo(BigDecimal.valueOf(365L * 24 * 3_600_000_000_000L)) > 0) {
      throw new IllegalArgumentException("a duration of at most a year, got '" + text + "'");
    }
    return Duration.ofNanos(nanos.longValue());
  }

  /** The shortest of {@code 1h}, {@code 2m}, {@code 10s}, {@code 1.5s}, {@code 250ms}, {@code 40us} that is exact. */
  public static String format(Duration d) {
    long n = d.toNanos();
    if (n == 0) {
      return "0s";
    }
    if (n % 3_600_000_000_000L == 0) {
      return n / 3_600_000_000_000L + "h";
    }
    if (n % 60_000_000_000L == 0) {
      return n / 60_000_000_000L + "m";
    }
    if (n >= 1_000_000_000L && n % 1_000_000L == 0) {
      return BigDecimal.valueOf(n, 9).stripTrailingZeros().toPlainString() + "s";
    }
    if (n % 1_000_000L == 0) {
      return n / 1_000_000L + "ms";
    }
    return BigDecimal.valueOf(n, 3).stripTrailingZeros().toPlainString() + "us";
  }
}
