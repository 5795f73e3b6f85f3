package io.sluice.tools;

import java.nio.charset.StandardCharsets;

/**
 * The short label a response body is counted under: the body trimmed, each run of white space or
 * control characters made one {@code _}, at most {@value #MAX_CHARS} characters (a longer one is
 * cut to {@value #KEPT_CHARS} and {@code ...}); {@code (empty)} for an empty body. Only the first
 * {@value #PREFIX_BYTES} bytes are looked at; a longer body is cut too. So {@code "v1 8080\n"} is
 * {@code v1_8080}, and a label never holds white space.
 */
final class BodyLabel {
  /** The bytes of a body kept to make its label. */
  static final int PREFIX_BYTES = 64;
  static final int MAX_CHARS = 24;
  static final int KEPT_CHARS = 21;
  static final String EMPTY = "(empty)";

  private BodyLabel() {}

  /** The label of a body of {@code length} bytes whose first {@code prefixLength} bytes are in {@code prefix}. */
  static String of(byte[] prefix, int prefixLength, long length) {
    String text = new String(prefix, 0, prefixLength, StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_CHARS + 1));
    boolean gap = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
        gap = sb.length() > 0;
        continue;
      }
      if (gap) {
        sb.append('_');
        gap = false;
      }
      sb.append(c);
    }
    boolean cut = length > prefixLength;
    if (sb.length() == 0 && !cut) {
      return EMPTY;
    }
    if (cut || sb.length() > MAX_CHARS) {
      return sb.substring(0, Math.min(sb.length(), KEPT_CHARS)) + "...";
    }
    return sb.toString();
  }

  /** {@link #of(byte[], int, long)} for a whole body. */
  static String of(String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return of(b, Math.min(b.length, PREFIX_BYTES), b.length);
  }
}
