package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A slow side makes the proxy stop reading from the other side rather than buffer: the bytes in
 * flight stall at what the sockets' buffers and the channels' write watermarks hold, then
 * everything goes through once the slow side catches up.
 *
 * <p>What "bounded" means here: between the producer and the consumer sit at most four kernel
 * socket buffers (on this loopback, autotuned to a few MB each) plus each Netty channel's 64 KiB
 * high watermark and one read's worth of bytes. 32 MB covers that with room; a proxy that kept
 * reading would let the producer run on to the whole 200 MB.
 */
class BackpressureTest {
  private static final long SIZE = 200L * 1024 * 1024;
  private static final long BOUND = 32L * 1024 * 1024;

  private TestBackend backend;
  private ProxyFixture proxy;

  @BeforeEach
  void start() throws Exception {
    backend = new TestBackend("b");
    proxy = ProxyFixture.start(
        ProxyFixture.bootstrap("- {match: {prefix: /}, route: {cluster: b, timeout: 0s}}", backend));
  }

  @AfterEach
  void stop() {
    proxy.close();
    backend.close();
  }

  /**
   * The client asks for 200 MB and reads nothing: the backend (which writes only while its
   * channel is writable) must stall at a bounded count; then the client reads all 200 MB.
   */
  @Test
  void aClientThatDoesNotReadStallsTheUpstream() throws Exception {
    try (RawClient c = new RawClient(proxy.port(), 64 * 1024)) {
      c.write("GET /bytes/" + SIZE + " HTTP/1.1\r\nHost: test\r\n\r\n");
      long stalled = awaitStall("the backend's writes", backend.bytesWritten::get);
      assertThat(stalled).as("bytes the backend could write to a client reading nothing").isLessThan(BOUND);

      RawClient.Response head = c.readHead();
      assertThat(head.status()).isEqualTo(200);
      assertThat(c.discard(SIZE)).isEqualTo(SIZE);
      assertThat(backend.bytesWritten.get()).isEqualTo(SIZE);
      assertThat(c.get("/").text()).isEqualTo("b");
    }
  }

  /**
   * The upstream stops reading a 200 MB upload: the client's writes must stall at a bounded count
   * (the proxy stopped reading from it), then the upload completes when the upstream reads again.
   */
  @Test
  void anUpstreamThatDoesNotReadStallsTheClient() throws Exception {
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try (RawClient c = new RawClient(proxy.port())) {
      OutputStream out = c.output();
      AtomicLong written = new AtomicLong();
      Future<?> upload = writer.submit(() -> {
        out.write(("POST /slow-sink HTTP/1.1\r\nHost: test\r\nContent-Length: " + SIZE + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        byte[] block = new byte[64 * 1024];
        for (long sent = 0; sent < SIZE; sent += block.length) {
          out.write(block);
          written.addAndGet(block.length);
        }
        out.flush();
        return null;
      });
      long stalled = awaitStall("the client's writes", written::get);
      assertThat(stalled).as("bytes a client could write to an upstream reading nothing").isLessThan(BOUND);
      assertThat(backend.bodyBytesReceived.get()).isLessThan(BOUND);
      assertThat(upload.isDone()).isFalse();

      backend.resumeReading();
      upload.get(60, TimeUnit.SECONDS);
      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo(Long.toString(SIZE));
    } finally {
      writer.shutdownNow();
    }
  }

  /**
   * Waits until {@code counter} is above zero and has not moved for 300 ms (far longer than the
   * loopback needs to move the next write), and returns where it stopped.
   */
  private static long awaitStall(String what, LongSupplier counter) {
    long[] last = {-1, System.nanoTime()};
    Eventually.until(what + " to stall", Duration.ofSeconds(30), () -> {
      long now = System.nanoTime();
      long v = counter.getAsLong();
      if (v != last[0]) {
        last[0] = v;
        last[1] = now;
        return false;
      }
      return v > 0 && now - last[1] >= Duration.ofMillis(300).toNanos();
    });
    return last[0];
  }
}
