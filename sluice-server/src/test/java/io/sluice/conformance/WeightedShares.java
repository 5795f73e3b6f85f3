package io.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks how requests sent through Sluice's real random source spread over weighted backends. A
 * backend with weight 0 must get nothing, always; the other shares are binomial, so each check
 * states its false-failure rate.
 */
final class WeightedShares {
  /** Sends one request and names the backend (or local status) that answered it. */
  @FunctionalInterface
  interface Request {
    String send() throws Exception;
  }

  private WeightedShares() {}

  /**
   * The conformance suite's check (HTTPRouteWeight, MeshHTTPRouteWeight): samples of 500
   * requests, each share within 5 percentage points of its weight, weight 0 gets nothing.
   *
   * <p>The tolerance is narrow for n = 500. A backend's observed share is binomial with standard
   * deviation sqrt(p(1-p)/n); for 70/30 that is sqrt(0.7 * 0.3 / 500) = 0.0205 for both, so 5
   * points is 2.44 standard deviations, not 4 (4 would take n >= 1344), and the exact chance that
   * one sample of 500 misses is 1.27%. The upstream test (conformance/tests/httproute-weight.go)
   * therefore takes up to 10 samples and passes on the first within tolerance; so does this one,
   * which makes a false failure 0.0127^10 ~ 1e-19, while a real bias fails every sample (60/40 or
   * 80/20 is 4.9 standard deviations out). Weight 0 is not statistical: one request to such a
   * backend in any sample fails.
   */
  static void assertConformanceShares(Map<String, Double> weights, Request request) throws Exception {
    List<String> misses = new ArrayList<>();
    for (int sample = 1; sample <= 10; sample++) {
      Map<String, Integer> seen = count(500, request);
      assertOnlyWeighted(seen, weights);
      if (misses(seen, 500, weights, 0.05).isEmpty()) {
        return;
      }
      misses.add("sample " + sample + ": " + seen);
    }
    throw new AssertionError("no sample of 500 within 0.05 of " + weights + ": " + misses);
  }

  /**
   * One sample of {@code n}: each share within {@code tolerance} of its weight, and weight 0 gets
   * nothing. The tolerance must be at least 4 standard deviations of every share (a false failure
   * below 6.4e-5); the callers choose 5 or more (below 6e-7 each, exact binomial).
   */
  static void assertShares(int n, double tolerance, Map<String, Double> weights, Request request) throws Exception {
    for (Map.Entry<String, Double> w : weights.entrySet()) {
      double p = w.getValue();
      double sd = Math.sqrt(p * (1 - p) / n);
      assertThat(tolerance).as("tolerance for %s is at least 4 standard deviations (%.4f)", w.getKey(), sd)
          .isGreaterThanOrEqualTo(4 * sd);
    }
    Map<String, Integer> seen = count(n, request);
    assertOnlyWeighted(seen, weights);
    assertThat(misses(seen, n, weights, tolerance)).as("shares of %s requests: %s", n, seen).isEmpty();
  }

  private static Map<String, Integer> count(int n, Request request) throws Exception {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < n; i++) {
      seen.merge(request.send(), 1, Integer::sum);
    }
    return seen;
  }

  /** Only backends with a weight above 0 answered. */
  private static void assertOnlyWeighted(Map<String, Integer> seen, Map<String, Double> weights) {
    List<String> allowed = weights.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList();
    assertThat(seen.keySet()).as("answered by %s", seen).isSubsetOf(allowed);
  }

  private static List<String> misses(Map<String, Integer> seen, int n, Map<String, Double> weights, double tolerance) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Double> w : weights.entrySet()) {
      double share = seen.getOrDefault(w.getKey(), 0) / (double) n;
      if (Math.abs(share - w.getValue()) > tolerance) {
        out.add(w.getKey() + " " + share + " not within " + tolerance + " of " + w.getValue());
      }
    }
    return out;
  }
}
