package io.sluice.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A minimal protobuf descriptor model: just enough of a message's shape (field names, numbers,
 * types, oneof membership) to print a proto3 JSON tree in text format and to encode it in binary,
 * without a protobuf dependency.
 */
public final class ProtoSchema {
  private ProtoSchema() {}

  /** How a field's value is represented. */
  public enum Kind {
    STRING,
    BYTES,
    BOOL,
    INT32,
    INT64,
    UINT32,
    UINT64,
    DOUBLE,
    ENUM,
    MESSAGE,
    /** {@code google.protobuf.Struct}: a JSON object. */
    STRUCT,
    /** {@code google.protobuf.Any}: a JSON object with {@code @type}. */
    ANY,
    /** {@code google.protobuf.Duration}: a JSON string such as {@code "1.5s"}. */
    DURATION
  }

  /**
   * One field.
   *
   * @param name the proto field name (snake_case)
   * @param number the field number
   * @param kind the value representation
   * @param repeated whether the field is repeated
   * @param oneof whether the field belongs to a oneof (then it is printed and encoded even when it
   *     holds its default value)
   * @param typeName for {@link Kind#MESSAGE}, the message type's full name
   * @param enumValues for {@link Kind#ENUM}, the value names in number order
   */
  public record Field(
      String name, int number, Kind kind, boolean repeated, boolean oneof, String typeName, List<String> enumValues) {
    public Field {
      enumValues = List.copyOf(enumValues);
    }

    /** The proto3 JSON name (lowerCamelCase). */
    public String jsonName() {
      StringBuilder sb = new StringBuilder(name.length());
      boolean upper = false;
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c == '_') {
          upper = true;
        } else {
          sb.append(upper ? Character.toUpperCase(c) : c);
          upper = false;
        }
      }
      return sb.toString();
    }
  }

  /**
   * One message type.
   *
   * @param name the full name, such as {@code envoy.config.route.v3.RouteMatch}
   * @param fields the fields in field-number order
   * @param wrapper whether this is a {@code google.protobuf.*Value} wrapper, written in JSON as the
   *     bare value of its single field {@code value}
   */
  public record MessageType(String name, List<Field> fields, boolean wrapper) {
    public MessageType {
      List<Field> sorted = new ArrayList<>(fields);
      sorted.sort(Comparator.comparingInt(Field::number));
      fields = List.copyOf(sorted);
    }
  }

  /** Collects the fields of one message type. */
  public static final class Builder {
    private final String name;
    private final List<Field> fields = new ArrayList<>();
    private boolean wrapper;

    Builder(String name) {
      this.name = name;
    }

    /** A singular field outside any oneof. */
    public Builder field(String name, int number, Kind kind) {
      fields.add(new Field(name, number, kind, false, false, null, List.of()));
      return this;
    }

    /** A singular field inside a oneof. */
    public Builder oneofField(String name, int number, Kind kind) {
      fields.add(new Field(name, number, kind, false, true, null, List.of()));
      return this;
    }

    /** A singular message field. */
    public Builder message(String name, int number, String typeName) {
      fields.add(new Field(name, number, Kind.MESSAGE, false, false, typeName, List.of()));
      return this;
    }

    /** A message field inside a oneof. */
    public Builder oneofMessage(String name, int number, String typeName) {
      fields.add(new Field(name, number, Kind.MESSAGE, false, true, typeName, List.of()));
      return this;
    }

    /** A repeated message field. */
    public Builder repeatedMessage(String name, int number, String typeName) {
      fields.add(new Field(name, number, Kind.MESSAGE, true, false, typeName, List.of()));
      return this;
    }

    /** An enum field; {@code values} are the names in number order. */
    public Builder enumField(String name, int number, String... values) {
      fields.add(new Field(name, number, Kind.ENUM, false, false, null, List.of(values)));
      return this;
    }

    /** Marks the type as a wrapper ({@code google.protobuf.StringValue} and friends). */
    public Builder wrapper() {
      this.wrapper = true;
      return this;
    }

    /** The message type. */
    public MessageType build() {
      return new MessageType(name, fields, wrapper);
    }
  }

  /** Starts a message type. */
  public static Builder message(String name) {
    return new Builder(name);
  }
}
