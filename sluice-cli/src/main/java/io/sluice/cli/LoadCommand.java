package io.sluice.cli;

import io.sluice.tools.DurationText;
import io.sluice.tools.HttpProxySetting;
import io.sluice.tools.LoadGenerator;
import io.sluice.tools.LoadListener;
import io.sluice.tools.LoadOptions;
import io.sluice.tools.LoadReport;
import io.sluice.tools.LoadReportFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * {@code sluice load}: slow_cooker's job, without coordinated omission. Sends requests on a fixed
 * timetable (or closed loop), prints a line per interval and a summary, and exits 0 once the load
 * ends (its total, its duration, or SIGINT/SIGTERM), 1 when not one request was answered.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
        "Sends HTTP/1.1 requests at a fixed rate over keep-alive connections and prints, every interval, the "
            + "good/bad/failed counts, the share of the goal reached, latency min/p50/p95/p99/p99.9/max measured from "
            + "each request's intended send time, and the count of answers per body (v1=90 v2=10).",
        "Ends after --total requests, after --duration, or on Ctrl-C, with a summary line."})
final class LoadCommand implements Callable<Integer> {
  /** The output formats. */
  enum Output { text, json }

  @Parameters(index = "0", paramLabel = "URL", description = "The http:// URL to request.")
  String url;

  @Option(names = "--qps", defaultValue = "1", paramLabel = "N",
      description = "Requests per second over all connections (default: ${DEFAULT-VALUE}); 0: closed loop, as fast as "
          + "answers come back.")
  double qps;

  @Option(names = "--concurrency", defaultValue = "1", paramLabel = "C",
      description = "Keep-alive connections (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--interval", defaultValue = "10s", paramLabel = "D",
      description = "How often a line is printed (default: ${DEFAULT-VALUE}).")
  String interval;

  @Option(names = "--total", paramLabel = "N", description = "Stop after N requests.")
  Long total;

  @Option(names = "--duration", paramLabel = "D", description = "Stop after D (requests in flight then finish).")
  String duration;

  @Option(names = "--host", paramLabel = "H", description = "The Host header (default: the URL's host and port).")
  String host;

  @Option(names = "--header", paramLabel = "'K: V'", description = "A request header (repeatable).")
  List<String> headers = new ArrayList<>();

  @Option(names = "--method", paramLabel = "M", description = "The request method (default: GET, or POST with --data).")
  String method;

  @Option(names = "--data", paramLabel = "D", description = "The request body; @FILE reads it from FILE, @- from standard input.")
  String data;

  @Option(names = "--proxy", paramLabel = "URL|none",
      description = "Send requests through this HTTP proxy (absolute-form requests), e.g. http://127.0.0.1:4140 for "
          + "Sluice's mesh listener (default: $http_proxy or $HTTP_PROXY unless $no_proxy exempts the host; none: no proxy).")
  String proxy;

  @Option(names = "--timeout", defaultValue = "10s", paramLabel = "D",
      description = "A request without its answer this long after it was sent fails (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(names = "--threads", paramLabel = "N",
      description = "Event loops sending requests (default: the smaller of the concurrency and the number of cores).")
  Integer threads;

