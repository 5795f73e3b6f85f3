package io.sluice.proxy;

import java.io.PrintStream;
import java.time.Instant;

/** Sluice's operational log: one timestamped line per event on standard error. */
public final class Log {
  private static volatile PrintStream out = System.err;

  private Log() {}

  /** Sends the log elsewhere (tests). */
  public static void redirect(PrintStream stream) {
    out = stream;
  }

  public static void info(String message) {
    write("info", message);
  }

  public static void warn(String message) {
    write("warning", message);
  }

  public static void error(String message) {
    write("error", message);
  }

  private static void write(String level, String message) {
    out.println("[" + Instant.now() + "][" + level + "] " + message);
  }
}
