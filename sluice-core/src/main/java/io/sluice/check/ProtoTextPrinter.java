package io.sluice.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.check.ProtoSchema.Field;
import io.sluice.check.ProtoSchema.MessageType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Prints a proto3 JSON tree in protobuf text format, as {@code TextFormat::PrintToString} does:
 * fields in field-number order, two spaces of indent per level, strings C-escaped, enums by name,
 * proto3 defaults left out except in a oneof, and map entries (of a {@code Struct}) sorted by key.
 */
public final class ProtoTextPrinter {
  private final boolean utf8;

  private ProtoTextPrinter(boolean utf8) {
    this.utf8 = utf8;
  }

  /** {@code TextFormat::PrintToString}: non-ASCII bytes are printed as octal escapes. */
  public static String print(JsonNode message, String typeName) {
    StringBuilder sb = new StringBuilder();
    new ProtoTextPrinter(false).printMessage(sb, message, ProtoDescriptors.type(typeName), 0);
    return sb.toString();
  }

  /** {@code Message::DebugString}: as {@link #print}, but UTF-8 text is kept as is. */
  public static String debugString(JsonNode message, String typeName) {
    StringBuilder sb = new StringBuilder();
    new ProtoTextPrinter(true).printMessage(sb, message, ProtoDescriptors.type(typeName), 0);
    return sb.toString();
  }

  private void printMessage(StringBuilder sb, JsonNode message, MessageType type, int indent) {
    for (Field f : type.fields()) {
      JsonNode v = ProtoJson.get(message, f);
      if (v == null) {
        continue;
      }
      if (f.repeated()) {
        if (v.isArray()) {
          for (JsonNode item : v) {
            printValue(sb, f, item, indent);
          }
        }
        continue;
      }
      if (isScalar(f) && !f.oneof() && ProtoJson.isDefault(f, v)) {
        continue;
      }
      printValue(sb, f, v, indent);
    }
  }

  private static boolean isScalar(Field f) {
    return switch (f.kind()) {
      case MESSAGE, STRUCT, ANY, DURATION -> false;
      default -> true;
    };
  }

  private void printValue(StringBuilder sb, Field f, JsonNode v, int indent) {
    switch (f.kind()) {
      case MESSAGE -> {
        MessageType t = ProtoDescriptors.type(f.typeName());
        open(sb, f.name(), indent);
        if (t.wrapper()) {
          Field inner = t.fields().get(0);
          JsonNode value = v.isObject() ? ProtoJson.get(v, inner) : v;
          if (value != null && !ProtoJson.isDefault(inner, value)) {
            printValue(sb, inner, value, indent + 2);
          }
        } else {
          printMessage(sb, v, t, indent + 2);
        }
        close(sb, indent);
      }
      case STRUCT -> {
        open(sb, f.name(), indent);
        printStruct(sb, v, indent + 2);
        close(sb, indent);
      }
      case ANY -> {
        // The packed message's type is not known here; its type URL is what identifies it.
        open(sb, f.name(), indent);
        JsonNode type = v.get("@type");
        if (type != null && !type.asText().isEmpty()) {
          line(sb, indent + 2, "type_url: " + quote(type.asText().getBytes(StandardCharsets.UTF_8)));
        }
        close(sb, indent);
      }
      case DURATION -> {
        Duration d = ProtoJson.duration(v);
        open(sb, f.name(), indent);
        if (d.getSeconds() != 0) {
          line(sb, indent + 2, "seconds: " + d.getSeconds());
        }
        if (d.getNano() != 0) {
          line(sb, indent + 2, "nanos: " + d.getNano());
        }
        close(sb, indent);
      }
      default -> line(sb, indent, f.name() + ": " + scalar(f, v));
    }
  }

  private String scalar(Field f, JsonNode v) {
    return switch (f.kind()) {
      case STRING -> quote(ProtoJson.text(v).getBytes(StandardCharsets.UTF_8));
      case BYTES -> quote(ProtoJson.bytes(v));
      case BOOL -> Boolean.toString(ProtoJson.bool(v));
      case INT32, INT64, UINT32, UINT64 -> ProtoJson.integer(v).toString();
      case DOUBLE -> CppFloatFormat.shortestRoundTrip(ProtoJson.real(v));
      case ENUM -> ProtoJson.enumName(f, v);
      default -> throw new IllegalStateException("not a scalar: " + f);
    };
  }

  /** A {@code google.protobuf.Struct}: its {@code fields} map, entries sorted by key. */
  private void printStruct(StringBuilder sb, JsonNode struct, int indent) {
    if (!struct.isObject()) {
      return;
    }
    List<String> keys = new ArrayList<>();
    Iterator<String> it = struct.fieldNames();
    while (it.hasNext()) {
      keys.add(it.next());
    }
    keys.sort(null);
    for (String key : keys) {
      open(sb, "fields", indent);
      line(sb, indent + 2, "key: " + quote(key.getBytes(StandardCharsets.UTF_8)));
      open(sb, "value", indent + 2);
      printStructValue(sb, struct.get(key), indent + 4);
      close(sb, indent + 2);
      close(sb, indent);
    }
  }

  /** A {@code google.protobuf.Value}: exactly one of its kinds is set. */
  private void printStructValue(StringBuilder sb, JsonNode v, int indent) {
    if (v == null || v.isNull()) {
      line(sb, indent, "null_value: NULL_VALUE");
    } else if (v.isNumber()) {
      line(sb, indent, "number_value: " + CppFloatFormat.shortestRoundTrip(v.doubleValue()));
    } else if (v.isBoolean()) {
      line(sb, indent, "bool_value: " + v.booleanValue());
    } else if (v.isObject()) {
      open(sb, "struct_value", indent);
      printStruct(sb, v, indent + 2);
      close(sb, indent);
    } else if (v.isArray()) {
      open(sb, "list_value", indent);
      for (JsonNode item : v) {
        open(sb, "values", indent + 2);
        printStructValue(sb, item, indent + 4);
        close(sb, indent + 2);
      }
      close(sb, indent);
    } else {
      line(sb, indent, "string_value: " + quote(v.asText().getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static void open(StringBuilder sb, String name, int indent) {
    line(sb, indent, name + " {");
  }

  private static void close(StringBuilder sb, int indent) {
    line(sb, indent, "}");
  }

  private static void line(StringBuilder sb, int indent, String text) {
    sb.append(" ".repeat(indent)).append(text).append('\n');
  }

  /**
   * protobuf's {@code CEscape} in quotes: the usual backslash escapes, other control bytes (and,
   * unless printing UTF-8, every byte above 0x7e) as three octal digits.
   */
  private String quote(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length + 2).append('"');
    int i = 0;
    while (i < bytes.length) {
      int b = bytes[i] & 0xff;
      switch (b) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '"' -> sb.append("\\\"");
        case '\'' -> sb.append("\\'");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (b >= 0x80 && utf8) {
            int len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
            len = Math.min(len, bytes.length - i);
            sb.append(new String(bytes, i, len, StandardCharsets.UTF_8));
            i += len;
            continue;
          }
          if (b < 0x20 || b >= 0x7f) {
            sb.append('\\').append((char) ('0' + (b >> 6))).append((char) ('0' + ((b >> 3) & 7)))
                .append((char) ('0' + (b & 7)));
          } else {
            sb.append((char) b);
          }
        }
      }
      i++;
    }
    return sb.append('"').toString();
  }
}
