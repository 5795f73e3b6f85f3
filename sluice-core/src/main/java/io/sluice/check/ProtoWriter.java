package io.sluice.check;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the protobuf binary wire format: each field as a tag ({@code number << 3 | wire type})
 * followed by a varint, 8 little-endian bytes, or a length-prefixed byte string. Fields are written
 * in the order the caller writes them, which for a proto3 {@code SerializeAsString} is ascending
 * field number.
 */
public final class ProtoWriter {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A varint field (bool, enum, int32, int64, uint32, uint64); negative values take 10 bytes. */
  public ProtoWriter varint(int number, long value) {
    tag(number, VARINT);
    writeVarint(value);
    return this;
  }

  /** A bool field. */
  public ProtoWriter bool(int number, boolean value) {
    return varint(number, value ? 1 : 0);
  }

  /** A double field (8 bytes, little-endian IEEE 754). */
  public ProtoWriter fixed64(int number, double value) {
    tag(number, FIXED64);
    long bits = Double.doubleToRawLongBits(value);
    for (int i = 0; i < 8; i++) {
      out.write((int) (bits >>> (8 * i)) & 0xff);
    }
    return this;
  }

  /** A string field, UTF-8 encoded. */
  public ProtoWriter string(int number, String value) {
    return bytes(number, value.getBytes(StandardCharsets.UTF_8));
  }

  /** A bytes field, or an embedded message already encoded. */
  public ProtoWriter bytes(int number, byte[] value) {
    tag(number, LENGTH_DELIMITED);
    writeVarint(value.length);
    out.write(value, 0, value.length);
    return this;
  }

  /** An embedded message. */
  public ProtoWriter message(int number, ProtoWriter message) {
    return bytes(number, message.toByteArray());
  }

  /** Whether nothing was written. */
  public boolean isEmpty() {
    return out.size() == 0;
  }

  /** The bytes written so far. */
  public byte[] toByteArray() {
    return out.toByteArray();
  }

  private void tag(int number, int wireType) {
    writeVarint(((long) number << 3) | wireType);
  }

  private void writeVarint(long value) {
    // Seven bits per byte, least significant group first; the top bit says another byte follows.
    // A negative value is its 64-bit two's complement, so it always takes ten bytes.
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
