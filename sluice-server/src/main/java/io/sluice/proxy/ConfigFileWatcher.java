package io.sluice.proxy;

import io.sluice.config.BootstrapSpec;
import io.sluice.config.ConfigException;
import io.sluice.config.ConfigProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Watches the configuration file and swaps in a changed one that validates. The file is polled
 * (by content, so a touch does nothing and an editor's save-by-rename or a Kubernetes ConfigMap's
 * symlink swap are seen like any write). A file that does not validate is rejected with every
 * error logged, and the running configuration stays.
 */
public final class ConfigFileWatcher implements AutoCloseable {
  private final Path file;
  private final Function<Path, BootstrapSpec> loader;
  private final ProxyServer proxy;
  private final ScheduledExecutorService timer;
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private byte[] lastDigest;

  /**
   * Starts watching {@code file}, whose current content is the one {@code proxy} runs.
   *
   * @param loader reads and validates a file, throwing {@link ConfigException} with every error
   */
  public ConfigFileWatcher(Path file, Function<Path, BootstrapSpec> loader, ProxyServer proxy, Duration interval)
      throws IOException {
    this.file = file;
    this.loader = loader;
    this.proxy = proxy;
    this.lastDigest = digest(Files.readAllBytes(file));
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sluice-config-watch");
              t.setDaemon(true);
              return t;
            });
    long ms = Math.max(10, interval.toMillis());
    timer.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Checks the file once; public so a reload can also be asked for (e.g. on SIGHUP). */
  public synchronized void poll() {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      // Mid-replacement, or removed: try again at the next poll.
      return;
    }
    byte[] d = digest(content);
    if (Arrays.equals(d, lastDigest)) {
      return;
    }
    lastDigest = d;
    try {
      BootstrapSpec next = loader.apply(file);
      for (ConfigProblem w : next.warnings()) {
        Log.warn(file + ": " + w);
      }
      proxy.apply(next);
      applied.incrementAndGet();
      Log.info("configuration reloaded from " + file + " (" + next.listeners().size() + " listeners, "
          + next.clusters().size() + " clusters)");
    } catch (ConfigException e) {
      rejected.incrementAndGet();
      Log.error("configuration change rejected, the running configuration stays: " + e.errors().size() + " error(s)");
      for (ConfigProblem p : e.errors()) {
        Log.error(file + ": " + p);
      }
    } catch (IOException | RuntimeException e) {
      rejected.incrementAndGet();
      Log.error("configuration change rejected, the running configuration stays: " + e.getMessage());
    }
  }

  /** Configurations swapped in so far. */
  public long applied() {
    return applied.get();
  }

  /** Changes rejected so far. */
  public long rejected() {
    return rejected.get();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private static byte[] digest(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
