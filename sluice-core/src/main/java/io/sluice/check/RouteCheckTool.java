package io.sluice.check;

import io.sluice.check.CoverageTracker.MissingRoute;
import io.sluice.config.ConfigException;
import io.sluice.config.ConfigProblem;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Sluice's drop-in for Envoy's route table check tool: loads a route configuration and a test
 * file, runs the tests, and prints what Envoy's tool prints on the same streams, returning its exit
 * code (0: all tests pass and coverage is enough; 1: otherwise, or when a file is rejected).
 */
public final class RouteCheckTool {
  private final PrintStream out;
  private final PrintStream err;
  private final Supplier<String> uuids;

  /** A tool printing to {@code out} and {@code err}, naming routes with random UUIDs. */
  public RouteCheckTool(PrintStream out, PrintStream err) {
    this(out, err, () -> UUID.randomUUID().toString());
  }

  /** A tool whose route-name suffixes come from {@code uuids} (for exact tests). */
  public RouteCheckTool(PrintStream out, PrintStream err, Supplier<String> uuids) {
    this.out = out;
    this.err = err;
    this.uuids = uuids;
  }

  /** Runs the check and returns the exit code. */
  public int run(RouteCheckOptions options) {
    ConfigUnderTest config;
    RouteCheckTestFile tests;
    try {
      config = ConfigUnderTest.load(options.configPath(), uuids, !options.disableDeprecationCheck());
      tests = RouteCheckTestFile.load(options.testPath());
    } catch (ConfigException e) {
      for (ConfigProblem p : e.errors()) {
        err.println(prefix(e.source()) + p);
      }
      return 1;
    } catch (TestFileConstraintException e) {
      err.println(e.getMessage());
      return 1;
    }
    config.notes().forEach(err::println);
    for (ConfigProblem w : config.warnings()) {
      err.println("warning: " + prefix(options.configPath().toString()) + w);
    }

    RouteCheckRun run = RouteCheckRun.run(config.table(), tests);
    printResults(run, options);
    if (options.outputPath() != null) {
      try {
        Files.write(options.outputPath(), ValidationResultWriter.encode(run.results(), options.onlyShowFailures()));
      } catch (IOException e) {
        err.println("Failed to write output to file " + options.outputPath() + ", error: " + e.getMessage());
        return 1;
      }
    }
    if (run.anyFailed()) {
      return 1;
    }
    return reportCoverage(run.coverage(), options);
  }

  /**
   * Envoy prints a test when {@code --details} is given without {@code --only-show-failures}, or
   * when it failed and {@code --only-show-failures} is given. Passing tests go to stdout; failing
   * ones, with their lines, to stderr.
   */
  private void printResults(RouteCheckRun run, RouteCheckOptions o) {
    for (TestResult r : run.results()) {
      if (r.passed()) {
        if (o.details() && !o.onlyShowFailures()) {
          out.println(r.name());
        }
      } else if (o.details() || o.onlyShowFailures()) {
        err.println(r.name());
        r.failures().forEach(err::println);
      }
    }
  }

  private int reportCoverage(CoverageTracker coverage, RouteCheckOptions o) {
    double percent;
    if (o.comprehensiveCoverage()) {
      for (MissingRoute m : coverage.missingRoutes()) {
        // The text format ends with a newline, so each entry is followed by a blank line, as in Envoy.
        out.println("Missing test for host: " + m.virtualHost() + ", route: "
            + ProtoTextPrinter.print(m.route().matchConfig(), ProtoDescriptors.ROUTE_MATCH));
      }
      percent = coverage.comprehensiveCoverage();
    } else {
      if (o.detailedCoverage()) {
        for (MissingRoute m : coverage.missingRoutes()) {
          out.println("Missing test for host: " + m.virtualHost() + ", route name: " + m.route().name());
        }
      }
      percent = coverage.coverage();
    }
    // Envoy returns the figure as a float and compares it with the float -f value.
    float current = (float) percent;
    out.println("Current route coverage: " + CppFloatFormat.format(current, 6) + "%");
    if (o.failUnder() != 0 && current < o.failUnder()) {
      err.println("Failed to meet coverage requirement: " + CppFloatFormat.format(o.failUnder(), 6) + "%");
      return 1;
    }
    return 0;
  }

  private static String prefix(String source) {
    return source == null || source.isEmpty() ? "" : source + ": ";
  }
}
