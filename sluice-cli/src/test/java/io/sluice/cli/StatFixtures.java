package io.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.stats.WindowSnapshot;
import java.util.List;
import org.HdrHistogram.Histogram;

/** Rows and {@code /stats/window} answers with known numbers, for the tests of {@code sluice stat}. */
final class StatFixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatFixtures() {}

  /** A backend row: {@code requests} answered 2xx but {@code failures} 5xx, each taking {@code latencyMicros}. */
  static StatRow backend(String route, String backend, String name, String namespace, Double weight, Long connections,
      long requests, long failures, long latencyMicros, double seconds) {
    return new StatRow(route, backend, name, namespace, weight, connections,
        traffic(requests, failures, seconds, latencyMicros));
  }

  static WindowSnapshot traffic(long requests, long failures, double seconds, long... latenciesMicros) {
    Histogram h = new Histogram(2);
    h.setAutoResize(true);
    if (requests > 0) {
      for (int i = 0; i < requests; i++) {
        h.recordValue(latenciesMicros[i % latenciesMicros.length]);
      }
    }
    long[] classes = new long[6];
    classes[2] = requests - failures;
    classes[5] = failures;
    return new WindowSnapshot(requests, failures, classes, requests * 100, requests * 1000, h, seconds);
  }

  /** The JSON a proxy would answer for these rows, in the admin endpoint's shape. */
  static String answer(double window, double span, List<StatRow> rows) {
    ObjectNode root = JSON.createObjectNode();
    root.put("window_seconds", window);
    root.put("span_seconds", span);
    ArrayNode array = root.putArray("rows");
    for (StatRow r : rows) {
      WindowSnapshot t = r.traffic();
      ObjectNode o = array.addObject();
      o.put("route", r.route());
      o.put("backend", r.backend());
      o.put("name", r.name());
      o.put("namespace", r.namespace());
      o.put("weight", r.weight());
      o.put("requests", t.requests());
      o.put("failures", t.failures());
      ObjectNode c = o.putObject("status_classes");
      for (int k = 1; k < 6; k++) {
        c.put(k + "xx", t.classes()[k]);
      }
      o.put("bytes_in", t.bytesIn());
      o.put("bytes_out", t.bytesOut());
      o.put("tcp_connections", r.tcpConnections());
      o.put("covered_seconds", t.seconds());
      o.put("latency", t.encodedLatency());
    }
    return root.toString();
  }
}
