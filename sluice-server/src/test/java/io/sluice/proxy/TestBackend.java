package io.sluice.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/1.1 server on a loopback port for the data-plane tests, answering by path:
 *
 * <ul>
 *   <li>anything else: 200 with the backend's name as the body;
 *   <li>{@code /echo}: a text description of the request (method, target, headers, body size);
 *   <li>{@code /status/N}: status N with the name as the body;
 *   <li>{@code /delay/MS}: the name after MS milliseconds (scheduled, no thread blocked);
 *   <li>{@code /bytes/N}: N bytes of body, streamed in 64 KiB chunks as the client reads them;
 *   <li>{@code /sink}: reads the whole request body and answers its size;
 *   <li>{@code /slow-sink}: as {@code /sink}, but stops reading at the request head until {@link
 *       #resumeReading};
 *   <li>{@code /reset}: sends headers and part of a body, then closes the connection;
 *   <li>{@code /reset-chunked}: the same with a chunked body;
 *   <li>{@code /close}: answers with {@code Connection: close} and closes;
 *   <li>{@code /close-quietly}: answers as if keeping the connection, then closes it;
 *   <li>{@code /hangup}: closes the connection without answering;
 *   <li>{@code /hangup-next}: answers, then closes the connection when the next request on it comes;
 *   <li>{@code /chunked/N}: N bytes of body in chunked encoding, in 3 chunks;
 *   <li>{@code /headers?name=value&...}: 200 with each query parameter as a response header;
 *   <li>{@code /early-hints}: a 103 response, then the usual 200;
 *   <li>{@code /garbage}: bytes that are not HTTP, then closes.
 * </ul>
 *
 * <p>{@link #answerEverythingWith} makes it answer every request with one status (an unhealthy
 * endpoint). It counts requests, accepted connections and streamed body bytes, and keeps each
 * request's method and target, for the tests that check pooling, backpressure and smuggling.
 */
final class TestBackend implements AutoCloseable {
  private final String name;
  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final Channel channel;
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger connections = new AtomicInteger();
  /** Body bytes handed to the socket by {@code /bytes/N} (written only while the channel is writable). */
  final AtomicLong bytesWritten = new AtomicLong();
  /** "METHOD target" of every request received, in order. */
  final Queue<String> seen = new ConcurrentLinkedQueue<>();
  /** Body bytes received, all requests together. */
  final AtomicLong bodyBytesReceived = new AtomicLong();
  private volatile int forcedStatus;
  private volatile Channel paused;

  TestBackend(String name) {
    this.name = name;
    this.channel =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    connections.incrementAndGet();
                    ch.pipeline().addLast(new HttpServerCodec()).addLast(new Handler());
                  }
                })
            .bind("127.0.0.1", 0)
            .syncUninterruptibly()
            .channel();
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  String name() {
    return name;
  }

  /** Lets a {@code /slow-sink} request's connection read again. */
  void resumeReading() {
    Channel ch = paused;
    if (ch != null) {
      ch.config().setAutoRead(true);
    }
  }

  /** Makes every later request get {@code status} (0: back to normal). */
  void answerEverythingWith(int status) {
    forcedStatus = status;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Handler extends ChannelInboundHandlerAdapter {
    private HttpRequest request;
    private long bodyBytes;
    private boolean hangUpOnNext;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest r && hangUpOnNext) {
        ReferenceCountUtil.release(msg);
        ctx.close();
        return;
      }
      if (msg instanceof HttpRequest r) {
        request = r;
        bodyBytes = 0;
        requests.incrementAndGet();
        seen.add(r.method() + " " + r.uri());
        if (r.uri().equals("/slow-sink")) {
          paused = ctx.channel();
          ctx.channel().config().setAutoRead(false);
        }
      }
      if (msg instanceof HttpContent c) {
        bodyBytes += c.content().readableBytes();
        bodyBytesReceived.addAndGet(c.content().readableBytes());
      }
      ReferenceCountUtil.release(msg);
      if (msg instanceof LastHttpContent) {
        respond(ctx);
      }
    }

    private void respond(ChannelHandlerContext ctx) {
      String path = new QueryStringDecoder(request.uri()).path();
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      if (forcedStatus != 0) {
        send(ctx, text(forcedStatus, name), keepAlive);
      } else if (path.equals("/echo")) {
        StringBuilder sb = new StringBuilder();
        sb.append("backend ").append(name).append('\n');
        sb.append(request.method()).append(' ').append(request.uri()).append(' ').append(request.protocolVersion()).append('\n');
        for (Map.Entry<String, String> h : request.headers()) {
          sb.append(h.getKey().toLowerCase()).append(": ").append(h.getValue()).append('\n');
        }
        sb.append("body-bytes: ").append(bodyBytes).append('\n');
        send(ctx, text(200, sb.toString()), keepAlive);
      } else if (path.startsWith("/status/")) {
        send(ctx, text(Integer.parseInt(path.substring(8)), name), keepAlive);
      } else if (path.startsWith("/delay/")) {
        long ms = Long.parseLong(path.substring(7));
        ctx.executor().schedule(() -> send(ctx, text(200, name), keepAlive), ms, TimeUnit.MILLISECONDS);
      } else if (path.startsWith("/bytes/")) {
        stream(ctx, Long.parseLong(path.substring(7)), keepAlive);
      } else if (path.equals("/sink") || path.equals("/slow-sink")) {
        send(ctx, text(200, Long.toString(bodyBytes)), keepAlive);
      } else if (path.equals("/reset-chunked")) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.write(head);
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[100])))
            .addListener(ChannelFutureListener.CLOSE);
      } else if (path.equals("/reset")) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 1000);
        ctx.write(head);
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[100])))
            .addListener(ChannelFutureListener.CLOSE);
      } else if (path.startsWith("/chunked/")) {
        chunked(ctx, Integer.parseInt(path.substring(9)), keepAlive);
      } else if (path.equals("/headers")) {
        FullHttpResponse r = text(200, name);
        new QueryStringDecoder(request.uri()).parameters().forEach((k, v) -> r.headers().add(k, v));
        send(ctx, r, keepAlive);
      } else if (path.equals("/early-hints")) {
        FullHttpResponse hints = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(103));
        hints.headers().set("link", "</style.css>; rel=preload");
        ctx.write(hints);
        send(ctx, text(200, name), keepAlive);
      } else if (path.equals("/garbage")) {
        ctx.pipeline().remove(HttpServerCodec.class);
        ctx.writeAndFlush(Unpooled.copiedBuffer("SPDY/9 what\r\n\r\n", StandardCharsets.US_ASCII))
            .addListener(ChannelFutureListener.CLOSE);
      } else if (path.equals("/hangup-next")) {
        hangUpOnNext = true;
        send(ctx, text(200, name), keepAlive);
      } else if (path.equals("/hangup")) {
        ctx.close();
      } else if (path.equals("/close-quietly")) {
        ctx.writeAndFlush(text(200, name)).addListener(ChannelFutureListener.CLOSE);
      } else if (path.equals("/close")) {
        FullHttpResponse r = text(200, name);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
      } else {
        send(ctx, text(200, name), keepAlive);
      }
    }

    private void chunked(ChannelHandlerContext ctx, int total, boolean keepAlive) {
      HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      HttpUtil.setTransferEncodingChunked(head, true);
      head.headers().set("x-backend", name);
      ctx.write(head);
      int first = total / 3;
      int second = total / 3;
      ctx.write(new DefaultHttpContent(Unpooled.buffer(first).writeZero(first)));
      ctx.write(new DefaultHttpContent(Unpooled.buffer(second).writeZero(second)));
      int last = total - first - second;
      ctx.writeAndFlush(new DefaultLastHttpContent(Unpooled.buffer(last).writeZero(last)))
          .addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
    }

    private void stream(ChannelHandlerContext ctx, long total, boolean keepAlive) {
      HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      head.headers().set(HttpHeaderNames.CONTENT_LENGTH, total);
      ctx.write(head);
      new Object() {
        long left = total;

        void next() {
          while (left > 0 && ctx.channel().isWritable()) {
            int n = (int) Math.min(64 * 1024, left);
            left -= n;
            ByteBuf chunk = ctx.alloc().buffer(n).writeZero(n);
            ctx.write(new DefaultHttpContent(chunk));
            bytesWritten.addAndGet(n);
          }
          if (left == 0) {
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                .addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
          } else {
            ctx.flush();
            ctx.channel().eventLoop().execute(this::waitWritable);
          }
        }

        void waitWritable() {
          if (!ctx.channel().isActive()) {
            return;
          }
          if (ctx.channel().isWritable()) {
            next();
          } else {
            ctx.channel().eventLoop().schedule(this::waitWritable, 1, TimeUnit.MILLISECONDS);
          }
        }
      }.next();
    }

    private FullHttpResponse text(int status, String body) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      FullHttpResponse r =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(bytes));
      r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
      r.headers().set("x-backend", name);
      return r;
    }

    private void send(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
      if (!keepAlive) {
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
      } else {
        ctx.writeAndFlush(r);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
