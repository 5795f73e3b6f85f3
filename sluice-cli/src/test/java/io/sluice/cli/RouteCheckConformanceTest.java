package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.config.Documents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs Envoy's own route-check suite ({@code ../shared/conformance/envoy-router-check}, see its
 * README section 2) through {@code sluice route-check}, one test case per pairing, and checks the
 * exit code and the output lines the README states. Every pairing is expected to pass; none is
 * listed as a known deviation.
 */
class RouteCheckConformanceTest {
  private static final String CORPUS = "../shared/conformance/envoy-router-check";

  /** The pairings of the README: name, arguments after {@code route-check}, expected exit code, checks. */
  static Stream<Pairing> pairings() {
    List<Pairing> p = new ArrayList<>();
    // The script's TESTS loop: `-c NAME.yaml -t NAME.golden.proto.json --details` under set -e.
    for (String name : List.of(
        "ContentType", "ClusterHeader", "DirectResponse", "HeaderMatchedRouting", "Redirect", "Redirect2",
        "Redirect3", "Redirect4", "Runtime", "TestRoutes")) {
      p.add(pairing("TESTS loop: " + name, name, name, 0, List.of("--details"), everyTestPasses(name + ".golden.proto.json"),
          stdoutLineStartingWith("Current route coverage: ")));
    }
    p.add(pairing("TESTS loop and --details alone: Weighted", "Weighted", "Weighted", 0, List.of("--details"),
        everyTestPasses("Weighted.golden.proto.json"), stdoutLine("Current route coverage: 100%")));
    p.add(pairing("ClusterHeader: Test2 expects no cluster when the header is absent", "ClusterHeader", "ClusterHeader",
        0, List.of("--details"), stdoutLines("Test1", "Test2", "Test3")));

    p.add(pairing("ComprehensiveRoutes --details -f 100 --covall", "ComprehensiveRoutes", "ComprehensiveRoutes", 0,
        List.of("--details", "-f", "100", "--covall"), stdoutLine("Current route coverage: 100%")));
    p.add(pairing("DirectResponse --details -f 100 --covall", "DirectResponse", "DirectResponse", 0,
        List.of("--details", "-f", "100", "--covall"), stdoutLine("Current route coverage: 100%")));
    p.add(pairing("Runtime --details --covall", "Runtime", "Runtime", 0, List.of("--details", "--covall"),
        stdoutLine("Current route coverage: 100%")));
    p.add(pairing("TestRoutes --details --covall", "TestRoutes", "TestRoutes", 0, List.of("--details", "--covall"),
        everyTestPasses("TestRoutes.golden.proto.json"),
        linesInOrder(
            "Missing test for host: www2_staging, route: prefix: \"/\"",
            "Missing test for host: default, route: prefix: \"/api/application_data\"")));
    p.add(pairing("TestRoutes: 33 results, all passing", "TestRoutes", "TestRoutes", 0, List.of("--details"),
        testCount("TestRoutes.golden.proto.json", 33)));

    p.add(pairing("Redirect --details -f 1.0", "Redirect", "Redirect", 0, List.of("--details", "-f", "1.0"),
        stdoutLineStartingWith("Current route coverage: ")));
    p.add(pairing("Redirect --details -f 100 fails the coverage requirement", "Redirect", "Redirect", 1,
        List.of("--details", "-f", "100"), stdoutLineStartingWith("Current route coverage: "),
        stderrLine("Failed to meet coverage requirement: 100%")));

    p.add(pairing("DetailedCoverage (a) --detailed-coverage", "DetailedCoverage", "DetailedCoverage", 0,
        List.of("--detailed-coverage"),
        lineMatching("Missing test for host: localhost, route name: new_endpoint2-.+"),
        lineMatching("Missing test for host: localhost, route name: -.+"),
        stdoutLine("Current route coverage: 50%")));
    p.add(pairing("DetailedCoverage (b) no flags", "DetailedCoverage", "DetailedCoverage", 0, List.of(),
        noLineContaining("Missing test for host:"), stdoutLine("Current route coverage: 50%")));

    p.add(pairing("DefaultRuntime (test-file runtime raises the RE2 limit)", "DefaultRuntime", "DefaultRuntime", 0,
        List.of()));
    p.add(pairing("DefaultRuntime --details", "DefaultRuntime", "DefaultRuntime", 0, List.of("--details"),
        everyTestPasses("DefaultRuntime.golden.proto.json")));
    p.add(pairing("DynamicMetadata: 10 results, all passing", "DynamicMetadata", "DynamicMetadata", 0,
        List.of("--details"), everyTestPasses("DynamicMetadata.golden.proto.json"),
        testCount("DynamicMetadata.golden.proto.json", 10)));

    p.add(pairing("Timeout", "Timeout", "Timeout", 0, List.of("--details"), everyTestPasses("Timeout.golden.proto.json")));
    p.add(pairing("TimeoutFailures: /api/v10/ takes the 30s route", "Timeout", "TimeoutFailures", 1, List.of("--details"),
        stderrLines("Test_1", "expected: [120000], actual: [30000], test type: timeout")));
    p.add(pairing("RouteMetadata: one match, a value mismatch, a missing namespace", "RouteMetadata", "RouteMetadata", 1,
        List.of("--details"), stdoutLines("MetadataMatches"),
        stderrLines("MetadataValueMismatch", "MetadataNamespaceMissing"), noLineContaining("Current route coverage")));

    p.add(pairing("TestRoutesFailures --only-show-failures", "TestRoutes", "TestRoutesFailures", 1,
        List.of("--only-show-failures"),
        stderrLines(
            "expected: [content-type: text/plain], actual: NOT [content-type: text/plain], test type: response_header_matches.string_match.exact",
            "actual: [content-length: 25], test type: response_header_matches.range_match",
            "expected: [x-ping-response: pong], actual: [x-ping-response: yes], test type: response_header_matches.string_match.exact",
            "expected: [has(x-ping-response):false], actual: [has(x-ping-response):true], test type: response_header_matches.present_match",
            "expected: [has(x-pong-response):true], actual: [has(x-pong-response):false], test type: response_header_matches.present_match")));

    p.add(pairing("TestRoutes.yaml with Weighted tests --details", "TestRoutes", "Weighted", 1, List.of("--details"),
        linesInOrder(
            "Test_1",
            "Test_2",
            "expected: [cluster1], actual: [instant-server], test type: cluster_name",
            "expected: [test_virtual_cluster], actual: [other], test type: virtual_cluster_name",
            "Test_3")));
    for (List<String> flags : List.of(List.of("--details", "--only-show-failures"), List.of("--only-show-failures"))) {
      p.add(pairing("TestRoutes.yaml with Weighted tests " + String.join(" ", flags), "TestRoutes", "Weighted", 1, flags,
          stderrLines("Test_2", "expected: [cluster1], actual: [instant-server], test type: cluster_name"),
          noLineContaining("Test_1")));
    }

    p.add(new Pairing("Bad config: a test file given as -c", List.of(
            "-c", CORPUS + "/Redirect.golden.proto.json", "-t", CORPUS + "/TestRoutes.yaml"), 1,
        List.of(lineMatching(".*INVALID_ARGUMENT.*envoy.config.route.v3.RouteConfiguration.*tests.*"))));
    return p.stream();
  }

