package io.sluice.proxy;

import io.netty.channel.Channel;
import io.sluice.cluster.UpstreamCluster;
import io.sluice.cluster.UpstreamEndpoint;

/**
 * One HTTP/1.1 connection to an upstream endpoint, owned by one event loop: either idle in that
 * loop's pool or carrying exactly one exchange.
 */
final class UpstreamConnection {
  final Channel channel;
  final UpstreamCluster cluster;
  final UpstreamEndpoint endpoint;
  final long createdNanos;
  long lastUsedNanos;
  int requests;
  /** The exchange this connection carries (a client's or a mirror's), or null when idle. */
  UpstreamListener exchange;
  /** Set when the connection must not be reused (close-delimited response, error, shutdown). */
  boolean doNotReuse;

  UpstreamConnection(Channel channel, UpstreamCluster cluster, UpstreamEndpoint endpoint, long nowNanos) {
    this.channel = channel;
    this.cluster = cluster;
    this.endpoint = endpoint;
    this.createdNanos = nowNanos;
    this.lastUsedNanos = nowNanos;
  }

  @Override
  public String toString() {
    return cluster.name() + "/" + endpoint + " " + channel.id().asShortText();
  }
}
