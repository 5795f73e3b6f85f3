package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's verdict on a step, with fixed counts on both sides of every bound. */
class SplitCheckTest {
  private static final Map<String, Double> NINETY_TEN = shares("v1", 0.9, "v2", 0.1);

  @Test
  void theToleranceIsFourAndAHalfSigmasWithAFloorOfOnePoint() {
    // sigma = sqrt(0.1 * 0.9 / 1000) = 0.0094868; 4.5 sigma = 0.0426907
    assertThat(SplitCheck.tolerance(0.1, 1000)).isCloseTo(0.0426907, within(1e-7));
    assertThat(SplitCheck.tolerance(0.9, 1000)).isCloseTo(0.0426907, within(1e-7));
    // sigma = sqrt(0.33 * 0.67 / 1000) = 0.0148694; 4.5 sigma = 0.0669124
    assertThat(SplitCheck.tolerance(0.33, 1000)).isCloseTo(0.0669124, within(1e-7));
    // 4.5 sqrt(0.25 / 1e6) = 0.00225: below the floor of one point
    assertThat(SplitCheck.tolerance(0.5, 1_000_000)).isEqualTo(0.01);
    assertThat(SplitCheck.tolerance(1.0, 1000)).isZero();
    assertThat(SplitCheck.tolerance(0.0, 1000)).isZero();
  }

  @Test
  void aNinetyTenSplitPassesInsideTheBoundAndFailsJustOutside() {
    // 10% ± 4.27 points of 1000 answers: 58 to 142 answers for v2.
    assertThat(judge(NINETY_TEN, 858, 142).passed()).isTrue();
    assertThat(judge(NINETY_TEN, 942, 58).passed()).isTrue();
    assertThat(judge(NINETY_TEN, 857, 143).passed()).isFalse();
    assertThat(judge(NINETY_TEN, 943, 57).passed()).isFalse();
    assertThat(judge(NINETY_TEN, 1000, 0).passed()).as("no canary at all").isFalse();
  }

  @Test
  void theVerdictSaysWhatWasSeenAndWhy() {
    assertThat(judge(NINETY_TEN, 903, 97)).isEqualTo(new SplitCheck.Verdict(true,
        "v1=903 v2=97 of 1000 answers: v1 90.3% (expected 90% ± 4.3 points), v2 9.7% (expected 10% ± 4.3 points);"
            + " none failed"));
    assertThat(judge(NINETY_TEN, 800, 200)).isEqualTo(new SplitCheck.Verdict(false,
        "v1=800 v2=200 of 1000 answers: v1 80.0% (expected 90% ± 4.3 points), v2 20.0% (expected 10% ± 4.3 points);"
            + " v1 got 80.0% of the answers, expected 90% ± 4.3 points;"
            + " v2 got 20.0% of the answers, expected 10% ± 4.3 points"));
  }

  @Test
  void aThreeWaySplitIsJudgedShareByShare() {
    Map<String, Double> thirds = shares("v1", 0.33, "v2", 0.33, "v3", 0.34);
    assertThat(SplitCheck.judge(thirds, counts("v1", 314, "v2", 340, "v3", 346), 0, 0, 1000).passed()).isTrue();
    // v3 at 41%: 34% ± 6.74 points allows at most 40.7%.
    SplitCheck.Verdict v = SplitCheck.judge(thirds, counts("v1", 295, "v2", 295, "v3", 410), 0, 0, 1000);
    assertThat(v.passed()).isFalse();
    assertThat(v.text()).endsWith("; v3 got 41.0% of the answers, expected 34% ± 6.7 points");
  }

  @Test
  void aHundredPercentStepIsExact() {
    Map<String, Double> v1 = shares("v1", 1.0);
    assertThat(SplitCheck.judge(v1, counts("v1", 1000), 0, 0, 1000))
        .isEqualTo(new SplitCheck.Verdict(true, "all 1000 answers from v1; none failed"));
    assertThat(SplitCheck.judge(v1, counts("v1", 999_999, "v2", 1), 0, 0, 1_000_000))
        .isEqualTo(new SplitCheck.Verdict(false, "v1=999999 v2=1 of 1000000 answers; 1 answer not from v1 (v2=1)"));
  }

  @Test
  void anyFailedOrBadRequestFailsTheStep() {
    Map<String, Double> v2 = shares("v2", 1.0);
    assertThat(SplitCheck.judge(v2, counts("v2", 1000), 0, 1, 1001))
        .isEqualTo(new SplitCheck.Verdict(false, "all 1000 answers from v2; 1 request failed (no answer)"));
    // A 503 from the proxy has a body of its own; the count of bad answers says it even when the body is v2's.
    assertThat(SplitCheck.judge(v2, counts("v2", 1000), 2, 0, 1000))
        .isEqualTo(new SplitCheck.Verdict(false, "all 1000 answers from v2; 2 answers have a status of 500 or more"));
    assertThat(SplitCheck.judge(NINETY_TEN, counts(), 0, 40, 40))
        .isEqualTo(new SplitCheck.Verdict(false, "no answers: 40 requests failed (no answer)"));
  }

  @Test
  void fewerThanHalfTheRequestsAnsweredProvesNothing() {
    SplitCheck.Verdict v = SplitCheck.judge(shares("v1", 1.0), counts("v1", 400), 0, 0, 1000);
    assertThat(v).isEqualTo(new SplitCheck.Verdict(false,
        "all 400 answers from v1; only 400 answers of the 1000 requests the load meant to send"));
    assertThat(SplitCheck.judge(shares("v1", 1.0), counts("v1", 500), 0, 0, 1000).passed()).isTrue();
  }

  private static SplitCheck.Verdict judge(Map<String, Double> expected, long v1, long v2) {
    return SplitCheck.judge(expected, counts("v1", v1, "v2", v2), 0, 0, v1 + v2);
  }

  private static Map<String, Double> shares(Object... labelsAndShares) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < labelsAndShares.length; i += 2) {
      m.put((String) labelsAndShares[i], (Double) labelsAndShares[i + 1]);
    }
    return m;
  }

  private static Map<String, Long> counts(Object... labelsAndCounts) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < labelsAndCounts.length; i += 2) {
      long c = ((Number) labelsAndCounts[i + 1]).longValue();
      if (c > 0) {
        m.put((String) labelsAndCounts[i], c);
      }
    }
    return m;
  }
}
