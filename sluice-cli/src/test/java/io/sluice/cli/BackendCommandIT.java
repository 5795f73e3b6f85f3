package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code sluice backend} from the built jar: what it answers, how it stops, how it rejects bad flags. */
class BackendCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void answersItsNameAndPortOnEveryPortAndStopsOnSigterm() throws Exception {
    try (ToolProcess b = ToolProcess.backend("--port", "0", "--port", "0", "--name", "v1")) {
      List<Integer> ports = b.ports();
      assertThat(ports).hasSize(2);
      assertThat(b.stderr()).contains("backend v1 on 127.0.0.1:" + ports.get(0) + " (")
          .contains("): answering 'v1 " + ports.get(0) + "'");
      for (int port : ports) {
        HttpResponse<String> r = get("http://127.0.0.1:" + port + "/any/path");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("v1 " + port + "\n");
      }
      b.signal("TERM");
      assertThat(b.awaitExit(Duration.ofSeconds(20))).isZero();
      for (int port : ports) {
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
      }
    }
  }

  @Test
  void textFailuresAndLatency() throws Exception {
    try (ToolProcess b = ToolProcess.backend("--port", "0", "--text", "v2", "--fail-percent", "100",
        "--latency", "100ms+-0ms", "--threads", "1")) {
      assertThat(b.stderr()).contains("answering 'v2', failing 100.0% with 500, after 100ms");
      long t0 = System.nanoTime();
      HttpResponse<String> r = get("http://127.0.0.1:" + b.ports().get(0) + "/");
      assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(100);
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.body()).isEqualTo("v2\n");
      b.signal("INT");
      assertThat(b.awaitExit(Duration.ofSeconds(20))).as("Ctrl-C stops it too").isZero();
    }
  }

  @Test
  void echoAnswersWhatItReceived() throws Exception {
    try (ToolProcess b = ToolProcess.backend("--port", "0", "--echo", "--name", "echo")) {
      int port = b.ports().get(0);
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/p?delay=10ms"))
              .header("X-Echo-Set-Header", "X-Version:v9").header("X-Tag", "t").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("x-version")).hasValue("v9");
      JsonNode doc = JSON.readTree(r.body());
      assertThat(doc.get("name").asText()).isEqualTo("echo");
      assertThat(doc.get("path").asText()).isEqualTo("/p");
      assertThat(doc.get("query").asText()).isEqualTo("delay=10ms");
      assertThat(doc.get("host").asText()).isEqualTo("127.0.0.1:" + port);
      assertThat(doc.get("headers").get("x-tag").get(0).asText()).isEqualTo("t");
    }
  }

  @Test
  void aPortInUseExitsOneWithOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      SluiceProcess.Result r = ToolProcess.run("backend", "--port", Integer.toString(taken.getLocalPort()));
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.stderr()).startsWith("sluice: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void badFlagsExitTwoWithAClearMessage() throws Exception {
    expectUsageError("Missing required option: '--port=PORT'", "backend");
    expectUsageError("--port: expected a port from 0 to 65535, got 70000", "backend", "--port", "70000");
    expectUsageError("Invalid value for option '--port' (PORT): 'http' is not an int", "backend", "--port", "http");
    expectUsageError("--latency: expected a latency such as 5ms or 5ms±2ms, got 'soon'",
        "backend", "--port", "0", "--latency", "soon");
    expectUsageError("--fail-percent: expected a percentage from 0 to 100, got 101.0",
        "backend", "--port", "0", "--fail-percent", "101");
    expectUsageError("Invalid value for option '--fail-percent': 'half' is not a double",
        "backend", "--port", "0", "--fail-percent", "half");
    expectUsageError("--threads: expected at least 1, got 0", "backend", "--port", "0", "--threads", "0");
    expectUsageError("Unknown option: '--bogus'", "backend", "--port", "0", "--bogus");
  }

  static void expectUsageError(String message, String... args) throws Exception {
    SluiceProcess.Result r = ToolProcess.run(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.stderr()).isEqualTo(2);
    assertThat(r.stderr().lines().findFirst().orElse("")).as(String.join(" ", args)).isEqualTo(message);
    assertThat(r.stderr()).doesNotContain("\tat ");
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
