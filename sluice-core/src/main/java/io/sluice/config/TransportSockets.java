package io.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks a {@code core.v3.TransportSocket}: plaintext ({@code envoy.transport_sockets.raw_buffer})
 * is what Sluice speaks; anything else (TLS above all) would silently turn an encrypted hop into a
 * plaintext one if ignored, so it is an error.
 */
final class TransportSockets {
  private static final String RAW_BUFFER_NAME = "envoy.transport_sockets.raw_buffer";
  private static final String RAW_BUFFER_TYPE = "envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer";

  private TransportSockets() {}

  /** Reads {@code field} of {@code owner}; returns false (after recording an error) unless plaintext. */
  static boolean checkPlaintext(MessageReader owner, String field) {
    MessageReader t = owner.message(field, "envoy.config.core.v3.TransportSocket");
    if (t == null) {
      return !owner.has(field);
    }
    String name = t.string("name", "");
    // Only the type of the configuration matters: its fields belong to a socket Sluice rejects
    // anyway (or to the raw buffer, which has none).
    JsonNode config = t.raw("typed_config");
    String type = "";
    if (config != null) {
      if (!config.isObject()) {
        t.error("typed_config", "expected an object (google.protobuf.Any), got " + MessageReader.describe(config));
        t.finish();
        return false;
      }
      type = Unsupported.typeName(config.path("@type").asText(""));
    }
    t.finish();
    boolean plaintext = type.isEmpty()
        ? name.equals(RAW_BUFFER_NAME) || name.equals("raw_buffer")
        : type.equals(RAW_BUFFER_TYPE);
    if (!plaintext) {
      String what = type.isEmpty() ? name : type;
      owner.error(field, "not supported by Sluice: transport socket " + what
          + " (Sluice speaks plaintext only; TLS is not supported yet)");
    }
    return plaintext;
  }
}
