package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.testing.Await;
import io.sluice.testing.BootstrapYaml;
import io.sluice.testing.HttpConnection;
import io.sluice.testing.NamedBackend;
import io.sluice.testing.RunningProxy;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Draining: no new connections, idle ones closed, a request in flight answered (and its connection closed). */
class DrainTest {
  @TempDir Path dir;

  @Test
  void drainClosesIdleConnectionsAndFinishesTheRequestInFlight() throws Exception {
    try (NamedBackend a = new NamedBackend("a");
        RunningProxy p = RunningProxy.start(dir,
            new BootstrapYaml().routes("- {match: {prefix: /}, route: {cluster: a}}").cluster(a).toString());
        HttpConnection idle = new HttpConnection(p.port());
        HttpConnection busy = new HttpConnection(p.port())) {
      int port = p.port();
      assertThat(idle.get("/").status()).isEqualTo(200);
      CompletableFuture<HttpConnection.Response> inFlight = CompletableFuture.supplyAsync(() -> {
        try {
          return busy.get("/delay/400");
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      Await.until("the slow request to reach the backend", () -> a.received() == 2);

      CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> p.proxy.drain(Duration.ofSeconds(10)));
      assertThat(idle.awaitClose(5_000)).as("the idle keep-alive connection is closed").isTrue();
      assertThatThrownBy(() -> new HttpConnection(port).close()).isInstanceOf(ConnectException.class);
      assertThat(p.adminGet("/ready").statusCode()).isEqualTo(503);

      HttpConnection.Response r = inFlight.get(10, TimeUnit.SECONDS);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("a");
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(busy.awaitClose(5_000)).isTrue();
      assertThat(drained.get(10, TimeUnit.SECONDS)).as("every connection finished in time").isTrue();
      assertThat(p.proxy.openConnections()).isZero();
    }
  }
}
