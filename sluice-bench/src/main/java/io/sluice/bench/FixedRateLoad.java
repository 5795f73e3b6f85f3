package io.sluice.bench;

import io.sluice.tools.DurationText;
import io.sluice.tools.LoadGenerator;
import io.sluice.tools.LoadOptions;
import io.sluice.tools.LoadReport;
import io.sluice.tools.LoadReportFormat;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * {@code sluice load} at a fixed rate with a warm-up: the same load first for the warm-up, its
 * answers discarded, then again in the same JVM for the measured run, whose summary is printed in
 * {@code sluice load}'s text format. Latency counts from each request's intended send time, so a
 * stall is not hidden (no coordinated omission).
 *
 * <p>Why not {@code sluice load} itself: a fresh JVM compiles its load code during the first
 * second, and the requests of that second wait up to a quarter of a second in its own queues; its
 * p99 over 10 s then measures the load tool. Here the code is compiled before the measured run.
 *
 * <p>{@code java -cp benchmarks.jar io.sluice.bench.FixedRateLoad --qps N --concurrency C
 * [--warmup D] --duration D URL}; exits 1 when the measured run had no answer.
 */
public final class FixedRateLoad {
  private FixedRateLoad() {}

  public static void main(String[] args) throws Exception {
    double qps = -1;
    int concurrency = 1;
    Duration warmup = Duration.ofSeconds(5);
    Duration duration = null;
    String url = null;
    ArrayDeque<String> a = new ArrayDeque<>(Arrays.asList(args));
    while (!a.isEmpty()) {
      String arg = a.poll();
      switch (arg) {
        case "--qps" -> qps = Double.parseDouble(value(a, arg));
        case "--concurrency" -> concurrency = Integer.parseInt(value(a, arg));
        case "--warmup" -> warmup = DurationText.parse(value(a, arg));
        case "--duration" -> duration = DurationText.parse(value(a, arg));
        default -> {
          if (arg.startsWith("-") || url != null) {
            usage("unexpected argument '" + arg + "'");
          }
          url = arg;
        }
      }
    }
    if (url == null || duration == null || !(qps > 0)) {
      usage("--qps (more than 0), --duration and URL are required");
    }
    LoadOptions options = LoadOptions.of(URI.create(url))
        .withQps(qps)
        .withConcurrency(concurrency)
        .withThreads(Math.min(concurrency, Runtime.getRuntime().availableProcessors()))
        .withInterval(duration.plusSeconds(1));
    if (!warmup.isZero()) {
      run(options.withDuration(warmup));
    }
    LoadOptions measured = options.withDuration(duration);
    LoadReport summary = run(measured);
    LoadReportFormat.header(measured).forEach(System.out::println);
    System.out.println(LoadReportFormat.text(summary, 8));
    System.out.println(LoadReportFormat.footer(summary));
    System.exit(summary.answered() > 0 ? 0 : 1);
  }

  private static LoadReport run(LoadOptions options) throws Exception {
    try (LoadGenerator load = LoadGenerator.start(options, report -> {})) {
      LoadReport summary = load.await();
      if (summary == null) {
        throw new IllegalStateException("the load ended without its summary");
      }
      return summary;
    }
  }

  private static String value(ArrayDeque<String> args, String option) {
    String v = args.poll();
    if (v == null) {
      usage(option + " needs a value");
    }
    return v;
  }

  private static void usage(String problem) {
    System.err.println("FixedRateLoad: " + problem);
    System.err.println("usage: FixedRateLoad --qps N [--concurrency C] [--warmup D] --duration D URL");
    System.exit(2);
  }
}
