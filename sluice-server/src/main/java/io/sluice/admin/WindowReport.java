package io.sluice.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sluice.cluster.UpstreamCluster;
import io.sluice.config.ListenerSpec;
import io.sluice.proxy.DataPlaneState;
import io.sluice.proxy.ProxyServer;
import io.sluice.route.ForwardAction;
import io.sluice.route.Route;
import io.sluice.route.VirtualHost;
import io.sluice.route.WeightedCluster;
import io.sluice.route.WeightedClusters;
import io.sluice.runtime.Runtime;
import io.sluice.stats.StatNames;
import io.sluice.stats.TrafficWindows;
import io.sluice.stats.WindowSnapshot;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /stats/window?span=D}: what {@code sluice stat} shows, one row per backend of each
 * current route (with its configured share, traffic or not) and per route, plus backends that had
 * traffic within the span but are no longer configured. Each row has its requests, failures,
 * status classes, bytes and latency histogram over the span, so that several proxies' rows add up.
 */
final class WindowReport {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");
  private static final String[] CLASSES = {null, "1xx", "2xx", "3xx", "4xx", "5xx"};

  /** A row's identity. */
  private record Key(String route, String backend) {}

  /** A row's identity and what the configuration says about it. */
  private record Row(String route, String backend, String name, String namespace, Double weight) {}

  private final ProxyServer proxy;

  WindowReport(ProxyServer proxy) {
    this.proxy = proxy;
  }

  FullHttpResponse answer(Map<String, List<String>> params) throws IOException {
    TrafficWindows windows = proxy.stats().windows();
    Duration span = windows.window();
    String asked = AdminHandler.first(params, "span");
    if (asked != null) {
      Duration d = parse(asked);
      if (d == null) {
        return bad("span: expected a duration such as 30s or 1m, got '" + asked + "'");
      }
      if (d.compareTo(TrafficWindows.MIN) < 0 || d.compareTo(TrafficWindows.MAX) > 0) {
        return bad("span: must be between 10s and 10m, got '" + asked + "'");
      }
      if (d.compareTo(windows.window()) > 0) {
        return bad("span: " + asked + " is longer than this proxy's window ("
            + TrafficWindows.describe(windows.window()) + "); ask for at most that, or start sluice proxy with"
            + " a longer --window");
      }
      span = windows.roundSpan(d);
    }
    DataPlaneState state = proxy.state();
    Map<Key, Row> rows = configured(state);
    // Traffic within the span that the configuration no longer names: its backend and its route.
    Map<Key, Row> extra = new LinkedHashMap<>();
    for (TrafficWindows.Row w : windows.rows()) {
      if (w.window().snapshot(span).requests() == 0) {
        continue;
      }
      if (w.backend() != null && !rows.containsKey(key(w.route(), w.backend()))) {
        extra.put(key(w.route(), w.backend()), new Row(w.route(), w.backend(), StatNames.display(w.backend()),
            StatNames.namespace(w.backend()), null));
      }
      if (!rows.containsKey(key(w.route(), null))) {
        extra.put(key(w.route(), null),
            new Row(w.route(), null, StatNames.display(w.route()), StatNames.namespace(w.route()), null));
      }
    }
    List<Row> sorted = new ArrayList<>(extra.values());
    sorted.sort(Comparator.comparing(Row::route).thenComparing(r -> r.backend() == null ? "" : r.backend()));
    sorted.forEach(r -> rows.put(key(r.route(), r.backend()), r));

    ObjectNode root = AdminHandler.JSON.createObjectNode();
    root.put("window_seconds", windows.window().toMillis() / 1000.0);
    root.put("span_seconds", span.toMillis() / 1000.0);
    ArrayNode out = root.putArray("rows");
    for (Row r : rows.values()) {
      WindowSnapshot s = windows.snapshot(r.route(), r.backend(), span);
      ObjectNode o = out.addObject();
      o.put("route", r.route());
      o.put("backend", r.backend());
      o.put("name", r.name());
      o.put("namespace", r.namespace());
      o.put("weight", r.weight());
      o.put("requests", s.requests());
      o.put("failures", s.failures());
      ObjectNode classes = o.putObject("status_classes");
      for (int c = 1; c < CLASSES.length; c++) {
        classes.put(CLASSES[c], s.classes()[c]);
      }
      o.put("bytes_in", s.bytesIn());
      o.put("bytes_out", s.bytesOut());
      if (r.backend() == null) {
        o.putNull("tcp_connections");
      } else {
        UpstreamCluster c = state.cluster(r.backend());
        o.put("tcp_connections", c == null ? 0 : c.activeConnections());
      }
      o.put("covered_seconds", s.seconds());
      o.put("latency", s.encodedLatency());
    }
    return AdminHandler.json(root);
  }

  /**
   * A row per route that forwards, then per backend of it, in configuration order. A backend's
   * weight is its share of the route's weighted clusters with runtime overrides applied, 1 for a
   * route's one cluster; where several Envoy routes share a stat name (one HTTPRoute's rules), the
   * first to name the backend gives it.
   */
  private static Map<Key, Row> configured(DataPlaneState state) {
    Runtime runtime = state.runtime();
    Map<Key, Row> rows = new LinkedHashMap<>();
    for (ListenerSpec l : state.bootstrap().listeners()) {
      for (VirtualHost vh : l.routes().virtualHosts()) {
        for (Route r : vh.routes()) {
          ForwardAction f = r.forward();
          if (f == null) {
            continue;
          }
          String route = StatNames.windowRoute(r);
          boolean unnamed = r.name().isEmpty();
          rows.putIfAbsent(key(route, null), new Row(route, null,
              unnamed ? route : StatNames.display(route), unnamed ? null : StatNames.namespace(route), null));
          for (Map.Entry<String, Double> b : shares(f, runtime).entrySet()) {
            String backend = b.getKey();
            rows.putIfAbsent(key(route, backend), new Row(route, backend, StatNames.display(backend),
                StatNames.namespace(backend), b.getValue()));
          }
        }
      }
    }
    return rows;
  }

  /** Each cluster the action names, with its share of the route's requests. */
  private static Map<String, Double> shares(ForwardAction f, Runtime runtime) {
    Map<String, Double> out = new LinkedHashMap<>();
    WeightedClusters w = f.weighted();
    if (w == null) {
      if (f.cluster() != null) {
        out.put(f.cluster(), 1.0);
      }
      return out;
    }
    long total = 0;
    long[] weights = new long[w.entries().size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = Math.max(0, w.effectiveWeight(i, runtime));
      total += weights[i];
    }
    for (int i = 0; i < weights.length; i++) {
      WeightedCluster e = w.entries().get(i);
      if (e.clusterHeader() != null) {
        continue;
      }
      out.merge(e.name(), total == 0 ? 0.0 : weights[i] / (double) total, Double::sum);
    }
    return out;
  }

  private static Key key(String route, String backend) {
    return new Key(route, backend);
  }

  /** {@code 30s}, {@code 1m}, {@code 1.5m}, {@code 90} (seconds); null when not a duration. */
  static Duration parse(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    double v = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double nanos = v * switch (unit) {
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      default -> 3600e9;
    };
    return nanos > Long.MAX_VALUE / 2 ? Duration.ofDays(1) : Duration.ofNanos((long) nanos);
  }

  private static FullHttpResponse bad(String message) {
    return AdminHandler.text(HttpResponseStatus.BAD_REQUEST, message + "\n");
  }
}
