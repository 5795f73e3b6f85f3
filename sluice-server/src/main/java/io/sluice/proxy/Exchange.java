package io.sluice.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.cluster.UpstreamCluster;
import io.sluice.cluster.OutlierDetector;
import io.sluice.cluster.UpstreamEndpoint;
import io.sluice.config.ListenerSpec;
import io.sluice.route.DirectResponseAction;
import io.sluice.route.FormatContext;
import io.sluice.route.ForwardAction;
import io.sluice.route.Headers;
import io.sluice.route.MirrorPolicy;
import io.sluice.route.RouteResult;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One request and its response, from the request's first line to the response's last byte. It
 * executes the routing decision as is: a local answer (no route, redirect, direct response,
 * errors) or a forward, streaming the body both ways without aggregating it.
 *
 * <p>Everything here runs on the downstream channel's event loop, which is also the loop of the
 * upstream connection, so no state needs a lock. Reads on both sides are manual ({@code autoRead}
 * off): a side is read only while the other side can take what is read, so a slow peer makes
 * Sluice stop reading, never buffer without bound.
 *
 * <p>A forwarded request may also go to mirror clusters ({@link MirrorExchange}); each body part
 * is offered to them before it goes upstream, and they never hold this exchange back.
 */
final class Exchange implements FormatContext, UpstreamListener {
  private final DownstreamHandler downstream;
  private final ChannelHandlerContext ctx;
  private final ProxiedRequest request;
  private final DataPlaneState state;
  private final ListenerSpec listener;
  private final boolean head;
  private final boolean http10;
  private final long random;
  private final long startNanos;
  private final long startMillis;
  /** Body parts that arrived before the upstream connection; null until one does. */
  private ArrayDeque<HttpContent> pendingBody;

  private RouteResult result;
  /** The cluster the route chose (which may not exist), or null. */
  private String clusterName;
  private UpstreamCluster cluster;
  private UpstreamEndpoint endpoint;
  private UpstreamConnection upstream;
  /** The mirrors still fed with the request body; null when none. */
  private List<MirrorExchange> mirrors;
  private boolean clusterRequestCounted;
  private boolean endpointRequestCounted;
  private boolean keepAlive;
  private boolean requestComplete;
  private boolean requestSent;
  private boolean lastPartWritten;
  private boolean responseStarted;
  /** The response head came from the upstream (not a local answer). */
  private boolean upstreamAnswered;
  private boolean responseComplete;
  private boolean skippingInformational;
  private boolean reusedConnection;
  private boolean retried;
  private boolean finished;
  /** When the route's timeout fires ({@link System#nanoTime}), 0 when it is not running. */
  private long timeoutAt;
  private long upstreamStartNanos;
  private int status;
  private String flags = "";
  private long bytesReceived;
  private long bytesSent;
  private HttpResponse response;

  private Exchange(DownstreamHandler downstream, ChannelHandlerContext ctx, HttpRequest msg, DataPlaneState state,
      ListenerSpec listener) {
    this.downstream = downstream;
    this.ctx = ctx;
    this.state = state;
    this.listener = listener;
    this.request = new ProxiedRequest(msg, "http");
    this.head = HttpMethod.HEAD.equals(msg.method());
    this.http10 = msg.protocolVersion().equals(HttpVersion.HTTP_1_0);
    this.keepAlive = HttpUtil.isKeepAlive(msg) && !downstream.draining();
    this.random = downstream.random().nextLong();
    this.startNanos = System.nanoTime();
    this.startMillis = System.currentTimeMillis();
  }

  /** The exchange for a request head just decoded; {@link #begin} starts it. */
  static Exchange create(DownstreamHandler downstream, ChannelHandlerContext ctx, HttpRequest msg) {
    DataPlaneState state = downstream.state();
    return new Exchange(downstream, ctx, msg, state, downstream.listener(state));
  }

