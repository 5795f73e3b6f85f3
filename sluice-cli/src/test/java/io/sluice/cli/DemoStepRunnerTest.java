package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code --step}: a pause reads one line of input before each step; the end of the input goes on. */
class DemoStepRunnerTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final DemoOutput out = new DemoOutput(new PrintStream(printed, true, StandardCharsets.UTF_8));

  @Test
  void eachPauseTakesOneLineAndTheEndOfTheInputStopsPausing() throws Exception {
    BufferedReader stdin = new BufferedReader(new StringReader("\n"));
    DemoStepRunner runner = new DemoStepRunner(out, new DemoServers(), 7, true, stdin);

    runner.pauseBefore(2, "./sluice stat --admin http://127.0.0.1:1");
    assertThat(stdin.read()).as("the Enter was read, nothing more").isEqualTo(-1);
    runner.pauseBefore(3, "hint");
    runner.pauseBefore(4, "hint");

    assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("""

        -- Press Enter for step 2/7. Meanwhile, in another terminal: ./sluice stat --admin http://127.0.0.1:1

        -- Press Enter for step 3/7. Meanwhile, in another terminal: hint
        """);
  }

  @Test
  void withoutStepNothingIsReadOrPrinted() throws Exception {
    BufferedReader stdin = new BufferedReader(new StringReader("\n"));
    new DemoStepRunner(out, new DemoServers(), 7, false, stdin).pauseBefore(2, "hint");
    assertThat(stdin.readLine()).isEmpty();
    assertThat(printed.size()).isZero();
  }
}
