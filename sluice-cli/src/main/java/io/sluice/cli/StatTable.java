package io.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.stats.WindowSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * What {@code sluice stat} prints: a table laid out like {@code linkerd viz stat} (names
 * left-aligned, numbers right-aligned, {@code -} where there is nothing to show), or JSON whose field
 * names do not change.
 */
final class StatTable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Every number column is at least this wide, and its widest cell has two spaces before it. */
  private static final int MIN_NUMBER_WIDTH = 9;
  private static final int NUMBER_GAP = 2;
  /** The space before a name column, as in {@code sluice get}. */
  private static final int NAME_GAP = 3;
  private static final String NONE = "-";
  private static final String[] CLASSES = {null, "1xx", "2xx", "3xx", "4xx", "5xx"};

  private StatTable() {}

  /**
   * What to show.
   *
   * @param byRoute route rows (NAME is the route; no WEIGHT or TCP_CONN) rather than backend rows
   * @param allNamespaces a NAMESPACE column first
   * @param wide ROUTE, bytes per second each way, 4xx and 5xx counts
   */
  record Layout(boolean byRoute, boolean allNamespaces, boolean wide) {}

  /** One column: its header, its side, and how a row gives its cell. */
  private record Column(String header, boolean number, Function<StatRow, String> cell) {}

  /** The table of {@code rows}, header included, one line each, no trailing spaces. */
  static String render(List<StatRow> rows, Layout layout) {
    List<Column> columns = columns(rows, layout);
    List<String[]> lines = new ArrayList<>();
    lines.add(columns.stream().map(Column::header).toArray(String[]::new));
    for (StatRow r : rows) {
      lines.add(columns.stream().map(c -> c.cell().apply(r)).toArray(String[]::new));
    }
    int[] widths = new int[columns.size()];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] line : lines) {
      int start = sb.length();
      for (int i = 0; i < line.length; i++) {
        String cell = line[i];
        if (columns.get(i).number()) {
          int field = Math.max(MIN_NUMBER_WIDTH, widths[i] + NUMBER_GAP);
          sb.append(" ".repeat(field - cell.length())).append(cell);
        } else {
          sb.append(i == 0 ? "" : " ".repeat(NAME_GAP)).append(cell).append(" ".repeat(widths[i] - cell.length()));
        }
      }
      int end = sb.length();
      while (end > start && sb.charAt(end - 1) == ' ') {
        end--;
      }
      sb.setLength(end);
      sb.append('\n');
    }
    return sb.toString();
  }

  private static List<Column> columns(List<StatRow> rows, Layout layout) {
    List<Column> c = new ArrayList<>();
    if (layout.allNamespaces()) {
      c.add(new Column("NAMESPACE", false, r -> r.namespace() == null ? NONE : r.namespace()));
    }
    c.add(new Column("NAME", false, StatRow::displayName));
    if (!layout.byRoute() && (layout.wide() || namesRepeat(rows))) {
      c.add(new Column("ROUTE", false, StatRow::displayRoute));
    }
    if (!layout.byRoute()) {
      c.add(new Column("WEIGHT", true, r -> weight(r.weight())));
    }
    c.add(new Column("SUCCESS", true, r -> traffic(r, t -> success(t.requests(), t.failures()))));
    c.add(new Column("RPS", true, r -> traffic(r, t -> rps(t.requestsPerSecond()))));
    c.add(new Column("LATENCY_P50", true, r -> traffic(r, t -> latency(t.latencyMillis(0.50)))));
    c.add(new Column("LATENCY_P95", true, r -> traffic(r, t -> latency(t.latencyMillis(0.95)))));
    c.add(new Column("LATENCY_P99", true, r -> traffic(r, t -> latency(t.latencyMillis(0.99)))));
    if (!layout.byRoute()) {
      c.add(new Column("TCP_CONN", true, r -> r.tcpConnections() == null ? NONE : r.tcpConnections().toString()));
    }
    if (layout.wide()) {
      c.add(new Column("REQ_BYTES/SEC", true, r -> traffic(r, t -> bytesPerSecond(perSecond(t.bytesIn(), t)))));
      c.add(new Column("RESP_BYTES/SEC", true, r -> traffic(r, t -> bytesPerSecond(perSecond(t.bytesOut(), t)))));
      c.add(new Column("4XX", true, r -> traffic(r, t -> Long.toString(t.classes()[4]))));
      c.add(new Column("5XX", true, r -> traffic(r, t -> Long.toString(t.classes()[5]))));
    }
    return c;
  }

  /**
   * Whether two backend rows would read the same without their route (a Service reached through
   * two routes, as while an HTTPRoute replaces a Service's own routing): then ROUTE is shown.
   */
  private static boolean namesRepeat(List<StatRow> rows) {
    Set<String> seen = new HashSet<>();
    for (StatRow r : rows) {
      if (!seen.add(r.namespace() + "\u0000" + r.displayName())) {
        return true;
      }
    }
    return false;
  }

  /** A traffic cell, or {@code -} for a row without requests in the window. */
  private static String traffic(StatRow r, Function<WindowSnapshot, String> cell) {
    return r.traffic().requests() == 0 ? NONE : cell.apply(r.traffic());
  }

  private static double perSecond(long count, WindowSnapshot t) {
    return t.seconds() <= 0 ? 0 : count / t.seconds();
  }

  // ---- cells

  /**
   * The success rate with two decimals, rounded down, so that {@code 100.00%} means that nothing
   * failed: {@code floor(10000 * ok / requests)} hundredths of a percent, in exact integer arithmetic.
   */
  static String success(long requests, long failures) {
    if (requests == 0) {
      return NONE;
    }
    // A window holds far fewer than Long.MAX_VALUE / 10,000 (9.2e14) requests: no overflow.
    long hundredths = (requests - failures) * 10_000 / requests;
    return hundredths / 100 + "." + String.format(Locale.ROOT, "%02d", hundredths % 100) + "%";
  }

  /** Requests per second with one decimal: {@code 9.0rps}. */
  static String rps(double perSecond) {
    return String.format(Locale.ROOT, "%.1frps", perSecond);
  }

  /**
   * A latency as an operator reads it: whole milliseconds from 1 ms to 1 s ({@code 1ms},
   * {@code 12ms}, {@code 999ms}), seconds with one decimal above ({@code 1.5s}, {@code 2s}), tenths
   * of a millisecond below ({@code 0.4ms}; {@code 0ms} under 0.05 ms); {@code -} for none. Linkerd
   * prints whole milliseconds only, which shows every request on a fast network as {@code 0ms}.
   */
  static String latency(double millis) {
    if (Double.isNaN(millis)) {
      return NONE;
    }
    if (millis < 0.95) {
      return oneDecimal(millis) + "ms";
    }
    long whole = Math.round(millis);
    return whole < 1000 ? whole + "ms" : oneDecimal(millis / 1000) + "s";
  }

  /** A configured share as a percentage: whole when it is ({@code 90%}), else one decimal ({@code 33.3%}); {@code -} unknown. */
  static String weight(Double share) {
    if (share == null || share.isNaN()) {
      return NONE;
    }
    double percent = share * 100;
    long whole = Math.round(percent);
    return Math.abs(percent - whole) < 0.05 ? whole + "%" : String.format(Locale.ROOT, "%.1f%%", percent);
  }

  /** Bytes per second with one decimal, in steps of 1000: {@code 512.0B/s}, {@code 1.5kB/s}, {@code 12.3MB/s}. */
  static String bytesPerSecond(double perSecond) {
    String[] units = {"B/s", "kB/s", "MB/s", "GB/s", "TB/s"};
    double v = perSecond;
    int u = 0;
    while (v >= 999.95 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f", v) + units[u];
  }

  private static String oneDecimal(double v) {
    String s = String.format(Locale.ROOT, "%.1f", v);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  // ---- JSON

  /**
   * The rows as JSON, with the field names documented in the README (they do not change): numbers
   * unrounded, {@code null} where a table shows {@code -}.
   *
   * @param pretty indented over several lines, else one line (for {@code --watch})
   */
  static String json(WindowAnswer summed, List<StatRow> rows, boolean byRoute, List<String> proxies, boolean pretty) {
    ObjectNode root = JSON.createObjectNode();
    root.put("window_seconds", summed.windowSeconds());
    root.put("span_seconds", summed.spanSeconds());
    root.put("by", byRoute ? "route" : "backend");
    ArrayNode p = root.putArray("proxies");
    proxies.forEach(p::add);
    ArrayNode array = root.putArray("rows");
    for (StatRow r : rows) {
      WindowSnapshot t = r.traffic();
      boolean any = t.requests() > 0;
      ObjectNode o = array.addObject();
      o.put("namespace", r.namespace());
      o.put("name", r.displayName());
      o.put("route", r.route());
      o.put("backend", r.backend());
      o.put("weight", r.weight());
      o.put("requests", t.requests());
      o.put("failures", t.failures());
      o.put("success_rate", any ? t.successRate() : null);
      o.put("requests_per_second", t.requestsPerSecond());
      o.put("latency_ms_p50", any ? t.latencyMillis(0.50) : null);
      o.put("latency_ms_p95", any ? t.latencyMillis(0.95) : null);
      o.put("latency_ms_p99", any ? t.latencyMillis(0.99) : null);
      o.put("tcp_connections", r.tcpConnections());
      ObjectNode classes = o.putObject("status_classes");
      for (int k = 1; k < CLASSES.length; k++) {
        classes.put(CLASSES[k], t.classes()[k]);
      }
      o.put("request_bytes", t.bytesIn());
      o.put("response_bytes", t.bytesOut());
      o.put("request_bytes_per_second", perSecond(t.bytesIn(), t));
      o.put("response_bytes_per_second", perSecond(t.bytesOut(), t));
      o.put("covered_seconds", t.seconds());
    }
    try {
      return (pretty ? JSON.writerWithDefaultPrettyPrinter() : JSON.writer()).writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
