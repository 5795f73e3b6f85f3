package io.sluice.tools;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.sluice.route.RandomSource;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * Assembles a backend connection's pipeline, and only that: Netty's request decoder, then the
 * backend's handler. One per listening port.
 */
final class BackendInitializer extends ChannelInitializer<Channel> {
  private final BackendOptions options;
  private final RandomSource random;
  private final LongAdder requests;
  // Made at the first connection, when the port is known even if 0 was asked for. Two loops may
  // both make it; they make the same thing.
  private volatile TextAnswers text;

  BackendInitializer(BackendOptions options, RandomSource random, LongAdder requests) {
    this.options = options;
    this.random = random;
    this.requests = requests;
  }

  @Override
  protected void initChannel(Channel ch) {
    int port = ((InetSocketAddress) ch.localAddress()).getPort();
    TextAnswers t = text;
    if (t == null) {
      text = t = new TextAnswers(options.bodyFor(port));
    }
    ch.pipeline()
        .addLast("decoder", new HttpRequestDecoder(8192, 16 * 1024, 16 * 1024))
        .addLast("backend", new BackendHandler(options, t, port, random, requests));
  }
}