  @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "text|json",
      description = "text: column lines (see the README); json: one JSON object per line (default: ${DEFAULT-VALUE}).")
  Output output;

  @Option(names = "--max-bodies", defaultValue = "8", paramLabel = "N",
      description = "Body labels listed per text line, the most frequent first; the rest are said as +N more "
          + "(default: ${DEFAULT-VALUE}).")
  int maxBodies;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    LoadOptions options = options();
    PrintStream out = System.out;
    if (output == Output.text) {
      LoadReportFormat.header(options).forEach(out::println);
      out.flush();
    }
    LoadListener printer = new LoadListener() {
      @Override
      public void interval(LoadReport r) {
        out.println(output == Output.text ? LoadReportFormat.text(r, maxBodies) : LoadReportFormat.json(r));
        out.flush();
      }

      @Override
      public void finished(LoadReport r) {
        if (output == Output.text) {
          out.println(LoadReportFormat.text(r, maxBodies));
          out.println(LoadReportFormat.footer(r));
        } else {
          out.println(LoadReportFormat.json(r));
        }
        out.flush();
      }
    };
    LoadGenerator load;
    try {
      load = LoadGenerator.start(options, printer);
    } catch (IOException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
    Signal.handle(new Signal("INT"), s -> load.stop());
    Signal.handle(new Signal("TERM"), s -> load.stop());
    LoadReport summary = load.await();
    load.close();
    if (summary == null) {
      System.err.println("error: the load ended without its summary (see the log above)");
      return 1;
    }
    if (summary.answered() == 0 && summary.failed() > 0) {
      URI target = options.proxy() != null ? options.proxy() : options.url();
      System.err.println("error: none of " + summary.failed() + " requests was answered (is anything listening at "
          + target.getHost() + ":" + (target.getPort() < 0 ? 80 : target.getPort()) + "?)");
      return 1;
    }
    return 0;
  }

  private LoadOptions options() throws IOException {
    URI target = parseUrl();
    if (!(qps >= 0) || Double.isInfinite(qps)) {
      throw usage("--qps: expected a rate of 0 (closed loop) or more, got " + qps);
    }
    if (concurrency < 1) {
      throw usage("--concurrency: expected at least 1, got " + concurrency);
    }
    Duration every = duration("--interval", interval);
    if (total != null && total < 1) {
      throw usage("--total: expected at least 1, got " + total);
    }
    Duration stopAfter = duration == null ? null : duration("--duration", duration);
    Duration requestTimeout = duration("--timeout", timeout);
    if (maxBodies < 0) {
      throw usage("--max-bodies: expected 0 or more, got " + maxBodies);
    }
    String hostHeader = host;
    List<Map.Entry<String, String>> parsed = new ArrayList<>();
    for (String h : headers) {
      int colon = h.indexOf(':');
      String name = colon < 0 ? "" : h.substring(0, colon).strip();
      if (name.isEmpty()) {
        throw usage("--header: expected 'Name: value', got '" + h + "'");
      }
      String value = h.substring(colon + 1).strip();
      if (name.equalsIgnoreCase("host")) {
        if (host != null) {
          throw usage("--header: a Host header and --host both given; use --host");
        }
        hostHeader = value;
      } else {
        parsed.add(Map.entry(name, value));
      }
    }
    byte[] body = data == null ? null : body(data);
    String m = method != null ? method : body != null ? "POST" : "GET";
    int n = threads != null ? threads : Math.min(concurrency, Runtime.getRuntime().availableProcessors());
    if (n < 1) {
      throw usage("--threads: expected at least 1, got " + n);
    }
    URI via;
    try {
      via = HttpProxySetting.resolve(proxy, System.getenv(), target);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    try {
      return new LoadOptions(target, qps, concurrency, every, total == null ? 0 : total, stopAfter, hostHeader, parsed,
          m, body, via, requestTimeout, n);
    } catch (IllegalArgumentException e) {
      // What the options themselves reject (a header name with a space, a method with a slash, ...).
      throw usage(e.getMessage().replaceFirst("^headers\\[\\d+]", "--header").replaceFirst("^(\\w+):", "--$1:"));
    }
  }

  private URI parseUrl() {
    URI u;
    try {
      u = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw usage("URL: expected an http:// URL such as http://127.0.0.1:8080/, got '" + url + "'");
    }
    if ("https".equalsIgnoreCase(u.getScheme())) {
      throw usage("URL: expected an http:// URL, got '" + url + "' (https is not supported)");
    }
    if (!"http".equalsIgnoreCase(u.getScheme())) {
      throw usage("URL: expected an http:// URL such as http://127.0.0.1:8080/, got '" + url + "'");
    }
    if (u.getHost() == null) {
      throw usage("URL: expected an http://HOST[:PORT]/ URL, got '" + url + "'");
    }
    return u;
  }

  private Duration duration(String option, String text) {
    Duration d;
    try {
      d = DurationText.parse(text);
    } catch (IllegalArgumentException e) {
      throw usage(option + ": " + e.getMessage());
    }
    if (d.isZero()) {
      throw usage(option + ": expected more than 0, got '" + text + "'");
    }
    return d;
  }

  private byte[] body(String d) throws IOException {
    if (!d.startsWith("@")) {
      return d.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    String file = d.substring(1);
    if (file.equals("-")) {
      return System.in.readAllBytes();
    }
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw usage("--data: no such file: " + file);
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
