package io.sluice.testing;

import io.sluice.proxy.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Collects what Sluice logs while it is open (the log is process-wide; tests run one at a time). */
public final class LogCapture implements AutoCloseable {
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  public LogCapture() {
    Log.redirect(new PrintStream(buffer, true, StandardCharsets.UTF_8));
  }

  /** Everything logged so far. */
  public String text() {
    synchronized (buffer) {
      return buffer.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    Log.redirect(System.err);
  }
}
