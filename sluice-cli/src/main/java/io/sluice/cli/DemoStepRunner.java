package io.sluice.cli;

import io.sluice.tools.LoadGenerator;
import io.sluice.tools.LoadListener;
import io.sluice.tools.LoadOptions;
import io.sluice.tools.LoadReport;
import io.sluice.tools.LoadReportFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one step of {@code sluice demo}: makes its change, then sends a fresh load, so that every
 * answer it counts was routed after the change took effect (an apply or a runtime change applies
 * to the next request); prints the load's summary and the {@code sluice stat} table of the step's
 * requests; and judges the answers with {@link SplitCheck}. Also pauses between steps with {@code
 * --step}.
 */
final class DemoStepRunner {
  /** How long the proxy may take to record the last answers the load received (it records as the exchange ends). */
  private static final Duration RECORDING = Duration.ofSeconds(2);
  private static final int MAX_BODIES = 8;

  /** A change a step makes; returns what it printed (the admin's answer). */
  interface Change {
    List<String> make() throws IOException;
  }

  /**
   * Where a step's load goes and whose table it shows.
   *
   * @param proxy the proxy whose admin interface the table comes from
   * @param load the load to send (its duration is the step's)
   * @param namespace the table's namespace ({@code -n}), or null for the rows without one (Envoy's)
   * @param loadCommand the {@code sluice load} command line a user would type for it
   * @param statCommand the {@code sluice stat} command line a user would type for it
   */
  record Target(DemoProxy proxy, LoadOptions load, String namespace, String loadCommand, String statCommand) {}

  /**
   * One step.
   *
   * @param commands what a user would type for the change, one command line each
   * @param expected each version's expected share (answer body to share), in the order to print
   */
  record Step(int number, String title, List<String> commands, Change change, Target target,
      Map<String, Double> expected) {}

  /** How a step went. */
  record Outcome(int number, String title, SplitCheck.Verdict verdict) {}

  private final DemoOutput out;
  private final DemoServers servers;
  private final int steps;
  private final boolean pause;
  private final BufferedReader stdin;
  private boolean endOfInput;

  DemoStepRunner(DemoOutput out, DemoServers servers, int steps, boolean pause, BufferedReader stdin) {
    this.out = out;
    this.servers = servers;
    this.steps = steps;
    this.pause = pause;
    this.stdin = stdin;
  }

  /**
   * With {@code --step}, waits for Enter before step {@code next} (the end of the input goes on
   * at once, now and at every later pause); {@code hint} says what to try against the running
   * proxy meanwhile.
   */
  void pauseBefore(int next, String hint) throws IOException {
    if (!pause || endOfInput) {
      return;
    }
    out.line("");
    out.line("-- Press Enter for step " + next + "/" + steps + ". Meanwhile, in another terminal: " + hint);
    if (stdin.readLine() == null) {
      endOfInput = true;
    }
  }

  Outcome run(Step s) throws InterruptedException {
    out.line("");
    out.line("-- Step " + s.number() + "/" + steps + ": " + s.title());
    s.commands().forEach(c -> out.line("$ " + c));
    try {
      out.lines(s.change().make());
    } catch (IOException e) {
      return judged(s, new SplitCheck.Verdict(false, "the change failed: " + e.getMessage()));
    }
    Target t = s.target();
    AdminClient admin = new AdminClient(t.proxy().admin());
    WindowAnswer before;
    LoadReport summary;
    try {
      before = window(admin, "");
      out.line("$ " + t.loadCommand());
      summary = load(t.load());
    } catch (IOException e) {
      return judged(s, new SplitCheck.Verdict(false, "the load could not run: " + e.getMessage()));
    }
    out.line("$ " + t.statCommand());
    try {
      out.block(table(admin, before, summary, t));
    } catch (IOException e) {
      // The table shows what the proxy saw; the verdict is the client's, and stands without it.
      out.line("(no table: " + e.getMessage() + ")");
    }
    Map<String, Long> counts = new TreeMap<>();
    summary.bodies().forEach(b -> counts.put(b.label(), b.count()));
    return judged(s, SplitCheck.judge(s.expected(), counts, summary.bad(), summary.failed(), summary.goal()));
  }

  private Outcome judged(Step s, SplitCheck.Verdict v) {
    out.line((v.passed() ? "PASS  " : "FAIL  ") + v.text());
    return new Outcome(s.number(), s.title(), v);
  }

  /** Sends the load to its end and prints its summary as {@code sluice load} prints it. */
  private LoadReport load(LoadOptions options) throws IOException, InterruptedException {
    out.lines(LoadReportFormat.header(options));
    // The step's verdict is the summary's; interval lines would repeat it.
    LoadGenerator load = servers.add("the load", LoadGenerator.start(options, new LoadListener() {
      @Override
      public void interval(LoadReport report) {}
    }));
    LoadReport summary;
    try {
      summary = load.await();
    } finally {
      servers.stop(load);
    }
    if (summary == null) {
      throw new IOException("the load ended without its summary (see the log)");
    }
    out.line(LoadReportFormat.text(summary, MAX_BODIES));
    return summary;
  }

  /**
   * The {@code sluice stat} table of the step's requests: the proxy's window now minus {@code
   * before} (see {@link StepTraffic}). The proxy records a request as its exchange ends, which
   * may be a moment after the load got the answer, so the window is read again until it holds as
   * many requests as the load got answers (at most {@link #RECORDING}).
   */
  private String table(AdminClient admin, WindowAnswer before, LoadReport summary, Target t) throws IOException {
    StatRows.Scope scope = new StatRows.Scope(t.namespace(), false);
    double seconds = summary.elapsed().toNanos() / 1e9;
    long deadline = System.nanoTime() + RECORDING.toNanos();
    List<StatRow> rows;
    while (true) {
      rows = StepTraffic.between(before, window(admin, ""), seconds);
      if (rows == null || recorded(rows, scope) >= summary.answered() || System.nanoTime() - deadline > 0) {
        break;
      }
      LockSupport.parkNanos(20_000_000);
    }
    String note = "";
    if (rows == null) {
      // The window rolled off during the step (a long --step pause): show the last span instead.
      long span = Math.max(10, (long) Math.ceil(seconds));
      rows = window(admin, "?span=" + span + "s").rows();
      note = "(the proxy's window no longer holds the step's start: its last " + span + "s)\n";
    }
    List<StatRow> selected = StatRows.select(rows, false, scope);
    if (selected.isEmpty()) {
      return note + "No routes or traffic found in " + scope.describe() + ".\n";
    }
    return note + StatTable.render(StatRows.withoutIdleRoutes(selected), new StatTable.Layout(false, false, false));
  }

  private static long recorded(List<StatRow> rows, StatRows.Scope scope) {
    return StatRows.select(rows, false, scope).stream().mapToLong(r -> r.traffic().requests()).sum();
  }

  private static WindowAnswer window(AdminClient admin, String query) throws IOException {
    AdminClient.Answer a = admin.get("/stats/window" + query);
    if (a.status() != 200) {
      throw new IOException("GET /stats/window" + query + " answered " + a.status() + ": " + a.body().strip());
    }
    try {
      return WindowAnswer.parse(a.body());
    } catch (IllegalArgumentException e) {
      throw new IOException("GET /stats/window" + query + " answered something unexpected: " + e.getMessage(), e);
    }
  }
}
