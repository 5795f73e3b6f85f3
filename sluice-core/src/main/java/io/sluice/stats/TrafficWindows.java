package io.sluice.stats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The sliding windows behind {@code sluice stat}: one per backend of each route (a backend is the
 * cluster a request was sent to), and one per route for its requests without a backend (no
 * cluster named). A route's totals are the sum of its windows, so a request is recorded once. All
 * windows share one origin, so their buckets turn over at the same instants and sums over a span
 * are exact. Windows are kept by name, so they carry on across configuration reloads as long as
 * the route and cluster keep their names.
 */
public final class TrafficWindows {
  /** The shortest window. */
  public static final Duration MIN = Duration.ofSeconds(10);
  /** The longest window. */
  public static final Duration MAX = Duration.ofMinutes(10);
  /** The default window. */
  public static final Duration DEFAULT = Duration.ofMinutes(1);

  /** A window and what it is the window of. */
  public record Row(String route, String backend, SlidingWindow window) {}

  private final Duration window;
  private final LongSupplier clock;
  private final long originNanos;
  private final ConcurrentHashMap<String, Row> rows = new ConcurrentHashMap<>();

  /**
   * @param window the length of every window (10 s to 10 min)
   * @param clock nanoseconds ({@code System::nanoTime} outside tests)
   */
  public TrafficWindows(Duration window, LongSupplier clock) {
    checkWindow(window);
    this.window = window;
    this.clock = clock;
    this.originNanos = clock.getAsLong();
  }

  /** Throws when {@code window} is outside 10 s to 10 min. */
  public static void checkWindow(Duration window) {
    if (window.compareTo(MIN) < 0 || window.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("the window must be between 10s and 10m, got " + describe(window));
    }
  }

  /** {@code 90s}, {@code 1m}, {@code 250ms}: a duration the way it is written on the command line. */
  public static String describe(Duration d) {
    if (d.toMillis() % 60_000 == 0 && !d.isZero()) {
      return d.toMinutes() + "m";
    }
    if (d.toMillis() % 1000 == 0) {
      return d.toSeconds() + "s";
    }
    return d.toMillis() + "ms";
  }

  /** The windows' length. */
  public Duration window() {
    return window;
  }

  /** The windows' clock now (one reading serves every window a request is recorded in). */
  public long now() {
    return clock.getAsLong();
  }

  /** {@code span} rounded up to whole buckets, at most the window. */
  public Duration roundSpan(Duration span) {
    return SlidingWindow.roundSpan(span, window.toNanos());
  }

  /** The window of requests a route sent to a backend, created the first time. */
  public SlidingWindow backend(String route, String backend) {
    return rows.computeIfAbsent(route + "\u0000" + backend, k -> new Row(route, backend, newWindow())).window();
  }

  /** The window of the requests a route forwarded without a backend, created the first time. */
  public SlidingWindow route(String route) {
    return rows.computeIfAbsent(route + "\u0000", k -> new Row(route, null, newWindow())).window();
  }

  private SlidingWindow newWindow() {
    return new SlidingWindow(window, clock, originNanos);
  }

  /**
   * The totals over the last {@code span} of a route's backend, or with {@code backend} null of
   * the whole route (the sum of its windows); nothing, over the time the windows have run (at most
   * the span), when there is no such window yet.
   */
  public WindowSnapshot snapshot(String route, String backend, Duration span) {
    long covered = Math.min(roundSpan(span).toNanos(), Math.max(1, clock.getAsLong() - originNanos));
    WindowSnapshot sum = WindowSnapshot.empty(covered / 1e9);
    if (backend != null) {
      Row row = rows.get(route + "\u0000" + backend);
      return row == null ? sum : row.window().snapshot(span);
    }
    for (Row row : rows.values()) {
      if (row.route().equals(route)) {
        sum = sum.plus(row.window().snapshot(span));
      }
    }
    return sum;
  }

  /** Every window: rows with a backend, and rows of whole routes (backend null). */
  public List<Row> rows() {
    return new ArrayList<>(rows.values());
  }

  /**
   * Forgets the windows that {@code keep} rejects and that saw no request within the window (a
   * route or backend a reload removed, once its traffic has rolled off), so that windows do not
   * pile up across reloads.
   */
  public void prune(Predicate<Row> keep) {
    rows.values().removeIf(r -> !keep.test(r) && !r.window().active());
  }
}
