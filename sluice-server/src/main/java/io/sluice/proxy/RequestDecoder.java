package io.sluice.proxy;

import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder with one change: a request carrying both {@code Transfer-Encoding} and
 * {@code Content-Length} is rejected instead of having its {@code Content-Length} dropped. Two
 * framings on one request is the classic request-smuggling vector: a proxy and the server behind
 * it can disagree on where the body ends. The rejected request reaches the handler with a failed
 * decoder result, which answers 400 and closes the connection.
 */
final class RequestDecoder extends HttpRequestDecoder {
  RequestDecoder(int maxInitialLineLength, int maxHeaderSize, int maxChunkSize) {
    super(maxInitialLineLength, maxHeaderSize, maxChunkSize);
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    throw new ConflictingFramingException();
  }

  /** Thrown for a request with both framings; the decoder turns it into a failed decoder result. */
  static final class ConflictingFramingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    ConflictingFramingException() {
      super("both Transfer-Encoding and Content-Length", null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }
}
