package io.sluice.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.sluice.config.HostPort;
import io.sluice.proxy.ProxyServer;
import io.sluice.proxy.Transport;
import io.sluice.store.ResourceStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The admin interface, on its own event loop so that admin work never competes with traffic:
 * Envoy's paths ({@code /ready}, {@code /runtime}, {@code /runtime_modify}, {@code /config_dump},
 * {@code /clusters}, {@code /listeners}, {@code /stats}, {@code /stats/prometheus}, {@code
 * /reset_counters}, {@code /quitquitquit}) plus {@code /route}, which explains a routing decision
 * with the code the data plane runs, {@code /stats/window}, the traffic windows {@code sluice stat}
 * shows, and {@code /apis/...}, where resources are applied, listed and deleted. Loopback only
 * unless told otherwise.
 */
public final class AdminServer implements AutoCloseable {
  private final EventLoopGroup group;
  private final Channel channel;

  /**
   * Starts the admin interface on {@code address}.
   *
   * @param onQuit what {@code POST /quitquitquit} does (drain and exit, in the CLI)
   */
  public AdminServer(HostPort address, ProxyServer proxy, Runnable onQuit) throws IOException {
    this(address, proxy, null, onQuit);
  }

  /**
   * Starts the admin interface on {@code address}, with the resource paths ({@code /apis/...})
   * when {@code store} is not null.
   *
   * @param onQuit what {@code POST /quitquitquit} does (drain and exit, in the CLI)
   */
  public AdminServer(HostPort address, ProxyServer proxy, ResourceStore store, Runnable onQuit) throws IOException {
    Transport transport = Transport.best();
    this.group = transport.newGroup(1, "sluice-admin");
    AdminHandler handler = new AdminHandler(proxy, store, onQuit);
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(transport.serverChannel())
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        // Room for a large resource stream (kubectl's limit is 3 MiB per object).
                        .addLast(new HttpObjectAggregator(16 * 1024 * 1024))
                        .addLast(handler);
                  }
                });
    ChannelFuture f = b.bind(address.host(), address.port()).awaitUninterruptibly();
    if (!f.isSuccess()) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IOException("cannot listen on " + address + " (admin): " + f.cause().getMessage(), f.cause());
    }
    this.channel = f.channel();
  }

  /** The address the admin interface is bound to. */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