  /** Routes the request and answers it or starts forwarding it; it may end before returning. */
  void begin() {
    HttpRequest msg = request.netty();
    if (msg.headers().contains(HttpHeaderNames.TRANSFER_ENCODING) && !onlyChunked(msg)) {
      // Only "chunked" is understood; anything else could be framed differently by the upstream.
      // Checked before the decoder's verdict, as Envoy does: "chunked, identity" is a 501 there,
      // though Netty's decoder already failed it.
      keepAlive = false;
      reply(LocalReply.text(501, "unsupported transfer encoding\n"), ResponseFlags.DOWNSTREAM_PROTOCOL_ERROR);
      return;
    }
    if (msg.decoderResult().isFailure()) {
      rejectMalformed(msg.decoderResult().cause());
      return;
    }
    if (HttpMethod.CONNECT.equals(msg.method())) {
      keepAlive = false;
      reply(LocalReply.text(501, "CONNECT is not supported\n"), "");
      return;
    }
    if (request.authority() == null && !http10) {
      keepAlive = false;
      reply(LocalReply.text(400, "missing host header\n"), ResponseFlags.DOWNSTREAM_PROTOCOL_ERROR);
      return;
    }
    if (HttpUtil.is100ContinueExpected(msg)) {
      // As Envoy does by default: the proxy answers 100 Continue itself, at once, and the
      // upstream never sees the expectation (the body follows the request head without waiting).
      msg.headers().remove(HttpHeaderNames.EXPECT);
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    // Hop-by-hop headers go before anything else looks at the request or adds to it: routing
    // does not see them, and a client's Connection cannot name a header Sluice adds (its
    // x-forwarded-for, x-request-id or a route's request_headers_to_add) for removal.
    HopByHopHeaders.remove(msg.headers());
    ForwardedHeaders.prepare(request, listener, downstream.clientAddress());
    result = listener.routes().route(request, random, state.runtime());
    switch (result.kind()) {
      case NO_ROUTE -> reply(LocalReply.text(404, LocalReply.NO_ROUTE), ResponseFlags.NO_ROUTE);
      case REDIRECT -> {
        result.finalizeRequestHeaders(request, this, false);
        FullHttpResponse r = LocalReply.bytes(result.responseCode(), new byte[0], false);
        r.headers().set(HttpHeaderNames.LOCATION, result.location(request));
        result.finalizeResponseHeaders(new ResponseHeaders(r), this);
        reply(r, "");
      }
      case DIRECT_RESPONSE -> {
        DirectResponseAction d = result.directResponse();
        FullHttpResponse r = LocalReply.bytes(d.status(), d.body(), true);
        if (result.sendsLocation()) {
          r.headers().set(HttpHeaderNames.LOCATION, result.location(request));
        }
        result.finalizeResponseHeaders(new ResponseHeaders(r), this);
        reply(r, "");
      }
      case FORWARD -> forward();
    }
  }

  /** Whether the request's one {@code Transfer-Encoding} is exactly {@code chunked}. */
  private static boolean onlyChunked(HttpRequest msg) {
    List<String> te = msg.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    return te.size() == 1 && te.get(0).trim().equalsIgnoreCase("chunked");
  }

  private void rejectMalformed(Throwable cause) {
    keepAlive = false;
    int code = 400;
    if (cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException) {
      code = 431;
    } else if (cause instanceof io.netty.handler.codec.http.TooLongHttpLineException) {
      code = 414;
    }
    requestComplete = true;
    reply(LocalReply.text(code, code == 400 ? LocalReply.BAD_REQUEST : "request header too large\n"),
        ResponseFlags.DOWNSTREAM_PROTOCOL_ERROR);
  }

  // ---- forwarding

  private void forward() {
    String name = result.clusterName(request);
    clusterName = name == null || name.isEmpty() ? null : name;
    if (name != null && name.startsWith(ForwardAction.INVALID_BACKEND_PREFIX)) {
      reply(LocalReply.text(result.clusterNotFoundCode(), LocalReply.invalidBackend(name)), ResponseFlags.NO_CLUSTER);
      return;
    }
    cluster = name == null || name.isEmpty() ? null : state.cluster(name);
    if (cluster == null) {
      reply(LocalReply.text(result.clusterNotFoundCode(), LocalReply.NO_CLUSTER), ResponseFlags.NO_CLUSTER);
      return;
    }
    if (!cluster.tryStartRequest()) {
      reply(LocalReply.text(503, LocalReply.OVERFLOW), ResponseFlags.UPSTREAM_OVERFLOW);
      return;
    }
    clusterRequestCounted = true;
    result.finalizeRequestHeaders(request, this, true);
    HttpRequest out = request.netty();
    out.setProtocolVersion(HttpVersion.HTTP_1_1);
    endpoint = cluster.choose(io.sluice.cluster.LoadBalancer.mix(random));
    if (endpoint == null) {
      reply(LocalReply.text(503, LocalReply.NO_HEALTHY_UPSTREAM), ResponseFlags.NO_HEALTHY_UPSTREAM);
      return;
    }
    endpoint.requestStarted();
    endpointRequestCounted = true;
    // Mirrors get the headers as finalized, before the endpoint's own host rewrite (as in Envoy).
    startMirrors();
    if (result.forward().autoHostRewrite() && endpoint.hostname() != null) {
      request.set(":authority", endpoint.hostname());
    }
    if (!out.headers().contains(HttpHeaderNames.HOST)) {
      // An HTTP/1.0 request may come without Host; HTTP/1.1 requires one upstream, so it gets the
      // endpoint's, as a client connecting there directly would send.
      out.headers().set(HttpHeaderNames.HOST, hostHeader(endpoint));
    }
    UpstreamConnection idle = downstream.pool().acquireIdle(cluster, endpoint);
    if (idle != null) {
      reusedConnection = true;
      bind(idle);
    } else {
      connect();
    }
  }

  /**
   * Starts a mirror for each of the route's mirror policies that fires for this request. Envoy
   * decides with the request's one random value, the same for every policy (its stream id).
   */
  private void startMirrors() {
    List<MirrorPolicy> policies = result.mirrorPolicies();
    for (int i = 0, n = policies.size(); i < n; i++) {
      MirrorPolicy p = policies.get(i);
      if (!p.fires(random, state.runtime())) {
        continue;
      }
      // The mirror's endpoint pick mixes the random value offset by the policy's position: no
      // further draw, and unrelated to the primary's pick, which mixes the value itself.
      MirrorExchange m = MirrorExchange.start(p, request, state, downstream.pool(), random + i + 1, result.timeout());
      if (m != null) {
        if (mirrors == null) {
          mirrors = new ArrayList<>(n);
        }
        mirrors.add(m);
      }
    }
  }

  /** The primary stops taking the body: mirrors still missing part of it are abandoned. */
  private void detachMirrors() {
    if (mirrors != null) {
      for (int i = 0, n = mirrors.size(); i < n; i++) {
        mirrors.get(i).abandonIfIncomplete();
      }
      mirrors = null;
    }
  }

  /** The {@code Host} a request without one gets upstream: the endpoint's name, or its address. */
  static String hostHeader(UpstreamEndpoint e) {
    if (e.hostname() != null) {
      return e.hostname();
    }
    String host = e.address().getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + e.address().getPort();
  }

  private void connect() {
    if (!cluster.tryOpenConnection()) {
      reply(LocalReply.text(503, LocalReply.OVERFLOW), ResponseFlags.UPSTREAM_OVERFLOW);
      return;
    }
    downstream.pool().connect(cluster, endpoint, new UpstreamPool.ConnectCallback() {
      @Override
      public void connected(UpstreamConnection c) {
        if (finished || responseComplete) {
          downstream.pool().release(c);
        } else {
          bind(c);
        }
      }

      @Override
      public void failed(Throwable cause) {
        if (finished || responseComplete) {
          return;
        }
        cluster.onFailure(endpoint, OutlierDetector.Failure.LOCAL_ORIGIN);
        reply(LocalReply.text(503, LocalReply.CONNECT_FAILURE), ResponseFlags.UPSTREAM_CONNECTION_FAILURE);
      }
    });
  }

  private void bind(UpstreamConnection c) {
    upstream = c;
    c.exchange = this;
    c.requests++;
    upstreamStartNanos = System.nanoTime();
    // Void promises: a failed write fires exceptionCaught on the upstream pipeline, which closes
    // the connection, and the exchange learns of it from onUpstreamClosed.
    c.channel.write(request.netty(), c.channel.voidPromise());
    HttpContent part;
    while (pendingBody != null && (part = pendingBody.poll()) != null) {
      lastPartWritten |= part instanceof LastHttpContent;
      c.channel.write(part, c.channel.voidPromise());
    }
    if (requestComplete && !lastPartWritten) {
      // A retry: the original (empty) end of the request went to the connection that failed.
      c.channel.write(LastHttpContent.EMPTY_LAST_CONTENT, c.channel.voidPromise());
      lastPartWritten = true;
    }
    c.channel.flush();
    if (requestComplete) {
      requestSent = true;
      startTimeout();
    }
    c.channel.read();
    if (!requestComplete && c.channel.isWritable()) {
      ctx.read();
    }
  }

  /** Whether the request is still arriving (its body parts belong to this exchange). */
  boolean accepting() {
    return !requestComplete;
  }

  /** A part of the request body arrived from the client. */
  void onDownstreamContent(HttpContent part) {
    bytesReceived += part.content().readableBytes();
    if (mirrors != null) {
      // First, while the part is surely unreleased; each mirror takes a retained duplicate.
      for (int i = 0, n = mirrors.size(); i < n; i++) {
        mirrors.get(i).offer(part);
      }
    }
    boolean last = part instanceof LastHttpContent;
    if (responseComplete || finished) {
      // A local answer was already sent: the rest of the body is read and dropped.
      part.release();
    } else if (upstream != null) {
      lastPartWritten |= last;
      upstream.channel.write(part, upstream.channel.voidPromise());
    } else if (cluster != null && endpoint != null) {
      if (pendingBody == null) {
        pendingBody = new ArrayDeque<>();
      }
      pendingBody.add(part);
    } else {
      part.release();
    }
    if (last) {
      requestComplete = true;
      if (upstream != null && !responseComplete) {
        requestSent = true;
        upstream.channel.flush();
      }
      if (endpoint != null && !responseComplete && !finished) {
        // Envoy's route timeout runs from the end of the request, even while still connecting.
        startTimeout();
        // One more read while the response is awaited, so that a client going away is noticed
        // at once (epoll reports a hang-up by itself, NIO only to a read). What else it brings, a
        // pipelined request, waits in the handler; nothing more is read until this exchange ends.
        ctx.read();
      }
      completeIfDone();
    }
  }

  /** The client's bytes of one read were all handed over. */
  void onDownstreamReadComplete() {
    if (upstream != null && !responseComplete) {
      upstream.channel.flush();
    }
    if (requestComplete) {
      return;
    }
    if (responseComplete || finished) {
      ctx.read();
    } else if (upstream != null && upstream.channel.isWritable()) {
      ctx.read();
    }
    // Otherwise: connecting, or the upstream is not writable; reading resumes later.
  }

  /** The upstream can take more request body. */
  @Override
  public void onUpstreamWritable() {
    if (!requestComplete && !responseComplete) {
      ctx.read();
    }
  }

  /** The client can take more response. */
  void onDownstreamWritable() {
    if (responseStarted && !responseComplete && upstream != null) {
      upstream.channel.read();
    }
  }

  @Override
  public void onUpstreamRead(Object msg) {
    if (responseComplete || finished) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpResponse r) {
      if (r.decoderResult().isFailure()) {
        ReferenceCountUtil.release(msg);
        upstream.doNotReuse = true;
        failBeforeResponse(502, "upstream sent an invalid response\n", ResponseFlags.UPSTREAM_PROTOCOL_ERROR, true);
        return;
      }
      int code = r.status().code();
      if (code >= 100 && code < 200) {
        // An informational response (100 Continue was already answered to the client): skip it.
        skippingInformational = true;
        ReferenceCountUtil.release(msg);
        return;
      }
      onResponseHead(r);
      if (!(msg instanceof HttpContent)) {
        return;
      }
    }
    if (msg instanceof HttpContent part) {
      if (skippingInformational) {
        part.release();
        if (part instanceof LastHttpContent) {
          skippingInformational = false;
        }
        return;
      }
      bytesSent += part.content().readableBytes();
      // A failed write to the client fires exceptionCaught, which closes its connection.
      ctx.write(part, ctx.voidPromise());
      if (part instanceof LastHttpContent) {
        onResponseComplete();
      }
    }
  }

