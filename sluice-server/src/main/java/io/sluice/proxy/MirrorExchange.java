package io.sluice.proxy;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.cluster.LoadBalancer;
import io.sluice.cluster.OutlierDetector;
import io.sluice.cluster.UpstreamCluster;
import io.sluice.cluster.UpstreamEndpoint;
import io.sluice.route.ForwardAction;
import io.sluice.route.MirrorPolicy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A copy of one forwarded request, sent to a mirror cluster and forgotten (Envoy's request
 * mirroring): the head as finalized for the primary, its host with {@code -shadow} added, and the
 * body duplicated part by part as it streams. The mirror's answer is read and dropped.
 *
 * <p>A mirror never makes the client's request wait: it pauses no read, holds at most a fixed
 * number of bytes, and is not in the access log. When it cannot keep up it is abandoned, its
 * connection closed and the parts it holds released: its connection is not writable when the next
 * part arrives, more than {@link #MAX_PENDING_BYTES} arrive while it connects, its connect fails,
 * or it outlives its timeout. Everything runs on the client connection's event loop, over that
 * loop's {@link UpstreamPool}, so nothing needs a lock.
 */
final class MirrorExchange implements UpstreamListener {
  /**
   * Body bytes held while the mirror's connection opens (Envoy gives a shadow the connection's
   * buffer limit, 1 MiB by default). Once connected, the connection's write watermark is the bound.
   */
  static final int MAX_PENDING_BYTES = 1024 * 1024;

  private final UpstreamPool pool;
  private final UpstreamCluster cluster;
  private final UpstreamEndpoint endpoint;
  private final HttpRequest head;
  private final Duration timeout;
  private final ArrayDeque<HttpContent> pending = new ArrayDeque<>();
  private long pendingBytes;
  private UpstreamConnection connection;
  private ScheduledFuture<?> timer;
  /** The request's last part was handed over (to the connection or to {@link #pending}). */
  private boolean requestComplete;
  /** A final (non-1xx) response head arrived. */
  private boolean finalResponse;
  private boolean done;

  private MirrorExchange(
      UpstreamPool pool, UpstreamCluster cluster, UpstreamEndpoint endpoint, HttpRequest head, Duration timeout) {
    this.pool = pool;
    this.cluster = cluster;
    this.endpoint = endpoint;
    this.head = head;
    this.timeout = timeout;
  }

  /**
   * Starts mirroring {@code request}, whose head is finalized for the primary, to the cluster
   * {@code policy} names; null when there is nothing to mirror to: no cluster name in the request,
   * no such cluster (Envoy skips it too), its {@code max_requests} reached, or no usable endpoint.
   *
   * @param random picks the mirror cluster's endpoint (mixed as the primary's pick is)
   * @param routeTimeout the route's timeout, which the mirror gets too (see {@link #timeoutFor})
   */
  static MirrorExchange start(
      MirrorPolicy policy, ProxiedRequest request, DataPlaneState state, UpstreamPool pool, long random,
      Duration routeTimeout) {
    String name = policy.clusterName(request);
    UpstreamCluster cluster = name == null ? null : state.cluster(name);
    if (cluster == null || !cluster.tryStartRequest()) {
      return null;
    }
    UpstreamEndpoint endpoint = cluster.choose(LoadBalancer.mix(random));
    if (endpoint == null) {
      cluster.endRequest();
      return null;
    }
    endpoint.requestStarted();
    MirrorExchange m =
        new MirrorExchange(pool, cluster, endpoint, copyHead(policy, request.netty(), endpoint), timeoutFor(routeTimeout));
    m.open();
    return m;
  }

  /**
   * The mirror's timeout: the route's, as Envoy gives its shadows, except that a route without one
   * still bounds its mirror by Envoy's default 15 s. A mirror that never hears back must not hold a
   * connection and a request slot forever, and no client is waiting on it.
   */
  static Duration timeoutFor(Duration routeTimeout) {
    return routeTimeout == null || routeTimeout.isZero() ? ForwardAction.DEFAULT_TIMEOUT : routeTimeout;
  }

  private static HttpRequest copyHead(MirrorPolicy policy, HttpRequest primary, UpstreamEndpoint endpoint) {
    HttpRequest copy =
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, primary.method(), primary.uri(), primary.headers().copy());
    String host = primary.headers().get(HttpHeaderNames.HOST);
    copy.headers().set(HttpHeaderNames.HOST, policy.mirrorHost(host != null ? host : Exchange.hostHeader(endpoint)));
    return copy;
  }

  private void open() {
    UpstreamConnection idle = pool.acquireIdle(cluster, endpoint);
    if (idle != null) {
      bind(idle);
      return;
    }
    if (!cluster.tryOpenConnection()) {
      finish(false);
      return;
    }
    pool.connect(cluster, endpoint, new UpstreamPool.ConnectCallback() {
      @Override
      public void connected(UpstreamConnection c) {
        if (done) {
          pool.release(c);
        } else {
          bind(c);
        }
      }

      @Override
      public void failed(Throwable cause) {
        if (!done) {
          cluster.onFailure(endpoint, OutlierDetector.Failure.LOCAL_ORIGIN);
          finish(false);
        }
      }
    });
  }

  private void bind(UpstreamConnection c) {
    connection = c;
    c.exchange = this;
    c.requests++;
    c.channel.write(head);
    HttpContent part;
    while ((part = pending.poll()) != null) {
      c.channel.write(part);
    }
    pendingBytes = 0;
    c.channel.flush();
    c.channel.read();
  }

  /**
   * A part of the request body that the primary is also getting: a duplicate of it (the bytes
   * shared, retained once more) goes to the mirror, or the mirror gives up rather than wait.
   */
  void offer(HttpContent part) {
    if (done || requestComplete) {
      return;
    }
    if (connection == null) {
      pendingBytes += part.content().readableBytes();
      if (pendingBytes > MAX_PENDING_BYTES) {
        finish(false);
        return;
      }
      pending.add(part.retainedDuplicate());
    } else if (!connection.channel.isWritable()) {
      // The mirror reads slower than the client sends: waiting for it would slow the client.
      finish(false);
      return;
    } else {
      connection.channel.writeAndFlush(part.retainedDuplicate(), connection.channel.voidPromise());
    }
    if (part instanceof LastHttpContent) {
      requestComplete = true;
      // As for the primary, the timeout runs from the end of the request, connecting or not.
      timer = pool.loop().schedule(this::onTimeout, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /**
   * The client's request ended without its last part reaching the mirror (the client went away,
   * or the primary answered locally): the mirror's request can never be completed, so it goes.
   * A mirror whose request is whole carries on alone.
   */
  void abandonIfIncomplete() {
    if (!requestComplete) {
      finish(false);
    }
  }

  private void onTimeout() {
    timer = null;
    if (!done) {
      cluster.onFailure(endpoint, OutlierDetector.Failure.LOCAL_ORIGIN);
      finish(false);
    }
  }

  @Override
  public void onUpstreamRead(Object msg) {
    try {
      if (done) {
        return;
      }
      if (msg instanceof HttpResponse r) {
        if (r.decoderResult().isFailure()) {
          cluster.onFailure(endpoint, OutlierDetector.Failure.LOCAL_ORIGIN);
          finish(false);
          return;
        }
        if (r.status().code() >= 200) {
          onResponseHead(r);
        }
      }
      if (finalResponse && msg instanceof LastHttpContent) {
        if (!requestComplete) {
          // Answered before the whole request went: the rest will not follow on this connection.
          connection.doNotReuse = true;
        }
        finish(true);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onResponseHead(HttpResponse r) {
    finalResponse = true;
    int status = r.status().code();
    OutlierDetector.Failure failure = OutlierDetector.ofStatus(status);
    if (failure != null) {
      cluster.onFailure(endpoint, failure);
    } else {
      cluster.onSuccess(endpoint);
    }
    boolean bodyless = HttpMethod.HEAD.equals(head.method()) || status == 204 || status == 304;
    boolean framed = HttpUtil.isContentLengthSet(r) || HttpUtil.isTransferEncodingChunked(r);
    if (!HttpUtil.isKeepAlive(r) || (!framed && !bodyless)) {
      connection.doNotReuse = true;
    }
  }

  @Override
  public void onUpstreamReadComplete() {
    if (!done && connection != null) {
      connection.channel.read();
    }
  }

  @Override
  public void onUpstreamWritable() {
    // Nothing waits for it: a mirror that was not writable when a part came has been abandoned.
  }

  @Override
  public void onUpstreamError(Throwable cause) {
    // The connection closes next; onUpstreamClosed ends the mirror.
  }

  @Override
  public void onUpstreamClosed() {
    if (done) {
      return;
    }
    UpstreamConnection closed = connection;
    connection = null;
    if (closed != null) {
      closed.exchange = null;
    }
    cluster.onFailure(endpoint, OutlierDetector.Failure.LOCAL_ORIGIN);
    finish(false);
  }

  /**
   * Ends the mirror: its connection back to the pool ({@code reuse}, after a whole answer) or
   * closed, the parts it still holds released, its request counts returned.
   */
  private void finish(boolean reuse) {
    if (done) {
      return;
    }
    done = true;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    HttpContent part;
    while ((part = pending.poll()) != null) {
      part.release();
    }
    pendingBytes = 0;
    UpstreamConnection c = connection;
    connection = null;
    if (c != null) {
      if (reuse) {
        pool.release(c);
      } else {
        c.doNotReuse = true;
        c.exchange = null;
        c.channel.close();
      }
    }
    endpoint.requestEnded();
    cluster.endRequest();
  }
}
