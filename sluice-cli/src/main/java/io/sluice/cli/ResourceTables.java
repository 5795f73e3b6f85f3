package io.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.resource.ResourceKind;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The tables {@code sluice get} prints, as kubectl prints them: upper-case headers, columns three
 * spaces apart, {@code NAMESPACE} first with {@code -A}, {@code AGE} last, and per kind the
 * columns an operator looks for ({@code -o wide} adds a few).
 */
final class ResourceTables {
  /** The kinds, with their short names, for messages about a kind Sluice does not keep. */
  static final String KINDS =
      "httproute, gateway (gtw), trafficsplit (ts), httproutegroup, service (svc), endpoints (ep), endpointslice";
  private static final int PADDING = 3;
  private static final int MIN_WIDTH = 6;
  private static final int SHOWN_ENDPOINTS = 3;

  private ResourceTables() {}

  /** One column: its header and how a resource's JSON gives its cell. */
  record Column(String header, Function<JsonNode, String> cell) {}

  static String unknownKind(String kind) {
    return "unknown kind \"" + kind + "\": sluice keeps " + KINDS + " (other kinds are accepted by apply and ignored)";
  }

  /** The columns for a kind, without NAMESPACE, NAME and AGE. */
  static List<Column> columns(ResourceKind kind, boolean wide) {
    List<Column> c = new ArrayList<>();
    switch (kind) {
      case HTTP_ROUTE, LINKERD_HTTP_ROUTE -> {
        c.add(new Column("HOSTNAMES", r -> joinOrNone(texts(r.path("spec").path("hostnames")))));
        c.add(new Column("PARENTS", ResourceTables::parents));
        c.add(new Column("ACCEPTED", r -> parentCondition(r, "Accepted")));
        if (wide) {
          c.add(new Column("RESOLVED", r -> parentCondition(r, "ResolvedRefs")));
          c.add(new Column("BACKENDS", ResourceTables::routeBackends));
        }
      }
      case GATEWAY -> {
        c.add(new Column("CLASS", r -> orNone(r.path("spec").path("gatewayClassName").asText(""))));
        c.add(new Column("LISTENERS", ResourceTables::gatewayListeners));
        c.add(new Column("PROGRAMMED", r -> condition(r.path("status").path("conditions"), "Programmed")));
        if (wide) {
          c.add(new Column("ACCEPTED", r -> condition(r.path("status").path("conditions"), "Accepted")));
        }
      }
      case TRAFFIC_SPLIT -> {
        c.add(new Column("SERVICE", r -> orNone(r.path("spec").path("service").asText(""))));
        c.add(new Column("BACKENDS", ResourceTables::splitBackends));
        if (wide) {
          c.add(new Column("MATCHES", r -> {
            List<String> names = new ArrayList<>();
            r.path("spec").path("matches").forEach(m -> names.add(m.path("kind").asText("") + "/" + m.path("name").asText("")));
            return joinOrNone(names);
          }));
        }
      }
      case HTTP_ROUTE_GROUP -> c.add(new Column("MATCHES", r -> {
        JsonNode matches = r.path("spec").has("matches") ? r.path("spec").path("matches") : r.path("matches");
        List<String> names = new ArrayList<>();
        matches.forEach(m -> names.add(m.path("name").asText("")));
        return joinOrNone(names);
      }));
      case SERVICE -> {
        c.add(new Column("TYPE", r -> r.path("spec").path("type").asText("ClusterIP")));
        c.add(new Column("CLUSTER-IP", r -> orNone(r.path("spec").path("clusterIP").asText(""))));
        c.add(new Column("EXTERNAL-IP", r -> joinOrNone(texts(r.path("spec").path("externalIPs")))));
        c.add(new Column("PORT(S)", ResourceTables::servicePorts));
        if (wide) {
          c.add(new Column("SELECTOR", r -> {
            List<String> pairs = new ArrayList<>();
            r.path("spec").path("selector").fields().forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
            return joinOrNone(pairs);
          }));
        }
      }
      case ENDPOINTS -> c.add(new Column("ENDPOINTS", ResourceTables::endpoints));
      case ENDPOINT_SLICE -> {
        c.add(new Column("ADDRESSTYPE", r -> r.path("addressType").asText("")));
        c.add(new Column("PORTS", r -> {
          List<String> ports = new ArrayList<>();
          r.path("ports").forEach(p -> ports.add(p.has("port") ? p.path("port").asText() : "<unset>"));
          return joinOrNone(ports);
        }));
        c.add(new Column("ENDPOINTS", r -> {
          List<String> addresses = new ArrayList<>();
          r.path("endpoints").forEach(e -> e.path("addresses").forEach(a -> addresses.add(a.asText())));
          return abbreviated(addresses);
        }));
      }
    }
    return c;
  }

