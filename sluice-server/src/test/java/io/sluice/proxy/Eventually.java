package io.sluice.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for something a test can observe (a counter, a state, an access-log line) by polling it
 * until a deadline; never for a fixed time.
 */
final class Eventually {
  private static final Duration DEFAULT = Duration.ofSeconds(10);

  private Eventually() {}

  /** Returns as soon as {@code condition} holds; fails naming {@code what} after {@code timeout}. */
  static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
      }
      LockSupport.parkNanos(2_000_000);
    }
  }

  static void until(String what, BooleanSupplier condition) {
    until(what, DEFAULT, condition);
  }

  /**
   * The first line of the access log at {@code path} containing {@code fragment}, once the log's
   * writer thread has written it.
   */
  static String accessLogLine(Path path, String fragment) {
    String[] found = new String[1];
    until("an access log line containing " + fragment, () -> {
      for (String line : lines(path)) {
        if (line.contains(fragment)) {
          found[0] = line;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  private static List<String> lines(Path path) {
    try {
      return Files.exists(path) ? Files.readAllLines(path) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
