package io.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Sluice's policy for Envoy fields it does not implement: a field whose absence of effect cannot
 * change where a request goes is accepted with a warning naming it; a field that would route
 * differently, drop a security property or leave traffic unserved if ignored is an error ("not
 * supported by Sluice: ..."). A field written with its proto default value ({@code false}, {@code
 * {}}, {@code []}, {@code ""}) asks for nothing, so it is accepted silently either way.
 */
final class Unsupported {
  static final String IGNORED = "not supported by Sluice yet; ignored";

  private Unsupported() {}

  /** Whether a value asks for nothing: null, false, an empty string, object or list. */
  static boolean isDefault(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return true;
    }
    if (n.isBoolean()) {
      return !n.booleanValue();
    }
    if (n.isTextual()) {
      return n.asText().isEmpty();
    }
    if (n.isContainerNode()) {
      return n.isEmpty();
    }
    return false;
  }

  /** Reads every present field of {@code fields}, warning for each that is not at its default. */
  static void warn(MessageReader m, Set<String> fields) {
    for (String f : fields) {
      warn(m, f, IGNORED);
    }
  }

  /** Reads a field, warning with {@code message} when it is set to something. */
  static void warn(MessageReader m, String field, String message) {
    JsonNode n = m.raw(field);
    if (!isDefault(n)) {
      m.warn(field, message);
    }
  }

  /**
   * Reads a field, recording "not supported by Sluice: {@code what}" when it is set to something.
   *
   * @return whether the field was set (and so rejected)
   */
  static boolean reject(MessageReader m, String field, String what) {
    JsonNode n = m.raw(field);
    if (isDefault(n)) {
      return false;
    }
    m.error(field, "not supported by Sluice: " + what);
    return true;
  }

  /** The message name of a type URL: what follows its last {@code /}. */
  static String typeName(String typeUrl) {
    if (typeUrl == null) {
      return "";
    }
    return typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
  }
}
