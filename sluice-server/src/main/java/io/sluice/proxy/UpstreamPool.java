package io.sluice.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.cluster.UpstreamCluster;
import io.sluice.cluster.UpstreamEndpoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The upstream connections of one event loop. Every exchange on this loop takes its connection
 * here, and every connection here runs on this loop, so nothing needs a lock (Zuul's and Netty's
 * proxy examples do the same). Idle connections are reused most-recently-used first, and closed
 * when idle too long, too old, or when their cluster was removed.
 */
final class UpstreamPool {
  /** Outcome of a connection attempt. */
  interface ConnectCallback {
    void connected(UpstreamConnection connection);

    void failed(Throwable cause);
  }

  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final LongSupplier clock;
  private final Map<UpstreamEndpoint, ArrayDeque<UpstreamConnection>> idle = new HashMap<>();
  private final ScheduledFuture<?> sweeper;

  UpstreamPool(EventLoop loop, Transport transport, LongSupplier clock, int maxResponseHeaderBytes) {
    this.loop = loop;
    this.clock = clock;
    this.bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(transport.clientChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast("codec", new HttpClientCodec(8192, maxResponseHeaderBytes, 64 * 1024, false, true))
                        .addLast("upstream", new UpstreamHandler(UpstreamPool.this));
                  }
                });
    this.sweeper = loop.scheduleAtFixedRate(this::sweep, 1, 1, TimeUnit.SECONDS);
  }

  /** An idle, open, unexpired connection to {@code endpoint} of {@code cluster}, or null. */
  UpstreamConnection acquireIdle(UpstreamCluster cluster, UpstreamEndpoint endpoint) {
    ArrayDeque<UpstreamConnection> q = idle.get(endpoint);
    if (q == null) {
      return null;
    }
    long now = clock.getAsLong();
    UpstreamConnection c;
    while ((c = q.pollLast()) != null) {
      if (c.channel.isActive() && c.cluster == cluster && !expired(c, now)) {
        return c;
      }
      c.channel.close();
    }
    return null;
  }

  /** Opens a connection to {@code endpoint}; the callback runs on this loop. */
  void connect(UpstreamCluster cluster, UpstreamEndpoint endpoint, ConnectCallback callback) {
    long timeoutMillis = Math.max(1, Math.min(Integer.MAX_VALUE, cluster.connectTimeout().toMillis()));
    if (DataPlaneStats.RECORDING) {
      cluster.stats().cxTotal.inc();
    }
    ChannelFuture f =
        bootstrap.clone().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeoutMillis).connect(endpoint.address());
    f.addListener(
        (ChannelFuture done) -> {
          if (done.isSuccess()) {
            UpstreamConnection c = new UpstreamConnection(done.channel(), cluster, endpoint, clock.getAsLong());
            done.channel().pipeline().get(UpstreamHandler.class).connection = c;
            endpoint.connectionOpened();
            callback.connected(c);
          } else {
            endpoint.connectFailed();
            cluster.connectionClosed();
            if (DataPlaneStats.RECORDING) {
              cluster.stats().cxConnectFail.inc();
            }
            callback.failed(done.cause());
          }
        });
  }

  /** Takes back a connection whose exchange is over: pooled when reusable, else closed. */
  void release(UpstreamConnection c) {
    c.exchange = null;
    long now = clock.getAsLong();
    if (c.doNotReuse || !c.channel.isActive() || c.cluster.retired() || expired(c, now)) {
      c.channel.close();
      return;
    }
    c.lastUsedNanos = now;
    idle.computeIfAbsent(c.endpoint, e -> new ArrayDeque<>()).addLast(c);
    // Keep reading while idle so that a close from the upstream is noticed at once.
    c.channel.read();
  }

  /** Drops a closed connection from the idle lists. */
  void forget(UpstreamConnection c) {
    ArrayDeque<UpstreamConnection> q = idle.get(c.endpoint);
    if (q != null) {
      q.remove(c);
      if (q.isEmpty()) {
        idle.remove(c.endpoint);
      }
    }
  }

  /** Whether the connection outlived its cluster's idle timeout or maximum age (zero: no limit). */
  private boolean expired(UpstreamConnection c, long now) {
    UpstreamCluster cluster = c.cluster;
    long idle = cluster.idleTimeout().toNanos();
    long maxAge = cluster.maxConnectionDuration().toNanos();
    return (idle > 0 && now - c.lastUsedNanos >= idle) || (maxAge > 0 && now - c.createdNanos >= maxAge);
  }

  /** Closes idle connections that expired or belong to a removed cluster. */
  private void sweep() {
    long now = clock.getAsLong();
    List<UpstreamConnection> toClose = new ArrayList<>();
    for (ArrayDeque<UpstreamConnection> q : idle.values()) {
      for (Iterator<UpstreamConnection> it = q.iterator(); it.hasNext(); ) {
        UpstreamConnection c = it.next();
        if (!c.channel.isActive() || c.cluster.retired() || expired(c, now)) {
          it.remove();
          toClose.add(c);
        }
      }
    }
    idle.values().removeIf(ArrayDeque::isEmpty);
    for (UpstreamConnection c : toClose) {
      c.channel.close();
    }
  }

  /** Closes every idle connection (shutdown). Must run on this loop. */
  void closeIdle() {
    for (ArrayDeque<UpstreamConnection> q : idle.values()) {
      for (UpstreamConnection c : q) {
        c.channel.close();
      }
    }
    idle.clear();
  }

  /** Stops the sweeper and closes idle connections. */
  void shutdown() {
    sweeper.cancel(false);
    if (loop.inEventLoop()) {
      closeIdle();
    } else {
      loop.execute(this::closeIdle);
    }
  }

  /** The number of idle connections (for tests and /clusters). Must run on this loop. */
  int idleCount() {
    int n = 0;
    for (ArrayDeque<UpstreamConnection> q : idle.values()) {
      n += q.size();
    }
    return n;
  }

  EventLoop loop() {
    return loop;
  }
}
