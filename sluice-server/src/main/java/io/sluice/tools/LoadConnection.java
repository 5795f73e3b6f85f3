package io.sluice.tools;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive connection of a load, one request at a time: connects when it has none (at the
 * start, or after the server closed it), writes the request, reads the answer, and tells its lane
 * how it went. A request counts as failed when the connection cannot be made, is lost before the
 * answer is complete, the answer is not HTTP, or the timeout passes (the connection is then
 * closed: a late answer must not be taken for the next request's). Runs on its lane's event loop.
 */
final class LoadConnection {
  private final LoadLane lane;
  private final Bootstrap bootstrap;
  private final SocketAddress address;
  private final ByteBuf request;
  private final long timeoutNanos;
  private Channel channel;
  private ChannelFuture connecting;
  private boolean busy;
  private long intended;
  private ScheduledFuture<?> timeout;
  private int status;
  private boolean keepAlive;
  private final byte[] prefix = new byte[BodyLabel.PREFIX_BYTES];
  private int prefixLength;
  private long bodyLength;
  // The previous answer's body and label: a backend answers the same body again and again.
  private final byte[] lastPrefix = new byte[BodyLabel.PREFIX_BYTES];
  private int lastPrefixLength = -1;
  private long lastBodyLength;
  private String lastLabel;

  LoadConnection(LoadLane lane, Bootstrap bootstrap, SocketAddress address, ByteBuf request, long timeoutNanos) {
    this.lane = lane;
    this.bootstrap = bootstrap;
    this.address = address;
    this.request = request;
    this.timeoutNanos = timeoutNanos;
  }

  /** The decoder for this connection's answers; {@code head}: answers to HEAD have no body whatever they say. */
  static HttpResponseDecoder decoder(boolean head) {
    return new HttpResponseDecoder(8192, 64 * 1024, 64 * 1024) {
      @Override
      protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        return head || super.isContentAlwaysEmpty(msg);
      }
    };
  }

  /** Connects ahead of the first request; the future completes either way. */
  ChannelFuture connect() {
    connecting = bootstrap.clone().handler(new LoadInitializer(this)).connect(address);
    channel = connecting.channel();
    return connecting;
  }

  /** Sends the request intended at {@code intendedNanos}, connecting first if need be. */
  void send(long intendedNanos) {
    busy = true;
    intended = intendedNanos;
    status = 0;
    prefixLength = 0;
    bodyLength = 0;
    timeout = lane.loop().schedule(this::timedOut, timeoutNanos, TimeUnit.NANOSECONDS);
    if (channel != null && channel.isActive()) {
      write();
      return;
    }
    if (channel == null || !channel.isOpen()) {
      connect();
    }
    // Connecting still (the first request may come before the connection made at the start is up).
    Channel ch = channel;
    connecting.addListener(done -> {
      if (!busy || channel != ch) {
        return;
      }
      if (done.isSuccess() && ch.isActive()) {
        write();
      } else {
        fail();
      }
    });
  }

  private void write() {
    channel.writeAndFlush(request.duplicate()).addListener(w -> {
      if (!w.isSuccess()) {
        fail();
      }
    });
  }

  void handle(HttpObject msg) {
    if (!busy) {
      // An answer nobody asked for: the connection is out of step; start afresh.
      closeChannel();
      return;
    }
    if (msg.decoderResult().isFailure()) {
      fail();
      return;
    }
    if (msg instanceof HttpResponse r) {
      status = r.status().code();
      keepAlive = HttpUtil.isKeepAlive(r);
    }
    if (status >= 100 && status < 200) {
      // An interim answer (100 Continue, 103 Early Hints): the real one follows.
      return;
    }
    if (msg instanceof HttpContent c) {
      ByteBuf content = c.content();
      int n = content.readableBytes();
      int keep = Math.min(n, prefix.length - prefixLength);
      if (keep > 0) {
        content.getBytes(content.readerIndex(), prefix, prefixLength, keep);
        prefixLength += keep;
      }
      bodyLength += n;
      if (msg instanceof LastHttpContent) {
        complete();
      }
    }
  }

  private void complete() {
    long now = System.nanoTime();
    busy = false;
    timeout.cancel(false);
    if (!keepAlive) {
      closeChannel();
    }
    lane.answered(this, status, label(), now - intended);
  }

  private String label() {
    if (prefixLength != lastPrefixLength || bodyLength != lastBodyLength
        || !Arrays.equals(prefix, 0, prefixLength, lastPrefix, 0, prefixLength)) {
      lastLabel = BodyLabel.of(prefix, prefixLength, bodyLength);
      System.arraycopy(prefix, 0, lastPrefix, 0, prefixLength);
      lastPrefixLength = prefixLength;
      lastBodyLength = bodyLength;
    }
    return lastLabel;
  }

  private void timedOut() {
    if (busy) {
      fail();
    }
  }

  /** The request failed: no answer will be taken from this connection, which is closed. */
  private void fail() {
    if (!busy) {
      return;
    }
    busy = false;
    timeout.cancel(false);
    closeChannel();
    lane.failed(this);
  }

  private void closeChannel() {
    if (channel != null) {
      Channel ch = channel;
      channel = null;
      ch.close();
    }
  }

  void channelClosed(Channel ch) {
    if (ch == channel) {
      if (busy) {
        fail();
      } else {
        channel = null;
      }
    }
  }

  /** Closes the connection (the load is over). */
  void close() {
    closeChannel();
  }

  /** Assembles the pipeline: the answer decoder, then the handler that hands answers to the connection. */
  private static final class LoadInitializer extends io.netty.channel.ChannelInitializer<Channel> {
    private final LoadConnection connection;

    LoadInitializer(LoadConnection connection) {
      this.connection = connection;
    }

    @Override
    protected void initChannel(Channel ch) {
      ch.pipeline().addLast("decoder", decoder(connection.lane.head())).addLast("load", new AnswerHandler(connection));
    }
  }

  /** Passes decoded answers to the connection; says when the socket closes. */
  private static final class AnswerHandler extends ChannelInboundHandlerAdapter {
    private final LoadConnection connection;

    AnswerHandler(LoadConnection connection) {
      this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (ctx.channel() == connection.channel && msg instanceof HttpObject o) {
          connection.handle(o);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      connection.channelClosed(ctx.channel());
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // A reset, most often; channelInactive follows and fails the request in flight.
      ctx.close();
    }
  }
}
