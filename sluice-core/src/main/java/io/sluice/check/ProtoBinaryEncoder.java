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
 * Encodes a proto3 JSON tree in the protobuf binary format by its descriptor, as {@code
 * SerializeAsString} would after parsing the JSON: ascending field numbers, proto3 defaults left
 * out except in a oneof, wrappers as one-field messages.
 */
public final class ProtoBinaryEncoder {
  private ProtoBinaryEncoder() {}

  /** The encoding of {@code message} as a {@code typeName}. */
  public static ProtoWriter encode(JsonNode message, String typeName) {
    ProtoWriter w = new ProtoWriter();
    writeMessage(w, message, ProtoDescriptors.type(typeName));
    return w;
  }

  private static void writeMessage(ProtoWriter w, JsonNode message, MessageType type) {
    for (Field f : type.fields()) {
      JsonNode v = ProtoJson.get(message, f);
      if (v == null) {
        continue;
      }
      if (f.repeated()) {
        if (v.isArray()) {
          for (JsonNode item : v) {
            writeValue(w, f, item);
          }
        }
        continue;
      }
      boolean scalar = f.kind() != ProtoSchema.Kind.MESSAGE && f.kind() != ProtoSchema.Kind.STRUCT
          && f.kind() != ProtoSchema.Kind.ANY && f.kind() != ProtoSchema.Kind.DURATION;
      if (scalar && !f.oneof() && ProtoJson.isDefault(f, v)) {
        continue;
      }
      writeValue(w, f, v);
    }
  }

  private static void writeValue(ProtoWriter w, Field f, JsonNode v) {
    switch (f.kind()) {
      case STRING -> w.string(f.number(), ProtoJson.text(v));
      case BYTES -> w.bytes(f.number(), ProtoJson.bytes(v));
      case BOOL -> w.bool(f.number(), ProtoJson.bool(v));
      case INT32, INT64, UINT32, UINT64 -> w.varint(f.number(), ProtoJson.integer(v).longValue());
      case DOUBLE -> w.fixed64(f.number(), ProtoJson.real(v));
      case ENUM -> w.varint(f.number(), ProtoJson.enumNumber(f, v));
      case MESSAGE -> {
        MessageType t = ProtoDescriptors.type(f.typeName());
        ProtoWriter inner = new ProtoWriter();
        if (t.wrapper()) {
          Field valueField = t.fields().get(0);
          JsonNode value = v.isObject() ? ProtoJson.get(v, valueField) : v;
          if (value != null && !ProtoJson.isDefault(valueField, value)) {
            writeValue(inner, valueField, value);
          }
        } else {
          writeMessage(inner, v, t);
        }
        w.message(f.number(), inner);
      }
      case DURATION -> {
        Duration d = ProtoJson.duration(v);
        ProtoWriter inner = new ProtoWriter();
        if (d.getSeconds() != 0) {
          inner.varint(1, d.getSeconds());
        }
        if (d.getNano() != 0) {
          inner.varint(2, d.getNano());
        }
        w.message(f.number(), inner);
      }
      case STRUCT -> w.message(f.number(), struct(v));
      case ANY -> {
        // Only the type URL can be written: packing the value needs the message's own schema.
        ProtoWriter inner = new ProtoWriter();
        JsonNode type = v.get("@type");
        if (type != null && !type.asText().isEmpty()) {
          inner.string(1, type.asText());
        }
        w.message(f.number(), inner);
      }
    }
  }

  /** {@code google.protobuf.Struct}: {@code map<string, Value> fields = 1}, entries sorted by key. */
  private static ProtoWriter struct(JsonNode v) {
    ProtoWriter w = new ProtoWriter();
    if (!v.isObject()) {
      return w;
    }
    List<String> keys = new ArrayList<>();
    Iterator<String> it = v.fieldNames();
    while (it.hasNext()) {
      keys.add(it.next());
    }
    keys.sort(null);
    for (String key : keys) {
      ProtoWriter entry = new ProtoWriter().string(1, key).message(2, structValue(v.get(key)));
      w.message(1, entry);
    }
    return w;
  }

  /** {@code google.protobuf.Value}: null 1, number 2, string 3, bool 4, struct 5, list 6. */
  private static ProtoWriter structValue(JsonNode v) {
    ProtoWriter w = new ProtoWriter();
    if (v == null || v.isNull()) {
      w.varint(1, 0);
    } else if (v.isNumber()) {
      w.fixed64(2, v.doubleValue());
    } else if (v.isBoolean()) {
      w.bool(4, v.booleanValue());
    } else if (v.isObject()) {
      w.message(5, struct(v));
    } else if (v.isArray()) {
      ProtoWriter list = new ProtoWriter();
      for (JsonNode item : v) {
        list.message(1, structValue(item));
      }
      w.message(6, list);
    } else {
      w.bytes(3, v.asText().getBytes(StandardCharsets.UTF_8));
    }
    return w;
  }
}