  private void onResponseHead(HttpResponse r) {
    status = r.status().code();
    upstreamAnswered = true;
    OutlierDetector.Failure failure = OutlierDetector.ofStatus(status);
    if (failure != null) {
      cluster.onFailure(endpoint, failure);
    } else {
      cluster.onSuccess(endpoint);
    }
    if (!HttpUtil.isKeepAlive(r)) {
      upstream.doNotReuse = true;
    }
    boolean bodyless = head || status == 204 || status == 304;
    boolean framed = HttpUtil.isContentLengthSet(r) || HttpUtil.isTransferEncodingChunked(r);
    HopByHopHeaders.remove(r.headers());
    if (!framed && !bodyless) {
      // A body delimited by the upstream closing: the connection cannot be reused, and the client
      // gets it chunked (or, for HTTP/1.0, delimited by close too).
      upstream.doNotReuse = true;
      if (http10) {
        keepAlive = false;
      } else {
        HttpUtil.setTransferEncodingChunked(r, true);
      }
    }
    if (http10 && HttpUtil.isTransferEncodingChunked(r)) {
      // HTTP/1.0 has no chunked encoding: the body goes as it is, ended by closing.
      HttpUtil.setTransferEncodingChunked(r, false);
    }
    if (http10 && !HttpUtil.isContentLengthSet(r)) {
      keepAlive = false;
    }
    result.finalizeResponseHeaders(new ResponseHeaders(r), this);
    switch (listener.http().serverHeaderTransformation()) {
      case OVERWRITE -> r.headers().set(HttpHeaderNames.SERVER, listener.http().serverName());
      case APPEND_IF_ABSENT -> {
        if (!r.headers().contains(HttpHeaderNames.SERVER)) {
          r.headers().set(HttpHeaderNames.SERVER, listener.http().serverName());
        }
      }
      case PASS_THROUGH -> {}
    }
    r.headers().set("x-envoy-upstream-service-time",
        Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - upstreamStartNanos)));
    if (!keepAlive || downstream.draining()) {
      keepAlive = false;
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (http10) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    r.setProtocolVersion(HttpVersion.HTTP_1_1);
    response = r;
    downstream.encoder().answeringHead(head);
    responseStarted = true;
    ctx.write(r, ctx.voidPromise());
  }

  @Override
  public void onUpstreamReadComplete() {
    if (!responseStarted || responseComplete) {
      if (!responseComplete && upstream != null) {
        upstream.channel.read();
      }
      return;
    }
    ctx.flush();
    if (ctx.channel().isWritable() && upstream != null) {
      upstream.channel.read();
    }
  }

  private void onResponseComplete() {
    responseComplete = true;
    cancelTimeout();
    ctx.flush();
    if (!requestComplete) {
      // The upstream answered before the request was whole: neither connection can carry on.
      upstream.doNotReuse = true;
      keepAlive = false;
    }
    releaseUpstream();
    completeIfDone();
  }

  @Override
  public void onUpstreamError(Throwable cause) {
    if (cause instanceof io.netty.handler.codec.DecoderException && !responseStarted) {
      flags = ResponseFlags.UPSTREAM_PROTOCOL_ERROR;
    }
  }

  /** The upstream connection closed. */
  @Override
  public void onUpstreamClosed() {
    if (responseComplete || finished) {
      return;
    }
    UpstreamConnection closed = upstream;
    upstream = null;
    if (closed != null) {
      closed.exchange = null;
    }
    if (!responseStarted) {
      if (canRetry()) {
        // A pooled connection the upstream had closed: the request never reached it, so it can
        // go again on a fresh connection (only idempotent requests without a body).
        retried = true;
        reusedConnection = false;
        requestSent = false;
        lastPartWritten = false;
        cancelTimeout();
        connect();
        return;
      }
      cluster.onFailure(endpoint, OutlierDetector.Failure.LOCAL_ORIGIN);
      String flag = flags.isEmpty() ? ResponseFlags.UPSTREAM_CONNECTION_TERMINATION : flags;
      reply(LocalReply.text(503, LocalReply.CONNECTION_TERMINATION), flag);
      return;
    }
    // Mid-response: the client cannot be told, so its connection is closed too.
    cluster.onFailure(endpoint, OutlierDetector.Failure.LOCAL_ORIGIN);
    flags = ResponseFlags.UPSTREAM_CONNECTION_TERMINATION;
    keepAlive = false;
    responseComplete = true;
    cancelTimeout();
    ctx.flush();
    finish();
    ctx.close();
    downstream.exchangeAborted(this);
  }

  private boolean canRetry() {
    HttpMethod m = request.netty().method();
    boolean idempotent =
        m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.OPTIONS)
            || m.equals(HttpMethod.DELETE) || m.equals(HttpMethod.PUT) || m.equals(HttpMethod.TRACE);
    return reusedConnection && !retried && idempotent && requestComplete && bytesReceived == 0 && !finished;
  }

  /**
   * Starts the route's timeout. The connection's one timer ({@link DownstreamHandler#armTimer})
   * calls {@link #onTimer} no later than the deadline: scheduling and cancelling a task per
   * request would cost more than the request's routing.
   */
  private void startTimeout() {
    Duration t = result.timeout();
    if (t == null || t.isZero() || timeoutAt != 0) {
      return;
    }
    timeoutAt = System.nanoTime() + t.toNanos();
    if (timeoutAt == 0) {
      timeoutAt = 1;
    }
    downstream.armTimer(timeoutAt);
  }

  private void cancelTimeout() {
    timeoutAt = 0;
  }

  /**
   * The connection's timer fired: the timeout if its deadline has come, else the deadline still
   * to wait for (0 when the timeout is not running).
   */
  long onTimer(long now) {
    if (timeoutAt == 0) {
      return 0;
    }
    if (now - timeoutAt < 0) {
      return timeoutAt;
    }
    onTimeout();
    return 0;
  }

  private void onTimeout() {
    timeoutAt = 0;
    if (responseComplete || finished) {
      return;
    }
    cluster.onFailure(endpoint, OutlierDetector.Failure.LOCAL_ORIGIN);
    if (!responseStarted) {
      failBeforeResponse(504, LocalReply.TIMEOUT, ResponseFlags.UPSTREAM_REQUEST_TIMEOUT, true);
      return;
    }
    flags = ResponseFlags.UPSTREAM_REQUEST_TIMEOUT;
    abortUpstream();
    keepAlive = false;
    responseComplete = true;
    ctx.flush();
    finish();
    ctx.close();
    downstream.exchangeAborted(this);
  }

  private void failBeforeResponse(int code, String body, String flag, boolean closeUpstream) {
    if (closeUpstream) {
      abortUpstream();
    }
    reply(LocalReply.text(code, body), flag);
  }

  /** Closes the upstream connection without letting it report back to this exchange. */
  private void abortUpstream() {
    if (upstream != null) {
      UpstreamConnection c = upstream;
      upstream = null;
      c.doNotReuse = true;
      c.exchange = null;
      c.channel.close();
    }
  }

  private void releaseUpstream() {
    if (upstream != null) {
      UpstreamConnection c = upstream;
      upstream = null;
      if (!requestSent) {
        c.doNotReuse = true;
      }
      downstream.pool().release(c);
    }
  }

  /** The client's connection closed before the exchange ended. */
  void onDownstreamClosed() {
    if (finished) {
      return;
    }
    if (!responseComplete) {
      flags = ResponseFlags.DOWNSTREAM_CONNECTION_TERMINATION;
      abortUpstream();
    }
    finish();
  }

  // ---- local answers and the end

  private void reply(FullHttpResponse r, String flag) {
    if (responseStarted) {
      r.release();
      return;
    }
    status = r.status().code();
    flags = flag;
    detachMirrors();
    if (!requestComplete) {
      // The body is still coming: it will be read and dropped, then the connection goes on.
      cancelTimeout();
    }
    abortUpstream();
    if (!keepAlive || downstream.draining()) {
      keepAlive = false;
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    bytesSent += r.content().readableBytes();
    response = r;
    downstream.encoder().answeringHead(head);
    responseStarted = true;
    responseComplete = true;
    ctx.writeAndFlush(r);
    if (!requestComplete && !keepAlive) {
      // Closing: no need to drain the body.
      requestComplete = true;
    } else if (!requestComplete) {
      ctx.read();
    }
    completeIfDone();
  }

  private void completeIfDone() {
    if (finished || !responseComplete || !requestComplete) {
      return;
    }
    finish();
    downstream.exchangeDone(this, keepAlive);
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    cancelTimeout();
    detachMirrors();
    HttpContent part;
    while (pendingBody != null && (part = pendingBody.poll()) != null) {
      part.release();
    }
    if (endpointRequestCounted) {
      endpoint.requestEnded();
    }
    if (clusterRequestCounted) {
      cluster.endRequest();
    }
    ExchangeStats.record(this, downstream, System.nanoTime());
    downstream.accessLog().record(this);
  }

  // ---- what statistics read (ExchangeStats)

  RouteResult routeResult() {
    return result;
  }

  ListenerSpec listener() {
    return listener;
  }

  String clusterName() {
    return clusterName;
  }

  UpstreamCluster cluster() {
    return cluster;
  }

  /** Whether the request went to an endpoint (it may still have failed to connect). */
  boolean sentUpstream() {
    return endpointRequestCounted;
  }

  boolean upstreamAnswered() {
    return upstreamAnswered;
  }

  long startNanos() {
    return startNanos;
  }

  // ---- what the access log and the formatter read

  int status() {
    return status;
  }

  String flags() {
    return flags;
  }

  long bytesReceived() {
    return bytesReceived;
  }

  long bytesSent() {
    return bytesSent;
  }

  long durationMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  ProxiedRequest request() {
    return request;
  }

  HttpResponse response() {
    return response;
  }

  String upstreamHost() {
    return endpoint == null ? null : endpoint.toString();
  }

  @Override
  public String downstreamRemoteAddress() {
    return address((InetSocketAddress) ctx.channel().remoteAddress());
  }

  @Override
  public String downstreamLocalAddress() {
    return address((InetSocketAddress) ctx.channel().localAddress());
  }

  private static String address(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  @Override
  public String protocol() {
    return http10 ? "HTTP/1.0" : "HTTP/1.1";
  }

  @Override
  public Headers requestHeaders() {
    return request;
  }

  @Override
  public Headers responseHeaders() {
    return response == null ? null : new ResponseHeaders(response);
  }

  @Override
  public Instant startTime() {
    return Instant.ofEpochMilli(startMillis);
  }

  @Override
  public String upstreamCluster() {
    return cluster == null ? null : cluster.name();
  }

  @Override
  public String upstreamRemoteAddress() {
    return upstreamHost();
  }

  @Override
  public int responseCode() {
    return status;
  }

  @Override
  public String routeName() {
    return result == null ? null : result.routeName();
  }

  @Override
  public String streamId() {
    return request.first("x-request-id");
  }
}
