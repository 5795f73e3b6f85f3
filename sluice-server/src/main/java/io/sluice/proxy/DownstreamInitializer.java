package io.sluice.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.sluice.config.ListenerSpec;

/**
 * Assembles a client connection's pipeline, and only that: the request decoder (smuggling-safe,
 * with the listener's header size limit), the HEAD-aware response encoder, {@code Expect:
 * 100-continue} handling, and the handler that runs exchanges.
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
    ChannelPipeline p = ch.pipeline();
    int maxHeaderBytes = listener.http().maxRequestHeadersKb() * 1024;
    ResponseEncoder encoder = new ResponseEncoder();
    p.addLast("decoder", new RequestDecoder(16 * 1024, maxHeaderBytes, 64 * 1024));
    p.addLast("encoder", encoder);
    p.addLast("expect-continue", new HttpServerExpectContinueHandler());
    p.addLast("proxy", new DownstreamHandler(server, listener, server.pool(ch.eventLoop()), encoder));
  }
}
