package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100 MB request and response bodies pass through the proxy, which never holds more than a few
 * megabytes of them.
 *
 * <p>Why a separate JVM: in the test's JVM the proxy shares the heap, the direct memory and
 * Netty's buffer pool with the backend and the client, so no measurement can tell whose bytes
 * are whose. Here the proxy runs alone in a child JVM started with {@code -Xmx64m} and {@code
 * -XX:MaxDirectMemorySize=32m}: a proxy that aggregated a 100 MB body, on the heap or off it,
 * would fail with an {@code OutOfMemoryError} and the transfer would break. That limit is the hard
 * proof; on top of it the child samples Netty's direct memory in use every millisecond, and the
 * test asserts the peak stayed under 16 MB (a 4 MB pool chunk or two, per event loop, plus socket
 * reads in flight), far below the body size. (The child runs {@link ProxyProcessMain} from this
 * module's test class path rather than {@code sluice.jar}, which the reactor builds only after
 * these tests; the jar-level equivalent belongs with the CLI's {@code *IT} tests.)
 */
class LargeBodyStreamingTest {
  private static final long SIZE = 100L * 1024 * 1024;
  private static final long PEAK_LIMIT = 16L * 1024 * 1024;

  @TempDir static Path dir;
  private static TestBackend backend;
  private static ProxyProcess proxy;

  @BeforeAll
  static void start() throws Exception {
    backend = new TestBackend("b");
    Path config = dir.resolve("bootstrap.yaml");
    Files.writeString(config, ProxyFixture.bootstrap("- {match: {prefix: /}, route: {cluster: b, timeout: 0s}}", backend));
    proxy = new ProxyProcess(config, dir.resolve("proxy.err"), "-Xmx64m", "-XX:MaxDirectMemorySize=32m");
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (proxy != null) {
        proxy.close();
      }
    } finally {
      backend.close();
    }
  }

  @Test
  void a100MegabyteRequestBodyIsStreamedToTheUpstream() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("POST /sink HTTP/1.1\r\nHost: test\r\nContent-Length: " + SIZE + "\r\n\r\n");
      byte[] block = new byte[256 * 1024];
      for (long sent = 0; sent < SIZE; sent += block.length) {
        c.write(block);
      }
      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo(Long.toString(SIZE));
    }
    assertThat(proxy.alive()).isTrue();
    assertThat(proxy.peakDirectMemory()).as("peak direct memory in the proxy").isLessThan(PEAK_LIMIT);
  }

  @Test
  void a100MegabyteResponseBodyIsStreamedToTheClient() throws Exception {
    try (RawClient c = new RawClient(proxy.port())) {
      c.write("GET /bytes/" + SIZE + " HTTP/1.1\r\nHost: test\r\n\r\n");
      RawClient.Response head = c.readHead();
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("content-length")).isEqualTo(Long.toString(SIZE));
      assertThat(c.discard(SIZE)).isEqualTo(SIZE);
      // The connection is still good for another request.
      assertThat(c.get("/").text()).isEqualTo("b");
    }
    assertThat(proxy.alive()).isTrue();
    assertThat(proxy.peakDirectMemory()).as("peak direct memory in the proxy").isLessThan(PEAK_LIMIT);
  }
}
