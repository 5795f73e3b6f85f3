package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.tools.Backend;
import io.sluice.tools.BackendOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice load} from the built jar against backends in the test's JVM: its text and JSON
 * output exactly as the README describes them, its ends, HTTP_PROXY through {@code sluice proxy}'s
 * mesh listener, and its errors.
 */
class LoadCommandIT {
  /** A text report line, as the README documents it. */
  static final Pattern LINE = Pattern.compile("(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ|total) +(\\d+\\.\\d)s"
      + " +(\\d+)/(\\d+)/(\\d+) +(\\d+|-) +(\\d+\\.\\d%|-)((?: +(?:\\d+\\.\\d{3}|-)){6})(.*)");
  private static final Pattern BODY = Pattern.compile("(\\S+)=(\\d+)");
  private static final Path EXAMPLE = SluiceProcess.root().resolve("examples/linkerd-traffic-shift");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void printsAHeaderALinePerIntervalASummaryAndTheRate() throws Exception {
    try (Backend v1 = Backend.start(BackendOptions.of("v1", 0).withText("v1"))) {
      String url = "http://127.0.0.1:" + v1.port() + "/";
      SluiceProcess.Result r = ToolProcess.run("load", "--qps", "40", "--interval", "500ms", "--duration", "2s", url);
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      assertThat(r.stderr()).isEmpty();
      List<String> lines = r.stdout().lines().toList();
      assertThat(lines.get(0)).isEqualTo(
          "# sluice load: GET " + url + ", 40 requests/s, 1 connection, a line every 500ms, for 2s");
      assertThat(lines.get(1)).startsWith("# time ").endsWith("max_ms  bodies");
      assertThat(lines).hasSize(2 + 4 + 2);
      long sum = 0;
      for (String line : lines.subList(2, 6)) {
        Matcher m = LINE.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        assertThat(m.group(1)).isNotEqualTo("total");
        assertThat(Map.of("v1", m.group(3))).isEqualTo(bodies(m.group(9)));
        sum += Long.parseLong(m.group(3));
      }
      Matcher total = LINE.matcher(lines.get(6));
      assertThat(total.matches()).as(lines.get(6)).isTrue();
      assertThat(total.group(1)).isEqualTo("total");
      assertThat(total.group(3)).isEqualTo(Long.toString(sum));
      assertThat(Long.parseLong(total.group(3)) + Long.parseLong(total.group(5))).as("2 s at 40/s").isEqualTo(80);
      assertThat(total.group(6)).isEqualTo("80");
      assertThat(bodies(total.group(9))).isEqualTo(Map.of("v1", total.group(3)));
      assertThat(lines.get(7)).startsWith("# " + sum + " answers and 0 failures in ");
    }
  }

  @Test
  void jsonLinesInAClosedLoopWithATotal() throws Exception {
    try (Backend v1 = Backend.start(BackendOptions.of("v1", 0).withText("v1"))) {
      SluiceProcess.Result r = ToolProcess.run("load", "-o", "json", "--qps", "0", "--concurrency", "2", "--total", "500",
          "http://127.0.0.1:" + v1.port() + "/");
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      List<JsonNode> docs = new ArrayList<>();
      for (String line : r.stdout().lines().toList()) {
        docs.add(JSON.readTree(line));
      }
      JsonNode summary = docs.get(docs.size() - 1);
      assertThat(summary.get("type").asText()).isEqualTo("summary");
      assertThat(summary.get("good").asLong()).isEqualTo(500);
      assertThat(summary.get("goal").isNull()).as("closed loop: no goal").isTrue();
      assertThat(summary.get("bodies")).isEqualTo(JSON.readTree("{\"v1\":500}"));
      assertThat(summary.get("latencyMs").get("p999").asDouble())
          .isBetween(summary.get("latencyMs").get("min").asDouble(), summary.get("latencyMs").get("max").asDouble());
      assertThat(docs.subList(0, docs.size() - 1)).isNotEmpty()
          .allMatch(d -> d.get("type").asText().equals("interval"));
      assertThat(docs.subList(0, docs.size() - 1).stream().mapToLong(d -> d.get("good").asLong()).sum()).isEqualTo(500);
      assertThat(v1.requests()).isEqualTo(500);
    }
  }

  @Test
  void showsTheSplitThroughSluiceAsTheHttpProxy() throws Exception {
    try (Backend v1 = Backend.start(BackendOptions.of("v1", 0).withText("v1"));
        Backend v2 = Backend.start(BackendOptions.of("v2", 0).withText("v2"));
        ProxyProcess proxy = ProxyProcess.start(EXAMPLE.resolve("empty.yaml"), dir.resolve("state"),
            "--mesh", "127.0.0.1:0")) {
      String mesh = "http://127.0.0.1:" + proxy.listenerPort("mesh");
      apply(proxy, Files.readString(EXAMPLE.resolve("demo.yaml"))
          + LinkerdWalkthroughIT.endpoints(v1.port(), v2.port()));
      apply(proxy, Files.readString(EXAMPLE.resolve("bb-route-90-10.yaml")));

      SluiceProcess.Result split = ToolProcess.run(Map.of("HTTP_PROXY", mesh),
          "load", "--qps", "0", "--concurrency", "2", "--total", "1000", "--interval", "1m", "http://bb:8080/");
      assertThat(split.exitCode()).as(split.stderr()).isZero();
      assertThat(split.stdout()).startsWith("# sluice load: GET http://bb:8080/ via proxy " + mesh + ",");
      Map<String, String> counts = bodies(totalLine(split.stdout()).group(9));
      assertThat(counts.keySet()).containsExactly("v1", "v2");
      // v2's share is binomial(1000, 0.1): mean 100, standard deviation 9.5; five of them either side.
      assertThat(Long.parseLong(counts.get("v2"))).isBetween(52L, 148L);
      assertThat(Long.parseLong(counts.get("v1")) + Long.parseLong(counts.get("v2"))).isEqualTo(1000);

      apply(proxy, Files.readString(EXAMPLE.resolve("bb-route-v2.yaml")));
      SluiceProcess.Result all = ToolProcess.run(Map.of(),
          "load", "--proxy", mesh, "--qps", "100", "--total", "20", "http://bb:8080/");
      assertThat(all.exitCode()).as(all.stderr()).isZero();
      assertThat(bodies(totalLine(all.stdout()).group(9))).isEqualTo(Map.of("v2", "20"));
    }
  }