  @Test
  void corpusIsPresent() {
    assertThat(Files.isDirectory(corpus())).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void pairing(Pairing pairing) {
    Path corpus = corpus();
    List<String> args = new ArrayList<>(List.of("route-check"));
    for (String a : pairing.args()) {
      args.add(a.startsWith(CORPUS) ? corpus.resolve(a.substring(CORPUS.length() + 1)).toString() : a);
    }
    Output output = runInProcess(args.toArray(new String[0]));
    assertThat(output.exitCode())
        .as("exit code of sluice %s%n%s", String.join(" ", args), output.describe())
        .isEqualTo(pairing.exitCode());
    assertThat(output.combined()).as("a stack trace%n%s", output.describe()).doesNotContain("\tat ", "Exception");
    for (Check check : pairing.checks()) {
      check.verify(output, corpus);
    }
  }

  // ---- the pairings and their checks

  record Pairing(String name, List<String> args, int exitCode, List<Check> checks) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Pairing pairing(String name, String config, String tests, int exit, List<String> flags, Check... checks) {
    List<String> args = new ArrayList<>(List.of(
        "-c", CORPUS + "/" + config + ".yaml", "-t", CORPUS + "/" + tests + ".golden.proto.json"));
    args.addAll(flags);
    return new Pairing(name, args, exit, Arrays.asList(checks));
  }

  /** One expectation on a run's output. */
  interface Check {
    void verify(Output output, Path corpus);
  }

  private static Check stdoutLine(String line) {
    return (o, c) -> assertThat(o.stdoutLines()).as("stdout lines%n%s", o.describe()).contains(line);
  }

  private static Check stdoutLines(String... lines) {
    return (o, c) -> assertThat(o.stdoutLines()).as("stdout lines%n%s", o.describe()).contains(lines);
  }

  private static Check stdoutLineStartingWith(String prefix) {
    return (o, c) -> assertThat(o.stdoutLines()).as("stdout lines%n%s", o.describe()).anyMatch(l -> l.startsWith(prefix));
  }

  private static Check stderrLine(String line) {
    return stderrLines(line);
  }

  private static Check stderrLines(String... lines) {
    return (o, c) -> assertThat(o.stderrLines()).as("stderr lines%n%s", o.describe()).contains(lines);
  }

  private static Check lineMatching(String regex) {
    Pattern p = Pattern.compile(regex);
    return (o, c) -> assertThat(o.lines()).as("a line matching %s%n%s", regex, o.describe())
        .anyMatch(l -> p.matcher(l).matches());
  }

  private static Check noLineContaining(String text) {
    return (o, c) -> assertThat(o.combined()).as("output without %s%n%s", text, o.describe()).doesNotContain(text);
  }

  /** The lines appear as whole lines of the interleaved output, in this order (others may come between). */
  private static Check linesInOrder(String... lines) {
    return (o, c) -> {
      List<String> all = o.lines();
      int from = 0;
      for (String line : lines) {
        int at = all.subList(from, all.size()).indexOf(line);
        if (at < 0) {
          fail("expected line \"%s\" after line %d%n%s", line, from, o.describe());
        }
        from += at + 1;
      }
    };
  }

  /** With --details, every test of the file passes: each name is a line on stdout, nothing fails. */
  private static Check everyTestPasses(String testFile) {
    return (o, c) -> {
      assertThat(o.stdoutLines()).as("passing tests on stdout%n%s", o.describe()).containsAll(testNames(c, testFile));
      assertThat(o.stderrLines()).as("no failure lines%n%s", o.describe()).noneMatch(l -> l.contains("test type:"));
    };
  }

  private static Check testCount(String testFile, int count) {
    return (o, c) -> assertThat(testNames(c, testFile)).hasSize(count);
  }

  private static List<String> testNames(Path corpus, String testFile) {
    JsonNode tests = Documents.readOne(corpus.resolve(testFile)).get("tests");
    List<String> names = new ArrayList<>();
    tests.forEach(t -> names.add(t.get("test_name").asText()));
    return names;
  }

  // ---- running the command in-process

  /** What one run printed: each stream, and both interleaved in the order they were written (like 2>&1). */
  record Output(int exitCode, String stdout, String stderr, String combined) {
    List<String> stdoutLines() {
      return stdout.lines().toList();
    }

    List<String> stderrLines() {
      return stderr.lines().toList();
    }

    List<String> lines() {
      return combined.lines().toList();
    }

    String describe() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr + "---";
    }
  }

