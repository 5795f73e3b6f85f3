package io.sluice.testing;

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
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream on a loopback port that says who it is: every answer carries {@code x-backend: NAME}
 * and the name as its body, so a test knows which cluster served a request, and echoes the
 * request's {@code x-tag} header, so a test knows the answer is to its own request. {@code
 * /delay/MS} answers after MS milliseconds (scheduled, no thread blocked); {@code /status/N}
 * answers status N.
 */
public final class NamedBackend implements AutoCloseable {
  private final String name;
  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final Channel channel;
  private final AtomicInteger received = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();

  public NamedBackend(String name) {
    this.name = name;
    this.channel =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
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

  public String name() {
    return name;
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Requests received so far (answered or not yet). */
  public int received() {
    return received.get();
  }

  /** Requests answered so far. */
  public int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      received.incrementAndGet();
      String path = new QueryStringDecoder(request.uri()).path();
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      String tag = request.headers().get("x-tag");
      if (path.startsWith("/delay/")) {
        long ms = Long.parseLong(path.substring("/delay/".length()));
        ctx.executor().schedule(() -> send(ctx, 200, keepAlive, tag), ms, TimeUnit.MILLISECONDS);
      } else if (path.startsWith("/status/")) {
        send(ctx, Integer.parseInt(path.substring("/status/".length())), keepAlive, tag);
      } else {
        send(ctx, 200, keepAlive, tag);
      }
    }

    private void send(ChannelHandlerContext ctx, int status, boolean keepAlive, String tag) {
      requests.incrementAndGet();
      byte[] body = name.getBytes(StandardCharsets.UTF_8);
      FullHttpResponse r =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
      r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
      r.headers().set("x-backend", name);
      if (tag != null) {
        r.headers().set("x-tag", tag);
      }
      if (keepAlive) {
        ctx.writeAndFlush(r);
      } else {
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
