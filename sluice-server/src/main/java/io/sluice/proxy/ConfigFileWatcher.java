package io.sluice.proxy;

import io.sluice.config.BootstrapSpec;
import io.sluice.config.ConfigException;
import io.sluice.config.ConfigProblem;
import io.sluice.resource.ResourceException;
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

  /**
   * What a changed file does: read, validate and put into effect (an Envoy bootstrap swapped in, a
   * resource file applied), or throw {@link ConfigException} or {@link ResourceException} with every
   * error, or an {@link IOException}, leaving the running configuration as it was.
   */
  @FunctionalInterface
  public interface Reload {
    /** Applies {@code file} and returns what to log, e.g. {@code 2 listeners, 3 clusters}. */
    String apply(Path file) throws IOException;
  }

  private final Path file;
  private final Reload reload;
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
    this(file, running, bootstrapInto(loader, proxy::apply), interval);
  }

  /** Starts watching {@code file}; a changed content is given to {@code reload}. */
  public ConfigFileWatcher(Path file, byte[] running, Reload reload, Duration interval) {
    this.file = file;
    this.reload = reload;
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
      String summary = reload.apply(file);
      Log.info("configuration reloaded from " + file + " (" + summary + ")");
      applied.incrementAndGet();
    } catch (ConfigException e) {
      Log.error("configuration change rejected, the running configuration stays: " + e.errors().size() + " error(s)");
      for (ConfigProblem p : e.errors()) {
        Log.error(file + ": " + p);
      }
      rejected.incrementAndGet();
    } catch (ResourceException e) {
      Log.error("configuration change rejected, the running configuration stays: " + e.errors().size() + " error(s)");
      for (String error : e.errors()) {
        Log.error(file + ": " + error);
      }
      rejected.incrementAndGet();
    } catch (IOException | RuntimeException e) {
      Log.error("configuration change rejected, the running configuration stays: " + e.getMessage());
      rejected.incrementAndGet();
    }
  }

  /**
   * The reload of an Envoy bootstrap: {@code loader} reads and validates it, {@code target} puts it
   * into effect (the proxy itself, or the resource store, which adds the applied resources).
   */
  public static Reload bootstrapInto(Function<Path, BootstrapSpec> loader, BootstrapTarget target) {
    return file -> {
      BootstrapSpec next = loader.apply(file);
      for (ConfigProblem w : next.warnings()) {
        Log.warn(file + ": " + w);
      }
      target.apply(next);
      return next.listeners().size() + " listeners, " + next.clusters().size() + " clusters";
    };
  }

  /** Where a reloaded bootstrap goes. */
  @FunctionalInterface
  public interface BootstrapTarget {
    void apply(BootstrapSpec next) throws IOException;
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
