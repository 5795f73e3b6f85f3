package io.sluice.check;

import io.sluice.route.Route;
import io.sluice.route.RouteResult;
import io.sluice.route.RouteTable;
import io.sluice.route.VirtualHost;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which routes the passing checks of a test run reached, and Envoy's two coverage figures.
 *
 * <p>A <em>target</em> is one selectable outcome: a route, or one cluster of a weighted route, or
 * the single {@code require_tls} redirect that Envoy shares across all virtual hosts. A target is
 * recorded the first time a passing check of the matching kind marks one of its fields. With N the
 * number of configured routes, a weighted route counting once per cluster:
 *
 * <ul>
 *   <li>default coverage = 100 * (targets recorded) / N;
 *   <li>comprehensive ({@code --covall}) = 100 * sum over targets of (fields marked / fields it
 *       has) / N, where forwarding targets have 5 fields and local replies 2.
 * </ul>
 *
 * <p>Envoy builds a new route object per request for {@code cluster_header}, so a passing test of
 * such a route can add a target each time; here the route is one target, so coverage never
 * exceeds 100%.
 */
public final class CoverageTracker {

  /** A field a check can mark, and whether it belongs to forwarding or local-reply targets. */
  public enum Field {
    CLUSTER(true),
    VIRTUAL_CLUSTER(true),
    VIRTUAL_HOST(true),
    PATH_REWRITE(true),
    HOST_REWRITE(true),
    REDIRECT_PATH(false),
    REDIRECT_CODE(false);

    private final boolean routeEntry;

    Field(boolean routeEntry) {
      this.routeEntry = routeEntry;
    }
  }

  private static final int ROUTE_ENTRY_FIELDS = 5;
  private static final int DIRECT_RESPONSE_FIELDS = 2;
  /** Stands for Envoy's one shared TLS redirect route, whatever virtual host produced it. */
  private static final Object TLS_REDIRECT = new Object();

  private final RouteTable table;
  private final int routeCount;
  private final Map<Object, Target> targets = new IdentityHashMap<>();
  private final List<Target> inOrder = new ArrayList<>();

  /** A tracker for the routes of {@code table}. */
  public CoverageTracker(RouteTable table) {
    this.table = table;
    int n = 0;
    for (VirtualHost vh : table.virtualHosts()) {
      for (Route r : vh.routes()) {
        n += r.results().length;
      }
    }
    this.routeCount = n;
  }

  /**
   * Records that a passing check marked {@code field} of the outcome {@code result}; nothing
   * happens when the outcome is not of the field's kind (a passing {@code path_redirect: ""} on a
   * forwarding route marks nothing) or when nothing was routed.
   */
  public void mark(RouteResult result, Field field) {
    boolean routeEntry = result.kind() == RouteResult.Kind.FORWARD;
    boolean direct = result.kind() == RouteResult.Kind.REDIRECT || result.kind() == RouteResult.Kind.DIRECT_RESPONSE;
    if (field.routeEntry ? !routeEntry : !direct) {
      return;
    }
    Object key = result.route() == null ? TLS_REDIRECT : result;
    Target t = targets.get(key);
    if (t == null) {
      t = new Target(result.routeName(), routeEntry ? ROUTE_ENTRY_FIELDS : DIRECT_RESPONSE_FIELDS);
      targets.put(key, t);
      inOrder.add(t);
    }
    t.marked.add(field);
  }

  /** The number of configured routes, a weighted route counting once per cluster. */
  public int routeCount() {
    return routeCount;
  }

  /** The default coverage in percent. */
  public double coverage() {
    return 100.0 * inOrder.size() / routeCount;
  }

  /** The comprehensive ({@code --covall}) coverage in percent. */
  public double comprehensiveCoverage() {
    double sum = 0;
    for (Target t : inOrder) {
      sum += (double) t.marked.size() / t.fieldCount;
    }
    return 100.0 * sum / routeCount;
  }

  /**
   * The routes no target covers, in configuration order. As in Envoy this goes by route name
   * (unique after the tool's renaming): a weighted route with any covered cluster is covered, and a
   * route reached only through a TLS redirect is not.
   */
  public List<MissingRoute> missingRoutes() {
    Set<String> covered = new HashSet<>();
    for (Target t : inOrder) {
      covered.add(t.name);
    }
    List<MissingRoute> out = new ArrayList<>();
    for (VirtualHost vh : table.virtualHosts()) {
      for (Route r : vh.routes()) {
        if (!covered.contains(r.name())) {
          out.add(new MissingRoute(vh.name(), r));
        }
      }
    }
    return out;
  }

  /** A configured route no passing check reached. */
  public record MissingRoute(String virtualHost, Route route) {}

  private static final class Target {
    final String name;
    final int fieldCount;
    final Set<Field> marked = EnumSet.noneOf(Field.class);

    Target(String name, int fieldCount) {
      this.name = name;
      this.fieldCount = fieldCount;
    }
  }
}