  /**
   * The table of {@code items} (all of one kind).
   *
   * @param qualify whether NAME is {@code kind.group/name} (kubectl does this when one listing shows
   *     several kinds)
   */
  static String render(ResourceKind kind, List<JsonNode> items, boolean allNamespaces, boolean wide,
      boolean qualify, Instant now) {
    List<Column> columns = new ArrayList<>();
    if (allNamespaces) {
      columns.add(new Column("NAMESPACE", r -> r.path("metadata").path("namespace").asText("")));
    }
    columns.add(new Column("NAME", r -> (qualify ? kind.qualifiedName() + "/" : "") + r.path("metadata").path("name").asText()));
    columns.addAll(columns(kind, wide));
    columns.add(new Column("AGE", r -> age(r.path("metadata").path("creationTimestamp").asText(""), now)));
    List<String[]> rows = new ArrayList<>();
    rows.add(columns.stream().map(Column::header).toArray(String[]::new));
    for (JsonNode item : items) {
      rows.add(columns.stream().map(col -> col.cell().apply(item)).toArray(String[]::new));
    }
    int[] widths = new int[columns.size()];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], Math.max(MIN_WIDTH, row[i].length() + PADDING));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        sb.append(row[i]);
        if (i < row.length - 1) {
          sb.append(" ".repeat(widths[i] - row[i].length()));
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** kubectl's AGE (its {@code HumanDuration}): {@code 45s}, {@code 3m20s}, {@code 17m}, {@code 5h8m}, {@code 3d4h}, {@code 40d}. */
  static String age(String creationTimestamp, Instant now) {
    if (creationTimestamp.isEmpty()) {
      return "<unknown>";
    }
    try {
      return humanDuration(Duration.between(Instant.parse(creationTimestamp), now));
    } catch (DateTimeParseException e) {
      return "<unknown>";
    }
  }

  static String humanDuration(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < -1) {
      return "<invalid>";
    }
    if (seconds < 0) {
      return "0s";
    }
    if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    }
    if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    }
    if (hours < 48) {
      return hours + "h";
    }
    if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
    }
    if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    }
    if (hours < 24 * 365 * 8) {
      long dy = (hours / 24) % 365;
      return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
    }
    return hours / 24 / 365 + "y";
  }

  // ---- cells

  private static String parents(JsonNode r) {
    List<String> out = new ArrayList<>();
    String routeNamespace = r.path("metadata").path("namespace").asText("");
    for (JsonNode p : r.path("spec").path("parentRefs")) {
      String kind = p.path("kind").asText("Gateway");
      String ns = p.path("namespace").asText("");
      StringBuilder s = new StringBuilder(kind).append('/');
      if (!ns.isEmpty() && !ns.equals(routeNamespace)) {
        s.append(ns).append('/');
      }
      s.append(p.path("name").asText(""));
      if (p.has("sectionName")) {
        s.append('.').append(p.path("sectionName").asText());
      }
      if (p.has("port")) {
        s.append(':').append(p.path("port").asText());
      }
      out.add(s.toString());
    }
    return joinOrNone(out);
  }

  /** A route's condition over its parents: True or False when all agree, {@code 1/2} when they do not. */
  private static String parentCondition(JsonNode r, String type) {
    JsonNode parents = r.path("status").path("parents");
    if (!parents.isArray() || parents.isEmpty()) {
      return "Unknown";
    }
    int yes = 0;
    int known = 0;
    for (JsonNode p : parents) {
      String s = condition(p.path("conditions"), type);
      if (!s.equals("Unknown")) {
        known++;
      }
      if (s.equals("True")) {
        yes++;
      }
    }
    if (known == 0) {
      return "Unknown";
    }
    if (yes == parents.size()) {
      return "True";
    }
    return yes == 0 ? "False" : yes + "/" + parents.size();
  }

  private static String condition(JsonNode conditions, String type) {
    for (JsonNode c : conditions) {
      if (type.equals(c.path("type").asText())) {
        return c.path("status").asText("Unknown");
      }
    }
    return "Unknown";
  }

  private static String routeBackends(JsonNode r) {
    List<String> rules = new ArrayList<>();
    for (JsonNode rule : r.path("spec").path("rules")) {
      List<String> refs = new ArrayList<>();
      for (JsonNode b : rule.path("backendRefs")) {
        String target = b.path("name").asText("") + (b.has("port") ? ":" + b.path("port").asText() : "");
        refs.add(target + "=" + b.path("weight").asText("1"));
      }
      rules.add(refs.isEmpty() ? "<parent>" : String.join(",", refs));
    }
    return rules.isEmpty() ? "<none>" : String.join(";", rules);
  }

  private static String gatewayListeners(JsonNode r) {
    List<String> out = new ArrayList<>();
    for (JsonNode l : r.path("spec").path("listeners")) {
      String host = l.path("hostname").asText("");
      out.add(l.path("name").asText("") + "/" + l.path("protocol").asText("HTTP") + ":" + l.path("port").asText()
          + (host.isEmpty() ? "" : "(" + host + ")"));
    }
    return joinOrNone(out);
  }

  private static String splitBackends(JsonNode r) {
    List<String> out = new ArrayList<>();
    for (JsonNode b : r.path("spec").path("backends")) {
      out.add(b.path("service").asText("") + "=" + b.path("weight").asText(""));
    }
    return joinOrNone(out);
  }

  private static String servicePorts(JsonNode r) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : r.path("spec").path("ports")) {
      out.add(p.path("port").asText() + (p.has("nodePort") ? ":" + p.path("nodePort").asText() : "") + "/"
          + p.path("protocol").asText("TCP"));
    }
    return joinOrNone(out);
  }

  private static String endpoints(JsonNode r) {
    List<String> out = new ArrayList<>();
    for (JsonNode subset : r.path("subsets")) {
      for (JsonNode a : subset.path("addresses")) {
        JsonNode ports = subset.path("ports");
        if (ports.isEmpty()) {
          out.add(a.path("ip").asText(""));
        }
        for (JsonNode p : ports) {
          out.add(a.path("ip").asText("") + ":" + p.path("port").asText());
        }
      }
    }
    return abbreviated(out);
  }

  /** kubectl's endpoint list: the first three, then {@code + N more...}. */
  private static String abbreviated(List<String> values) {
    if (values.isEmpty()) {
      return "<none>";
    }
    if (values.size() <= SHOWN_ENDPOINTS) {
      return String.join(",", values);
    }
    return String.join(",", values.subList(0, SHOWN_ENDPOINTS)) + " + " + (values.size() - SHOWN_ENDPOINTS) + " more...";
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static String joinOrNone(List<String> values) {
    return values.isEmpty() ? "<none>" : String.join(",", values);
  }

  private static String orNone(String value) {
    return value.isEmpty() ? "<none>" : value;
  }
}