  private static synchronized Output runInProcess(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    int code;
    try {
      System.setOut(new PrintStream(new Tee(out, both), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(new Tee(err, both), true, StandardCharsets.UTF_8));
      code = Main.run(args);
      System.out.flush();
      System.err.flush();
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
        both.toString(StandardCharsets.UTF_8));
  }

  /** Writes to a stream of its own and to the shared interleaved one. */
  private static final class Tee extends OutputStream {
    private final OutputStream own;
    private final OutputStream shared;

    Tee(OutputStream own, OutputStream shared) {
      this.own = own;
      this.shared = shared;
    }

    @Override
    public void write(int b) throws IOException {
      own.write(b);
      shared.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      own.write(b, off, len);
      shared.write(b, off, len);
    }
  }

  // ---- finding the corpus

  /**
   * The corpus: {@code $SLUICE_CONFORMANCE_DIR/envoy-router-check} when that is set, else {@code
   * <repository root>/../shared/conformance/envoy-router-check} (the workplace layout), else {@code
   * /work/shared/conformance/envoy-router-check} (for a clone made elsewhere, such as a fresh clone in
   * a temporary directory). Fails, never skips, when none is there: a conformance suite that
   * silently does not run proves nothing.
   */
  private static Path corpus() {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("SLUICE_CONFORMANCE_DIR");
    if (env != null && !env.isEmpty()) {
      candidates.add(Path.of(env, "envoy-router-check"));
    }
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (isRepositoryRoot(dir)) {
        candidates.add(dir.resolve(CORPUS).normalize());
        break;
      }
    }
    candidates.add(Path.of("/work/shared/conformance/envoy-router-check"));
    for (Path c : candidates) {
      if (Files.isDirectory(c)) {
        return c;
      }
    }
    return fail("the envoy-router-check corpus is missing: looked in " + candidates
        + " (set SLUICE_CONFORMANCE_DIR to the folder holding envoy-router-check)");
  }

  private static boolean isRepositoryRoot(Path dir) {
    if (Files.isRegularFile(dir.resolve("sluice"))) {
      return true;
    }
    Path pom = dir.resolve("pom.xml");
    try {
      return Files.isRegularFile(pom) && Files.readString(pom).contains("<module>sluice-cli</module>");
    } catch (IOException e) {
      return false;
    }
  }
}
