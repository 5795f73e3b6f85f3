package io.sluice.bench;

import io.sluice.tools.DurationText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;

/**
 * How long a proxy takes to serve a new configuration file: puts {@code --from} in place of the
 * watched file (written beside it, then renamed over it, as an editor or a ConfigMap does),
 * optionally sends SIGHUP, and polls a URL whose answer the new configuration changes until the
 * answer is {@code --expect}. A request of the proxy's is atomic (one published state), so the
 * first changed answer means the whole new table is in effect.
 *
 * <p>{@code java -cp benchmarks.jar io.sluice.bench.ConfigSwapProbe --from NEW --to WATCHED --url
 * URL --expect TEXT [--sighup PID] [--timeout D]} prints {@code swap_ms=T polls=N}; exits 1 when
 * the answer never changed within the timeout (default 60 s).
 */
public final class ConfigSwapProbe {
  private ConfigSwapProbe() {}

  public static void main(String[] args) throws Exception {
    Path from = null;
    Path to = null;
    String url = null;
    String expect = null;
    Long sighup = null;
    Duration timeout = Duration.ofSeconds(60);
    ArrayDeque<String> a = new ArrayDeque<>(Arrays.asList(args));
    while (!a.isEmpty()) {
      String arg = a.poll();
      String v = a.poll();
      if (v == null) {
        usage(arg + " needs a value");
      }
      switch (arg) {
        case "--from" -> from = Path.of(v);
        case "--to" -> to = Path.of(v);
        case "--url" -> url = v;
        case "--expect" -> expect = v;
        case "--sighup" -> sighup = Long.parseLong(v);
        case "--timeout" -> timeout = DurationText.parse(v);
        default -> usage("unexpected argument '" + arg + "'");
      }
    }
    if (from == null || to == null || url == null || expect == null) {
      usage("--from, --to, --url and --expect are required");
    }
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest get = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
    // A second of polling first, so that the polls timed below run compiled, a few hundred
    // microseconds apart, rather than tens of milliseconds in a cold JVM.
    long warm = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < warm) {
      String before = answer(client, get);
      if (expect.equals(before)) {
        System.err.println("ConfigSwapProbe: the answer is already '" + expect + "' before the swap");
        System.exit(2);
      }
    }

    long start = System.nanoTime();
    Path staged = to.resolveSibling("." + to.getFileName() + ".swap");
    Files.copy(from, staged, StandardCopyOption.REPLACE_EXISTING);
    Files.move(staged, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (sighup != null) {
      new ProcessBuilder("kill", "-HUP", Long.toString(sighup)).inheritIO().start().waitFor();
    }
    long deadline = start + timeout.toNanos();
    int polls = 0;
    while (System.nanoTime() < deadline) {
      polls++;
      if (expect.equals(answer(client, get))) {
        System.out.printf(Locale.ROOT, "swap_ms=%.1f polls=%d%n", (System.nanoTime() - start) / 1e6, polls);
        return;
      }
      Thread.sleep(1);
    }
    System.out.println("swap_ms=timeout polls=" + polls);
    System.exit(1);
  }

  /** The answer's status and trimmed body, {@code 200 v2}; the error's name when there was none. */
  private static String answer(HttpClient client, HttpRequest get) {
    try {
      HttpResponse<String> r = client.send(get, HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + " " + r.body().strip();
    } catch (Exception e) {
      return e.getClass().getSimpleName();
    }
  }

  private static void usage(String problem) {
    System.err.println("ConfigSwapProbe: " + problem);
    System.err.println("usage: ConfigSwapProbe --from NEW --to WATCHED --url URL --expect TEXT [--sighup PID] [--timeout D]");
    System.exit(2);
  }
}
