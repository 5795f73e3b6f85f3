package io.sluice.proxy;

/**
 * What an upstream connection reports to the exchange it carries: a client's {@link Exchange} or
 * a {@link MirrorExchange}. Every call comes on the connection's event loop.
 */
interface UpstreamListener {
  /** A response part (head, content or both) arrived; the listener releases it. */
  void onUpstreamRead(Object msg);

  /** The bytes of one read were all handed over. */
  void onUpstreamReadComplete();

  /** The connection can take more request body. */
  void onUpstreamWritable();

  /** A decoding error or a reset; {@link #onUpstreamClosed} follows. */
  void onUpstreamError(Throwable cause);

  /** The connection closed. */
  void onUpstreamClosed();
}
