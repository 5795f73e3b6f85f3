package io.sluice.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.sluice.config.ListenerSpec;

/**
 * Assembles a client connection's pipeline, and only that: the request decoder (smuggling-safe,
 * with the listener's header size limit), the HEAD-aware response encoder, and the handler that
 * runs exchanges. ({@code Expect: 100-continue} is answered by the exchange when its turn comes,
 * not by Netty's handler on arrival, which would put a pipelined request's 100 Continue before
 * the response to the request ahead of it.)
 */
final class DownstreamInitializer extends ChannelInitializer<Channel> {
  private final ProxyServer server;
  private final ListenerSpec listener;

  DownstreamInitializer(ProxyServer server, ListenerSpec listener) {
    this.server = server;
    this.listener = listener;
  }

  @Override
  protected void initChannel(Channel ch) {
    // The listener as the latest configuration has it (a reload may have changed its options
    // without moving it); the one it was bound with if a reload is removing it.
    ListenerSpec current = server.state().listener(listener.name());
    ListenerSpec listener = current != null ? current : this.listener;
    ChannelPipeline p = ch.pipeline();
    int maxHeaderBytes = listener.http().maxRequestHeadersKb() * 1024;
    ResponseEncoder encoder = new ResponseEncoder();
    p.addLast("decoder", new RequestDecoder(16 * 1024, maxHeaderBytes, 64 * 1024));
    p.addLast("encoder", encoder);
    p.addLast("proxy", new DownstreamHandler(server, listener, server.pool(ch.eventLoop()), encoder));
  }
}
