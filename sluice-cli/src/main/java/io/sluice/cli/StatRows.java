package io.sluice.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rows {@code sluice stat} shows: the answers of one or several proxies summed per (route,
 * backend), then the rows of one kind (backends or routes) in the namespaces asked for, in a stable
 * order.
 */
final class StatRows {
  private static final Comparator<String> NULLS_FIRST = Comparator.nullsFirst(Comparator.naturalOrder());
  private static final Comparator<StatRow> ORDER =
      Comparator.comparing(StatRow::namespace, NULLS_FIRST)
          .thenComparing(StatRow::route)
          .thenComparing(StatRow::displayName)
          .thenComparing(StatRow::backend, NULLS_FIRST);

  private StatRows() {}

  /**
   * Which namespaces to show.
   *
   * @param namespace the namespace asked for with {@code -n}, or null for the default
   * @param all {@code -A}: every namespace, and rows without one
   */
  record Scope(String namespace, boolean all) {
    boolean contains(String rowNamespace) {
      if (all) {
        return true;
      }
      if (namespace != null) {
        return namespace.equals(rowNamespace);
      }
      return rowNamespace == null || rowNamespace.equals("default");
    }

    /** How the scope reads in a message: {@code namespace traffic-shift-demo}. */
    String describe() {
      if (all) {
        return "any namespace";
      }
      return namespace != null ? "namespace " + namespace : "namespace default or without a namespace";
    }
  }

  /**
   * The answers of several proxies as one: rows with the same (route, backend) summed exactly (see
   * {@link StatRow#plus}), in the order they first appear; the largest window and span.
   */
  static WindowAnswer sum(List<WindowAnswer> answers) {
    Map<String, StatRow> rows = new LinkedHashMap<>();
    double window = 0;
    double span = 0;
    for (WindowAnswer a : answers) {
      window = Math.max(window, a.windowSeconds());
      span = Math.max(span, a.spanSeconds());
      for (StatRow r : a.rows()) {
        rows.merge(r.key(), r, StatRow::plus);
      }
    }
    return new WindowAnswer(window, span, new ArrayList<>(rows.values()));
  }

  /**
   * The rows to show: backend rows, or route rows with {@code byRoute}, within {@code scope};
   * ordered by namespace (none first), route, then name.
   */
  static List<StatRow> select(List<StatRow> rows, boolean byRoute, Scope scope) {
    return rows.stream().filter(r -> r.isRoute() == byRoute && scope.contains(r.namespace())).sorted(ORDER).toList();
  }

  /**
   * The rows of routes that carried requests in the window; all of them when none did. A table
   * leaves idle routes out (every Service has a route of its own in the mesh, mostly unused, and
   * its rows would be all {@code -}), but a backend without traffic on a busy route stays: that
   * is the canary not getting its share. With no traffic at all, every route is shown, so that a
   * configuration just applied shows its weights.
   */
  static List<StatRow> withoutIdleRoutes(List<StatRow> rows) {
    Set<String> busy = new HashSet<>();
    rows.stream().filter(r -> r.traffic().requests() > 0).forEach(r -> busy.add(r.route()));
    return busy.isEmpty() ? rows : rows.stream().filter(r -> busy.contains(r.route())).toList();
  }

  /** The namespaces that have rows, for a hint when the scope has none. */
  static List<String> namespaces(List<StatRow> rows) {
    TreeSet<String> out = new TreeSet<>();
    rows.stream().map(StatRow::namespace).filter(Objects::nonNull).forEach(out::add);
    return List.copyOf(out);
  }
}
