package io.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.admin.AdminServer;
import io.sluice.config.BootstrapReader;
import io.sluice.config.BootstrapSpec;
import io.sluice.config.ConfigException;
import io.sluice.config.ConfigProblem;
import io.sluice.config.Documents;
import io.sluice.config.HostPort;
import io.sluice.proxy.ConfigFileWatcher;
import io.sluice.proxy.Log;
import io.sluice.proxy.ProxyServer;
import io.sluice.resource.MeshOptions;
import io.sluice.resource.ResourceException;
import io.sluice.resource.ResourceParser;
import io.sluice.route.RandomSource;
import io.sluice.stats.TrafficWindows;
import io.sluice.store.ResourceStore;
import io.sluice.store.StateDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code sluice proxy -c FILE}: runs the proxy for an Envoy bootstrap or for Kubernetes-style
 * resources, with its admin interface, watching the file for changes, until SIGTERM (or SIGINT, or
 * {@code POST /quitquitquit}), when it stops accepting, lets requests in flight finish within the
 * drain time, and exits 0. Resources applied later ({@code sluice apply}) are kept in the state
 * directory and restored at the next start.
 */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    description = "Runs the proxy for an Envoy v3 bootstrap, or for Kubernetes-style resources (YAML or JSON).")
final class ProxyCommand implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
      description = "An Envoy bootstrap, or Kubernetes-style resources (HTTPRoute, Gateway, TrafficSplit, Service, "
          + "EndpointSlice, ...) applied at start on top of those kept in the state directory.")
  Path config;

  @Option(names = "--mesh", paramLabel = "HOST:PORT|none", defaultValue = "127.0.0.1:4140",
      description = "The mesh listener, where requests addressed to Services (Host or absolute URI bb:8080, "
          + "bb.ns.svc.cluster.local:8080, ...) are routed (default: ${DEFAULT-VALUE}; none: no mesh listener).")
  String mesh;

  @Option(names = "--gateway-host", paramLabel = "HOST", defaultValue = "0.0.0.0",
      description = "The address Gateway listeners bind (default: ${DEFAULT-VALUE}).")
  String gatewayHost;

  @Option(names = "--mesh-namespace", paramLabel = "NS", defaultValue = "default",
      description = "The namespace of the mesh's clients: its Service is the one a bare name (bb:8080) means when "
          + "several namespaces have one of that name, and its consumer routes apply (default: ${DEFAULT-VALUE}).")
  String meshNamespace;

  @Option(names = "--concurrency", paramLabel = "N",
      description = "Event loops serving traffic (default: the number of cores).")
  Integer concurrency;

  @Option(names = "--admin", paramLabel = "HOST:PORT",
      description = "Admin interface address (default: the bootstrap's admin.address, else 127.0.0.1:9901).")
  String admin;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Where runtime overrides and applied resources are kept across restarts "
          + "(default: $XDG_STATE_HOME/sluice/<config path>, or ~/.local/state/sluice/<config path>).")
  Path stateDir;

  @Option(names = "--access-log", paramLabel = "PATH",
      description = "Write an Envoy-style access log line per request to PATH (- for standard output). Off by default.")
  String accessLog;

  @Option(names = "--drain-time", paramLabel = "DURATION", defaultValue = "10s",
      description = "How long requests in flight may take to finish on shutdown (default: ${DEFAULT-VALUE}).")
  String drainTime;

  @Option(names = "--watch-interval", paramLabel = "DURATION", defaultValue = "500ms",
      description = "How often the config file is checked for changes (default: ${DEFAULT-VALUE}).")
  String watchInterval;

  @Option(names = "--window", paramLabel = "DURATION", defaultValue = "1m",
      description = "The sliding window of the traffic statistics per route and backend (GET /stats/window, "
          + "sluice stat), 10s to 10m (default: ${DEFAULT-VALUE}).")
  String window;

  @Option(names = "--no-watch",
      description = "Do not reload the config file when it changes (it is still reloaded on SIGHUP).")
  boolean noWatch;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Duration drain = DurationOption.parse(spec, "--drain-time", drainTime);
    Duration interval = DurationOption.parse(spec, "--watch-interval", watchInterval);
    Duration statsWindow = DurationOption.parse(spec, "--window", window);
    if (statsWindow.compareTo(TrafficWindows.MIN) < 0 || statsWindow.compareTo(TrafficWindows.MAX) > 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--window: must be between 10s and 10m, got '" + window + "'");
    }
    int threads = concurrency == null ? Runtime.getRuntime().availableProcessors() : concurrency;
    if (threads < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--concurrency must be at least 1");
    }
    HostPort adminAddress = admin == null ? null : HostPortOption.parse(spec, "--admin", admin);
    MeshOptions meshOptions = meshOptions();
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      // Netty samples one buffer in 128 for leak tracking, with a stack trace each: a cost on
      // every request of a proxy in production. The tests keep it on (they run the server
      // without this command); -Dio.netty.leakDetection.level=simple turns it back on here.
      io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
    }

    BootstrapSpec bootstrap;
    byte[] running;
    String resources = null;
    try {
      // The fingerprint first: if the file changes while it is read, the watcher sees a change.
      running = fingerprintOrEmpty(config);
      String text = Documents.readText(config);
      if (isResourceFile(text)) {
        // Validated now, so that a bad file stops the start before anything listens.
        ResourceParser.parse(text, config.toString());
        resources = text;
        bootstrap = ResourceStore.resourceBootstrap(config.toString());
      } else {
        bootstrap = BootstrapReader.read(config);
      }
    } catch (ConfigException e) {
      for (ConfigProblem p : e.errors()) {
        System.err.println(config + ": " + p);
      }
      System.err.println("sluice: " + e.errors().size() + " error(s); not starting");
      return 1;
    } catch (ResourceException e) {
      e.errors().forEach(System.err::println);
      System.err.println("sluice: " + e.errors().size() + " error(s); not starting");
      return 1;
    }
    for (ConfigProblem w : bootstrap.warnings()) {
      Log.warn(config + ": " + w);
    }
    if (adminAddress == null) {
      adminAddress = bootstrap.admin() != null ? bootstrap.admin() : new HostPort("127.0.0.1", 9901);
    }
    StateDirectory state = new StateDirectory(stateDir != null ? stateDir : defaultStateDir(config));
    Log.info("state directory " + state.path());

    ProxyServer proxy =
        new ProxyServer(bootstrap, new ProxyServer.Options(
            threads, RandomSource.threadLocal(), accessLog, state, statsWindow, System::nanoTime));
    CountDownLatch stopped = new CountDownLatch(1);
    AdminServer[] adminServer = new AdminServer[1];
    ConfigFileWatcher[] watcher = new ConfigFileWatcher[1];
    Runnable shutdown = new Shutdown(proxy, adminServer, watcher, drain, stopped);
    try {
      proxy.start();
      ResourceStore store = ResourceStore.open(proxy, bootstrap, state,
          new ResourceStore.Options(meshOptions, resources != null, Clock.systemUTC()));
      ConfigFileWatcher.Reload reload;
      if (resources != null) {
        Log.info(config + ": " + applyResourceFile(store, resources, config.toString()));
        reload = file -> applyResourceFile(store, Documents.readText(file), file.toString());
      } else {
        reload = ConfigFileWatcher.bootstrapInto(BootstrapReader::read, store::setBase);
      }
      adminServer[0] = new AdminServer(adminAddress, proxy, store, shutdown);
      Log.info("admin on " + adminServer[0].address().getHostString() + ":" + adminServer[0].address().getPort());
      // Without watching, the file is still read again on SIGHUP.
      watcher[0] = new ConfigFileWatcher(config, running, reload, noWatch ? null : interval);
    } catch (IOException | ResourceException e) {
      System.err.println("sluice: " + e.getMessage());
      proxy.close();
      if (adminServer[0] != null) {
        adminServer[0].close();
      }
      return 1;
    }
    Signal.handle(new Signal("TERM"), s -> new Thread(shutdown, "sluice-shutdown").start());
    Signal.handle(new Signal("INT"), s -> new Thread(shutdown, "sluice-shutdown").start());
    // SIGHUP reloads the file now (and no longer ends the JVM, as it would by default).
    Signal.handle(new Signal("HUP"), s -> watcher[0].reloadNow());
    Log.info("ready: " + proxy.listenerAddresses().size() + " listener(s), " + proxy.clusters().size() + " cluster(s)");
    stopped.await();
    return 0;
  }

  private MeshOptions meshOptions() {
    HostPort meshAddress = mesh.equalsIgnoreCase("none") ? null : HostPortOption.parse(spec, "--mesh", mesh);
    if (gatewayHost.isBlank()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--gateway-host: expected an address");
    }
    if (meshNamespace.isBlank()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--mesh-namespace: expected a namespace");
    }
    return new MeshOptions(meshAddress, gatewayHost.strip(), meshNamespace.strip());
  }

  /** Whether {@code text} holds Kubernetes-style resources rather than an Envoy bootstrap. */
  static boolean isResourceFile(String text) {
    List<JsonNode> documents;
    try {
      documents = Documents.readAll(text, "", Documents.Format.YAML);
    } catch (ConfigException e) {
      // Not readable either way: the bootstrap reader says why, with line and column.
      return false;
    }
    return !documents.isEmpty() && BootstrapReader.isKubernetesResource(documents.get(0));
  }

  private static String applyResourceFile(ResourceStore store, String text, String source) throws IOException {
    // The store logs each change; unchanged documents need no line.
    List<String> lines = store.apply(text, source, false);
    return lines.size() + " document(s) applied";
  }

  private static byte[] fingerprintOrEmpty(Path config) {
    try {
      return ConfigFileWatcher.fingerprint(config);
    } catch (IOException e) {
      // Unreadable now: reading the bootstrap says why.
      return new byte[0];
    }
  }

  /** The default state directory: one per configuration file, under the XDG state home. */
  static Path defaultStateDir(Path config) {
    String xdg = System.getenv("XDG_STATE_HOME");
    Path base = xdg != null && !xdg.isEmpty()
        ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".local", "state");
    String key = config.toAbsolutePath().normalize().toString().replaceAll("[^A-Za-z0-9._-]", "_");
    return base.resolve("sluice").resolve(key);
  }

  /** Drains and stops everything once, then lets {@code call} return 0. */
  private static final class Shutdown implements Runnable {
    private final ProxyServer proxy;
    private final AdminServer[] admin;
    private final ConfigFileWatcher[] watcher;
    private final Duration drain;
    private final CountDownLatch stopped;
    private boolean started;

    Shutdown(ProxyServer proxy, AdminServer[] admin, ConfigFileWatcher[] watcher, Duration drain, CountDownLatch stopped) {
      this.proxy = proxy;
      this.admin = admin;
      this.watcher = watcher;
      this.drain = drain;
      this.stopped = stopped;
    }

    @Override
    public void run() {
      synchronized (this) {
        if (started) {
          return;
        }
        started = true;
      }
      Log.info("draining: no new connections; requests in flight have " + drain.toMillis() + " ms to finish");
      if (watcher[0] != null) {
        watcher[0].close();
      }
      boolean clean = proxy.drain(drain);
      Log.info(clean ? "drained; exiting" : "drain time over; closing " + proxy.openConnections() + " connection(s)");
      proxy.close();
      if (admin[0] != null) {
        admin[0].close();
      }
      stopped.countDown();
    }
  }
}
