package io.sluice.cli;

import io.sluice.check.RouteCheckOptions;
import io.sluice.check.RouteCheckTool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice route-check}: a drop-in for Envoy's {@code router_check_tool}, with its flags, its
 * output and its exit codes (0 when every test passes and coverage is enough, 1 otherwise).
 *
 * <p>Envoy's tool exits 1 on a command line it cannot parse, where other sluice commands exit 2;
 * {@link #PARSE_ERRORS} makes this command do the same.
 */
@Command(
    name = "route-check",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Checks a route configuration against a test file, as Envoy's router_check_tool does.",
      "Exit status: 0 when every test passes (and coverage meets -f), 1 otherwise."
    })
public final class RouteCheckCommand implements Callable<Integer> {
  // What C++ `stream >> float` reads: a decimal number with an optional exponent.
  private static final Pattern FLOAT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  @Option(names = {"-c", "--config-path"}, paramLabel = "<string>",
      description = "Path to configuration file.")
  String configPath;

  @Option(names = {"-t", "--test-path"}, paramLabel = "<string>",
      description = "Path to test file.")
  String testPath;

  @Option(names = {"-d", "--details"}, description = "Show detailed test execution results")
  boolean details;

  @Option(names = "--only-show-failures", description = "Only display failing tests")
  boolean onlyShowFailures;

  @Option(names = {"-f", "--fail-under"}, paramLabel = "<float>",
      description = "Fail if test coverage is under a specified amount")
  String failUnder;

  @Option(names = "--covall", description = "Measure coverage by checking all route fields")
  boolean covall;

  @Option(names = "--detailed-coverage", description = "Show detailed coverage with routes without tests")
  boolean detailedCoverage;

  @Option(names = "--disable-deprecation-check", description = "Disable deprecated fields check")
  boolean disableDeprecationCheck;

  @Option(names = {"-o", "--output-path"}, paramLabel = "<string>",
      description = "Path to output file to write test results")
  String outputPath;

  @Parameters(hidden = true, description = "Ignored, as Envoy's tool ignores extra arguments.")
  List<String> ignored = new ArrayList<>();

  /** Prints a command-line error and exits 1, as Envoy's tool does. */
  static final CommandLine.IParameterExceptionHandler PARSE_ERRORS =
      (e, args) -> {
        e.getCommandLine().getErr().println("error: " + e.getMessage() + " (see sluice route-check --help)");
        return 1;
      };

  @Override
  public Integer call() {
    float minimum = 0;
    if (failUnder != null) {
      if (!FLOAT.matcher(failUnder).matches()) {
        System.err.println("error: -f/--fail-under: couldn't read a number from '" + failUnder + "'");
        return 1;
      }
      minimum = Float.parseFloat(failUnder);
    }
    if (configPath == null || configPath.isEmpty() || testPath == null || testPath.isEmpty()) {
      System.err.println("error: Both --config-path/c and --test-path/t are mandatory");
      return 1;
    }
    RouteCheckOptions options =
        new RouteCheckOptions(
            Path.of(configPath), Path.of(testPath), details, onlyShowFailures, minimum, covall, detailedCoverage,
            disableDeprecationCheck, outputPath == null ? null : Path.of(outputPath));
    return new RouteCheckTool(System.out, System.err).run(options);
  }
}
