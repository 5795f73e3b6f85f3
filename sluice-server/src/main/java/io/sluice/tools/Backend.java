package io.sluice.tools;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.sluice.proxy.Transport;
import io.sluice.route.RandomSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A test backend, {@code sluice backend} as a library: an HTTP/1.1 server on one or more ports
 * answering every request with its text (or, in echo mode, a description of the request), failing
 * a share of them with 500 and waiting a given latency on its event loops. {@link #start} returns
 * once every port is bound; {@link #close} closes the ports and every connection.
 */
public final class Backend implements AutoCloseable {
  private final BackendOptions options;
  private final EventLoopGroup group;
  private final List<Channel> listeners;
  private final LongAdder requests;
  private final Transport transport;

  private Backend(BackendOptions options, EventLoopGroup group, List<Channel> listeners, LongAdder requests,
      Transport transport) {
    this.options = options;
    this.group = group;
    this.listeners = listeners;
    this.requests = requests;
    this.transport = transport;
  }

  /** Starts a backend drawing its failures and jitter from each event loop's own random generator. */
  public static Backend start(BackendOptions options) throws IOException {
    return start(options, RandomSource.threadLocal());
  }

  /**
   * Starts a backend; {@code random} decides which requests fail and how much jitter each gets (it
   * is called on the event loops, so it must be safe to call from several threads when {@code
   * threads} is more than one).
   *
   * @throws IOException when a port cannot be bound (nothing is left listening)
   */
  public static Backend start(BackendOptions options, RandomSource random) throws IOException {
    Transport transport = Transport.best();
    EventLoopGroup group = transport.newGroup(options.threads(), "sluice-backend");
    LongAdder requests = new LongAdder();
    List<Channel> listeners = new ArrayList<>();
    try {
      for (int port : options.ports()) {
        listeners.add(bind(options, random, requests, transport, group, port));
      }
    } catch (IOException | RuntimeException e) {
      listeners.forEach(Channel::close);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      throw e;
    }
    return new Backend(options, group, List.copyOf(listeners), requests, transport);
  }

  private static Channel bind(BackendOptions options, RandomSource random, LongAdder requests, Transport transport,
      EventLoopGroup group, int port) throws IOException {
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new BackendInitializer(options, random, requests));
    ChannelFuture f = b.bind(options.host(), port).awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new IOException("cannot listen on " + options.host() + ":" + port + ": " + f.cause().getMessage(), f.cause());
    }
    return f.channel();
  }

  public BackendOptions options() {
    return options;
  }

  /** The addresses listened on, in the order of {@link BackendOptions#ports()}. */
  public List<InetSocketAddress> addresses() {
    return listeners.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
  }

  /** The ports listened on (the real ones where 0 was asked for), in the order of {@link BackendOptions#ports()}. */
  public List<Integer> ports() {
    return addresses().stream().map(InetSocketAddress::getPort).toList();
  }

  /** The first port listened on. */
  public int port() {
    return ports().get(0);
  }

  /** Requests read completely so far (answered, or waiting to be). */
  public long requests() {
    return requests.sum();
  }

  /** The socket transport in use ({@code epoll} or {@code nio}). */
  public String transport() {
    return transport.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Stops listening, closes every connection and stops the event loops; returns when all are gone. */
  @Override
  public void close() {
    for (Channel l : listeners) {
      l.close().awaitUninterruptibly();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
