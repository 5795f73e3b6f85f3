package io.sluice.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * {@code sluice stat --watch}: draws a frame every interval until the process is stopped (Ctrl-C).
 * On a terminal each frame replaces the last (ANSI: cursor home, clear screen); otherwise frames
 * follow one another, so a log or a pipe gets every one of them.
 */
final class StatWatch {
  /** Cursor to the top left, then clear the screen: what {@code watch} and {@code top} do. */
  static final String CLEAR = "\033[H\033[2J";

  /** Draws one frame: what to print, fetched anew each time. */
  interface Frame {
    String draw() throws IOException;
  }

  /** Waits between frames; tests pass one that counts instead of sleeping. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean ansi;
  private final String separator;
  private final Duration interval;
  private final Sleeper sleeper;

  /**
   * @param ansi redraw in place (standard output is a terminal)
   * @param separator printed between frames when not redrawing in place (a blank line between
   *     tables; nothing between JSON lines)
   */
  StatWatch(PrintWriter out, PrintWriter err, boolean ansi, String separator, Duration interval, Sleeper sleeper) {
    this.out = out;
    this.err = err;
    this.ansi = ansi;
    this.separator = separator;
    this.interval = interval;
    this.sleeper = sleeper;
  }

  /**
   * Draws frames until interrupted, and returns 0 then. The first frame's failure is thrown: a wrong
   * address ends the command at once. A later failure (a proxy restarting) is shown in place of the
   * frame, or on standard error when frames follow one another, and the next frame tries again.
   */
  int run(Frame frame) throws IOException {
    String first = frame.draw();
    out.print((ansi ? CLEAR : "") + first);
    out.flush();
    while (true) {
      try {
        sleeper.sleep(interval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
      String text;
      try {
        text = frame.draw();
      } catch (IOException e) {
        if (ansi) {
          out.print(CLEAR + "error: " + e.getMessage() + "\n");
          out.flush();
        } else {
          err.println("error: " + e.getMessage());
          err.flush();
        }
        continue;
      }
      out.print((ansi ? CLEAR : separator) + text);
      out.flush();
    }
  }
}
