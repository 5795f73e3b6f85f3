package io.sluice.cli;

import io.sluice.check.RouteCheckOptions;
import io.sluice.check.RouteCheckTool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code sluice route-check}: a drop-in for Envoy's {@code router_check_tool}, with its flags, its
 * output and its exit codes (0 when every test passes and coverage is enough, 1 otherwise).
 *
 * <p>Envoy's tool exits 1 on a command line it cannot parse, where picocli would exit 2. So the
 * options are declared so that picocli itself never rejects them (values optional, unknown flags
 * collected, repeats allowed with the last one winning) and this command checks them, exiting 1.
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

  @Option(names = {"-c", "--config-path"}, arity = "0..1", fallbackValue = "", paramLabel = "<string>",
      description = "Path to configuration file.")
  String configPath;

  @Option(names = {"-t", "--test-path"}, arity = "0..1", fallbackValue = "", paramLabel = "<string>",
      description = "Path to test file.")
  String testPath;

  @Option(names = {"-d", "--details"}, description = "Show detailed test execution results")
  boolean details;

  @Option(names = "--only-show-failures", description = "Only display failing tests")
  boolean onlyShowFailures;

  @Option(names = {"-f", "--fail-under"}, arity = "0..1", fallbackValue = "", paramLabel = "<float>",
      description = "Fail if test coverage is under a specified amount")
  String failUnder;

  @Option(names = "--covall", description = "Measure coverage by checking all route fields")
  boolean covall;

  @Option(names = "--detailed-coverage", description = "Show detailed coverage with routes without tests")
  boolean detailedCoverage;

  @Option(names = "--disable-deprecation-check", description = "Disable deprecated fields check")
  boolean disableDeprecationCheck;

  @Option(names = {"-o", "--output-path"}, arity = "0..1", fallbackValue = "", paramLabel = "<string>",
      description = "Path to output file to write test results")
  String outputPath;

  @Parameters(hidden = true, description = "Ignored, as Envoy's tool ignores extra arguments.")
  List<String> ignored = new ArrayList<>();

  @Unmatched List<String> unknown = new ArrayList<>();

  @Spec
  void configureParser(CommandSpec spec) {
    spec.parser().overwrittenOptionsAllowed(true);
  }

  @Override
  public Integer call() {
    if (!unknown.isEmpty()) {
      System.err.println("error: unknown option '" + unknown.get(0) + "' (see sluice route-check --help)");
      return 1;
    }
    float minimum = 0;
    if (failUnder != null) {
      if (!FLOAT.matcher(failUnder).matches()) {
        System.err.println("error: -f/--fail-under: couldn't read a number from '" + failUnder + "'");
        return 1;
      }
      minimum = Float.parseFloat(failUnder);
    }
    if (outputPath != null && outputPath.isEmpty()) {
      System.err.println("error: -o/--output-path needs a file name");
      return 1;
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
