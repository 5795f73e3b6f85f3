package io.sluice.cli;

import io.sluice.admin.AdminServer;
import io.sluice.config.BootstrapReader;
import io.sluice.config.BootstrapSpec;
import io.sluice.config.ConfigException;
import io.sluice.config.ConfigProblem;
import io.sluice.config.HostPort;
import io.sluice.proxy.ConfigFileWatcher;
import io.sluice.proxy.Log;
import io.sluice.proxy.ProxyServer;
import io.sluice.route.RandomSource;
import io.sluice.store.StateDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code sluice proxy -c FILE}: runs the proxy for an Envoy bootstrap, with its admin interface,
 * watching the file for changes, until SIGTERM (or SIGINT, or {@code POST /quitquitquit}), when it
 * stops accepting, lets requests in flight finish within the drain time, and exits 0.
 */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    description = "Runs the proxy for an Envoy v3 bootstrap (YAML or JSON).")
final class ProxyCommand implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The Envoy bootstrap.")
  Path config;

  @Option(names = "--concurrency", paramLabel = "N",
      description = "Event loops serving traffic (default: the number of cores).")
  Integer concurrency;

  @Option(names = "--admin", paramLabel = "HOST:PORT",
      description = "Admin interface address (default: the bootstrap's admin.address, else 127.0.0.1:9901).")
  String admin;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Where runtime overrides are kept across restarts "
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

  @Option(names = "--no-watch",
      description = "Do not reload the config file when it changes (it is still reloaded on SIGHUP).")
  boolean noWatch;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Duration drain = DurationOption.parse(spec, "--drain-time", drainTime);
    Duration interval = DurationOption.parse(spec, "--watch-interval", watchInterval);
    int threads = concurrency == null ? Runtime.getRuntime().availableProcessors() : concurrency;
    if (threads < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--concurrency must be at least 1");
    }
    HostPort adminAddress = admin == null ? null : HostPortOption.parse(spec, "--admin", admin);

    BootstrapSpec bootstrap;
    byte[] running;
    try {
      // The fingerprint first: if the file changes while it is read, the watcher sees a change.
      running = fingerprintOrEmpty(config);
      bootstrap = BootstrapReader.read(config);
    } catch (ConfigException e) {
      for (ConfigProblem p : e.errors()) {
        System.err.println(config + ": " + p);
      }
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
        new ProxyServer(bootstrap, new ProxyServer.Options(threads, RandomSource.threadLocal(), accessLog, state));
    CountDownLatch stopped = new CountDownLatch(1);
    AdminServer[] adminServer = new AdminServer[1];
    ConfigFileWatcher[] watcher = new ConfigFileWatcher[1];
    Runnable shutdown = new Shutdown(proxy, adminServer, watcher, drain, stopped);
    try {
      proxy.start();
      adminServer[0] = new AdminServer(adminAddress, proxy, shutdown);
      Log.info("admin on " + adminServer[0].address().getHostString() + ":" + adminServer[0].address().getPort());
      // Without watching, the file is still read again on SIGHUP.
      watcher[0] = new ConfigFileWatcher(config, running, BootstrapReader::read, proxy, noWatch ? null : interval);
    } catch (IOException e) {
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
