package io.sluice.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CppFloatFormatTest {

  @Test
  void printsLikeCppStreamsWithSixSignificantDigits() {
    assertThat(CppFloatFormat.format(100, 6)).isEqualTo("100");
    assertThat(CppFloatFormat.format(50, 6)).isEqualTo("50");
    assertThat(CppFloatFormat.format(66.66666666666667, 6)).isEqualTo("66.6667");
    assertThat(CppFloatFormat.format(7.448630136986301, 6)).isEqualTo("7.44863");
    assertThat(CppFloatFormat.format(87.5, 6)).isEqualTo("87.5");
    assertThat(CppFloatFormat.format(123456, 6)).isEqualTo("123456");
    assertThat(CppFloatFormat.format(0.0001, 6)).isEqualTo("0.0001");
    assertThat(CppFloatFormat.format(0, 6)).isEqualTo("0");
  }

  @Test
  void switchesToScientificOutsideTheFixedRange() {
    assertThat(CppFloatFormat.format(0.00001, 6)).isEqualTo("1e-05");
    assertThat(CppFloatFormat.format(0.00001234, 6)).isEqualTo("1.234e-05");
    assertThat(CppFloatFormat.format(1_000_000, 6)).isEqualTo("1e+06");
    assertThat(CppFloatFormat.format(1_234_567, 6)).isEqualTo("1.23457e+06");
    assertThat(CppFloatFormat.format(1e100, 6)).isEqualTo("1e+100");
    // 999999.5 rounds up to 1e+06, which is then printed in scientific style.
    assertThat(CppFloatFormat.format(999_999.5, 6)).isEqualTo("1e+06");
  }

  @Test
  void specialValues() {
    assertThat(CppFloatFormat.format(Double.POSITIVE_INFINITY, 6)).isEqualTo("inf");
    assertThat(CppFloatFormat.format(Double.NEGATIVE_INFINITY, 6)).isEqualTo("-inf");
    assertThat(CppFloatFormat.format(Double.NaN, 6)).isEqualTo("nan");
    assertThat(CppFloatFormat.format(-0.0, 6)).isEqualTo("-0");
  }

  @Test
  void roundsThroughFloatFirst() {
    // 100 * 1/3 in double is 33.333333333333336; as a float it is 33.33333206176758.
    assertThat(CppFloatFormat.ofFloat(100.0 / 3)).isEqualTo("33.3333");
    // 100 * 170 / 33 = 515.1515151515...; as a float it is 515.1514892578125, which prints 515.151.
    assertThat(CppFloatFormat.format(100.0 * 170 / 33, 6)).isEqualTo("515.152");
    assertThat(CppFloatFormat.ofFloat(100.0 * 170 / 33)).isEqualTo("515.151");
    assertThat(CppFloatFormat.ofFloat(0.1)).isEqualTo("0.1");
  }

  @Test
  void roundsExactBinaryValueHalfToEven() {
    // 0.125 and 0.375 are exact in binary: ties go to the even digit as in glibc.
    assertThat(CppFloatFormat.format(0.125, 2)).isEqualTo("0.12");
    assertThat(CppFloatFormat.format(0.375, 2)).isEqualTo("0.38");
    // 2.675 is really 2.67499999..., so it rounds down.
    assertThat(CppFloatFormat.format(2.675, 3)).isEqualTo("2.67");
  }

  @Test
  void shortestRoundTripForTextFormatDoubles() {
    assertThat(CppFloatFormat.shortestRoundTrip(0.1)).isEqualTo("0.1");
    assertThat(CppFloatFormat.shortestRoundTrip(3)).isEqualTo("3");
    assertThat(CppFloatFormat.shortestRoundTrip(1.0 / 3)).isEqualTo("0.33333333333333331");
    assertThat(CppFloatFormat.shortestRoundTrip(1e20)).isEqualTo("1e+20");
  }
}
