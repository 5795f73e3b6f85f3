package io.sluice.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Opens N keep-alive connections to a proxy, sends one request on each and reads its answer, keeps
 * every connection open, then reads the memory of the proxy's processes from {@code /proc}: what a
 * proxy costs per idle client. Connections are opened in batches (a batch's requests are all sent
 * before its answers are read), so the proxy never needs more than a batch of upstream connections.
 *
 * <p>{@code java -cp benchmarks.jar io.sluice.bench.IdleConnections --connections N [--batch B]
 * [--pid PID]... [--settle D] [--hold D] HOST:PORT [PATH]} prints one line: {@code connections=N
 * answered=A failed=F seconds=S rss_kb=R hwm_kb=H}, the memory summed over the given processes
 * (a master and its workers). The process needs a file limit above N ({@code ulimit -n}).
 */
public final class IdleConnections {
  private static final int MAX_ANSWER = 64 * 1024;

  private IdleConnections() {}

  public static void main(String[] args) throws Exception {
    int connections = 100;
    int batch = 200;
    List<Long> pids = new ArrayList<>();
    Duration settle = Duration.ofSeconds(1);
    Duration hold = Duration.ZERO;
    String target = null;
    String path = "/";
    ArrayDeque<String> a = new ArrayDeque<>(Arrays.asList(args));
    while (!a.isEmpty()) {
      String arg = a.poll();
      switch (arg) {
        case "--connections" -> connections = Integer.parseInt(value(a, arg));
        case "--batch" -> batch = Integer.parseInt(value(a, arg));
        case "--pid" -> pids.add(Long.parseLong(value(a, arg)));
        case "--settle" -> settle = io.sluice.tools.DurationText.parse(value(a, arg));
        case "--hold" -> hold = io.sluice.tools.DurationText.parse(value(a, arg));
        default -> {
          if (arg.startsWith("-")) {
            usage("unexpected option '" + arg + "'");
          } else if (target == null) {
            target = arg;
          } else {
            path = arg;
          }
        }
      }
    }
    if (target == null || target.lastIndexOf(':') < 0 || connections < 1 || batch < 1) {
      usage("HOST:PORT is required, --connections and --batch at least 1");
    }
    int colon = target.lastIndexOf(':');
    InetSocketAddress address =
        new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
    byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + target + "\r\nUser-Agent: sluice-idle-connections\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);

    long start = System.nanoTime();
    List<SocketChannel> open = new ArrayList<>(connections);
    int answered = 0;
    int failed = 0;
    ByteBuffer buffer = ByteBuffer.allocate(MAX_ANSWER);
    for (int from = 0; from < connections; from += batch) {
      List<SocketChannel> sent = new ArrayList<>(batch);
      for (int i = from; i < Math.min(connections, from + batch); i++) {
        try {
          SocketChannel ch = SocketChannel.open(address);
          ch.write(ByteBuffer.wrap(request));
          sent.add(ch);
        } catch (IOException e) {
          failed++;
        }
      }
      for (SocketChannel ch : sent) {
        if (readAnswer(ch, buffer)) {
          answered++;
          open.add(ch);
        } else {
          failed++;
          ch.close();
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Thread.sleep(settle.toMillis());
    long rss = 0;
    long hwm = 0;
    for (long pid : pids) {
      rss += statusKb(pid, "VmRSS:");
      hwm += statusKb(pid, "VmHWM:");
    }
    System.out.printf(Locale.ROOT, "connections=%d answered=%d failed=%d open=%d seconds=%.1f rss_kb=%d hwm_kb=%d%n",
        connections, answered, failed, countOpen(open), seconds, rss, hwm);
    System.out.flush();
    Thread.sleep(hold.toMillis());
    for (SocketChannel ch : open) {
      ch.close();
    }
    System.exit(failed == 0 ? 0 : 1);
  }

  /**
   * Reads one answer framed by {@code Content-Length} (or a chunked one, to its last chunk). False
   * when the connection ended first, the status was not 200, or the proxy said it would close.
   */
  private static boolean readAnswer(SocketChannel ch, ByteBuffer buffer) throws IOException {
    buffer.clear();
    int headEnd = -1;
    long need = -1;
    boolean chunked = false;
    while (true) {
      if (ch.read(buffer) < 0 || !buffer.hasRemaining()) {
        return false;
      }
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
      if (headEnd < 0) {
        headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
          continue;
        }
        String head = text.substring(0, headEnd).toLowerCase(Locale.ROOT);
        if (!head.startsWith("http/1.1 200") || head.contains("\nconnection: close")) {
          return false;
        }
        int cl = head.indexOf("\ncontent-length:");
        if (cl >= 0) {
          int eol = head.indexOf('\r', cl + 1);
          need = Long.parseLong(head.substring(cl + 16, eol < 0 ? head.length() : eol).trim());
        } else {
          chunked = head.contains("\ntransfer-encoding: chunked");
        }
      }
      int body = text.length() - headEnd - 4;
      boolean complete = need >= 0 ? body >= need : chunked && text.endsWith("0\r\n\r\n");
      if (complete) {
        return true;
      }
    }
  }

  /** Connections the proxy has not closed: a closed one reads end-of-stream without blocking. */
  private static int countOpen(List<SocketChannel> channels) throws IOException {
    int n = 0;
    ByteBuffer one = ByteBuffer.allocate(1);
    for (SocketChannel ch : channels) {
      ch.configureBlocking(false);
      one.clear();
      if (ch.read(one) == 0) {
        n++;
      }
    }
    return n;
  }

  /** A {@code kB} field of {@code /proc/PID/status}, 0 when the process is gone. */
  static long statusKb(long pid, String field) throws IOException {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    if (!Files.exists(status)) {
      return 0;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
      }
    }
    return 0;
  }

  private static String value(ArrayDeque<String> args, String option) {
    String v = args.poll();
    if (v == null) {
      usage(option + " needs a value");
    }
    return v;
  }

  private static void usage(String problem) {
    System.err.println("IdleConnections: " + problem);
    System.err.println("usage: IdleConnections --connections N [--batch B] [--pid PID]... [--settle D] [--hold D] "
        + "HOST:PORT [PATH]");
    System.exit(2);
  }
}
