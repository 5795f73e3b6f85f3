package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice proxy} as a real process: SIGTERM and {@code /quitquitquit} drain, then exit 0. */
class ProxyShutdownIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  @Test
  void sigtermRefusesNewConnectionsLetsTheRequestInFlightFinishAndExitsZero() throws Exception {
    try (NamedUpstream upstream = new NamedUpstream("v1");
        ProxyProcess proxy =
            ProxyProcess.start(ShippedExamples.trafficShift(dir, upstream.port(), upstream.port()), dir.resolve("state"))) {
      int port = proxy.listenerPort();
      CompletableFuture<HttpResponse<String>> inFlight =
          HTTP.sendAsync(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hold")).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      ProxyProcess.await("the request to reach the upstream", Duration.ofSeconds(10), () -> upstream.held() == 1);

      proxy.terminate();
      ProxyProcess.await("the listener to close", Duration.ofSeconds(10), () -> refused(port));
      assertThat(proxy.get("/ready").statusCode()).isEqualTo(503);
      assertThat(proxy.process.isAlive()).as("still draining").isTrue();
      assertThat(inFlight).isNotDone();

      upstream.release();
      HttpResponse<String> r = inFlight.get(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("v1");
      assertThat(proxy.awaitExit(Duration.ofSeconds(15))).as(proxy.stderr()).isZero();
      assertThat(proxy.stderr()).contains("draining: no new connections").contains("drained; exiting");
    }
  }

  @Test
  void aRequestLongerThanTheDrainTimeIsCutAndTheProxyStillExitsZero() throws Exception {
    try (NamedUpstream upstream = new NamedUpstream("v1");
        ProxyProcess proxy =
            ProxyProcess.start(ShippedExamples.trafficShift(dir, upstream.port(), upstream.port()), dir.resolve("state"),
                "--drain-time", "300ms")) {
      int port = proxy.listenerPort();
      CompletableFuture<HttpResponse<String>> inFlight =
          HTTP.sendAsync(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hold")).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      ProxyProcess.await("the request to reach the upstream", Duration.ofSeconds(10), () -> upstream.held() == 1);
      proxy.terminate();
      assertThat(proxy.awaitExit(Duration.ofSeconds(15))).as(proxy.stderr()).isZero();
      assertThat(proxy.stderr()).contains("drain time over; closing 1 connection(s)");
      ProxyProcess.await("the cut request to fail", Duration.ofSeconds(10), inFlight::isDone);
      assertThat(inFlight).isCompletedExceptionally();
    }
  }

  @Test
  void quitquitquitIsPostOnlyAndExitsZeroWithTheAdminWhereTheBootstrapSaysIt() throws Exception {
    int adminPort = freePort();
    try (NamedUpstream upstream = new NamedUpstream("v1")) {
      // Without --admin, the admin interface is where the bootstrap's admin.address puts it.
      Path config = ShippedExamples.trafficShift(dir, upstream.port(), upstream.port());
      Files.writeString(config, Files.readString(config).replace("port_value: 9901", "port_value: " + adminPort));
      try (ProxyProcess proxy = ProxyProcess.startWithoutAdminFlag(config, dir.resolve("state"))) {
        assertThat(proxy.admin()).isEqualTo("http://127.0.0.1:" + adminPort);
        assertThat(proxy.get("/quitquitquit").statusCode()).isEqualTo(405);
        assertThat(proxy.get("/ready").statusCode()).isEqualTo(200);
        HttpResponse<String> quit = proxy.post("/quitquitquit");
        assertThat(quit.statusCode()).isEqualTo(200);
        assertThat(quit.body()).isEqualTo("OK\n");
        assertThat(proxy.awaitExit(Duration.ofSeconds(15))).as(proxy.stderr()).isZero();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  private static boolean refused(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
