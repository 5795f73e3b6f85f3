package io.sluice.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Locale;

/**
 * What compiling one HTTPRoute found, written as its Gateway API status: for each parentRef
 * whether it was accepted (and why not), whether every backend reference resolved, and which
 * rules were dropped.
 */
final class RouteReport {
  /** The outcome of one parentRef. */
  record ParentOutcome(HttpRouteSpec.ParentRef ref, boolean accepted, String reason, String message) {}

  final Resource resource;
  final HttpRouteSpec spec;
  /** Rule index to why Sluice cannot implement it; such rules are dropped. */
  final Map<Integer, String> dropped = new TreeMap<>();
  /** ResolvedRefs problems: message to reason, in the order found. */
  final Map<String, String> refProblems = new LinkedHashMap<>();
  private final Map<Integer, ParentOutcome> parents = new TreeMap<>();

  RouteReport(Resource resource, HttpRouteSpec spec) {
    this.resource = resource;
    this.spec = spec;
    for (int i = 0; i < spec.rules().size(); i++) {
      List<String> problems = RuleTranslator.problems(spec.rules().get(i));
      if (!problems.isEmpty()) {
        dropped.put(i, String.join("; ", problems));
      }
    }
  }

  String owner() {
    return resource.key().namespace() + "/" + resource.key().name();
  }

  String display() {
    return resource.key().kind().kind().toLowerCase(Locale.ROOT) + "/" + resource.key().name();
  }

  boolean hasValidRules() {
    return dropped.size() < spec.rules().size();
  }

  /** Records the outcome of parentRef {@code index}; the first outcome recorded for it stays. */
  void parent(int index, boolean accepted, String reason, String message) {
    parents.putIfAbsent(index, new ParentOutcome(spec.parentRefs().get(index), accepted, reason, message));
  }

  void refProblem(String reason, String message) {
    refProblems.putIfAbsent(message, reason);
  }

  /** The status: {@code parents[]} with Accepted, ResolvedRefs and (when rules were dropped) PartiallyInvalid. */
  JsonNode status(Instant now) {
    ObjectNode status = Json.object();
    ArrayNode list = status.putArray("parents");
    JsonNode previous = resource.status() == null ? null : resource.status().get("parents");
    for (ParentOutcome p : parents.values()) {
      ObjectNode entry = list.addObject();
      entry.set("parentRef", p.ref().asWritten().deepCopy());
      entry.put("controllerName", Conditions.CONTROLLER);
      Conditions c = new Conditions(previousConditions(previous, p.ref().asWritten()), resource.generation(), now);
      ArrayNode conditions = entry.putArray("conditions");
      c.add(conditions, "Accepted", p.accepted(), p.reason(), p.message());
      if (refProblems.isEmpty()) {
        c.add(conditions, "ResolvedRefs", true, "ResolvedRefs", "All references resolved");
      } else {
        Map.Entry<String, String> first = refProblems.entrySet().iterator().next();
        c.add(conditions, "ResolvedRefs", false, first.getValue(), String.join("; ", refProblems.keySet()));
      }
      if (!dropped.isEmpty() && hasValidRules() && p.accepted()) {
        c.add(conditions, "PartiallyInvalid", true, "UnsupportedValue", droppedMessage());
      }
    }
    return status;
  }

  String droppedMessage() {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<Integer, String> e : dropped.entrySet()) {
      HttpRouteSpec.Rule r = spec.rules().get(e.getKey());
      parts.add("Dropped Rule rules[" + e.getKey() + "]" + (r.name() == null ? "" : " (" + r.name() + ")") + ": " + e.getValue());
    }
    return String.join("; ", parts);
  }

  private static JsonNode previousConditions(JsonNode previous, JsonNode ref) {
    if (previous == null || !previous.isArray()) {
      return null;
    }
    for (JsonNode p : previous) {
      if (ref.equals(p.get("parentRef"))) {
        return p.get("conditions");
      }
    }
    return null;
  }
}
