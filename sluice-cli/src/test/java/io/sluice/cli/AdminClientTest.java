package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every way of not getting an answer from the admin interface is one readable sentence. */
class AdminClientTest {

  @Test
  void addressesAreHostPortOrHttpUrls() {
    assertThat(new AdminClient("127.0.0.1:9901").base().toString()).isEqualTo("http://127.0.0.1:9901");
    assertThat(new AdminClient("http://[::1]:9901/").base().toString()).isEqualTo("http://[::1]:9901");
    for (String bad : new String[] {"ftp://h:1", "h", "ht tp://x", "http://h"}) {
      assertThatThrownBy(() -> new AdminClient(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("expected HOST:PORT or http://HOST:PORT, got '" + bad + "'");
    }
  }

  @Test
  void anAdminThatAcceptsButNeverAnswersTimesOutWithOneLine() throws IOException {
    try (ServerSocket silent = new ServerSocket()) {
      silent.bind(new InetSocketAddress("127.0.0.1", 0));
      AdminClient c = new AdminClient("127.0.0.1:" + silent.getLocalPort(), Duration.ofSeconds(2), Duration.ofMillis(200));
      assertThatThrownBy(() -> c.get("/runtime"))
          .isInstanceOf(IOException.class)
          .hasMessage("the admin interface at http://127.0.0.1:" + silent.getLocalPort() + " did not answer within 200 ms");
    }
  }

  @Test
  void anAdminThatHangsUpIsNamed() throws Exception {
    try (ServerSocket rude = new ServerSocket()) {
      rude.bind(new InetSocketAddress("127.0.0.1", 0));
      // Reads the request's first byte and hangs up, on every connection (the client retries a GET once).
      Thread t = new Thread(() -> {
        while (!rude.isClosed()) {
          try (Socket s = rude.accept()) {
            s.getInputStream().read();
          } catch (IOException e) {
            // hanging up is the point; a closed server socket ends the loop
          }
        }
      });
      t.start();
      AdminClient c = new AdminClient("127.0.0.1:" + rude.getLocalPort());
      assertThatThrownBy(() -> c.get("/runtime"))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("talking to the admin interface at http://127.0.0.1:" + rude.getLocalPort() + " failed: ")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
      rude.close();
      t.join();
    }
  }
}
