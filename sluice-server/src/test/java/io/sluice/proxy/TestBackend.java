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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 *   <li>{@code /reset}: sends headers and part of a body, then closes the connection;
 *   <li>{@code /close}: answers with {@code Connection: close} and closes.
 * </ul>
 *
 * It counts requests and accepted connections, for the tests that check pooling.
 */
final class TestBackend implements AutoCloseable {
  private final String name;
  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final Channel channel;
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger connections = new AtomicInteger();

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

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Handler extends ChannelInboundHandlerAdapter {
    private HttpRequest request;
    private long bodyBytes;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest r) {
        request = r;
        bodyBytes = 0;
        requests.incrementAndGet();
      }
      if (msg instanceof HttpContent c) {
        bodyBytes += c.content().readableBytes();
      }
      ReferenceCountUtil.release(msg);
      if (msg instanceof LastHttpContent) {
        respond(ctx);
      }
    }

    private void respond(ChannelHandlerContext ctx) {
      String path = new QueryStringDecoder(request.uri()).path();
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      if (path.equals("/echo")) {
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
      } else if (path.equals("/sink")) {
        send(ctx, text(200, Long.toString(bodyBytes)), keepAlive);
      } else if (path.equals("/reset")) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 1000);
        ctx.write(head);
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[100])))
            .addListener(ChannelFutureListener.CLOSE);
      } else if (path.equals("/close")) {
        FullHttpResponse r = text(200, name);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
      } else {
        send(ctx, text(200, name), keepAlive);
      }
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
