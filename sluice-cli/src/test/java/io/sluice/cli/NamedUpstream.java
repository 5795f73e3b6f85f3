package io.sluice.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream for the process tests, on a loopback port: answers with its name (body and {@code
 * x-backend}); {@code /hold} answers only once the test calls {@link #release}, so a test can keep
 * a request in flight for exactly as long as it needs.
 */
final class NamedUpstream implements AutoCloseable {
  static {
    // The JDK server writes the head and the body of an answer separately; with Nagle's algorithm
    // on, the body waits for the client's delayed ACK: 40 ms per request.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final String name;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "upstream");
    t.setDaemon(true);
    return t;
  });
  private final CountDownLatch released = new CountDownLatch(1);
  private final AtomicInteger holding = new AtomicInteger();

  NamedUpstream(String name) throws IOException {
    this.name = name;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      if (exchange.getRequestURI().getPath().equals("/hold")) {
        holding.incrementAndGet();
        try {
          if (!released.await(60, TimeUnit.SECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          return;
        }
      }
      byte[] body = name.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("x-backend", name);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  String name() {
    return name;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Requests waiting in {@code /hold} (or released from it). */
  int held() {
    return holding.get();
  }

  /** Lets every held request, and any later one, be answered. */
  void release() {
    released.countDown();
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
