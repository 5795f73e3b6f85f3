package io.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;

/** Parses {@code google.protobuf.Duration} values and prints them the way proto3 JSON does. */
public final class Durations {
  // proto3 JSON limits a Duration to +-315,576,000,000 seconds (10,000 years).
  private static final long MAX_SECONDS = 315_576_000_000L;

  private Durations() {}

  /** A duration from {@code "1.5s"} or {@code {seconds: 1, nanos: 500000000}}; null if invalid. */
  public static Duration parse(JsonNode n) {
    if (n == null) {
      return null;
    }
    if (n.isTextual()) {
      return parse(n.asText());
    }
    if (n.isObject()) {
      long seconds = 0;
      long nanos = 0;
      var it = n.fieldNames();
      while (it.hasNext()) {
        String f = it.next();
        JsonNode v = n.get(f);
        Long value = integral(v);
        if (value == null) {
          return null;
        }
        switch (f) {
          case "seconds" -> seconds = value;
          case "nanos" -> nanos = value;
          default -> {
            return null;
          }
        }
      }
      if (Math.abs(seconds) > MAX_SECONDS || Math.abs(nanos) > 999_999_999L) {
        return null;
      }
      return Duration.ofSeconds(seconds, nanos);
    }
    return null;
  }

  /** A duration from proto3 JSON text such as {@code "30s"}, {@code "0.250s"}; null if invalid. */
  public static Duration parse(String text) {
    String s = text.trim();
    if (!s.endsWith("s") || s.length() < 2) {
      return null;
    }
    try {
      BigDecimal seconds = new BigDecimal(s.substring(0, s.length() - 1));
      if (seconds.abs().compareTo(BigDecimal.valueOf(MAX_SECONDS)) > 0 || seconds.scale() > 9) {
        return null;
      }
      BigDecimal nanos = seconds.movePointRight(9);
      return Duration.ofNanos(0).plusSeconds(seconds.longValue())
          .plusNanos(nanos.remainder(BigDecimal.valueOf(1_000_000_000L)).longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  /** The proto3 JSON form: {@code "120s"}, {@code "0.500s"}. */
  public static String format(Duration d) {
    if (d.getNano() == 0) {
      return d.getSeconds() + "s";
    }
    BigDecimal s = BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9));
    return s.stripTrailingZeros().toPlainString() + "s";
  }

  private static Long integral(JsonNode v) {
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.longValue();
    }
    if (v.isTextual()) {
      try {
        return Long.parseLong(v.asText().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
