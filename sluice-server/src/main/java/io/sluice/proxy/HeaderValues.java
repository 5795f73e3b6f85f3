package io.sluice.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.Iterator;

/** Reads Netty header blocks the way Envoy's matchers see headers. */
final class HeaderValues {
  private HeaderValues() {}

  /**
   * Every value of {@code name} joined with {@code ","} in arrival order (Envoy's rule for
   * matching a repeated header), or null when absent. The common single-value case builds nothing.
   */
  static String joined(HttpHeaders headers, String name) {
    String first = headers.get(name);
    if (first == null) {
      return null;
    }
    // Look for a second value without building a list. (The iterator runs newest first, so the
    // joined form comes from getAll, which keeps arrival order.)
    Iterator<String> it = headers.valueStringIterator(name);
    it.next();
    if (!it.hasNext()) {
      return first;
    }
    return String.join(",", headers.getAll(name));
  }

  /** How many values {@code name} has. */
  static int count(HttpHeaders headers, String name) {
    if (!headers.contains(name)) {
      return 0;
    }
    int n = 0;
    for (Iterator<String> it = headers.valueStringIterator(name); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }
}
