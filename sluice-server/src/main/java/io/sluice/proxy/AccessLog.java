package io.sluice.proxy;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The access log, one line per request in Envoy's default format:
 *
 * <pre>
 * [START_TIME] "METHOD PATH PROTOCOL" CODE FLAGS BYTES_RECEIVED BYTES_SENT DURATION UPSTREAM_SERVICE_TIME
 *     "X-FORWARDED-FOR" "USER-AGENT" "X-REQUEST-ID" "AUTHORITY" "UPSTREAM_HOST"
 * </pre>
 *
 * <p>Lines are formatted on the event loop and written by a thread of their own, so a slow disk
 * never stalls traffic; when the queue is full a line is dropped and counted rather than waited
 * for.
 */
class AccessLog implements Closeable {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** Logs nothing. */
  static final AccessLog OFF = new AccessLog();

  private AccessLog() {}

  /** A log writing to {@code path}, or to standard output for {@code -}. */
  static AccessLog to(String path) throws IOException {
    Writer out =
        path.equals("-")
            ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
            : Files.newBufferedWriter(
                Path.of(path), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    return new Writing(new BufferedWriter(out));
  }

  /** Records one finished exchange. */
  void record(Exchange e) {}

  /** Lines dropped because the writer fell behind. */
  long dropped() {
    return 0;
  }

  @Override
  public void close() {}

  static String format(Exchange e) {
    ProxiedRequest r = e.request();
    String path = r.first("x-envoy-original-path");
    if (path == null) {
      path = r.path();
    }
    String serviceTime = e.response() == null ? null : e.response().headers().get("x-envoy-upstream-service-time");
    StringBuilder sb = new StringBuilder(256);
    sb.append('[').append(TIME.format(e.startTime())).append("] \"")
        .append(r.method()).append(' ').append(dash(path)).append(' ').append(e.protocol()).append("\" ")
        .append(e.status()).append(' ')
        .append(e.flags().isEmpty() ? "-" : e.flags()).append(' ')
        .append(e.bytesReceived()).append(' ')
        .append(e.bytesSent()).append(' ')
        .append(e.durationMillis()).append(' ')
        .append(dash(serviceTime)).append(" \"")
        .append(dash(r.first("x-forwarded-for"))).append("\" \"")
        .append(dash(r.first("user-agent"))).append("\" \"")
        .append(dash(r.first("x-request-id"))).append("\" \"")
        .append(dash(r.authority())).append("\" \"")
        .append(dash(e.upstreamHost())).append('"');
    return sb.toString();
  }

  private static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  /** The log that writes, from its own thread. */
  private static final class Writing extends AccessLog {
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(65_536);
    private final LongAdder dropped = new LongAdder();
    private final Writer out;
    private final Thread writer;
    private volatile boolean closed;

    Writing(Writer out) {
      this.out = out;
      this.writer = new Thread(this::drain, "sluice-access-log");
      writer.setDaemon(true);
      writer.start();
    }

    @Override
    void record(Exchange e) {
      if (!queue.offer(format(e))) {
        dropped.increment();
      }
    }

    @Override
    long dropped() {
      return dropped.sum();
    }

    private void drain() {
      List<String> batch = new ArrayList<>();
      try {
        while (!closed || !queue.isEmpty()) {
          String first = queue.poll(100, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, 1023);
          for (String line : batch) {
            out.write(line);
            out.write('\n');
          }
          out.flush();
          batch.clear();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        System.err.println("sluice: access log write failed, no more lines will be written: " + e.getMessage());
      }
    }

    @Override
    public void close() {
      closed = true;
      try {
        writer.join(2000);
        out.flush();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        // nothing more to do at shutdown
      }
    }
  }
}
