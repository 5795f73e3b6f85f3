package io.sluice.check;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A tiny protobuf wire-format decoder for tests: one level of fields, nested ones on demand. */
final class WireDecoder {

  /** One decoded field: number, wire type, and a varint/fixed64 value or the bytes of a length-delimited one. */
  record WireField(int number, int wireType, long value, byte[] bytes) {
    String string() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    List<WireField> message() {
      return decode(bytes);
    }
  }

  private WireDecoder() {}

  static List<WireField> decode(byte[] data) {
    List<WireField> out = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < data.length) {
      long tag = varint(data, pos);
      int number = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      switch (wire) {
        case 0 -> out.add(new WireField(number, wire, varint(data, pos), null));
        case 1 -> {
          long v = 0;
          for (int i = 0; i < 8; i++) {
            v |= (data[pos[0] + i] & 0xffL) << (8 * i);
          }
          pos[0] += 8;
          out.add(new WireField(number, wire, v, null));
        }
        case 2 -> {
          int len = (int) varint(data, pos);
          byte[] b = new byte[len];
          System.arraycopy(data, pos[0], b, 0, len);
          pos[0] += len;
          out.add(new WireField(number, wire, 0, b));
        }
        default -> throw new IllegalArgumentException("wire type " + wire + " at " + pos[0]);
      }
    }
    return out;
  }

  private static long varint(byte[] data, int[] pos) {
    long v = 0;
    int shift = 0;
    while (true) {
      int b = data[pos[0]++] & 0xff;
      v |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
      shift += 7;
    }
  }
}
