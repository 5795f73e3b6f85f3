package io.sluice.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an upstream connection: hands what the upstream sends to the exchange the
 * connection carries. An idle pooled connection that receives anything, or closes, leaves the
 * pool.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
  private final UpstreamPool pool;
  UpstreamConnection connection;

  UpstreamHandler(UpstreamPool pool) {
    this.pool = pool;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    UpstreamListener exchange = connection == null ? null : connection.exchange;
    if (exchange == null) {
      // Nothing was asked: an idle connection must stay silent.
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    exchange.onUpstreamRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    UpstreamListener exchange = connection == null ? null : connection.exchange;
    if (exchange != null) {
      exchange.onUpstreamReadComplete();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    UpstreamListener exchange = connection == null ? null : connection.exchange;
    if (exchange != null && ctx.channel().isWritable()) {
      exchange.onUpstreamWritable();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (connection == null) {
      return;
    }
    connection.endpoint.connectionClosed();
    connection.cluster.connectionClosed();
    pool.forget(connection);
    UpstreamListener exchange = connection.exchange;
    if (exchange != null) {
      exchange.onUpstreamClosed();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Protocol errors and resets surface here; closing reports them through channelInactive.
    if (connection != null && connection.exchange != null) {
      connection.exchange.onUpstreamError(cause);
    }
    ctx.close();
  }
}
