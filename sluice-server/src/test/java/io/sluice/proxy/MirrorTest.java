package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.cluster.UpstreamCluster;
import io.sluice.route.RandomSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request mirroring on real sockets: the mirror gets a copy of the request (head as finalized,
 * {@code -shadow} host, body streamed), the client's answer and access-log line are the primary's
 * alone, sampling follows the policy's fraction, and a mirror that stalls, refuses connections or
 * does not exist never slows or fails the primary. Also the 500 for an invalid Gateway API backend.
 */
class MirrorTest {
  @TempDir Path dir;

  private Path log() {
    return dir.resolve("access.log");
  }

  private static List<String> lines(Path path) {
    try {
      return Files.exists(path) ? Files.readAllLines(path) : List.of();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theMirrorGetsTheRequestAsFinalizedForThePrimary() throws Exception {
    try (TestBackend b = new TestBackend("b");
        MirrorBackend m = new MirrorBackend();
        ProxyFixture f = ProxyFixture.withAccessLog(new TestBootstrap()
            .routes("""
                - match: {prefix: /api}
                  request_headers_to_add: [{header: {key: x-added, value: by-route}}]
                  route:
                    cluster: b
                    prefix_rewrite: /echo
                    request_mirror_policies: [{cluster: m}]
                """)
            .cluster(b)
            .cluster("m", "", m.port())
            .build(), null, log());
        RawClient c = new RawClient(f.port())) {
      RawClient.Response r = c.get("/api?q=1", "x-test: one");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).startsWith("backend b\nGET /echo?q=1 HTTP/1.1\n").contains("x-added: by-route\n");
      assertThat(r.header("x-backend")).isEqualTo("b");

      MirrorBackend.Received copy = m.next();
      assertThat(copy.method()).isEqualTo("GET");
      assertThat(copy.uri()).isEqualTo("/echo?q=1");
      assertThat(copy.headers()).containsEntry("host", "test-shadow");
      assertThat(copy.headers()).containsEntry("x-test", "one");
      assertThat(copy.headers()).containsEntry("x-added", "by-route");
      assertThat(copy.headers()).containsEntry("x-envoy-original-path", "/api?q=1");
      String primaryRequestId = headerLine(r.text(), "x-request-id");
      assertThat(copy.headers()).containsEntry("x-request-id", primaryRequestId);
      assertThat(copy.bodyBytes()).isZero();

      // One access-log line, the primary's: the mirror is not in it.
      String line = Eventually.accessLogLine(log(), "\"GET /api?q=1 HTTP/1.1\"");
      assertThat(line).contains("\" 200 - ").contains("\"127.0.0.1:" + b.port() + "\"");
      assertThat(lines(log())).hasSize(1);
    }
  }

  @Test
  void eachPolicyFiresAndTheShadowSuffixGoesBeforeThePort() throws Exception {
    try (TestBackend b = new TestBackend("b");
        MirrorBackend m1 = new MirrorBackend();
        MirrorBackend m2 = new MirrorBackend();
        ProxyFixture f = ProxyFixture.start(new TestBootstrap()
            .routes("""
                - match: {prefix: /}
                  route:
                    cluster: b
                    request_mirror_policies:
                    - {cluster: m1}
                    - {cluster: m2, disable_shadow_host_suffix_append: true}
                """)
            .cluster(b)
            .cluster("m1", "", m1.port())
            .cluster("m2", "", m2.port())
            .build());
        RawClient c = new RawClient(f.port())) {
      c.write("GET /x HTTP/1.1\r\nHost: api.example.com:8080\r\n\r\n");
      assertThat(c.read().text()).isEqualTo("b");
      assertThat(m1.next().headers()).containsEntry("host", "api.example.com-shadow:8080");
      assertThat(m2.next().headers()).containsEntry("host", "api.example.com:8080");
    }
  }

  @Test
  void aPostBodyIsMirroredAsItStreamsAndTheMirrorsConnectionIsReused() throws Exception {
    try (TestBackend b = new TestBackend("b");
        MirrorBackend m = new MirrorBackend();
        ProxyFixture f = ProxyFixture.start(new TestBootstrap()
            .routes("- {match: {prefix: /}, route: {cluster: b, request_mirror_policies: [{cluster: m}]}}")
            .cluster(b)
            .cluster("m", "", m.port())
            .build());
        RawClient c = new RawClient(f.port())) {
      UpstreamCluster mirror = f.proxy.clusters().get("m");
      // 8 MiB of varied bytes, written in 256 KiB blocks as the proxy takes them.
      long size = 8L * 1024 * 1024;
      Random bytes = new Random(42);
      CRC32 sent = new CRC32();
      c.write("POST /sink HTTP/1.1\r\nHost: test\r\nContent-Length: " + size + "\r\n\r\n");
      byte[] block = new byte[256 * 1024];
      for (long n = 0; n < size; n += block.length) {
        bytes.nextBytes(block);
        sent.update(block);
        c.write(block);
      }
      RawClient.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo(Long.toString(size));
      MirrorBackend.Received copy = m.next();
      assertThat(copy.method()).isEqualTo("POST");
      assertThat(copy.headers()).containsEntry("content-length", Long.toString(size));
      assertThat(copy.bodyBytes()).isEqualTo(size);
      assertThat(copy.crc()).isEqualTo(sent.getValue());

      // A chunked body, then two more requests: the mirror reads each answer to its end, so its
      // one connection goes back to the pool and carries them all.
      Eventually.until("the mirror to finish", () -> mirror.activeRequests() == 0);
      c.write("POST /sink HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
      assertThat(c.read().text()).isEqualTo("11");
      MirrorBackend.Received chunked = m.next();
      assertThat(chunked.body()).isEqualTo("hello world");
      assertThat(chunked.headers()).containsEntry("transfer-encoding", "chunked");
      for (int i = 0; i < 2; i++) {
        Eventually.until("the mirror to finish", () -> mirror.activeRequests() == 0);
        assertThat(c.get("/again").text()).isEqualTo("b");
        assertThat(m.next().uri()).isEqualTo("/again");
      }
      Eventually.until("the mirror to finish", () -> mirror.activeRequests() == 0);
      assertThat(m.connections.get()).isEqualTo(1);
      assertThat(mirror.activeConnections()).isEqualTo(1);
    }
  }

  @Test
  void exactlyTheRequestsInsideTheFractionAreMirrored() throws Exception {
    // Random values 0, 1, 2, ...: a 25% policy (value mod 100 below 25) mirrors exactly 25 of 100.
    AtomicLong next = new AtomicLong();
    RandomSource counting = next::getAndIncrement;
    try (TestBackend b = new TestBackend("b");
        MirrorBackend m = new MirrorBackend();
        ProxyFixture f = ProxyFixture.start(new TestBootstrap()
            .routes("""
                - match: {prefix: /}
                  route:
                    cluster: b
                    request_mirror_policies:
                    - {cluster: m, runtime_fraction: {default_value: {numerator: 25, denominator: HUNDRED}}}
                """)
            .cluster(b)
            .cluster("m", "", m.port())
            .build(), counting, null);
        RawClient c = new RawClient(f.port())) {
      for (int i = 0; i < 100; i++) {
        assertThat(c.get("/r" + i).text()).isEqualTo("b");
      }
      Eventually.until("25 mirrored requests", () -> m.requests.get() == 25);
      Eventually.until("the mirrors to finish", () -> f.proxy.clusters().get("m").activeRequests() == 0);
      assertThat(m.requests.get()).isEqualTo(25);
      List<String> uris = m.received.stream().map(MirrorBackend.Received::uri).sorted().toList();
      assertThat(uris).containsExactlyElementsOf(
          java.util.stream.IntStream.range(0, 25).mapToObj(i -> "/r" + i).sorted().toList());
    }
  }

  /**
   * With the real random source, 400 requests: a 25% policy (HUNDRED) and a 50% one written as
   * the Gateway API compiler writes it (MILLION) each mirror a count inside five standard
   * deviations of the binomial mean: 100 ± 43 and 200 ± 50. A test failing by chance does so
   * about once in 1.7 million runs.
   */
  @Test
  void sampledMirroringStaysWithinBinomialBounds() throws Exception {
    int n = 400;
    try (TestBackend b = new TestBackend("b");
        MirrorBackend quarter = new MirrorBackend();
        MirrorBackend half = new MirrorBackend();
        ProxyFixture f = ProxyFixture.start(new TestBootstrap()
            .routes("""
                - match: {prefix: /}
                  route:
                    cluster: b
                    request_mirror_policies:
                    - {cluster: quarter, runtime_fraction: {default_value: {numerator: 25, denominator: HUNDRED}}}
                    - {cluster: half, runtime_fraction: {default_value: {numerator: 500000, denominator: MILLION}}}
                """)
            .cluster(b)
            .cluster("quarter", "", quarter.port())
            .cluster("half", "", half.port())
            .build());
        RawClient c = new RawClient(f.port())) {
      for (int i = 0; i < n; i++) {
        assertThat(c.get("/").status()).isEqualTo(200);
      }
      Eventually.until("the mirrors to finish", () -> f.proxy.clusters().get("quarter").activeRequests() == 0
          && f.proxy.clusters().get("half").activeRequests() == 0);
      assertThat(quarter.requests.get()).isBetween(100 - 43, 100 + 43);
      assertThat(half.requests.get()).isBetween(200 - 50, 200 + 50);
      assertThat(b.requests.get()).isEqualTo(n);
    }
  }

  /**
   * A mirror that accepts connections and never reads nor answers: a run of requests keeps the
   * primary's latency low (nothing waits for the mirror, whose timeout is 2 s), the mirror's
   * connections never exceed its cluster's {@code max_requests}, and they all close once the
   * timeout passes.
   */
  @Test
  void aMirrorThatNeverAnswersDoesNotSlowThePrimary() throws Exception {
    try (TestBackend b = new TestBackend("b");
        StallingBackend stall = new StallingBackend()) {
      String yaml = new TestBootstrap()
          .routes("- {match: {prefix: /}, route: {cluster: b, timeout: 2s, request_mirror_policies: [{cluster: stall}]}}")
          .cluster(b)
          .cluster("stall", "circuit_breakers: {thresholds: [{max_requests: 8}]}", stall.port())
          .build();
      try (ProxyFixture f = ProxyFixture.withAccessLog(yaml, null, log());
          RawClient c = new RawClient(f.port())) {
        UpstreamCluster mirror = f.proxy.clusters().get("stall");
        long worst = 0;
        int mostOpen = 0;
        for (int i = 0; i < 200; i++) {
          long start = System.nanoTime();
          RawClient.Response r = c.get("/n" + i);
          worst = Math.max(worst, System.nanoTime() - start);
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.text()).isEqualTo("b");
          mostOpen = Math.max(mostOpen, mirror.activeConnections());
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(worst)).as("slowest of 200 primary requests, ms").isLessThan(500);
        assertThat(mostOpen).as("mirror connections open at once").isBetween(1, 8);
        assertThat(stall.accepted.get()).isBetween(8, 200);
        Eventually.until("the stalled mirrors to time out", Duration.ofSeconds(10),
            () -> mirror.activeConnections() == 0 && mirror.activeRequests() == 0);
        // The primary's access-log lines are clean: no flag, no trace of the mirror's timeouts.
        Eventually.until("200 access-log lines", () -> lines(log()).size() == 200);
        assertThat(lines(log())).allMatch(l -> l.contains("\" 200 - "));
      }
    }
  }

  /**
   * An 8 MiB upload mirrored to a peer that never reads: once the mirror's socket and write buffer
   * are full it is abandoned at the next part (not at its 30 s timeout), and the upload goes on
   * at the primary's pace.
   */
  @Test
  void aMirrorThatStopsReadingIsAbandonedAndTheUploadGoesOn() throws Exception {
    try (TestBackend b = new TestBackend("b");
        StallingBackend stall = new StallingBackend()) {
      String yaml = new TestBootstrap()
          .routes("- {match: {prefix: /}, route: {cluster: b, timeout: 30s, request_mirror_policies: [{cluster: stall}]}}")
          .cluster(b)
          .cluster("stall", "", stall.port())
          .build();
      try (ProxyFixture f = ProxyFixture.start(yaml);
          RawClient c = new RawClient(f.port())) {
        UpstreamCluster mirror = f.proxy.clusters().get("stall");
        long size = 8L * 1024 * 1024;
        c.write("POST /sink HTTP/1.1\r\nHost: test\r\nContent-Length: " + size + "\r\n\r\n");
        byte[] block = new byte[256 * 1024];
        for (long n = 0; n < size; n += block.length) {
          c.write(block);
        }
        RawClient.Response r = c.read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo(Long.toString(size));
        Eventually.until("the mirror to be abandoned", Duration.ofSeconds(5),
            () -> mirror.activeConnections() == 0 && mirror.activeRequests() == 0);
        assertThat(stall.accepted.get()).isEqualTo(1);
      }
    }
  }

  @Test
  void aMirrorToAClosedPortDoesNotAffectThePrimary() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (TestBackend b = new TestBackend("b")) {
      String yaml = new TestBootstrap()
          .routes("- {match: {prefix: /}, route: {cluster: b, request_mirror_policies: [{cluster: dead}]}}")
          .cluster(b)
          .cluster("dead", "", closedPort)
          .build();
      try (ProxyFixture f = ProxyFixture.withAccessLog(yaml, null, log());
          RawClient c = new RawClient(f.port())) {
        for (int i = 0; i < 20; i++) {
          RawClient.Response r = c.get("/refused" + i);
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.text()).isEqualTo("b");
        }
        UpstreamCluster dead = f.proxy.clusters().get("dead");
        Eventually.until("20 refused mirror connections", () -> dead.endpoints().get(0).connectFailures() == 20);
        Eventually.until("the mirrors to end", () -> dead.activeRequests() == 0 && dead.activeConnections() == 0);
        Eventually.until("20 access-log lines", () -> lines(log()).size() == 20);
        assertThat(lines(log())).allMatch(l -> l.contains("\" 200 - "));
      }
    }
  }

  @Test
  void aMirrorClusterThatDoesNotExistIsSkipped() throws Exception {
    try (TestBackend b = new TestBackend("b");
        MirrorBackend m = new MirrorBackend()) {
      String yaml = new TestBootstrap()
          .routes("- {match: {prefix: /}, route: {cluster: b, request_mirror_policies: [{cluster_header: x-mirror-to}]}}")
          .cluster(b)
          .cluster("m", "", m.port())
          .build();
      try (ProxyFixture f = ProxyFixture.start(yaml);
          RawClient c = new RawClient(f.port())) {
        assertThat(c.get("/none", "x-mirror-to: nonesuch").text()).isEqualTo("b");
        assertThat(c.get("/no-header").text()).isEqualTo("b");
        assertThat(c.get("/yes", "x-mirror-to: m").text()).isEqualTo("b");
        assertThat(m.next().uri()).isEqualTo("/yes");
        assertThat(m.requests.get()).isEqualTo(1);
        assertThat(b.requests.get()).isEqualTo(3);
      }
    }
  }

  @Test
  void anInvalidBackendIs500WithItsReasonAndFlagNC() throws Exception {
    try (TestBackend b = new TestBackend("b")) {
      String yaml = new TestBootstrap()
          .routes("""
              - match: {prefix: /configured}
                route:
                  weighted_clusters:
                    clusters: [{name: 'sluice:invalid-backend:BackendNotFound:default/missing:8080', weight: 1}]
                  cluster_not_found_response_code: INTERNAL_SERVER_ERROR
              - match: {prefix: /default}
                route: {cluster: 'sluice:invalid-backend:RefNotPermitted:other/svc:80'}
              - {match: {prefix: /}, route: {cluster: b}}
              """)
          .cluster(b)
          .build()
          .replace("route_config:\n", "route_config:\n            validate_clusters: false\n");
      try (ProxyFixture f = ProxyFixture.withAccessLog(yaml, null, log());
          RawClient c = new RawClient(f.port())) {
        RawClient.Response r = c.get("/configured");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.text()).isEqualTo("invalid backend: BackendNotFound:default/missing:8080\n");
        assertThat(r.header("content-type")).isEqualTo("text/plain");
        assertThat(Eventually.accessLogLine(log(), "\"GET /configured HTTP/1.1\"")).contains("\" 500 NC ");
        // Without cluster_not_found_response_code, Envoy's default 503.
        RawClient.Response d = c.get("/default");
        assertThat(d.status()).isEqualTo(503);
        assertThat(d.text()).isEqualTo("invalid backend: RefNotPermitted:other/svc:80\n");
        assertThat(Eventually.accessLogLine(log(), "\"GET /default HTTP/1.1\"")).contains("\" 503 NC ");
        // The connection goes on.
        assertThat(c.get("/ok").text()).isEqualTo("b");
        assertThat(b.requests.get()).isEqualTo(1);
      }
    }
  }

  // ---- helpers

  private static String headerLine(String echo, String name) {
    for (String line : echo.split("\n")) {
      if (line.startsWith(name + ": ")) {
        return line.substring(name.length() + 2);
      }
    }
    throw new AssertionError("no " + name + " in\n" + echo);
  }

  /**
   * A mirror target that records each request it receives (head, body size, CRC-32 of the body,
   * and the body itself when small) and answers 200 {@code mirror}.
   */
  static final class MirrorBackend implements AutoCloseable {
    record Received(String method, String uri, Map<String, String> headers, long bodyBytes, long crc, String body) {}

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel channel;
    final Queue<Received> received = new ConcurrentLinkedQueue<>();
    private final Queue<Received> unread = new ConcurrentLinkedQueue<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();

    MirrorBackend() {
      channel = new ServerBootstrap()
          .group(group)
          .channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              connections.incrementAndGet();
              ch.pipeline().addLast(new HttpServerCodec()).addLast(new Recorder());
            }
          })
          .bind("127.0.0.1", 0)
          .syncUninterruptibly()
          .channel();
    }

    int port() {
      return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The next request not yet looked at, waiting for it. */
    Received next() {
      Received[] got = new Received[1];
      Eventually.until("a mirrored request", () -> (got[0] = unread.poll()) != null);
      return got[0];
    }

    @Override
    public void close() {
      channel.close().syncUninterruptibly();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Recorder extends ChannelInboundHandlerAdapter {
      private HttpRequest head;
      private long bodyBytes;
      private final CRC32 crc = new CRC32();
      private final StringBuilder small = new StringBuilder();

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
          if (msg instanceof HttpRequest r) {
            head = r;
            bodyBytes = 0;
            crc.reset();
            small.setLength(0);
          }
          if (msg instanceof HttpContent part) {
            ByteBuf content = part.content();
            bodyBytes += content.readableBytes();
            crc.update(content.nioBuffer());
            if (small.length() < 1024) {
              small.append(content.toString(StandardCharsets.ISO_8859_1));
            }
          }
          if (msg instanceof LastHttpContent) {
            Map<String, String> headers = new TreeMap<>();
            head.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
            Received r = new Received(
                head.method().name(), head.uri(), headers, bodyBytes, crc.getValue(), small.toString());
            received.add(r);
            unread.add(r);
            requests.incrementAndGet();
            FullHttpResponse answer = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.copiedBuffer("mirror", StandardCharsets.US_ASCII));
            answer.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 6);
            ctx.writeAndFlush(answer);
          }
        } finally {
          ReferenceCountUtil.release(msg);
        }
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
      }
    }
  }

  /** A peer that accepts connections and then neither reads nor answers nor closes. */
  static final class StallingBackend implements AutoCloseable {
    private final ServerSocket server;
    private final Queue<Socket> held = new ConcurrentLinkedQueue<>();
    private final Thread acceptor;
    final AtomicInteger accepted = new AtomicInteger();

    StallingBackend() throws IOException {
      server = new ServerSocket();
      // Small, so that its buffer fills soon; accepted sockets inherit it.
      server.setReceiveBufferSize(64 * 1024);
      server.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 512);
      acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            Socket s = server.accept();
            held.add(s);
            accepted.incrementAndGet();
          } catch (IOException e) {
            return;
          }
        }
      }, "stalling-backend");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
