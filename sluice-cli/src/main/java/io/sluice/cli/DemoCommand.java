package io.sluice.cli;

import io.sluice.proxy.Log;
import io.sluice.tools.DurationText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice demo}: Linkerd's and Envoy's traffic-shifting walkthroughs in one command, with
 * backends, proxies and loads started in this process; exits 0 when every step showed the
 * expected split, 1 otherwise, and stops everything it started on every way out, Ctrl-C included.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Runs Linkerd's and Envoy's traffic-shifting walkthroughs end to end, judging every step's split.",
        "Linkerd's: the demo's Services, the 90/10 HTTPRoute, then 100%% to bb-v2; Envoy's: the runtime key at 100, 90"
            + " and 0, then the 33/33/34 split. Backends, proxies and the load run in this process on free ports.",
        "After each change it sends a fresh load, prints its per-body counts and the `sluice stat` table of the step,"
            + " and judges the split; exits 0 when every step passed, 1 otherwise."})
final class DemoCommand implements Callable<Integer> {
  /** The rate and step length without {@code --fast}: 1000 answers a step, 7 steps in about 75 s. */
  static final double QPS = 100;
  static final Duration STEP = Duration.ofSeconds(10);
  /** With {@code --fast}: as many answers a step, in a fifth of the time. */
  static final double FAST_QPS = 500;
  static final Duration FAST_STEP = Duration.ofSeconds(2);
  private static final int CONCURRENCY = 4;

  @Option(names = "--fast",
      description = "Higher rate, shorter steps: 500 requests/s for 2s a step (default: 100 requests/s for 10s).")
  boolean fast;

  @Option(names = "--step", description = "Wait for Enter before each step (the end of the input goes on).")
  boolean step;

  @Option(names = "--qps", paramLabel = "N", description = "The load's rate, 10 or more (default: 100; --fast: 500).")
  Double qps;

  @Option(names = "--duration", paramLabel = "D",
      description = "How long each step's load runs, 1s to 10m (default: 10s; --fast: 2s).")
  String duration;

  @Option(names = {"-v", "--verbose"}, description = "Also print the servers' informational log (standard error).")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    DemoWalkthrough.Settings settings = settings();
    long started = System.nanoTime();
    DemoOutput out = new DemoOutput(System.out);
    DemoServers servers = new DemoServers();
    PrintStream log = serverLog(out);
    Log.redirect(log);
    Thread onCtrlC = new Thread(() -> interrupted(out, servers), "sluice-demo-stop");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    try {
      BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      DemoStepRunner runner = new DemoStepRunner(out, servers, DemoWalkthrough.STEPS, settings.pause(), stdin);
      List<DemoStepRunner.Outcome> outcomes = new DemoWalkthrough(out, servers, settings, runner).run();
      return summary(out, System.err, outcomes, (System.nanoTime() - started) / 1e9);
    } catch (RuntimeException | IOException e) {
      if (out.muted()) {
        return 130; // Ctrl-C stopped the servers under the step; the hook said so
      }
      throw e;
    } finally {
      List<String> problems = servers.closeAll();
      problems.forEach(p -> System.err.println("sluice demo: stopping " + p));
      try {
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
      } catch (IllegalStateException e) {
        // The JVM is shutting down (Ctrl-C): the hook is running or has run.
      }
      Log.redirect(System.err);
    }
  }

  /** The flags as settings; a bad value is a usage error naming the flag. */
  private DemoWalkthrough.Settings settings() {
    double rate = qps != null ? qps : fast ? FAST_QPS : QPS;
    if (!(rate >= 10) || Double.isInfinite(rate)) {
      throw usage("--qps: expected 10 requests per second or more (the reference's slow_cooker sends 10), got " + qps);
    }
    Duration length = fast ? FAST_STEP : STEP;
    if (duration != null) {
      try {
        length = DurationText.parse(duration);
      } catch (IllegalArgumentException e) {
        throw usage("--duration: " + e.getMessage());
      }
      if (length.compareTo(Duration.ofSeconds(1)) < 0 || length.compareTo(Duration.ofMinutes(10)) > 0) {
        throw usage("--duration: expected 1s to 10m, got '" + duration + "'");
      }
    }
    return new DemoWalkthrough.Settings(rate, length, CONCURRENCY, step);
  }

  /**
   * Prints each step's verdict again and the overall one, and on {@code err} one line per failed
   * step saying why; returns the exit code: 0 when every step passed, else 1.
   */
  static int summary(DemoOutput out, PrintStream err, List<DemoStepRunner.Outcome> outcomes, double seconds) {
    out.line("");
    out.line("== Summary ==");
    List<DemoStepRunner.Outcome> failed = outcomes.stream().filter(o -> !o.verdict().passed()).toList();
    for (DemoStepRunner.Outcome o : outcomes) {
      out.line(String.format(Locale.ROOT, "%s  step %d: %s", o.verdict().passed() ? "PASS" : "FAIL", o.number(),
          o.title()));
    }
    String time = String.format(Locale.ROOT, "%.1fs", seconds);
    if (failed.isEmpty()) {
      out.line("sluice demo: all " + outcomes.size() + " steps passed in " + time);
      return 0;
    }
    out.line("sluice demo: " + failed.size() + " of " + outcomes.size() + " steps failed (" + time + ")");
    for (DemoStepRunner.Outcome o : failed) {
      err.println("sluice demo: step " + o.number() + " (" + o.title() + ") failed: " + o.verdict().text());
    }
    return 1;
  }

  /** What Ctrl-C (or SIGTERM) runs: no more output from the steps, everything stopped, one line saying what. */
  private static void interrupted(DemoOutput out, DemoServers servers) {
    out.mute();
    List<String> open = servers.open();
    List<String> problems = servers.closeAll();
    String stopped = open.isEmpty() ? "nothing was running"
        : open.size() == 1 ? "stopped " + open.get(0)
        : "stopped " + String.join(", ", open.subList(0, open.size() - 1)) + " and " + open.get(open.size() - 1);
    System.err.println("sluice demo: interrupted; " + stopped
        + (problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")"));
    System.err.flush();
  }

  /**
   * The servers' log as the demo shows it: warnings and errors (a step going wrong says why),
   * and their informational lines (every listener bound, every resource applied) only with
   * {@code --verbose}; nothing once Ctrl-C has muted the demo.
   */
  private PrintStream serverLog(DemoOutput demo) {
    return new PrintStream(System.err, true, StandardCharsets.UTF_8) {
      @Override
      public void println(String line) {
        if (!demo.muted() && (verbose || !line.contains("][info] "))) {
          super.println(line);
        }
      }
    };
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
