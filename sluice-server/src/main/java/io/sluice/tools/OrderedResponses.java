package io.sluice.tools;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One connection's answers, written in the order their requests arrived although each may wait a
 * different time (jitter, {@code ?delay}): an answer that is ready waits behind the earlier ones
 * that are not, as HTTP/1.1 pipelining requires. Waiting answers are timers on the connection's
 * event loop, never a blocked thread; everything here runs on that loop, so nothing is locked.
 * Reading pauses while too many answers wait or the socket's write buffer is full.
 */
final class OrderedResponses {
  /** Answers waiting beyond which the connection stops reading requests (a client pipelining without end). */
  static final int MAX_WAITING = 1024;

  private final ArrayDeque<Slot> waiting = new ArrayDeque<>();
  private boolean closed;

  private static final class Slot {
    final ByteBuf bytes;
    final boolean close;
    boolean ready;

    Slot(ByteBuf bytes, boolean close, boolean ready) {
      this.bytes = bytes;
      this.close = close;
      this.ready = ready;
    }
  }

  /**
   * Queues an answer to be written after {@code delayNanos} and after every earlier answer; {@code
   * close}: the connection closes once it is written. An answer without delay is written at once
   * when nothing waits before it (flushed by the caller at the end of the read).
   */
  void add(ChannelHandlerContext ctx, ByteBuf bytes, long delayNanos, boolean close) {
    if (closed) {
      bytes.release();
      return;
    }
    if (delayNanos <= 0 && waiting.isEmpty()) {
      write(ctx, bytes, close);
      return;
    }
    Slot slot = new Slot(bytes, close, delayNanos <= 0);
    waiting.add(slot);
    if (delayNanos > 0) {
      ctx.executor().schedule(() -> {
        slot.ready = true;
        writeReady(ctx);
        ctx.flush();
      }, delayNanos, TimeUnit.NANOSECONDS);
    }
    updateReading(ctx);
  }

  private void writeReady(ChannelHandlerContext ctx) {
    while (!closed && !waiting.isEmpty() && waiting.peek().ready) {
      Slot s = waiting.poll();
      write(ctx, s.bytes, s.close);
    }
    updateReading(ctx);
  }

  private void write(ChannelHandlerContext ctx, ByteBuf bytes, boolean close) {
    if (close) {
      closed = true;
      ctx.writeAndFlush(bytes).addListener(ChannelFutureListener.CLOSE);
      release();
    } else {
      ctx.write(bytes, ctx.voidPromise());
    }
  }

  /** Whether every answer so far has been written (or is being written). */
  boolean nothingWaiting() {
    return waiting.isEmpty();
  }

  /** Whether an answer asked for the connection to close (later requests are ignored). */
  boolean closing() {
    return closed;
  }

  /** Reads while the write buffer has room and not too many answers wait; called when either changes. */
  void updateReading(ChannelHandlerContext ctx) {
    boolean read = !closed && ctx.channel().isWritable() && waiting.size() < MAX_WAITING;
    if (ctx.channel().config().isAutoRead() != read) {
      ctx.channel().config().setAutoRead(read);
    }
  }

  /** Drops every waiting answer (the connection is gone); their timers then find nothing to write. */
  void release() {
    closed = true;
    for (Slot s : waiting) {
      s.bytes.release();
    }
    waiting.clear();
  }
}
