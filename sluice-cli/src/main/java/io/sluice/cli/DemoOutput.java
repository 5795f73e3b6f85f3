package io.sluice.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * What {@code sluice demo} prints, line by line, on standard output. Once Ctrl-C has started the
 * shutdown it is muted, so that the steps cut short by it print no half-finished tables or
 * verdicts after the line that says the demo was interrupted.
 */
final class DemoOutput {
  private final PrintStream out;
  private boolean muted;

  DemoOutput(PrintStream out) {
    this.out = out;
  }

  synchronized void line(String text) {
    if (!muted) {
      out.println(text);
      out.flush();
    }
  }

  void lines(List<String> text) {
    text.forEach(this::line);
  }

  /** Prints {@code text}, which may hold several lines; a missing final newline is added. */
  synchronized void block(String text) {
    if (!muted) {
      out.print(text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
      out.flush();
    }
  }

  /** Prints nothing from now on. */
  synchronized void mute() {
    muted = true;
  }

  synchronized boolean muted() {
    return muted;
  }
}
