package io.sluice.tools;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One event loop's part of a load: its connections, its share of the timetable, and what it saw
 * since the last report. Lane {@code k} of {@code L} sends the timetable's requests {@code k, k+L,
 * k+2L, ...}, so the lanes together keep the global rate exactly. A request that is due while every
 * connection is busy waits in the lane's backlog and goes out on the next free connection, its
 * latency still counted from its intended time. Everything here runs on the lane's event loop.
 */
final class LoadLane {
  private final EventLoop loop;
  private final int index;
  private final int lanes;
  private Timetable timetable;
  private final AtomicLong claimed;
  private final long total;
  private final boolean head;
  private final List<LoadConnection> connections = new ArrayList<>();
  // Free connections, oldest first, so that every connection takes its turn (as slow_cooker's do).
  private final ArrayDeque<LoadConnection> idle = new ArrayDeque<>();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private IntervalStats stats = new IntervalStats();
  // Lane-local request numbers j (global i = index + j * lanes): sent up to nextSend, due up to nextDue.
  private long nextSend;
  private long nextDue;
  private int inFlight;
  private boolean stopped;
  private boolean dispatchQueued;
  private long unsent;
  private ScheduledFuture<?> tick;

  /**
   * @param claimed a closed loop's requests so far over all lanes (for {@code total})
   * @param total a closed loop's limit, or 0
   */
  LoadLane(EventLoop loop, int index, int lanes, AtomicLong claimed, long total, boolean head) {
    this.loop = loop;
    this.index = index;
    this.lanes = lanes;
    this.claimed = claimed;
    this.total = total;
    this.head = head;
  }

  EventLoop loop() {
    return loop;
  }

  boolean head() {
    return head;
  }

  /** Adds a connection (before {@link #start}). */
  void add(LoadConnection c) {
    connections.add(c);
    idle.add(c);
  }

  /** Completes when the lane has stopped sending and every request it sent has its outcome. */
  CompletableFuture<Void> done() {
    return done;
  }

  /** Starts sending: at {@code timetable}'s times, or, when it is null, at once on every connection (closed loop). */
  void start(Timetable timetable) {
    loop.execute(() -> {
      this.timetable = timetable;
      if (timetable == null) {
        dispatch();
      } else {
        onTick();
      }
    });
  }

  private void onTick() {
    tick = null;
    if (stopped) {
      return;
    }
    long now = System.nanoTime();
    nextDue = localCount(timetable.dueBy(now));
    dispatch();
    long limit = localCount(timetable.limit());
    if (nextDue < limit) {
      long next = timetable.intended(global(nextDue));
      tick = loop.schedule(this::onTick, Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
  }

  /** Sends what is due on free connections; a closed loop sends on every free connection. */
  private void dispatch() {
    dispatchQueued = false;
    if (timetable == null) {
      while (!stopped && !idle.isEmpty() && claim()) {
        inFlight++;
        idle.poll().send(System.nanoTime());
      }
    } else {
      while (!stopped && nextSend < nextDue && !idle.isEmpty()) {
        inFlight++;
        idle.poll().send(timetable.intended(global(nextSend++)));
      }
    }
    checkDone();
  }

  private boolean claim() {
    if (total == 0) {
      return true;
    }
    if (claimed.getAndIncrement() < total) {
      return true;
    }
    stopped = true;
    return false;
  }

  /** An answer came: counted, and the connection is free for the next request. */
  void answered(LoadConnection c, int status, String label, long latencyNanos) {
    stats.answered(status, label, latencyNanos);
    release(c);
  }

  /** A request got no answer: counted, and the connection (closed) is free to connect again. */
  void failed(LoadConnection c) {
    stats.failed();
    release(c);
  }

  private void release(LoadConnection c) {
    inFlight--;
    idle.add(c);
    // Not sent from here: through the task queue, so that a connection failing at once (refused)
    // in a closed loop lets timers (the stop, the reports) run between its attempts.
    if (!dispatchQueued) {
      dispatchQueued = true;
      loop.execute(this::dispatch);
    }
  }

  private void checkDone() {
    boolean exhausted = timetable == null
        ? stopped
        : stopped || nextSend >= localCount(timetable.limit());
    if (exhausted && inFlight == 0 && !done.isDone()) {
      for (LoadConnection c : connections) {
        c.close();
      }
      done.complete(null);
    }
  }

  /** Sends nothing more; requests due but not sent are counted as unsent; requests in flight finish. */
  Future<?> stop() {
    return loop.submit(() -> {
      if (!stopped) {
        stopped = true;
        if (timetable != null) {
          unsent += Math.max(0, nextDue - nextSend);
          nextDue = nextSend;
        }
        if (tick != null) {
          tick.cancel(false);
          tick = null;
        }
      }
      checkDone();
    });
  }

  /** Hands over what the lane saw since the last call, and starts afresh. */
  Future<IntervalStats> takeStats() {
    return loop.submit(() -> {
      IntervalStats s = stats;
      stats = new IntervalStats();
      return s;
    });
  }

  /** Requests that were due but never sent because the load stopped first. */
  Future<Long> unsent() {
    return loop.submit(() -> unsent);
  }

  private long global(long local) {
    return index + local * lanes;
  }

  /** How many of the first {@code globalCount} requests are this lane's: those numbered index, index + lanes, ... */
  private long localCount(long globalCount) {
    return globalCount <= index ? 0 : (globalCount - index - 1) / lanes + 1;
  }
}
