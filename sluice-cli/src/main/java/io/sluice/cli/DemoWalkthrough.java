package io.sluice.cli;

import io.sluice.tools.Backend;
import io.sluice.tools.BackendOptions;
import io.sluice.tools.DurationText;
import io.sluice.tools.LoadOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The story {@code sluice demo} tells, in the references' order: Linkerd's traffic-shifting
 * walkthrough (the demo's Services, the 90/10 HTTPRoute, the 100% bb-v2 route), then Envoy's
 * traffic shifting (the runtime key at 100, 90, 0) and splitting (33/33/34). It starts the
 * backends and proxies each part needs, says for each step what a user would type by hand (with
 * the README's ports), and has {@link DemoStepRunner} run and judge the steps.
 */
final class DemoWalkthrough {
  static final int STEPS = 7;
  /**
   * The demo's proxies keep the longest window there is, so that a step's table, the difference
   * of two reads of the window (see {@link StepTraffic}), stays exact however long the demo runs.
   */
  static final Duration WINDOW = Duration.ofMinutes(10);
  private static final String NAMESPACE = "traffic-shift-demo";
  private static final String SHIFT_KEY = "routing.traffic_shift.helloworld";
  private static final int COMMAND_WIDTH = 68;

  /**
   * How the demo runs.
   *
   * @param qps the load's rate in every step
   * @param step how long each step's load runs
   * @param concurrency the load's connections
   * @param pause whether to wait for Enter between steps ({@code --step})
   */
  record Settings(double qps, Duration step, int concurrency, boolean pause) {}

  private final DemoOutput out;
  private final DemoServers servers;
  private final Settings settings;
  private final DemoStepRunner runner;
  private final List<DemoStepRunner.Outcome> outcomes = new ArrayList<>();
  /** Where each backend stands in the README's walkthrough (8081) and where it really listens. */
  private final Map<Integer, Integer> backendPorts = new LinkedHashMap<>();

  DemoWalkthrough(DemoOutput out, DemoServers servers, Settings settings, DemoStepRunner runner) {
    this.out = out;
    this.servers = servers;
    this.settings = settings;
    this.runner = runner;
  }

  /** Runs every step and returns how each went; throws only when a server cannot be started. */
  List<DemoStepRunner.Outcome> run() throws IOException, InterruptedException {
    intro();
    linkerd();
    envoy();
    return outcomes;
  }

  private void intro() {
    String load = number(settings.qps()) + " requests/s for " + DurationText.format(settings.step());
    out.lines(List.of(
        "sluice demo: Linkerd's traffic-shifting walkthrough, then Envoy's traffic shifting and splitting, in "
            + STEPS + " steps.",
        "Each step changes the configuration, then sends a fresh load (" + load + ") and judges the answers, all",
        "routed after the change: a 100/0 step must get every answer from one version; in a split each version's",
        "share must be within max(4.5 sigma, 1 point) of its weight, sigma = sqrt(p(1-p)/n). A failed request",
        "fails any step. The tables are `sluice stat` of the step's requests alone.",
        "The $ lines are what you would type by hand (with the README's ports); the demo runs everything in this",
        "process, on free ports, and stops it all at the end or on Ctrl-C."));
  }

  // ---- Linkerd's walkthrough

  private void linkerd() throws IOException, InterruptedException {
    section("Linkerd: traffic shifting with an HTTPRoute (Linkerd's traffic-shifting walkthrough)");
    backend("v1", 8081);
    backend("v2", 8082);
    DemoProxy proxy = servers.add("the Linkerd proxy", DemoProxy.forResources(DemoExamples.LINKERD_EMPTY, WINDOW));
    InetSocketAddress mesh = proxy.listener("mesh");
    started("./sluice proxy -c " + DemoExamples.LINKERD_EMPTY + " &",
        "mesh " + address(mesh) + ", admin " + proxy.admin());
    LoadOptions load = load(URI.create("http://bb:8080/")).withProxy(URI.create("http://" + address(mesh)));
    DemoStepRunner.Target target = new DemoStepRunner.Target(proxy, load, NAMESPACE,
        "HTTP_PROXY=http://127.0.0.1:4140 " + loadCommand("http://bb:8080/"),
        "./sluice stat -n " + NAMESPACE + " --window " + statWindow());
    String hint = "./sluice stat -n " + NAMESPACE + " --admin " + proxy.admin();
    String endpoints = DemoExamples.endpoints(backendPorts);

    step(1, "the demo's Services, and no route yet: bb's own endpoints, all traffic on v1",
        List.of("cat " + DemoExamples.LINKERD_DEMO + " " + DemoExamples.LINKERD_ENDPOINTS + " | ./sluice apply -f -"),
        () -> apply(proxy, DemoExamples.read(DemoExamples.LINKERD_DEMO) + endpoints, "-"),
        target, shares("v1", 1.0));
    runner.pauseBefore(2, hint);
    step(2, "HTTPRoute bb-route sends 10% to bb-v2: about 90/10",
        List.of("./sluice apply -f " + DemoExamples.LINKERD_90_10),
        () -> apply(proxy, DemoExamples.read(DemoExamples.LINKERD_90_10), DemoExamples.LINKERD_90_10),
        target, shares("v1", 0.9, "v2", 0.1));
    runner.pauseBefore(3, hint);
    step(3, "bb-route sends 100% to bb-v2: all traffic on v2",
        List.of("./sluice apply -f " + DemoExamples.LINKERD_V2),
        () -> apply(proxy, DemoExamples.read(DemoExamples.LINKERD_V2), DemoExamples.LINKERD_V2),
        target, shares("v2", 1.0));
    runner.pauseBefore(4, hint);
    servers.stop(proxy);
  }

  // ---- Envoy's traffic shifting and splitting

  private void envoy() throws IOException, InterruptedException {
    section("Envoy: traffic shifting between two upstreams (runtime_fraction)");
    out.line("# the Linkerd proxy is stopped (Ctrl-C: it drains and exits 0): Envoy's bootstraps want admin port 9901 too");
    // The same backends stand behind helloworld_v1 and _v2 (the bootstraps' 127.0.0.1:8081 and 8082).
    DemoProxy shift = envoyProxy("the Envoy shift proxy", DemoExamples.ENVOY_SHIFT);
    DemoStepRunner.Target target = envoyTarget(shift);
    String hint = "./sluice runtime get --admin " + shift.admin();

    step(4, SHIFT_KEY + "=100: every request matches the first route, all traffic on helloworld_v1",
        List.of("./sluice runtime set " + SHIFT_KEY + "=100"), () -> runtime(shift, "100"),
        target, shares("v1", 1.0));
    runner.pauseBefore(5, hint);
    step(5, SHIFT_KEY + "=90: 1 request in 10 falls through to the helloworld_v2 route",
        List.of("./sluice runtime set " + SHIFT_KEY + "=90"), () -> runtime(shift, "90"),
        target, shares("v1", 0.9, "v2", 0.1));
    runner.pauseBefore(6, hint);
    step(6, SHIFT_KEY + "=0: no request matches the first route, all traffic on helloworld_v2",
        List.of("./sluice runtime set " + SHIFT_KEY + "=0"), () -> runtime(shift, "0"),
        target, shares("v2", 1.0));
    runner.pauseBefore(7, hint);
    servers.stop(shift);

    section("Envoy: traffic splitting across three upstreams (weighted_clusters)");
    out.line("# the shift proxy is stopped (Ctrl-C)");
    backend("v3", 8083);
    DemoProxy split = envoyProxy("the Envoy split proxy", DemoExamples.ENVOY_SPLIT);
    step(7, "weighted_clusters 33/33/34: a third of the traffic to each version",
        List.of(), () -> List.of("# no change: the route's own weights"),
        envoyTarget(split), shares("v1", 0.33, "v2", 0.33, "v3", 0.34));
  }

  private DemoProxy envoyProxy(String what, String path) throws IOException {
    DemoProxy proxy = servers.add(what, DemoProxy.forBootstrap(DemoExamples.bootstrap(path, backendPorts), path, WINDOW));
    started("./sluice proxy -c " + path + " &",
        "listener " + address(proxy.listener("listener_0")) + ", admin " + proxy.admin());
    return proxy;
  }

  private DemoStepRunner.Target envoyTarget(DemoProxy proxy) {
    URI url = URI.create("http://" + address(proxy.listener("listener_0")) + "/");
    return new DemoStepRunner.Target(proxy, load(url), null, loadCommand("http://127.0.0.1:10000/"),
        "./sluice stat --window " + statWindow());
  }

  // ---- helpers

  private void step(int number, String title, List<String> commands, DemoStepRunner.Change change,
      DemoStepRunner.Target target, Map<String, Double> expected) throws InterruptedException {
    outcomes.add(runner.run(new DemoStepRunner.Step(number, title, commands, change, target, expected)));
  }

  private void section(String title) {
    out.line("");
    out.line("== " + title + " ==");
  }

  /** Starts a backend answering {@code name}, standing where the README's walkthrough has it on {@code readmePort}. */
  private Backend backend(String name, int readmePort) throws IOException {
    Backend b = servers.add("backend " + name, Backend.start(BackendOptions.of(name, 0).withText(name)));
    backendPorts.put(readmePort, b.port());
    started("./sluice backend --port " + readmePort + " --name " + name + " --text " + name + " &",
        name + " on 127.0.0.1:" + b.port());
    return b;
  }

  private void started(String command, String where) {
    String c = "$ " + command;
    out.line(c + " ".repeat(Math.max(2, COMMAND_WIDTH - c.length())) + "# here: " + where);
  }

  private LoadOptions load(URI url) {
    return LoadOptions.of(url).withQps(settings.qps()).withConcurrency(settings.concurrency())
        .withDuration(settings.step()).withInterval(settings.step());
  }

  private String loadCommand(String url) {
    return "./sluice load --qps " + number(settings.qps())
        + (settings.concurrency() == 1 ? "" : " --concurrency " + settings.concurrency())
        + " --duration " + DurationText.format(settings.step()) + " " + url;
  }

  /** The {@code --window} of the hand-typed {@code sluice stat}: the step, at least 10 s (the shortest span). */
  private String statWindow() {
    long seconds = Math.max(10, (settings.step().toMillis() + 999) / 1000);
    return seconds + "s";
  }

  private static List<String> apply(DemoProxy proxy, String manifest, String source) throws IOException {
    AdminClient.Answer a = new AdminClient(proxy.admin())
        .post("/apis/apply?source=" + AdminClient.encode(source), "application/yaml", manifest);
    if (a.status() != 200) {
      throw new IOException("the proxy rejected the apply (" + a.status() + "): " + a.body().strip());
    }
    return a.body().lines().toList();
  }

  private static List<String> runtime(DemoProxy proxy, String value) throws IOException {
    AdminClient.Answer a = new AdminClient(proxy.admin()).postForm("/runtime_modify", Map.of(SHIFT_KEY, value));
    if (a.status() != 200) {
      throw new IOException("/runtime_modify answered " + a.status() + ": " + a.body().strip());
    }
    return a.body().lines().toList();
  }

  /** The expected shares, in the order given: {@code shares("v1", 0.9, "v2", 0.1)}. */
  private static Map<String, Double> shares(Object... labelsAndShares) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < labelsAndShares.length; i += 2) {
      m.put((String) labelsAndShares[i], (Double) labelsAndShares[i + 1]);
    }
    return m;
  }

  private static String address(InetSocketAddress a) {
    return a.getHostString() + ":" + a.getPort();
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
