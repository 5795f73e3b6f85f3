package io.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.stats.WindowSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * A proxy's answer to {@code GET /stats/window}: the proxy's window, the span the numbers cover,
 * and one row per backend of each route (and per route). Parsing checks every field it uses and
 * names the one that is wrong.
 *
 * @param windowSeconds the proxy's window
 * @param spanSeconds the span asked for, after the proxy rounded it
 */
record WindowAnswer(double windowSeconds, double spanSeconds, List<StatRow> rows) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] CLASSES = {null, "1xx", "2xx", "3xx", "4xx", "5xx"};

  WindowAnswer {
    rows = List.copyOf(rows);
  }

  /**
   * Reads an answer.
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  static WindowAnswer parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    JsonNode rows = root.path("rows");
    if (!rows.isArray()) {
      throw new IllegalArgumentException("rows: expected an array");
    }
    List<StatRow> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      out.add(row(rows.get(i), "rows[" + i + "]"));
    }
    return new WindowAnswer(number(root, "window_seconds", ""), number(root, "span_seconds", ""), out);
  }

  private static StatRow row(JsonNode r, String at) {
    String route = text(r, "route", at, true);
    String backend = text(r, "backend", at, false);
    String name = text(r, "name", at, false);
    String namespace = text(r, "namespace", at, false);
    long[] classes = new long[6];
    JsonNode c = r.path("status_classes");
    for (int k = 1; k < CLASSES.length; k++) {
      classes[k] = c.has(CLASSES[k]) ? count(c, CLASSES[k], at + ".status_classes.") : 0;
    }
    Histogram latency;
    JsonNode encoded = r.path("latency");
    if (encoded.isTextual() && !encoded.asText().isEmpty()) {
      try {
        latency = WindowSnapshot.decodeLatency(encoded.asText());
      } catch (RuntimeException e) { // a bad cookie, a short buffer, bad base64: all the same to the user
        throw new IllegalArgumentException(at + ".latency: not an encoded latency histogram");
      }
    } else {
      latency = WindowSnapshot.empty(0).latency();
    }
    // The histogram may have been encoded without room to grow; summing proxies needs it.
    latency.setAutoResize(true);
    WindowSnapshot traffic = new WindowSnapshot(count(r, "requests", at + "."), count(r, "failures", at + "."),
        classes, count(r, "bytes_in", at + "."), count(r, "bytes_out", at + "."), latency,
        number(r, "covered_seconds", at + "."));
    JsonNode weight = r.path("weight");
    if (!weight.isMissingNode() && !weight.isNull() && !weight.isNumber()) {
      throw new IllegalArgumentException(at + ".weight: expected a number or null");
    }
    JsonNode connections = r.path("tcp_connections");
    if (!connections.isMissingNode() && !connections.isNull() && !connections.canConvertToExactIntegral()) {
      throw new IllegalArgumentException(at + ".tcp_connections: expected a whole number or null");
    }
    return new StatRow(route, backend, name, namespace, weight.isNumber() ? weight.asDouble() : null,
        connections.isNumber() ? connections.asLong() : null, traffic);
  }

  private static String text(JsonNode r, String field, String at, boolean required) {
    JsonNode v = r.path(field);
    if (v.isTextual()) {
      return v.asText();
    }
    if (!required && (v.isMissingNode() || v.isNull())) {
      return null;
    }
    throw new IllegalArgumentException(at + "." + field + ": expected a string" + (required ? "" : " or null"));
  }

  private static long count(JsonNode parent, String field, String at) {
    JsonNode v = parent.path(field);
    if (!v.canConvertToExactIntegral() || v.asLong() < 0) {
      throw new IllegalArgumentException(at + field + ": expected a count, got " + (v.isMissingNode() ? "nothing" : v));
    }
    return v.asLong();
  }

  private static double number(JsonNode parent, String field, String at) {
    JsonNode v = parent.path(field);
    if (!v.isNumber() || v.asDouble() < 0) {
      throw new IllegalArgumentException(at + field + ": expected a number of seconds, got "
          + (v.isMissingNode() ? "nothing" : v));
    }
    return v.asDouble();
  }
}
