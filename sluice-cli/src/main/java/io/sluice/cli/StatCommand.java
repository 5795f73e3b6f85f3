package io.sluice.cli;

import io.sluice.stats.TrafficWindows;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sluice stat [--window D] [-n NS|-A] [--by backend|route] [-o table|json|wide] [--watch]
 * [--admin URL...]}: each backend's configured share, success rate, request rate, latency and
 * connections over a recent window, as {@code linkerd viz stat} shows them, summed over one or
 * several proxies.
 */
@Command(
    name = "stat",
    mixinStandardHelpOptions = true,
    description = "Shows each backend's share, success rate, requests per second and latency over the last"
        + " window, as linkerd viz stat does; several --admin: the sum of those proxies.")
final class StatCommand implements Callable<Integer> {
  static final Duration WATCH_INTERVAL = Duration.ofSeconds(2);
  private static final List<String> OUTPUTS = List.of("table", "wide", "json");
  private static final List<String> BY = List.of("backend", "route");
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  @Option(names = "--window", paramLabel = "DURATION",
      description = "The span to show, 10s to 10m, at most the proxy's window (default: the proxy's window, 1m"
          + " unless sluice proxy --window says otherwise).")
  String window;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
      description = "Rows of namespace NS only (default: namespace default, and rows without a namespace:"
          + " an Envoy bootstrap's clusters).")
  String namespace;

  @Option(names = {"-A", "--all-namespaces"}, description = "Every row, with a NAMESPACE column.")
  boolean allNamespaces;

  @Option(names = "--by", paramLabel = "backend|route",
      description = "One row per backend of each route (default), or one per route.")
  String by;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
      description = "table (default); wide: also the route, bytes per second each way, 4xx and 5xx counts;"
          + " json: every number, for scripts.")
  String output;

  @Option(names = {"-w", "--watch"}, description = "Redraw every 2 seconds until Ctrl-C.")
  boolean watch;

  @Option(names = "--admin", paramLabel = "URL",
      description = "A proxy's admin address (default: " + AdminClient.DEFAULT + "); repeat it to sum several proxies.")
  List<String> admins;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (output != null && !OUTPUTS.contains(output)) {
      throw usage("-o: unknown output format \"" + output + "\"; the formats are " + String.join(", ", OUTPUTS));
    }
    if (by != null && !BY.contains(by)) {
      throw usage("--by: expected backend or route, got \"" + by + "\"");
    }
    if (allNamespaces && namespace != null) {
      throw usage("-n and -A cannot be used together");
    }
    String query = "/stats/window" + (window == null ? "" : "?span=" + spanSeconds() + "s");
    List<AdminClient> clients = clients();
    boolean json = "json".equals(output);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!watch) {
      Look look = look(clients, query, true);
      (look.note() ? err : out).print(look.text());
      out.flush();
      err.flush();
      return 0;
    }
    boolean ansi = !json && System.console() != null && !"dumb".equals(System.getenv("TERM"));
    return new StatWatch(out, err, ansi, json ? "" : "\n", WATCH_INTERVAL, d -> Thread.sleep(d.toMillis()))
        .run(() -> look(clients, query, false).text());
  }

  /** What one look prints: a table or JSON; or, when nothing is in scope, a note saying so ({@code note}). */
  private record Look(String text, boolean note) {}

  /** Fetches every proxy's rows, sums them and formats the rows in scope ({@code pretty}: JSON over several lines). */
  private Look look(List<AdminClient> clients, String query, boolean pretty) throws IOException {
    boolean byRoute = "route".equals(by);
    StatRows.Scope scope = new StatRows.Scope(namespace, allNamespaces);
    WindowAnswer summed = fetch(clients, query);
    List<StatRow> rows = StatRows.select(summed.rows(), byRoute, scope);
    if ("json".equals(output)) {
      List<String> proxies = clients.stream().map(c -> c.base().toString()).toList();
      return new Look(StatTable.json(summed, rows, byRoute, proxies, pretty), false);
    }
    if (rows.isEmpty()) {
      return new Look(nothingIn(scope, summed) + "\n", true);
    }
    StatTable.Layout layout = new StatTable.Layout(byRoute, allNamespaces, "wide".equals(output));
    return new Look(StatTable.render(StatRows.withoutIdleRoutes(rows), layout), false);
  }

  /** {@code --window} in whole seconds (rounded up; the proxy rounds up to its bucket size too). */
  private long spanSeconds() {
    Duration span = DurationOption.parse(spec, "--window", window);
    if (span.compareTo(TrafficWindows.MIN) < 0 || span.compareTo(TrafficWindows.MAX) > 0) {
      throw usage("--window: must be between 10s and 10m, got '" + window + "'");
    }
    return (span.toMillis() + 999) / 1000;
  }

  /** One client per {@code --admin}; a malformed or repeated address is a usage error. */
  private List<AdminClient> clients() {
    List<String> given = admins == null || admins.isEmpty() ? List.of(AdminClient.DEFAULT) : admins;
    List<AdminClient> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String a : given) {
      AdminClient c;
      try {
        c = new AdminClient(a, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
      } catch (IllegalArgumentException e) {
        throw usage("--admin: " + e.getMessage());
      }
      if (!seen.add(c.base().toString())) {
        throw usage("--admin: " + c.base() + " is given twice; its rows would be counted twice");
      }
      out.add(c);
    }
    return out;
  }

  /**
   * Every proxy's rows, summed. One proxy that cannot answer fails the whole: a sum that silently
   * left one out would understate every count.
   */
  private static WindowAnswer fetch(List<AdminClient> clients, String query) throws IOException {
    List<WindowAnswer> answers = new ArrayList<>();
    for (AdminClient c : clients) {
      AdminClient.Answer a = c.get(query);
      if (a.status() == 404) {
        throw new IOException("the admin interface at " + c.base() + " has no /stats/window"
            + " (is it an older sluice, or Envoy?)");
      }
      if (a.status() != 200) {
        throw new IOException(c.base() + ": " + a.body().strip());
      }
      try {
        answers.add(WindowAnswer.parse(a.body()));
      } catch (IllegalArgumentException e) {
        throw new IOException("the admin interface at " + c.base() + " answered /stats/window with something"
            + " unexpected: " + e.getMessage());
      }
    }
    return StatRows.sum(answers);
  }

  /** Says that the scope has no rows, and which namespaces have some. */
  private static String nothingIn(StatRows.Scope scope, WindowAnswer summed) {
    List<String> namespaces = StatRows.namespaces(summed.rows());
    String hint = scope.all() || namespaces.isEmpty() ? ""
        : " (rows exist in namespace" + (namespaces.size() == 1 ? " " : "s ") + String.join(", ", namespaces)
            + "; use -n NS or -A)";
    return "No routes or traffic found in " + scope.describe() + hint + ".";
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
