package io.sluice.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.config.Documents;
import java.util.Objects;

/**
 * One runtime value, parsed once the way Envoy parses it, so that lookups on the request path do
 * no parsing:
 *
 * <ul>
 *   <li>a number is kept as a double, and also as an unsigned integer (floored) when it is
 *       non-negative, so {@code 42.9} reads as the integer 42;
 *   <li>{@code true}/{@code false} are booleans, never numbers;
 *   <li>an object with {@code numerator} (and optionally {@code denominator}) is a {@link
 *       FractionalPercent};
 *   <li>anything else is only a string, and numeric lookups fall back to their defaults.
 * </ul>
 */
public final class RuntimeEntry {
  /** Envoy's uint64 limit: a double above it has no integer value. */
  private static final double UINT64_LIMIT = 18446744073709551615.0;

  private final String raw;
  private final double doubleValue;
  private final boolean hasDouble;
  private final long uintValue;
  private final boolean hasUint;
  private final Boolean boolValue;
  private final FractionalPercent fraction;

  private RuntimeEntry(String raw, Double d, Boolean b, FractionalPercent fraction) {
    this.raw = raw;
    this.hasDouble = d != null && !d.isNaN();
    this.doubleValue = hasDouble ? d : Double.NaN;
    this.hasUint = hasDouble && doubleValue >= 0 && doubleValue <= UINT64_LIMIT;
    this.uintValue = hasUint ? toUnsignedLong(Math.floor(doubleValue)) : 0;
    this.boolValue = b;
    this.fraction = fraction;
  }

  /** Parses a value given as text, as the admin layer ({@code /runtime_modify}) receives it. */
  public static RuntimeEntry parse(String raw) {
    Objects.requireNonNull(raw, "raw");
    String s = raw.trim();
    if (s.equals("true") || s.equals("false")) {
      return new RuntimeEntry(raw, null, Boolean.valueOf(s), null);
    }
    if (s.startsWith("{")) {
      try {
        JsonNode node = Documents.readOne(s, "runtime value", Documents.Format.YAML);
        FractionalPercent f = fractionOf(node);
        if (f != null) {
          return new RuntimeEntry(raw, null, null, f);
        }
      } catch (RuntimeException e) {
        // not a fraction: it stays a plain string
      }
      return new RuntimeEntry(raw, null, null, null);
    }
    return new RuntimeEntry(raw, parseDouble(s), null, null);
  }

  /** Parses a value from a configuration tree, as a static layer holds it. */
  public static RuntimeEntry of(JsonNode node) {
    if (node.isBoolean()) {
      return new RuntimeEntry(node.asText(), null, node.booleanValue(), null);
    }
    if (node.isNumber()) {
      return new RuntimeEntry(node.asText(), node.doubleValue(), null, null);
    }
    if (node.isObject()) {
      return new RuntimeEntry(node.toString(), null, null, fractionOf(node));
    }
    return parse(node.asText());
  }

  /** The value as written. */
  public String raw() {
    return raw;
  }

  /** Whether the value is a number that is a valid unsigned integer once floored. */
  public boolean hasInteger() {
    return hasUint;
  }

  /** The floored unsigned value (as the bits of a long); meaningful only when {@link #hasInteger}. */
  public long integer() {
    return uintValue;
  }

  /** Whether the value is a number. */
  public boolean hasDouble() {
    return hasDouble;
  }

  /** The number; NaN when the value is not one. */
  public double doubleValue() {
    return doubleValue;
  }

  /** The boolean, or null when the value is not {@code true}/{@code false}. */
  public Boolean bool() {
    return boolValue;
  }

  /** The fraction, or null when the value is not a numerator/denominator object. */
  public FractionalPercent fraction() {
    return fraction;
  }

  @Override
  public String toString() {
    return raw;
  }

  private static FractionalPercent fractionOf(JsonNode node) {
    if (node == null || !node.isObject() || !(node.has("numerator") || node.has("denominator"))) {
      return null;
    }
    long numerator = 0;
    FractionalPercent.Denominator denominator = FractionalPercent.Denominator.HUNDRED;
    var names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      JsonNode v = node.get(name);
      switch (name) {
        case "numerator" -> {
          Double d = v.isNumber() ? Double.valueOf(v.doubleValue()) : parseDouble(v.asText());
          if (d == null || d < 0 || d > 0xFFFF_FFFFL || d != Math.rint(d)) {
            return null;
          }
          numerator = d.longValue();
        }
        case "denominator" -> {
          denominator = denominatorOf(v);
          if (denominator == null) {
            return null;
          }
        }
        default -> {
          return null;
        }
      }
    }
    return new FractionalPercent(numerator, denominator);
  }

  private static FractionalPercent.Denominator denominatorOf(JsonNode v) {
    FractionalPercent.Denominator[] all = FractionalPercent.Denominator.values();
    if (v.isIntegralNumber()) {
      int i = v.intValue();
      return i >= 0 && i < all.length ? all[i] : null;
    }
    for (FractionalPercent.Denominator d : all) {
      if (d.name().equals(v.asText())) {
        return d;
      }
    }
    return null;
  }

  private static Double parseDouble(String s) {
    if (s.isEmpty()) {
      return null;
    }
    // Envoy uses absl::SimpleAtod, which takes decimal and exponent forms but not hex or "1_000".
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
        return null;
      }
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long toUnsignedLong(double d) {
    if (d < 9.223372036854775807E18) {
      return (long) d;
    }
    // Above Long.MAX_VALUE: subtract 2^63 and set the top bit.
    return ((long) (d - 9.223372036854775808E18)) | Long.MIN_VALUE;
  }
}
