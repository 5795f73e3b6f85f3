package io.sluice.check;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats numbers as a C++ {@code std::ostream} does by default ({@code printf("%g")} with 6
 * significant digits), so that coverage figures print exactly as Envoy's tool prints them: {@code
 * 100}, {@code 66.6667}, {@code 1e-05}.
 */
public final class CppFloatFormat {
  private CppFloatFormat() {}

  /**
   * A value Envoy computed in {@code double} and returned as {@code float}: rounded to float
   * first, then widened and printed.
   */
  public static String ofFloat(double value) {
    return format((float) value, 6);
  }

  /** {@code %g} with {@code precision} significant digits (trailing zeros removed, as {@code %g} does). */
  public static String format(double value, int precision) {
    if (Double.isNaN(value)) {
      // glibc prints the sign bit of a NaN; 0.0/0.0 on x86 yields a negative NaN.
      return (Double.doubleToRawLongBits(value) < 0 ? "-" : "") + "nan";
    }
    if (Double.isInfinite(value)) {
      return value < 0 ? "-inf" : "inf";
    }
    if (value == 0) {
      return (1 / value < 0) ? "-0" : "0";
    }
    int p = Math.max(precision, 1);
    // %g rounds the exact binary value (BigDecimal(double) is exact) to p significant digits,
    // ties to even as glibc does, then picks the style from the exponent X of the rounded value:
    // scientific when X < -4 or X >= p, fixed otherwise.
    BigDecimal rounded = new BigDecimal(value).round(new MathContext(p, RoundingMode.HALF_EVEN));
    int exponent = rounded.precision() - rounded.scale() - 1;
    if (exponent < -4 || exponent >= p) {
      BigDecimal mantissa = rounded.movePointLeft(exponent);
      String digits = stripZeros(mantissa.setScale(p - 1, RoundingMode.UNNECESSARY).toPlainString());
      String sign = exponent < 0 ? "-" : "+";
      int abs = Math.abs(exponent);
      return digits + "e" + sign + (abs < 10 ? "0" : "") + abs;
    }
    return stripZeros(rounded.setScale(Math.max(p - 1 - exponent, 0), RoundingMode.UNNECESSARY).toPlainString());
  }

  /**
   * The shortest of {@code %.15g} and {@code %.17g} that reads back as the same double, which is
   * how protobuf's text format prints a {@code double} field.
   */
  public static String shortestRoundTrip(double value) {
    String s = format(value, 15);
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return s.replace("-nan", "nan");
    }
    return Double.parseDouble(s) == value ? s : format(value, 17);
  }

  private static String stripZeros(String fixed) {
    if (fixed.indexOf('.') < 0) {
      return fixed;
    }
    int end = fixed.length();
    while (fixed.charAt(end - 1) == '0') {
      end--;
    }
    if (fixed.charAt(end - 1) == '.') {
      end--;
    }
    return fixed.substring(0, end);
  }
}
