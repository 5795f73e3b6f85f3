package io.sluice.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.check.ProtoSchema.Field;
import io.sluice.config.Durations;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Base64;

/**
 * Reads field values of a proto3 JSON tree the way protobuf's JSON parser interprets them: a field
 * under its proto name or its lowerCamelCase JSON name, integers as numbers or strings, enums by
 * name or number. Shared by the text printer and the binary encoder so that both see the same
 * message.
 */
final class ProtoJson {
  private ProtoJson() {}

  /** The value of {@code field} in {@code message}, or null when absent or JSON null. */
  static JsonNode get(JsonNode message, Field field) {
    if (message == null || !message.isObject()) {
      return null;
    }
    JsonNode v = message.get(field.name());
    if (v == null) {
      v = message.get(field.jsonName());
    }
    return v == null || v.isNull() ? null : v;
  }

  /** Whether a scalar holds its proto3 default (and so is left out unless it is in a oneof). */
  static boolean isDefault(Field field, JsonNode v) {
    return switch (field.kind()) {
      case STRING -> text(v).isEmpty();
      case BYTES -> bytes(v).length == 0;
      case BOOL -> !bool(v);
      case INT32, INT64, UINT32, UINT64 -> integer(v).signum() == 0;
      case DOUBLE -> real(v) == 0 && !(1 / real(v) < 0);
      case ENUM -> enumNumber(field, v) == 0;
      default -> false;
    };
  }

  static String text(JsonNode v) {
    return v.isValueNode() ? v.asText() : v.toString();
  }

  static byte[] bytes(JsonNode v) {
    try {
      return Base64.getDecoder().decode(v.asText());
    } catch (IllegalArgumentException e) {
      return Base64.getUrlDecoder().decode(v.asText());
    }
  }

  static boolean bool(JsonNode v) {
    return v.isBoolean() ? v.booleanValue() : "true".equals(v.asText());
  }

  static BigInteger integer(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.bigIntegerValue();
    }
    if (v.isNumber()) {
      return v.decimalValue().toBigInteger();
    }
    try {
      return new BigInteger(v.asText().trim());
    } catch (NumberFormatException e) {
      return BigInteger.ZERO;
    }
  }

  static double real(JsonNode v) {
    if (v.isNumber()) {
      return v.doubleValue();
    }
    try {
      return Double.parseDouble(v.asText().trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The enum's number: the index of its name, or the number written; 0 when unknown. */
  static int enumNumber(Field field, JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.intValue();
    }
    int i = field.enumValues().indexOf(v.asText());
    return Math.max(i, 0);
  }

  /** The enum's name, or its number when the number has no name. */
  static String enumName(Field field, JsonNode v) {
    int n = enumNumber(field, v);
    return n >= 0 && n < field.enumValues().size() ? field.enumValues().get(n) : Integer.toString(n);
  }

  /** A Duration field as {@code {seconds, nanos}}; zero when unreadable. */
  static Duration duration(JsonNode v) {
    Duration d = Durations.parse(v);
    return d == null ? Duration.ZERO : d;
  }
}
