package io.sluice.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.ReferenceCountUtil;
import io.sluice.cluster.UpstreamCluster;
import io.sluice.config.ListenerSpec;
import io.sluice.route.RandomSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One request through the proxy's own pipeline and back, on {@link EmbeddedChannel}s: request
 * bytes into the client connection's decoder, {@link DownstreamHandler} and {@link Exchange}
 * (hop-by-hop removal, forwarded headers, routing with the 90/10 split, endpoint pick, statistics),
 * the request encoded onto a pooled upstream connection, the upstream's answer bytes decoded there
 * and the response encoded back to the client. No socket and no thread handoff: what is left is
 * the proxy's per-request CPU and allocation.
 *
 * <p>The upstream connections are put in the {@link UpstreamPool} before the run, as keep-alive
 * connections are after the first requests. The connect path is not measured: {@code
 * UpstreamPool.connect} opens a socket with its own {@code Bootstrap}, and an {@link EmbeddedChannel}
 * could stand in for it only if the pool took its connector from outside. The pipeline is
 * assembled as {@code DownstreamInitializer} does, with this pool in place of the server's
 * per-loop pool, which only the server's own event loops have.
 *
 * <p>Run with {@code bench/jmh ForwardingBenchmark -prof gc}: ns/op and B/op per request. The path
 * is long and C2 takes a while with it: with less than about 10 s of warm-up the first iterations
 * still run partly interpreted.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class ForwardingBenchmark {
  private static final String[] CLUSTERS = {"v1", "v2"};

  private ProxyServer server;
  private EmbeddedChannel client;
  private final EmbeddedChannel[] upstreams = new EmbeddedChannel[CLUSTERS.length];
  private final ByteBuf[] answers = new ByteBuf[CLUSTERS.length];
  private ByteBuf get;
  private ByteBuf post;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    server = new ProxyServer(BenchBootstrap.read(), new ProxyServer.Options(1, RandomSource.threadLocal(), null, null));
    ListenerSpec listener = server.state().listener("bench");
    // Any embedded loop will do: an EmbeddedEventLoop runs everything at once on the caller's thread.
    EventLoop loop = new EmbeddedChannel().eventLoop();
    UpstreamPool pool = new UpstreamPool(loop, Transport.NIO, System::nanoTime, 64 * 1024);
    for (int i = 0; i < CLUSTERS.length; i++) {
      UpstreamCluster cluster = server.clusters().get(CLUSTERS[i]);
      UpstreamHandler handler = new UpstreamHandler(pool);
      // The codec as UpstreamPool's initializer builds it.
      upstreams[i] = new EmbeddedChannel(new HttpClientCodec(8192, 64 * 1024, 64 * 1024, false, true), handler);
      UpstreamConnection c = new UpstreamConnection(upstreams[i], cluster, cluster.endpoints().get(0), System.nanoTime());
      handler.connection = c;
      pool.release(c);
      answers[i] = direct("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Sun, 22 Nov 2026 03:00:00 GMT\r\n"
          + "Content-Type: text/plain\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\n" + CLUSTERS[i] + "\n");
    }
    ResponseEncoder encoder = new ResponseEncoder();
    client = new ClientChannel(
        new RequestDecoder(16 * 1024, listener.http().maxRequestHeadersKb() * 1024, 64 * 1024),
        encoder,
        new DownstreamHandler(server, listener, pool, encoder));
    get = direct("GET /api/items?id=42 HTTP/1.1\r\nHost: shop.example.com\r\nUser-Agent: curl/7.88.1\r\n"
        + "Accept: */*\r\n\r\n");
    post = direct("POST /api/items HTTP/1.1\r\nHost: shop.example.com\r\nUser-Agent: curl/7.88.1\r\n"
        + "Content-Type: application/json\r\nContent-Length: 1024\r\n\r\n" + "x".repeat(1024));

    // A benchmark that answered 404 or 503, or lost a connection, would measure the wrong thing.
    for (int i = 0; i < 200; i++) {
      check(get, true);
      check(post, false);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    client.finishAndReleaseAll();
    for (EmbeddedChannel up : upstreams) {
      up.finishAndReleaseAll();
    }
    for (ByteBuf b : answers) {
      b.release();
    }
    get.release();
    post.release();
    server.close();
  }

  /** A GET with a small answer: the request and response heads, both ways. */
  @Benchmark
  public long forwardGet() {
    return exchange(get);
  }

  /** A POST with a 1 KiB body, streamed to the upstream as it is decoded. */
  @Benchmark
  public long forwardPost1k() {
    return exchange(post);
  }

  /** Sends one request through; returns the bytes written to the client (so nothing is optimised away). */
  private long exchange(ByteBuf request) {
    client.writeInbound(request.retainedDuplicate());
    int picked = pending(upstreams[0]) ? 0 : 1;
    drain(upstreams[picked]);
    upstreams[picked].writeInbound(answers[picked].retainedDuplicate());
    return drain(client);
  }

  private void check(ByteBuf request, boolean expectForwardedHeaders) {
    client.writeInbound(request.retainedDuplicate());
    int picked = pending(upstreams[0]) ? 0 : pending(upstreams[1]) ? 1 : -1;
    if (picked < 0) {
      throw new IllegalStateException("nothing was sent upstream; the client got: " + text(client));
    }
    String sent = text(upstreams[picked]);
    if (expectForwardedHeaders && !(sent.contains("x-forwarded-for: 127.0.0.1") && sent.contains("x-request-id: "))) {
      throw new IllegalStateException("the upstream request lacks the forwarded headers: " + sent);
    }
    upstreams[picked].writeInbound(answers[picked].retainedDuplicate());
    String answer = text(client);
    if (!answer.startsWith("HTTP/1.1 200 OK") || !answer.endsWith("\r\n\r\n" + CLUSTERS[picked] + "\n")) {
      throw new IllegalStateException("unexpected answer: " + answer);
    }
  }

  private static boolean pending(EmbeddedChannel ch) {
    return !ch.outboundMessages().isEmpty();
  }

  private static long drain(EmbeddedChannel ch) {
    long bytes = 0;
    Object msg;
    while ((msg = ch.readOutbound()) != null) {
      if (msg instanceof ByteBuf b) {
        bytes += b.readableBytes();
      }
      ReferenceCountUtil.release(msg);
    }
    return bytes;
  }

  private static String text(EmbeddedChannel ch) {
    StringBuilder sb = new StringBuilder();
    Object msg;
    while ((msg = ch.readOutbound()) != null) {
      if (msg instanceof ByteBuf b) {
        sb.append(b.toString(StandardCharsets.ISO_8859_1));
      }
      ReferenceCountUtil.release(msg);
    }
    return sb.toString();
  }

  private static ByteBuf direct(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    return Unpooled.directBuffer(bytes.length).writeBytes(bytes);
  }

  /** A client connection from 127.0.0.1: the exchange reads the peer's address as an IP socket address. */
  private static final class ClientChannel extends EmbeddedChannel {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 18090);
    private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 40000);

    ClientChannel(ChannelHandler... handlers) {
      super(handlers);
    }

    @Override
    protected SocketAddress localAddress0() {
      return LOCAL;
    }

    @Override
    protected SocketAddress remoteAddress0() {
      return REMOTE;
    }
  }
}
