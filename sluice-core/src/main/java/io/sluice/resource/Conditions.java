package io.sluice.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Writes {@code metav1.Condition}s. A condition keeps its {@code lastTransitionTime} from the
 * previous status while its status and reason stay the same, so compiling an unchanged set gives
 * an unchanged status.
 */
final class Conditions {
  /** The controller name written in route statuses. */
  static final String CONTROLLER = "sluice.io/gateway-controller";

  private final JsonNode previous;
  private final long generation;
  private final Instant now;

  /**
   * @param previous the previous conditions list of the same object, or null
   * @param generation the object's generation, written as {@code observedGeneration}
   */
  Conditions(JsonNode previous, long generation, Instant now) {
    this.previous = previous;
    this.generation = generation;
    this.now = now.truncatedTo(ChronoUnit.SECONDS);
  }

  /** Adds a condition to {@code list}. */
  void add(ArrayNode list, String type, boolean status, String reason, String message) {
    String s = status ? "True" : "False";
    ObjectNode c = list.addObject();
    c.put("type", type);
    c.put("status", s);
    c.put("reason", reason);
    c.put("message", message);
    c.put("lastTransitionTime", transitionTime(type, s));
    c.put("observedGeneration", generation);
  }

  private String transitionTime(String type, String status) {
    if (previous != null && previous.isArray()) {
      for (JsonNode c : previous) {
        if (type.equals(Json.text(c, "type")) && status.equals(Json.text(c, "status")) && Json.text(c, "lastTransitionTime") != null) {
          return Json.text(c, "lastTransitionTime");
        }
      }
    }
    return now.toString();
  }
}
