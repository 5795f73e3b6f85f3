package io.sluice.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sluice.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The conformance suite's echo server on a loopback port: every request, whatever its path, is
 * answered 200 with a JSON document of what arrived (backend name, method, request target, Host,
 * headers, body), so a test sees what the proxy forwarded. The request steers the answer as the
 * conformance echo server's does: {@code X-Echo-Set-Header: Name:value,Name2:value2} adds those
 * response headers, and a {@code delay} query parameter ({@code ?delay=1s}, {@code 500ms}) answers
 * that much later (scheduled on the event loop, no thread blocked).
 */
final class EchoBackend implements AutoCloseable {
  /** What one request brought: header names lower case, values in arrival order. */
  record Received(String backend, String method, String target, String host, Map<String, List<String>> headers,
      String body) {
    /** The values of {@code name} joined by commas, as a client sees repeated fields; null when absent. */
    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : String.join(",", values);
    }

    /** The target's path, without the query. */
    String path() {
      int q = target.indexOf('?');
      return q < 0 ? target : target.substring(0, q);
    }

    static Received fromJson(JsonNode json) {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = json.get("headers").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        List<String> values = new ArrayList<>();
        e.getValue().forEach(v -> values.add(v.asText()));
        headers.put(e.getKey(), List.copyOf(values));
      }
      return new Received(json.get("backend").asText(), json.get("method").asText(), json.get("target").asText(),
          json.get("host").asText(null), Collections.unmodifiableMap(headers), json.get("body").asText());
    }
  }

  static final String SET_HEADER = "X-Echo-Set-Header";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DELAY = Pattern.compile("(\\d+)(ms|s)");

  private final String name;
  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final Channel channel;
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());

  EchoBackend(String name) {
    this.name = name;
    this.channel = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline()
                .addLast(new HttpServerCodec())
                .addLast(new HttpObjectAggregator(1 << 20))
                .addLast(new Handler());
          }
        })
        .bind("127.0.0.1", 0)
        .syncUninterruptibly()
        .channel();
  }

  String name() {
    return name;
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Every request received so far, in order. */
  List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  int count() {
    return received.size();
  }

  /** Waits until {@code n} requests have arrived in all and returns them. */
  List<Received> awaitReceived(int n) {
    Await.until(n + " request(s) at " + name, Duration.ofSeconds(10), () -> received.size() >= n);
    return received();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** The echo document of a request. */
  private Received describe(FullHttpRequest request) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : request.headers()) {
      headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
    }
    headers.replaceAll((k, v) -> List.copyOf(v));
    return new Received(name, request.method().name(), request.uri(), request.headers().get(HttpHeaderNames.HOST),
        Collections.unmodifiableMap(headers), request.content().toString(StandardCharsets.UTF_8));
  }

  private static String json(Received r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("backend", r.backend()).put("method", r.method()).put("target", r.target()).put("host", r.host());
    ObjectNode headers = root.putObject("headers");
    r.headers().forEach((k, values) -> values.forEach(headers.putArray(k)::add));
    root.put("body", r.body());
    try {
      return JSON.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The delay the request asks for ({@code ?delay=1s}), or zero. */
  private static long delayMillis(String uri) {
    List<String> values = new QueryStringDecoder(uri).parameters().get("delay");
    if (values == null || values.isEmpty()) {
      return 0;
    }
    Matcher m = DELAY.matcher(values.get(0));
    if (!m.matches()) {
      throw new IllegalArgumentException("delay must look like 1s or 500ms, got " + values.get(0));
    }
    long n = Long.parseLong(m.group(1));
    return m.group(2).equals("s") ? n * 1000 : n;
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      Received r = describe(request);
      received.add(r);
      byte[] body = json(r).getBytes(StandardCharsets.UTF_8);
      FullHttpResponse response =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
      response.headers()
          .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
          .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
          .set("x-backend", name);
      for (String list : request.headers().getAll(SET_HEADER)) {
        for (String entry : list.split(",")) {
          int colon = entry.indexOf(':');
          response.headers().add(entry.substring(0, colon).trim(), entry.substring(colon + 1).trim());
        }
      }
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      if (!keepAlive) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
      Runnable send = () -> ctx.writeAndFlush(response)
          .addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
      long delay = delayMillis(request.uri());
      if (delay > 0) {
        ctx.executor().schedule(send, delay, TimeUnit.MILLISECONDS);
      } else {
        send.run();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