  @Test
  void ctrlCEndsTheLoadWithItsSummary() throws Exception {
    try (Backend v1 = Backend.start(BackendOptions.of("v1", 0).withText("v1"));
        ToolProcess load = ToolProcess.start(Map.of(), "load", "--qps", "20", "--interval", "200ms",
            "http://127.0.0.1:" + v1.port() + "/")) {
      load.awaitStdout("a first interval line", out -> out.lines().anyMatch(l -> LINE.matcher(l).matches()));
      load.signal("INT");
      assertThat(load.awaitExit(java.time.Duration.ofSeconds(20))).isZero();
      Matcher total = totalLine(load.stdout());
      assertThat(Long.parseLong(total.group(3))).isEqualTo(v1.requests());
    }
  }

  @Test
  void aTargetNobodyAnswersExitsOne() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    SluiceProcess.Result r = ToolProcess.run("load", "--qps", "0", "--total", "3", "http://127.0.0.1:" + port + "/");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).isEqualTo(
        "error: none of 3 requests was answered (is anything listening at 127.0.0.1:" + port + "?)\n");
    assertThat(totalLine(r.stdout()).group(0)).contains(" 0/0/3 ");
  }

  @Test
  void badFlagsExitTwoWithAClearMessage() throws Exception {
    String u = "http://127.0.0.1:1/";
    BackendCommandIT.expectUsageError("Missing required parameter: 'URL'", "load");
    BackendCommandIT.expectUsageError("--qps: expected a rate of 0 (closed loop) or more, got -1.0", "load", "--qps", "-1", u);
    BackendCommandIT.expectUsageError("Invalid value for option '--qps': 'fast' is not a double", "load", "--qps", "fast", u);
    BackendCommandIT.expectUsageError("--concurrency: expected at least 1, got 0", "load", "--concurrency", "0", u);
    BackendCommandIT.expectUsageError("--interval: expected a duration such as 500ms, 1.5s or 2m, got 'soon'",
        "load", "--interval", "soon", u);
    BackendCommandIT.expectUsageError("--duration: expected more than 0, got '0s'", "load", "--duration", "0s", u);
    BackendCommandIT.expectUsageError("--total: expected at least 1, got 0", "load", "--total", "0", u);
    BackendCommandIT.expectUsageError("--header: expected 'Name: value', got 'novalue'", "load", "--header", "novalue", u);
    BackendCommandIT.expectUsageError("--header: expected a header name and a value without line breaks, got 'a b: 1'",
        "load", "--header", "a b: 1", u);
    BackendCommandIT.expectUsageError("--method: expected a method name such as GET or POST, got 'G T'",
        "load", "--method", "G T", u);
    BackendCommandIT.expectUsageError("URL: expected an http:// URL, got 'https://x/' (https is not supported)",
        "load", "https://x/");
    BackendCommandIT.expectUsageError("URL: expected an http:// URL such as http://127.0.0.1:8080/, got 'localhost:8080'",
        "load", "localhost:8080");
    BackendCommandIT.expectUsageError("--proxy: expected an http://HOST:PORT proxy, got 'ftp://x:1'",
        "load", "--proxy", "ftp://x:1", u);
    BackendCommandIT.expectUsageError("--data: no such file: /nonexistent/body", "load", "--data", "@/nonexistent/body", u);
    BackendCommandIT.expectUsageError(
        "Invalid value for option '--output': expected one of [text, json] (case-sensitive) but was 'xml'",
        "load", "-o", "xml", u);
    BackendCommandIT.expectUsageError("Unknown option: '--bogus'", "load", "--bogus", u);
  }

  private static void apply(ProxyProcess proxy, String stdin) throws Exception {
    SluiceProcess.Result r = SluiceProcess.runWithInput(stdin, "apply", "-f", "-", "--admin", proxy.admin());
    assertThat(r.exitCode()).as(r.stderr()).isZero();
  }

  private static Matcher totalLine(String stdout) {
    for (String line : stdout.lines().toList()) {
      Matcher m = LINE.matcher(line);
      if (m.matches() && m.group(1).equals("total")) {
        return m;
      }
    }
    throw new AssertionError("no total line in:\n" + stdout);
  }

  /** The LABEL=COUNT items of a line's bodies column. */
  static Map<String, String> bodies(String column) {
    Map<String, String> out = new TreeMap<>();
    Matcher m = BODY.matcher(column);
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }
}
