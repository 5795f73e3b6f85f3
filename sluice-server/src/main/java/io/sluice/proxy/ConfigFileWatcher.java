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
 * Watches the configuration file and swaps in a changed one that validates. The file is polled by
 * content, so a touch does nothing and an editor's save-by-rename or a Kubernetes ConfigMap's
 * symlink swap are seen like any write. A file that does not validate is rejected with every error
 * logged, and the running configuration stays.
 *
 * <p>A new content is applied only once two polls in a row have read it. A file written in place
 * is empty, then partly written, for a moment; a part can be a valid bootstrap by itself (cut just
 * before {@code layered_runtime:}, it is one without the admin layer), and applying it would drop
 * the runtime overrides or route to a half-written port until the next poll. {@link #reloadNow}
 * (SIGHUP) skips the wait: the operator says the file is complete.
 */
public final class ConfigFileWatcher implements AutoCloseable {
  private final Path file;
  private final Function<Path, BootstrapSpec> loader;
  private final ProxyServer proxy;
  private final ScheduledExecutorService timer;
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  /** The content last acted on (applied or rejected). */
  private byte[] handledDigest;
  /** A new content read by the previous poll, applied if the next poll reads it again. */
  private byte[] pendingDigest;
  private boolean closed;

  /**
   * Starts watching {@code file}, whose current content is the one {@code proxy} runs.
   *
   * @param loader reads and validates a file, throwing {@link ConfigException} with every error
   * @param interval how often to check the file; null to check it only when asked ({@link #poll},
   *     {@link #reloadNow})
   */
  public ConfigFileWatcher(Path file, Function<Path, BootstrapSpec> loader, ProxyServer proxy, Duration interval)
      throws IOException {
    this(file, fingerprint(file), loader, proxy, interval);
  }

  /**
   * Starts watching {@code file}; {@code running} is the {@link #fingerprint} of the content
   * {@code proxy} was built from, taken before that content was read, so that an edit made while
   * the proxy was starting is still seen as a change.
   */
  public ConfigFileWatcher(Path file, byte[] running, Function<Path, BootstrapSpec> loader, ProxyServer proxy,
      Duration interval) {
    this.file = file;
    this.loader = loader;
    this.proxy = proxy;
    this.handledDigest = running.clone();
    if (interval == null) {
      this.timer = null;
      return;
    }
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

  /** One periodic check: a new content is applied when this poll reads what the previous one read. */
  public synchronized void poll() {
    byte[] d = readDigest();
    if (d == null || Arrays.equals(d, handledDigest)) {
      pendingDigest = null;
      return;
    }
    if (!Arrays.equals(d, pendingDigest)) {
      pendingDigest = d;
      return;
    }
    pendingDigest = null;
    load(d);
  }

  /** Applies the file now if its content changed (SIGHUP), without waiting for it to settle. */
  public synchronized void reloadNow() {
    byte[] d = readDigest();
    if (d == null || Arrays.equals(d, handledDigest)) {
      return;
    }
    pendingDigest = null;
    load(d);
  }

  /** The digest of the file's content, or null when closed or the file cannot be read now. */
  private byte[] readDigest() {
    if (closed) {
      return null;
    }
    try {
      return digest(Files.readAllBytes(file));
    } catch (IOException e) {
      // Mid-replacement, or removed: try again at the next poll.
      return null;
    }
  }

  private void load(byte[] digest) {
    handledDigest = digest;
    try {
      BootstrapSpec next = loader.apply(file);
      for (ConfigProblem w : next.warnings()) {
        Log.warn(file + ": " + w);
      }
      proxy.apply(next);
      Log.info("configuration reloaded from " + file + " (" + next.listeners().size() + " listeners, "
          + next.clusters().size() + " clusters)");
      applied.incrementAndGet();
    } catch (ConfigException e) {
      Log.error("configuration change rejected, the running configuration stays: " + e.errors().size() + " error(s)");
      for (ConfigProblem p : e.errors()) {
        Log.error(file + ": " + p);
      }
      rejected.incrementAndGet();
    } catch (IOException | RuntimeException e) {
      Log.error("configuration change rejected, the running configuration stays: " + e.getMessage());
      rejected.incrementAndGet();
    }
  }

  /** Configurations swapped in so far (counted once the change is in effect and logged). */
  public long applied() {
    return applied.get();
  }

  /** Changes rejected so far (counted once every error is logged). */
  public long rejected() {
    return rejected.get();
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** What the watcher compares: a digest of the file's content. */
  public static byte[] fingerprint(Path file) throws IOException {
    return digest(Files.readAllBytes(file));
  }

  private static byte[] digest(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
