package io.sluice.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Everything {@code sluice demo} started (backends, proxies, loads), each closed exactly once:
 * early when the story is done with it, else at the end of the run or by the shutdown hook that
 * Ctrl-C runs, newest first, so that a load stops before the proxy it goes through and a proxy
 * before its backends.
 */
final class DemoServers implements AutoCloseable {
  /** A started thing and what to call it in a message. */
  private record Started(String what, AutoCloseable thing) {}

  private final Deque<Started> started = new ArrayDeque<>();
  private boolean closed;

  /**
   * Keeps {@code thing} until it is stopped or everything is closed.
   *
   * @throws IllegalStateException when everything has been closed already (Ctrl-C came first);
   *     {@code thing} is then closed at once
   */
  synchronized <T extends AutoCloseable> T add(String what, T thing) {
    if (closed) {
      closeQuietly(new Started(what, thing), new ArrayList<>());
      throw new IllegalStateException("the demo is stopping");
    }
    started.push(new Started(what, thing));
    return thing;
  }

  /** Closes {@code thing} now, if it is still open. */
  synchronized void stop(AutoCloseable thing) {
    for (Started s : started) {
      if (s.thing() == thing) {
        started.remove(s);
        closeQuietly(s, new ArrayList<>());
        return;
      }
    }
  }

  /** Whether {@link #close} has run: the demo is over or being interrupted. */
  synchronized boolean closed() {
    return closed;
  }

  /** What is open now, newest first ({@code the load}, {@code backend v1}, ...). */
  synchronized List<String> open() {
    return started.stream().map(Started::what).toList();
  }

  /** Closes everything still open, newest first. Idempotent. */
  @Override
  public void close() {
    closeAll();
  }

  /**
   * Closes everything still open, newest first, and returns what could not be closed cleanly
   * (one message each); empty when all went well.
   */
  synchronized List<String> closeAll() {
    closed = true;
    List<String> problems = new ArrayList<>();
    while (!started.isEmpty()) {
      closeQuietly(started.pop(), problems);
    }
    return problems;
  }

  private static void closeQuietly(Started s, List<String> problems) {
    try {
      s.thing().close();
    } catch (Exception e) {
      // One that fails to close must not keep the others open.
      problems.add(s.what() + ": " + e);
    }
  }
}
