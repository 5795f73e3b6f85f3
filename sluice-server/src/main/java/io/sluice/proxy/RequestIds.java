package io.sluice.proxy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes {@code x-request-id} values: random (version 4) UUIDs in their usual text form, drawn from
 * the event loop's own random generator rather than the shared {@code SecureRandom} behind
 * {@link java.util.UUID#randomUUID()}, which would make every loop contend for one lock.
 */
final class RequestIds {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private RequestIds() {}

  /** A new request id. */
  static String next() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
    byte[] c = new byte[36];
    hex(hi >>> 32, 8, c, 0);
    c[8] = '-';
    hex(hi >>> 16, 4, c, 9);
    c[13] = '-';
    hex(hi, 4, c, 14);
    c[18] = '-';
    hex(lo >>> 48, 4, c, 19);
    c[23] = '-';
    hex(lo, 12, c, 24);
    return new String(c, StandardCharsets.ISO_8859_1);
  }

  private static void hex(long value, int digits, byte[] out, int at) {
    for (int i = digits - 1; i >= 0; i--) {
      out[at + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }
}
