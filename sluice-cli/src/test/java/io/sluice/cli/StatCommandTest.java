package io.sluice.cli;

import static io.sluice.cli.StatFixtures.answer;
import static io.sluice.cli.StatFixtures.backend;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice stat} as a command: its flags, against stand-in admin interfaces that answer
 * {@code /stats/window} with known rows; and the {@code --watch} loop with a counting sleeper.
 */
class StatCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROUTE = "traffic-shift-demo/bb-route";

  private final List<HttpServer> servers = new ArrayList<>();
  private final List<String> queries = new CopyOnWriteArrayList<>();

  /** What one run printed, and how it exited. */
  private record Run(int exitCode, String stdout, String stderr) {}

  @AfterEach
  void stopServers() {
    servers.forEach(s -> s.stop(0));
  }

  @Test
  void badFlagsExitTwoWithAClearMessage() {
    expectUsageError("--window: must be between 10s and 10m, got '5s'", "stat", "--window", "5s");
    expectUsageError("--window: must be between 10s and 10m, got '11m'", "stat", "--window", "11m");
    expectUsageError("--window: expected a duration such as 500ms, 10s, 2m or 1h, got 'soon'", "stat", "--window", "soon");
    expectUsageError("-o: unknown output format \"yaml\"; the formats are table, wide, json", "stat", "-o", "yaml");
    expectUsageError("--by: expected backend or route, got \"pod\"", "stat", "--by", "pod");
    expectUsageError("-n and -A cannot be used together", "stat", "-n", "x", "-A");
    expectUsageError("--admin: expected HOST:PORT or http://HOST:PORT, got 'ftp://h:1'", "stat", "--admin", "ftp://h:1");
    expectUsageError("--admin: http://127.0.0.1:1 is given twice; its rows would be counted twice",
        "stat", "--admin", "127.0.0.1:1", "--admin", "http://127.0.0.1:1/");
    expectUsageError("Unknown option: '--bogus'", "stat", "--bogus");
  }

  @Test
  void twoAdminsPrintTheSumOfTheirRows() throws Exception {
    String a = admin(200, answer(60, 60, List.of(
        backend(ROUTE, "traffic-shift-demo/bb:8080", "bb", "traffic-shift-demo", 0.9, 1L, 270, 0, 1_000, 60),
        backend(ROUTE, "traffic-shift-demo/bb-v2:8080", "bb-v2", "traffic-shift-demo", 0.1, 0L, 0, 0, 0, 60))));
    String b = admin(200, answer(60, 60, List.of(
        backend(ROUTE, "traffic-shift-demo/bb:8080", "bb", "traffic-shift-demo", 0.9, 0L, 270, 0, 1_000, 60),
        backend(ROUTE, "traffic-shift-demo/bb-v2:8080", "bb-v2", "traffic-shift-demo", 0.1, 1L, 60, 0, 1_000, 60))));

    Run r = run("stat", "-n", "traffic-shift-demo", "--window", "1m", "--admin", a, "--admin", b);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo("""
        NAME    WEIGHT  SUCCESS      RPS  LATENCY_P50  LATENCY_P95  LATENCY_P99  TCP_CONN
        bb         90%  100.00%   9.0rps          1ms          1ms          1ms         1
        bb-v2      10%  100.00%   1.0rps          1ms          1ms          1ms         1
        """);
    assertThat(queries).containsExactly("/stats/window?span=60s", "/stats/window?span=60s");

    Run json = run("stat", "-n", "traffic-shift-demo", "-o", "json", "--admin", a, "--admin", b);
    JsonNode rows = JSON.readTree(json.stdout()).get("rows");
    assertThat(rows.get(0).get("requests").asLong()).isEqualTo(540);
    assertThat(rows.get(1).get("requests").asLong()).isEqualTo(60);
    assertThat(queries).endsWith("/stats/window", "/stats/window");
  }

  @Test
  void theDefaultScopeShowsEnvoyRowsAndSaysWhereTheOthersAre() throws Exception {
    String a = admin(200, answer(60, 60, List.of(
        backend(ROUTE, "traffic-shift-demo/bb:8080", "bb", "traffic-shift-demo", 0.9, 1L, 270, 0, 1_000, 60))));
    Run r = run("stat", "--admin", a);
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr()).isEqualTo("No routes or traffic found in namespace default or without a namespace"
        + " (rows exist in namespace traffic-shift-demo; use -n NS or -A).\n");
  }

  @Test
  void anAdminWithoutTheEndpointOrThatRefusesTheSpanExitsOne() throws Exception {
    String old = admin(404, "invalid path. admin commands are:");
    Run r = run("stat", "--admin", old);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).isEqualTo("error: the admin interface at " + old + " has no /stats/window"
        + " (is it an older sluice, or Envoy?)\n");

    String picky = admin(400, "span: must be at most the proxy's window of 30s, got 60s\n");
    r = run("stat", "--window", "1m", "--admin", picky);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).isEqualTo("error: " + picky + ": span: must be at most the proxy's window of 30s, got 60s\n");

    String garbled = admin(200, "{\"rows\": 3}");
    r = run("stat", "--admin", garbled);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).isEqualTo("error: the admin interface at " + garbled
        + " answered /stats/window with something unexpected: rows: expected an array\n");

    int closed;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      closed = s.getLocalPort();
    }
    String good = admin(200, answer(60, 60, List.of(backend("www2/0", "v1", "v1", null, 1.0, 1L, 5, 0, 1, 60))));
    r = run("stat", "--admin", good, "--admin", "127.0.0.1:" + closed);
    assertThat(r.exitCode()).as("one proxy missing: no partial sum").isEqualTo(1);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr()).startsWith("error: cannot reach the admin interface at http://127.0.0.1:" + closed);
  }

  @Test
  void watchRedrawsInPlaceOnATerminalAndRepeatsOtherwise() throws IOException {
    AtomicInteger frames = new AtomicInteger();
    StatWatch.Frame frame = () -> {
      int n = frames.incrementAndGet();
      if (n == 3) {
        throw new IOException("cannot reach the admin interface at http://127.0.0.1:9901");
      }
      return "frame " + n + "\n";
    };
    // Three waits, then Ctrl-C (an interrupt) during the fourth.
    StatWatch.Sleeper sleeper = new StatWatch.Sleeper() {
      int waits;

      @Override
      public void sleep(Duration d) throws InterruptedException {
        assertThat(d).isEqualTo(StatCommand.WATCH_INTERVAL);
        if (++waits == 4) {
          throw new InterruptedException();
        }
      }
    };
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new StatWatch(new PrintWriter(out), new PrintWriter(err), false, "\n", StatCommand.WATCH_INTERVAL, sleeper)
        .run(frame);
    assertThat(code).isZero();
    assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
    assertThat(out.toString()).isEqualTo("frame 1\n\nframe 2\n\nframe 4\n");
    assertThat(err.toString()).isEqualTo("error: cannot reach the admin interface at http://127.0.0.1:9901\n");

    frames.set(0);
    sleeper = d -> {
      if (frames.get() == 2) {
        throw new InterruptedException();
      }
    };
    out = new StringWriter();
    new StatWatch(new PrintWriter(out), new PrintWriter(err), true, "\n", StatCommand.WATCH_INTERVAL, sleeper).run(frame);
    Thread.interrupted();
    assertThat(out.toString()).isEqualTo("\033[H\033[2Jframe 1\n\033[H\033[2Jframe 2\n");
  }

  @Test
  void watchFailsAtOnceWhenTheFirstFrameFails() {
    StatWatch w = new StatWatch(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false, "\n",
        StatCommand.WATCH_INTERVAL, d -> {
          throw new AssertionError("must not wait");
        });
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.run(() -> {
      throw new IOException("cannot reach the admin interface");
    })).isInstanceOf(IOException.class).hasMessage("cannot reach the admin interface");
  }

  /** A stand-in admin interface answering {@code /stats/window} with {@code status} and {@code body}. */
  private String admin(int status, String body) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
    server.createContext("/", exchange -> {
      try (exchange) {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        queries.add(path + (query == null ? "" : "?" + query));
        byte[] bytes = (path.equals("/stats/window") ? body : "not found").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(path.equals("/stats/window") ? status : 404, bytes.length);
        exchange.getResponseBody().write(bytes);
      }
    });
    server.start();
    servers.add(server);
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void expectUsageError(String message, String... args) {
    Run r = run(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.stderr()).isEqualTo(2);
    assertThat(r.stderr().lines().findFirst().orElse("")).as(String.join(" ", args)).isEqualTo(message);
    assertThat(r.stderr()).doesNotContain("\tat ");
    assertThat(r.stdout()).isEmpty();
  }

  /** Runs the command line in this JVM, capturing what it prints. */
  private static Run run(String... args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      System.out.flush();
      System.err.flush();
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }
}
