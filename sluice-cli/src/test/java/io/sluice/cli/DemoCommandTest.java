package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code sluice demo}'s flags and how its summary turns the steps' verdicts into an exit code. */
class DemoCommandTest {

  @Test
  void badFlagsExitTwoNamingTheFlag() {
    expectUsageError("--qps: expected 10 requests per second or more (the reference's slow_cooker sends 10), got 5.0",
        "demo", "--qps", "5");
    expectUsageError("Invalid value for option '--qps': 'fast' is not a double", "demo", "--qps", "fast");
    expectUsageError("--duration: expected 1s to 10m, got '500ms'", "demo", "--duration", "500ms");
    expectUsageError("--duration: expected 1s to 10m, got '11m'", "demo", "--fast", "--duration", "11m");
    expectUsageError("--duration: expected a duration such as 500ms, 1.5s or 2m, got 'soon'",
        "demo", "--duration", "soon");
    expectUsageError("Unknown option: '--bogus'", "demo", "--bogus");
    expectUsageError("Unmatched argument at index 1: 'now'", "demo", "now");
  }

  @Test
  void everyStepPassedExitsZero() {
    Printed p = summary(List.of(outcome(1, true, "all 1000 answers from v1; none failed"),
        outcome(2, true, "v1=903 v2=97 of 1000 answers")));
    assertThat(p.exitCode).isZero();
    assertThat(p.out).endsWith("PASS  step 1: step one\nPASS  step 2: step two\nsluice demo: all 2 steps passed in 12.3s\n");
    assertThat(p.err).isEmpty();
  }

  @Test
  void aFailedStepExitsOneWithALineSayingWhichAndWhy() {
    Printed p = summary(List.of(outcome(1, true, "all 1000 answers from v1; none failed"),
        outcome(2, false, "v1=1000 of 1000 answers; v2 got 0.0% of the answers, expected 10% ± 4.3 points")));
    assertThat(p.exitCode).isEqualTo(1);
    assertThat(p.out).endsWith("FAIL  step 2: step two\nsluice demo: 1 of 2 steps failed (12.3s)\n");
    assertThat(p.err).isEqualTo("sluice demo: step 2 (step two) failed: v1=1000 of 1000 answers; v2 got 0.0% of the"
        + " answers, expected 10% ± 4.3 points\n");
  }

  private record Printed(int exitCode, String out, String err) {}

  private static Printed summary(List<DemoStepRunner.Outcome> outcomes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = DemoCommand.summary(new DemoOutput(new PrintStream(out, true, StandardCharsets.UTF_8)),
        new PrintStream(err, true, StandardCharsets.UTF_8), outcomes, 12.34);
    return new Printed(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static DemoStepRunner.Outcome outcome(int number, boolean passed, String text) {
    return new DemoStepRunner.Outcome(number, number == 1 ? "step one" : "step two", new SplitCheck.Verdict(passed, text));
  }

  private static void expectUsageError(String message, String... args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = Main.run(args);
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(String.join(" ", args) + "\n" + stderr).isEqualTo(2);
    assertThat(stderr.lines().findFirst().orElse("")).as(String.join(" ", args)).isEqualTo(message);
    assertThat(stderr).doesNotContain("\tat ");
    assertThat(out.toString(StandardCharsets.UTF_8)).as("nothing started, nothing printed").isEmpty();
  }
}
