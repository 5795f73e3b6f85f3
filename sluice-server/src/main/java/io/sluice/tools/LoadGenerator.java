package io.sluice.tools;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.sluice.proxy.Log;
import io.sluice.proxy.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code sluice load} as a library: sends a load as {@link LoadOptions} say, on a fixed timetable
 * (or closed loop), over keep-alive connections, and reports to a {@link LoadListener} every
 * interval and once at the end. {@link #start} returns once the connections are made (or have
 * failed) and sending has begun; the load ends after its total or its duration, or at {@link
 * #stop}; {@link #await} waits for the summary; {@link #close} stops it and releases its threads.
 */
public final class LoadGenerator implements AutoCloseable {
  private final LoadOptions options;
  private final LoadListener listener;
  private final Clock clock;
  private final EventLoopGroup group;
  private final List<LoadLane> lanes;
  private final Timetable timetable;
  private final long start;
  private final ScheduledExecutorService reporter;
  private final CountDownLatch finished = new CountDownLatch(1);
  // The reporter thread's own: the run so far, and where the current interval began.
  private final IntervalStats all = new IntervalStats();
  private long intervalStart;
  private long reports;
  private ScheduledFuture<?> nextReport;
  private volatile long stoppedAt = Long.MAX_VALUE;
  private volatile LoadReport summary;

  private LoadGenerator(LoadOptions options, LoadListener listener, Clock clock, EventLoopGroup group,
      List<LoadLane> lanes, Timetable timetable, long start) {
    this.options = options;
    this.listener = listener;
    this.clock = clock;
    this.group = group;
    this.lanes = lanes;
    this.timetable = timetable;
    this.start = start;
    this.intervalStart = start;
    ScheduledThreadPoolExecutor r = new ScheduledThreadPoolExecutor(1, task -> {
      Thread t = new Thread(task, "sluice-load-report");
      t.setDaemon(true);
      return t;
    });
    // Once the summary is out, the stop at the deadline and the next report have nothing to do.
    r.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.reporter = r;
  }

  /** Starts a load whose reports carry the system clock's time. */
  public static LoadGenerator start(LoadOptions options, LoadListener listener) throws IOException {
    return start(options, listener, Clock.systemUTC());
  }

  /**
   * Starts a load; {@code clock} gives the reports' times (the timetable and the latencies use
   * {@link System#nanoTime}).
   *
   * @throws IOException when the host name of the target (or of the proxy) cannot be resolved
   */
  public static LoadGenerator start(LoadOptions options, LoadListener listener, Clock clock) throws IOException {
    InetSocketAddress address = resolve(options.proxy() != null ? options.proxy() : options.url());
    int threads = Math.min(options.threads(), options.concurrency());
    Transport transport = Transport.best();
    EventLoopGroup group = transport.newGroup(threads, "sluice-load");
    try {
      ByteBuf request = RequestBytes.encode(options);
      Bootstrap bootstrap = new Bootstrap()
          .channel(transport.clientChannel())
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis()));
      AtomicLong claimed = new AtomicLong();
      boolean head = options.method().equalsIgnoreCase("HEAD");
      List<LoadLane> lanes = new ArrayList<>();
      Iterator<EventExecutor> loops = group.iterator();
      for (int k = 0; k < threads; k++) {
        lanes.add(new LoadLane((EventLoop) loops.next(), k, threads, claimed, options.total(), head));
      }
      // The connections first, so that the first requests do not pay for them. One that cannot be
      // made now is tried again when it has a request to send.
      List<io.netty.util.concurrent.Future<ChannelFuture>> connecting = new ArrayList<>();
      for (int c = 0; c < options.concurrency(); c++) {
        LoadLane lane = lanes.get(c % threads);
        LoadConnection conn = new LoadConnection(lane, bootstrap.clone(lane.loop()), address, request,
            options.timeout().toNanos());
        lane.add(conn);
        connecting.add(lane.loop().submit(conn::connect));
      }
      long deadline = System.nanoTime() + options.timeout().toNanos();
      for (io.netty.util.concurrent.Future<ChannelFuture> f : connecting) {
        f.syncUninterruptibly().getNow()
            .awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
      long start = System.nanoTime();
      long durationNanos = options.duration() == null ? 0 : options.duration().toNanos();
      Timetable timetable = options.closedLoop()
          ? null
          : new Timetable(start, options.qps(), options.total(), durationNanos);
      LoadGenerator g = new LoadGenerator(options, listener, clock, group, List.copyOf(lanes), timetable, start);
      g.begin(durationNanos);
      return g;
    } catch (RuntimeException | Error e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  private void begin(long durationNanos) {
    for (LoadLane lane : lanes) {
      lane.start(timetable);
    }
    if (durationNanos > 0) {
      reporter.schedule(this::stop, start + durationNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }
    CompletableFuture.allOf(lanes.stream().map(LoadLane::done).toArray(CompletableFuture[]::new))
        .thenRun(() -> reporter.execute(this::finish));
    scheduleReport();
  }

  private void scheduleReport() {
    long boundary = start + (reports + 1) * options.interval().toNanos();
    if (options.duration() != null && boundary - start >= options.duration().toNanos()) {
      // The last interval ends with the load; the final report covers it.
      return;
    }
    nextReport = reporter.schedule(this::reportInterval, boundary - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  private void reportInterval() {
    if (finished.getCount() == 0 || summary != null) {
      return;
    }
    try {
      IntervalStats s = collect();
      long now = System.nanoTime();
      LoadReport r = report(false, s, intervalStart, now, 0);
      all.add(s);
      intervalStart = now;
      reports++;
      deliver(() -> listener.interval(r));
    } catch (RuntimeException | Error e) {
      // A scheduled task's failure would otherwise vanish, and with it every later report.
      Log.error("sluice load: an interval report failed: " + e);
    }
    scheduleReport();
  }

  private void finish() {
    try {
      summarize();
    } catch (RuntimeException | Error e) {
      Log.error("sluice load: the summary failed: " + e);
    } finally {
      // Whatever happened, whoever awaits the end is not left waiting (the summary is then null).
      finished.countDown();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      reporter.shutdown();
    }
  }

  private void summarize() {
    if (nextReport != null) {
      nextReport.cancel(false);
    }
    IntervalStats s = collect();
    long now = System.nanoTime();
    LoadReport last = report(false, s, intervalStart, now, 0);
    if (last.answered() + last.failed() > 0 || last.goal() > 0 || reports == 0) {
      deliver(() -> listener.interval(last));
    }
    all.add(s);
    long unsent = 0;
    for (LoadLane lane : lanes) {
      unsent += get(lane.unsent());
    }
    LoadReport total = report(true, all, start, now, unsent);
    summary = total;
    deliver(() -> listener.finished(total));
  }

  private LoadReport report(boolean isSummary, IntervalStats s, long from, long to, long unsent) {
    long goal = -1;
    if (timetable != null) {
      // Requests intended in (from, end]; the run's first interval also takes request 0, intended
      // at the start itself.
      long end = Math.min(to, stoppedAt);
      long after = from == start ? start - 1 : Math.min(from, end);
      goal = timetable.dueBetween(after, end);
    }
    return new LoadReport(isSummary, clock.instant(), Duration.ofNanos(to - from), s.good, s.bad, s.failed, goal,
        s.latencies(), s.bodyCounts(), unsent);
  }

  private IntervalStats collect() {
    IntervalStats merged = new IntervalStats();
    for (LoadLane lane : lanes) {
      merged.add(get(lane.takeStats()));
    }
    return merged;
  }

  private static <T> T get(java.util.concurrent.Future<T> f) {
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while collecting a load's statistics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot collect a load's statistics: " + e, e);
    }
  }

  private static void deliver(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      Log.warn("a load listener failed: " + e);
    }
  }

  /** Sends nothing more; requests in flight finish (or time out), then the summary is made. Idempotent. */
  public void stop() {
    if (stoppedAt == Long.MAX_VALUE) {
      stoppedAt = System.nanoTime();
    }
    for (LoadLane lane : lanes) {
      try {
        lane.stop();
      } catch (RejectedExecutionException e) {
        // The load has ended and its event loops are gone: nothing to stop.
      }
    }
  }

  /** Waits for the end of the load and returns its summary (null only if making it failed, which is logged). */
  public LoadReport await() throws InterruptedException {
    finished.await();
    return summary;
  }

  /** Waits at most {@code timeout} for the end of the load; its summary, or null if it has not ended. */
  public LoadReport await(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS) ? summary : null;
  }

  /** Whether the summary has been made. */
  public boolean isFinished() {
    return finished.getCount() == 0;
  }

  /** The options the load runs with. */
  public LoadOptions options() {
    return options;
  }

  /** Stops the load, waits for its end (at most the request timeout and a little), and releases its threads. */
  @Override
  public void close() {
    stop();
    try {
      finished.await(options.timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    reporter.shutdownNow();
  }

  private static InetSocketAddress resolve(URI u) throws IOException {
    String host = u.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), LoadOptions.portOf(u));
    } catch (UnknownHostException e) {
      throw new IOException("cannot resolve " + host + " (" + u + ")", e);
    }
  }
}
