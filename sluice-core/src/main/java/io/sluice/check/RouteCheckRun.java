package io.sluice.check;

import io.sluice.route.RouteTable;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every test of a file against a route table: each test's results in file order, and the
 * coverage their passing checks add up to.
 */
public record RouteCheckRun(List<TestResult> results, CoverageTracker coverage) {

  public RouteCheckRun {
    results = List.copyOf(results);
  }

  /** Routes and checks each test of {@code file} in order. */
  public static RouteCheckRun run(RouteTable table, RouteCheckTestFile file) {
    CoverageTracker coverage = new CoverageTracker(table);
    List<TestResult> results = new ArrayList<>();
    for (RouteCheckTest test : file.tests()) {
      RoutedTest routed = RoutedTest.route(table, test.input());
      results.add(TestChecks.run(test, routed, coverage));
    }
    return new RouteCheckRun(results, coverage);
  }

  /** Whether any test failed. */
  public boolean anyFailed() {
    return results.stream().anyMatch(r -> !r.passed());
  }
}
