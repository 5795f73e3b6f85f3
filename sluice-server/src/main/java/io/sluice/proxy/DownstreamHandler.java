package io.sluice.proxy;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.config.ListenerSpec;
import io.sluice.route.RandomSource;
import io.sluice.stats.HttpStats;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of a client connection: runs one {@link Exchange} at a time. Reading is manual:
 * between requests Sluice reads the next one; during a request the exchange decides; a client that
 * pipelines gets its next request served only when the previous response is complete (what Netty
 * decoded in the meantime waits here, bounded by the one read an exchange makes while it awaits
 * its response). After a response that ends the connection, nothing more is served.
 */
final class DownstreamHandler extends ChannelInboundHandlerAdapter {
  private final ProxyServer server;
  private final String listenerName;
  private final UpstreamPool pool;
  private final ResponseEncoder encoder;
  private final ArrayDeque<Object> pipelined = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private Exchange exchange;
  private boolean draining;
  /** The connection closes after the current response: nothing more is read or served. */
  private boolean closing;
  /** exchangeDone is working through the pipelined requests (it must not recurse into itself). */
  private boolean servingPipelined;
  private ListenerSpec acceptedBy;
  /** The statistics of {@link #statsListener}'s stat prefix, looked up when the listener changes. */
  private HttpStats httpStats;
  private ListenerSpec statsListener;
  /** The statistics this connection was counted in when it opened, to count it out there. */
  private HttpStats openedIn;
  /**
   * The connection's one timer, for its exchange's route timeout: it runs at {@link #timerAt} or
   * earlier than the exchange's deadline, and is moved only when a deadline comes sooner, so a
   * keep-alive connection schedules about one task per timeout period instead of one per request.
   */
  private ScheduledFuture<?> timer;
  private long timerAt;
  private String clientAddress;

  DownstreamHandler(ProxyServer server, ListenerSpec listener, UpstreamPool pool, ResponseEncoder encoder) {
    this.server = server;
    this.listenerName = listener.name();
    this.acceptedBy = listener;
    this.pool = pool;
    this.encoder = encoder;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    server.connectionOpened(this);
    if (DataPlaneStats.RECORDING) {
      openedIn = httpStats(acceptedBy);
      openedIn.connectionOpened();
    }
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      ReferenceCountUtil.release(msg);
    } else if (exchange != null && exchange.accepting()) {
      if (msg instanceof HttpContent part) {
        exchange.onDownstreamContent(part);
      } else {
        pipelined.add(msg);
      }
    } else if (exchange != null) {
      pipelined.add(msg);
    } else {
      dispatch(msg);
    }
  }

  private void dispatch(Object msg) {
    if (msg instanceof HttpRequest request) {
      // The exchange is current before it begins: a request answered at once (rejected, no route)
      // ends inside begin(), and exchangeDone must recognise it to close or go on to the next one.
      Exchange e = Exchange.create(this, ctx, request);
      exchange = e;
      e.begin();
    } else {
      // Body bytes with no request in progress (left over after a rejected request): dropped.
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (closing) {
      return;
    }
    if (exchange != null) {
      exchange.onDownstreamReadComplete();
    } else if (ctx.channel().isActive()) {
      ctx.read();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (exchange != null && ctx.channel().isWritable()) {
      exchange.onDownstreamWritable();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    server.connectionClosed(this);
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    if (openedIn != null) {
      openedIn.connectionClosed();
      openedIn = null;
    }
    if (exchange != null) {
      Exchange e = exchange;
      exchange = null;
      e.onDownstreamClosed();
    }
    releasePipelined();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  /** The client's IP address as text, made once per connection. */
  String clientAddress() {
    String a = clientAddress;
    if (a == null) {
      a = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
      clientAddress = a;
    }
    return a;
  }

  /** The current exchange's route timeout runs until {@code deadline} ({@link System#nanoTime}). */
  void armTimer(long deadline) {
    if (timer != null) {
      if (deadline - timerAt >= 0) {
        return;
      }
      timer.cancel(false);
    }
    schedule(deadline);
  }

  private void schedule(long deadline) {
    timerAt = deadline;
    timer = ctx.executor().schedule(this::onTimer, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  private void onTimer() {
    timer = null;
    Exchange e = exchange;
    if (e == null) {
      return;
    }
    long next = e.onTimer(System.nanoTime());
    if (next != 0 && timer == null) {
      schedule(next);
    }
  }

  /** The exchange finished: the next request, or the end of the connection. */
  void exchangeDone(Exchange e, boolean keepAlive) {
    if (exchange != e) {
      return;
    }
    exchange = null;
    if (!keepAlive || draining) {
      // Nothing after this exchange is processed, not even requests already read (RFC 9112 9.6).
      closing = true;
      releasePipelined();
      ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (servingPipelined) {
      // Called from an exchange that the loop below started and that ended at once: the loop,
      // further up the stack, goes on with the next request.
      return;
    }
    servingPipelined = true;
    try {
      Object next;
      while (exchange == null && !closing && (next = pipelined.poll()) != null) {
        dispatch(next);
        while (exchange != null && exchange.accepting() && pipelined.peek() instanceof HttpContent part) {
          pipelined.poll();
          exchange.onDownstreamContent(part);
        }
      }
    } finally {
      servingPipelined = false;
    }
    if (closing) {
      return;
    }
    if (exchange == null) {
      ctx.read();
    } else {
      exchange.onDownstreamReadComplete();
    }
  }

  private void releasePipelined() {
    Object msg;
    while ((msg = pipelined.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
  }

  /** The exchange ended by closing the connection. */
  void exchangeAborted(Exchange e) {
    if (exchange == e) {
      exchange = null;
    }
  }

  /** Starts draining: finish the current exchange, then close; close now when idle. */
  void drain() {
    ctx.executor().execute(() -> {
      draining = true;
      if (exchange == null) {
        ctx.close();
      }
    });
  }

  boolean draining() {
    return draining;
  }

  boolean idle() {
    return exchange == null;
  }

  DataPlaneState state() {
    return server.state();
  }

  /** This connection's listener in {@code state}; the one it was accepted by if a reload removed it. */
  ListenerSpec listener(DataPlaneState state) {
    ListenerSpec current = state.listener(listenerName);
    if (current != null) {
      acceptedBy = current;
      return current;
    }
    return acceptedBy;
  }

  RandomSource random() {
    return server.random();
  }

  DataPlaneStats stats() {
    return server.stats();
  }

  /** The {@code http.<stat_prefix>.*} statistics of {@code listener}. */
  HttpStats httpStats(ListenerSpec listener) {
    if (listener != statsListener) {
      statsListener = listener;
      httpStats = server.stats().registry().http(listener.statPrefix());
    }
    return httpStats;
  }

  UpstreamPool pool() {
    return pool;
  }

  ResponseEncoder encoder() {
    return encoder;
  }

  AccessLog accessLog() {
    return server.accessLog();
  }
}
