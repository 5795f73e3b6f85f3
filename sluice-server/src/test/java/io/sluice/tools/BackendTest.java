package io.sluice.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.route.RandomSource;
import io.sluice.testing.HttpConnection;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link Backend} on real loopback sockets: its answers, failures, latency, echo documents and HTTP/1.1 manners. */
class BackendTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void answersItsNameAndThePortTheRequestCameToByDefault() throws Exception {
    try (Backend b = Backend.start(BackendOptions.of("v1", 0, 0))) {
      assertThat(b.ports()).hasSize(2).doesNotContain(0);
      for (int port : b.ports()) {
        try (HttpConnection c = new HttpConnection(port)) {
          HttpConnection.Response r = c.get("/anything?x=1");
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.body()).isEqualTo("v1 " + port + "\n");
          assertThat(r.header("content-type")).isEqualTo("text/plain; charset=utf-8");
          assertThat(r.header("content-length")).isEqualTo(Integer.toString(("v1 " + port + "\n").length()));
          assertThat(c.get("/again").body()).as("the same connection, kept alive").isEqualTo("v1 " + port + "\n");
        }
      }
      assertThat(b.requests()).isEqualTo(4);
    }
  }

  @Test
  void answersItsTextWhenGivenOne() throws Exception {
    try (Backend b = Backend.start(BackendOptions.of("v1", 0).withText("hello from v1"))) {
      try (HttpConnection c = new HttpConnection(b.port())) {
        assertThat(c.get("/").body()).isEqualTo("hello from v1\n");
        HttpConnection.Response post = c.send("POST", "/submit", "a body the backend reads and drops");
        assertThat(post.status()).isEqualTo(200);
        assertThat(post.body()).isEqualTo("hello from v1\n");
      }
    }
  }

  @Test
  void failsTheShareOfRequestsItIsToldWithinBinomialBounds() throws Exception {
    int n = 2000;
    try (Backend b = Backend.start(BackendOptions.of("v1", 0).withFailPercent(20));
        HttpConnection c = new HttpConnection(b.port())) {
      int failed = 0;
      for (int i = 0; i < n; i++) {
        HttpConnection.Response r = c.get("/");
        assertThat(r.status()).isIn(200, 500);
        assertThat(r.body()).as("a failed answer has the same body").isEqualTo("v1 " + b.port() + "\n");
        failed += r.status() == 500 ? 1 : 0;
      }
      // Binomial(2000, 0.2): mean 400, standard deviation 17.9; five of them either side.
      double sd = Math.sqrt(n * 0.2 * 0.8);
      assertThat(failed).isBetween((int) (400 - 5 * sd), (int) (400 + 5 * sd));
    }
  }

  @Test
  void failsExactlyTheRequestsWhoseRandomValueFallsBelowThePercentage() throws Exception {
    // The top 53 bits make the fraction: 0 is 0.0 (fails at any percentage above 0), -1 is just below 1.0.
    AtomicLong calls = new AtomicLong();
    RandomSource alternate = () -> calls.getAndIncrement() % 2 == 0 ? 0L : -1L;
    try (Backend b = Backend.start(BackendOptions.of("v1", 0).withFailPercent(50), alternate);
        HttpConnection c = new HttpConnection(b.port())) {
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        statuses.add(c.get("/").status());
      }
      assertThat(statuses).containsExactly(500, 200, 500, 200, 500, 200);
    }
    try (Backend b = Backend.start(BackendOptions.of("v1", 0).withFailPercent(100), () -> -1L);
        HttpConnection c = new HttpConnection(b.port())) {
      assertThat(c.get("/").status()).as("100% fails even the highest draw").isEqualTo(500);
    }
  }

  @Test
  void waitsTheLatencyBeforeAnswering() throws Exception {
    try (Backend b = Backend.start(BackendOptions.of("v1", 0).withLatency(Latency.parse("150ms")));
        HttpConnection c = new HttpConnection(b.port())) {
      c.get("/");
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        assertThat(c.get("/").status()).isEqualTo(200);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isBetween(150L, 1_000L);
      }
    }
  }

  @Test
  void drawsTheJitterUniformlyAroundTheLatency() throws Exception {
    // 0 draws the lowest wait (base - jitter), -1 the highest (just under base + jitter).
    AtomicLong calls = new AtomicLong();
    RandomSource lowThenHigh = () -> calls.getAndIncrement() % 2 == 0 ? 0L : -1L;
    try (Backend b = Backend.start(BackendOptions.of("v1", 0).withLatency(Latency.parse("200ms±200ms")), lowThenHigh);
        HttpConnection c = new HttpConnection(b.port())) {
      long t0 = System.nanoTime();
      c.get("/");
      long low = (System.nanoTime() - t0) / 1_000_000;
      t0 = System.nanoTime();
      c.get("/");
      long high = (System.nanoTime() - t0) / 1_000_000;
      assertThat(low).as("base - jitter = 0").isLessThan(300);
      assertThat(high).as("base + jitter = 400 ms").isBetween(399L, 1_200L);
    }
  }

  @Test
  void manyDelayedRequestsOnOneThreadTakeOneLatencyNotTheirSum() throws Exception {
    int clients = 64;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try (Backend b = Backend.start(BackendOptions.of("v1", 0).withLatency(Latency.parse("300ms")).withThreads(1))) {
      List<HttpConnection> connections = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        connections.add(new HttpConnection(b.port()));
      }
      long t0 = System.nanoTime();
      List<Future<Integer>> answers = new ArrayList<>();
      for (HttpConnection c : connections) {
        answers.add(pool.submit(() -> c.get("/").status()));
      }
      for (Future<Integer> f : answers) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(200);
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      // A thread blocked per request would take 64 x 300 ms = 19 s on the backend's one thread.
      assertThat(ms).isBetween(300L, 2_500L);
      for (HttpConnection c : connections) {
        c.close();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void pipelinedAnswersComeInRequestOrderWhateverTheirDelays() throws Exception {
    try (Backend b = Backend.start(BackendOptions.of("e", 0).withEcho(true));
        RawHttp c = new RawHttp(b.port())) {
      long t0 = System.nanoTime();
      c.write("GET /1?delay=300ms HTTP/1.1\r\nhost: x\r\n\r\n"
          + "GET /2 HTTP/1.1\r\nhost: x\r\n\r\n"
          + "GET /3?delay=0.1s HTTP/1.1\r\nhost: x\r\n\r\n");
      List<String> paths = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        paths.add(JSON.readTree(c.read().body()).get("path").asText());
      }
      assertThat(paths).containsExactly("/1", "/2", "/3");
      assertThat((System.nanoTime() - t0) / 1_000_000).as("the first waited its 300 ms").isGreaterThanOrEqualTo(300);
    }
  }

  @Test
  void manyPipelinedTextRequestsAllGetAnswers() throws Exception {
    try (Backend b = Backend.start(BackendOptions.of("v1", 0)); RawHttp c = new RawHttp(b.port())) {
      c.write("GET / HTTP/1.1\r\nhost: x\r\n\r\n".repeat(500));
      for (int i = 0; i < 500; i++) {
        assertThat(c.read().body()).isEqualTo("v1 " + b.port() + "\n");
      }
    }
  }

  @Test
  void echoDescribesTheRequest() throws Exception {
    try (Backend b = Backend.start(BackendOptions.of("echo-1", 0).withEcho(true));
        RawHttp c = new RawHttp(b.port())) {
      c.write("POST /a/b?x=1&y=2 HTTP/1.1\r\nHost: bb:8080\r\nX-Multi: one\r\nx-multi: two\r\n"
          + "Content-Length: 5\r\n\r\nhello");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-type")).isEqualTo("application/json");
      JsonNode doc = JSON.readTree(r.body());
      assertThat(doc.get("name").asText()).isEqualTo("echo-1");
      assertThat(doc.get("port").asInt()).isEqualTo(b.port());
      assertThat(doc.get("method").asText()).isEqualTo("POST");
      assertThat(doc.get("uri").asText()).isEqualTo("/a/b?x=1&y=2");
      assertThat(doc.get("path").asText()).isEqualTo("/a/b");
      assertThat(doc.get("query").asText()).isEqualTo("x=1&y=2");
      assertThat(doc.get("host").asText()).isEqualTo("bb:8080");
      assertThat(doc.get("protocol").asText()).isEqualTo("HTTP/1.1");
      assertThat(JSON.convertValue(doc.get("headers"), java.util.Map.class)).isEqualTo(java.util.Map.of(
          "host", List.of("bb:8080"), "x-multi", List.of("one", "two"), "content-length", List.of("5")));
      assertThat(doc.get("bodyBytes").asLong()).isEqualTo(5);

      // A chunked body is counted too; an absolute-form target gives the host.
      c.write("PUT http://svc.example:81/p?q HTTP/1.1\r\nHost: other\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n");
      JsonNode put = JSON.readTree(c.read().body());
      assertThat(put.get("uri").asText()).isEqualTo("http://svc.example:81/p?q");
      assertThat(put.get("path").asText()).isEqualTo("/p");
      assertThat(put.get("query").asText()).isEqualTo("q");
      assertThat(put.get("host").asText()).isEqualTo("svc.example:81");
      assertThat(put.get("bodyBytes").asLong()).isEqualTo(7);
    }
  }

  @Test
  void echoSetsTheResponseHeadersTheRequestAsksFor() throws Exception {
    try (Backend b = Backend.start(BackendOptions.of("e", 0).withEcho(true));
        HttpConnection c = new HttpConnection(b.port())) {
      HttpConnection.Response r = c.get("/", "X-Echo-Set-Header: X-Version: v2 , Cache-Control:no-store",
          "X-Echo-Set-Header: x-second:2");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("x-version")).isEqualTo("v2");
      assertThat(r.header("cache-control")).isEqualTo("no-store");
      assertThat(r.header("x-second")).isEqualTo("2");

      HttpConnection.Response bad = c.get("/", "X-Echo-Set-Header: no-colon-here");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body()).isEqualTo("X-Echo-Set-Header: expected Name:value items separated by commas, "
          + "got 'no-colon-here'\n");
      assertThat(c.get("/", "X-Echo-Set-Header: bad name:1").status()).isEqualTo(400);
    }
  }

  @Test
  void echoWaitsTheDelayTheQueryAsksFor() throws Exception {
    try (Backend b = Backend.start(BackendOptions.of("e", 0).withEcho(true).withLatency(Latency.parse("5s")));
        HttpConnection c = new HttpConnection(b.port())) {
      for (String delay : List.of("250ms", "0.25s")) {
        long t0 = System.nanoTime();
        HttpConnection.Response r = c.get("/?delay=" + delay);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.status()).isEqualTo(200);
        assertThat(ms).as("?delay=%s replaces the backend's 5 s", delay).isBetween(250L, 2_000L);
      }
      HttpConnection.Response bad = c.get("/?delay=soon");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body()).isEqualTo("delay: expected a duration such as 500ms, 1.5s or 2m, got 'soon'\n");
    }
  }

  @Test
  void headHttp10AndConnectionCloseAreAnsweredAsHttpSays() throws Exception {
    try (Backend b = Backend.start(BackendOptions.of("v1", 0))) {
      try (RawHttp c = new RawHttp(b.port())) {
        c.write("HEAD / HTTP/1.1\r\nhost: x\r\n\r\nGET / HTTP/1.1\r\nhost: x\r\n\r\n");
        RawHttp.Response head = c.read(true);
        assertThat(head.header("content-length")).isEqualTo(Integer.toString(("v1 " + b.port() + "\n").length()));
        assertThat(c.read().body()).as("no body after the HEAD answer").isEqualTo("v1 " + b.port() + "\n");
      }
      try (RawHttp c = new RawHttp(b.port())) {
        c.write("GET / HTTP/1.0\r\n\r\n");
        RawHttp.Response r = c.read();
        assertThat(r.header("connection")).isEqualTo("close");
        assertThat(c.closedByPeer()).isTrue();
      }
      try (RawHttp c = new RawHttp(b.port())) {
        c.write("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.1\r\nhost: x\r\nConnection: close\r\n\r\n");
        assertThat(c.read().header("connection")).isEqualTo("keep-alive");
        assertThat(c.read().header("connection")).isEqualTo("close");
        assertThat(c.closedByPeer()).isTrue();
      }
    }
  }

  @Test
  void aMalformedRequestIsAnswered400AndTheConnectionClosed() throws Exception {
    try (Backend b = Backend.start(BackendOptions.of("v1", 0)); RawHttp c = new RawHttp(b.port())) {
      c.write("GET / HTTP/1.1\r\nhost: x\r\ncontent-length: nope\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void closeReleasesThePortsAndTheConnections() throws Exception {
    Backend b = Backend.start(BackendOptions.of("v1", 0, 0));
    List<Integer> ports = b.ports();
    try (HttpConnection open = new HttpConnection(ports.get(0))) {
      assertThat(open.get("/").status()).isEqualTo(200);
      b.close();
      assertThatThrownBy(() -> open.get("/")).as("the open connection is closed").isInstanceOf(IOException.class);
    }
    for (int port : ports) {
      assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void aPortInUseFailsTheStartAndLeavesNothingListening() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int free;
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
        free = s.getLocalPort();
      }
      assertThatThrownBy(() -> Backend.start(BackendOptions.of("v1", free, taken.getLocalPort())))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ");
      assertThatThrownBy(() -> new Socket("127.0.0.1", free).close()).isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void optionsRejectWhatCannotWork() {
    assertThatThrownBy(() -> BackendOptions.of("v1")).hasMessage("ports: at least one port is needed");
    assertThatThrownBy(() -> BackendOptions.of("v1", 0).withFailPercent(101))
        .hasMessage("failPercent: must be between 0 and 100, got 101.0");
    assertThatThrownBy(() -> BackendOptions.of("v1", 70000)).hasMessage("ports[0]: must be between 0 and 65535, got 70000");
    assertThatThrownBy(() -> BackendOptions.of(" ", 0)).hasMessage("name: must not be empty");
    assertThat(BackendOptions.of("v1", 0).bodyFor(8080)).isEqualTo("v1 8080");
    assertThat(BackendOptions.of("v1", 0).withText("v1").bodyFor(8080)).isEqualTo("v1");
    assertThat(Duration.ZERO).isEqualTo(BackendOptions.of("v1", 0).latency().base());
  }
}
