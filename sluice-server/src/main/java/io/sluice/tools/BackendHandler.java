package io.sluice.tools;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.route.RandomSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Answers one connection's requests: reads each request and its body (counting and dropping the
 * bytes), decides whether it fails and how long it waits, and hands the answer to {@link
 * OrderedResponses}. Writes happen in {@code channelRead}, the flush in {@code channelReadComplete}.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {
  private final BackendOptions options;
  private final TextAnswers text;
  private final int port;
  private final RandomSource random;
  private final LongAdder requests;
  private final OrderedResponses answers = new OrderedResponses();
  private HttpRequest request;
  private long bodyBytes;

  BackendHandler(BackendOptions options, TextAnswers text, int port, RandomSource random, LongAdder requests) {
    this.options = options;
    this.text = text;
    this.port = port;
    this.random = random;
    this.requests = requests;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (answers.closing()) {
        return;
      }
      if (msg instanceof HttpRequest r) {
        if (r.decoderResult().isFailure()) {
          badRequest(ctx, r.decoderResult().cause());
          return;
        }
        request = r;
        bodyBytes = 0;
        if (HttpUtil.is100ContinueExpected(r) && answers.nothingWaiting()) {
          // Only when nothing waits ahead of it: an interim answer must not overtake earlier ones.
          // (A client that gets no 100 sends its body after a short wait anyway.)
          ctx.write(Unpooled.wrappedBuffer(ResponseBytes.CONTINUE), ctx.voidPromise());
        }
      }
      if (msg instanceof HttpContent c) {
        if (c.decoderResult().isFailure()) {
          badRequest(ctx, c.decoderResult().cause());
          return;
        }
        bodyBytes += c.content().readableBytes();
        if (msg instanceof LastHttpContent && request != null) {
          answer(ctx, request);
          request = null;
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void answer(ChannelHandlerContext ctx, HttpRequest r) {
    requests.increment();
    boolean keepAlive = HttpUtil.isKeepAlive(r);
    ResponseBytes.Connection connection = !keepAlive
        ? ResponseBytes.Connection.CLOSE
        : r.protocolVersion().equals(HttpVersion.HTTP_1_0)
            ? ResponseBytes.Connection.KEEP_ALIVE
            : ResponseBytes.Connection.DEFAULT;
    boolean head = HttpMethod.HEAD.equals(r.method());
    // One draw per decision, only when it can matter: 53 bits give the fraction, as in Latency.
    boolean fail = options.failPercent() > 0 && (random.nextLong() >>> 11) * 0x1.0p-53 * 100 < options.failPercent();
    if (options.echo()) {
      EchoAnswer.Answer a = EchoAnswer.build(ctx.alloc(), options.name(), port, r, bodyBytes, fail, head, connection);
      long delay = a.delayNanos() >= 0 ? a.delayNanos() : waitNanos();
      answers.add(ctx, a.bytes(), delay, !keepAlive);
    } else {
      answers.add(ctx, text.answer(ctx.alloc(), fail, head, connection), waitNanos(), !keepAlive);
    }
  }

  private long waitNanos() {
    Latency l = options.latency();
    return l.jitter().isZero() ? l.base().toNanos() : l.nanos(random.nextLong());
  }

  private void badRequest(ChannelHandlerContext ctx, Throwable cause) {
    request = null;
    String why = cause == null || cause.getMessage() == null ? "malformed request" : cause.getMessage();
    byte[] body = ("bad request: " + why + "\n").getBytes(StandardCharsets.UTF_8);
    answers.add(ctx, ResponseBytes.encode(ctx.alloc(), 400, "text/plain; charset=utf-8", List.of(), body, false,
        ResponseBytes.Connection.CLOSE), 0, true);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    answers.updateReading(ctx);
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    answers.release();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A reset by the client, most often; nothing to answer any more.
    answers.release();
    ctx.close();
  }
}
