package io.sluice.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Whether the answers a load counted show the split a step of {@code sluice demo} expects: every
 * answer from one version for a 100/0 step, each version's share near its weight for a split,
 * and in every case no request failed.
 *
 * <p>How near. The proxy draws each request's backend independently, with probability {@code p}
 * for a backend of share {@code p}, so of {@code n} answers the count for that backend is
 * binomial(n, p): mean {@code np}, variance {@code np(1-p)}, and its share {@code count/n} has
 * standard deviation {@code sigma = sqrt(p(1-p)/n)}. By the normal approximation a share lands
 * more than 4.5 sigma from {@code p} with probability 6.8e-6, so a demo run, which makes about
 * five such comparisons, fails by bad luck about once in 30,000 runs. Yet the bound is tight
 * enough to mean something: with 1000 answers (the demo's default) a 10% canary must get 10 ± 4.3
 * points, and a proxy that sent it 20% would pass once in 300,000 runs. The tolerance is never below one
 * percentage point: over hundreds of thousands of answers 4.5 sigma shrinks to a tenth of a point,
 * finer than anyone shifting traffic cares about. A share of exactly 0 or 1 has no tolerance at
 * all: one answer from elsewhere is a routing error, not chance.
 */
final class SplitCheck {
  /** How many standard deviations a share may stray from its weight. */
  static final double SIGMAS = 4.5;
  /** The smallest tolerance of a split, as a share (one percentage point). */
  static final double FLOOR = 0.01;

  private SplitCheck() {}

  /**
   * The verdict on one step.
   *
   * @param passed whether the answers show the expected split and nothing failed
   * @param text one line saying what was seen and, when it failed, why
   */
  record Verdict(boolean passed, String text) {}

  /**
   * How far the share of {@code n} answers may be from {@code p}: {@code max(4.5 sqrt(p(1-p)/n),
   * 0.01)}, and 0 when {@code p} is 0 or 1.
   */
  static double tolerance(double p, long n) {
    if (p <= 0 || p >= 1) {
      return 0;
    }
    return Math.max(SIGMAS * Math.sqrt(p * (1 - p) / n), FLOOR);
  }

  /**
   * Judges a load's answers.
   *
   * @param expected each version's share (answer body label to share, summing to 1); a version
   *     absent from it must get no answer
   * @param counts answers by body label, good and bad alike
   * @param bad answers with a status of 500 or more
   * @param failed requests without an answer
   * @param goal the requests the load meant to send; fewer than half of them answered fails the
   *     step (a handful of answers proves no split)
   */
  static Verdict judge(Map<String, Double> expected, Map<String, Long> counts, long bad, long failed, long goal) {
    long n = counts.values().stream().mapToLong(Long::longValue).sum();
    List<String> problems = new ArrayList<>();
    if (failed > 0) {
      problems.add(failed + (failed == 1 ? " request" : " requests") + " failed (no answer)");
    }
    if (bad > 0) {
      problems.add(bad + (bad == 1 ? " answer has" : " answers have") + " a status of 500 or more");
    }
    if (n == 0) {
      return new Verdict(false, "no answers" + (problems.isEmpty() ? "" : ": " + String.join("; ", problems)));
    }
    String seen = seen(counts, n);
    if (goal > 0 && 2 * n < goal) {
      problems.add("only " + n + " answers of the " + goal + " requests the load meant to send");
    }
    Map<String, Long> elsewhere = new LinkedHashMap<>(counts);
    elsewhere.keySet().removeAll(expected.keySet());
    if (!elsewhere.isEmpty()) {
      long stray = elsewhere.values().stream().mapToLong(Long::longValue).sum();
      problems.add(stray + (stray == 1 ? " answer" : " answers") + " not from "
          + String.join(" or ", expected.keySet()) + " (" + labels(elsewhere) + ")");
    }
    StringJoiner shares = new StringJoiner(", ");
    for (Map.Entry<String, Double> e : expected.entrySet()) {
      double p = e.getValue();
      if (p >= 1) {
        continue; // exact: any answer from elsewhere was reported above
      }
      double share = counts.getOrDefault(e.getKey(), 0L) / (double) n;
      double tolerance = tolerance(p, n);
      String text = e.getKey() + " " + observed(share) + " (expected " + percent(p) + " ± " + points(tolerance) + ")";
      shares.add(text);
      if (Math.abs(share - p) > tolerance) {
        problems.add(e.getKey() + " got " + observed(share) + " of the answers, expected " + percent(p) + " ± "
            + points(tolerance));
      }
    }
    String what = shares.length() == 0 ? seen : seen + ": " + shares;
    if (!problems.isEmpty()) {
      return new Verdict(false, what + "; " + String.join("; ", problems));
    }
    return new Verdict(true, what + "; none failed");
  }

  /** {@code all 1000 answers from v1} or {@code v1=897 v2=103 of 1000 answers}. */
  private static String seen(Map<String, Long> counts, long n) {
    if (counts.size() == 1) {
      return "all " + n + (n == 1 ? " answer" : " answers") + " from " + counts.keySet().iterator().next();
    }
    return labels(counts) + " of " + n + " answers";
  }

  private static String labels(Map<String, Long> counts) {
    StringJoiner j = new StringJoiner(" ");
    counts.forEach((label, count) -> j.add(label + "=" + count));
    return j.toString();
  }

  /** An observed share as a percentage, one decimal: {@code 10.3%}, {@code 34.0%}. */
  static String observed(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  /** A configured share as a percentage, whole when it is: {@code 90%}, {@code 33.3%}. */
  static String percent(double share) {
    double pct = share * 100;
    return Math.abs(pct - Math.rint(pct)) < 1e-9 ? (long) Math.rint(pct) + "%" : String.format(Locale.ROOT, "%.1f%%", pct);
  }

  /** A tolerance in percentage points, one decimal: {@code 4.3 points}. */
  static String points(double share) {
    return String.format(Locale.ROOT, "%.1f points", share * 100);
  }
}
