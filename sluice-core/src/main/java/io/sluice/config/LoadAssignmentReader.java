package io.sluice.config;

import io.sluice.cluster.DiscoveryType;
import io.sluice.cluster.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a cluster's {@code load_assignment} ({@code endpoint.v3.ClusterLoadAssignment}) into its
 * endpoints.
 *
 * <p>Priorities: Sluice does not fail over between priority levels yet. It uses the endpoints of
 * the lowest priority present and warns for the others, which is where Envoy sends all traffic while
 * that level is healthy (and where it sends it when level 0 is empty). Endpoints whose {@code
 * health_status} marks them unusable ({@code UNHEALTHY}, {@code DRAINING}, {@code TIMEOUT}) are left
 * out with a warning, as Envoy leaves them out of load balancing; {@code DEGRADED} ones are used as
 * healthy. Localities, their weights and metadata have no effect without locality-weighted load
 * balancing and are accepted silently.
 */
final class LoadAssignmentReader {
  private static final String PKG = "envoy.config.endpoint.v3.";
  private static final int MAX_PRIORITY = 128;

  private LoadAssignmentReader() {}

  /**
   * The endpoints of {@code cluster}'s {@code load_assignment} (empty when absent), or null after
   * recording errors.
   */
  static List<Endpoint> read(MessageReader cluster, DiscoveryType type) {
    if (!cluster.has("load_assignment")) {
      cluster.raw("load_assignment");
      if (type == DiscoveryType.LOGICAL_DNS) {
        cluster.error(null, "LOGICAL_DNS clusters must have a single host");
        return null;
      }
      return List.of();
    }
    MessageReader a = cluster.message("load_assignment", PKG + "ClusterLoadAssignment");
    if (a == null) {
      return null;
    }
    boolean ok = true;
    // Envoy requires the name but, for a static assignment, never compares it with the cluster's.
    if (a.string("cluster_name", "").isEmpty()) {
      a.error("cluster_name", "value length must be at least 1 characters");
      ok = false;
    }
    ok &= !Unsupported.reject(a, "named_endpoints", "named_endpoints (Envoy does not implement them either)");
    ok &= readPolicy(a);
    TreeMap<Long, List<Endpoint>> byPriority = new TreeMap<>();
    TreeMap<Long, List<String>> priorityPaths = new TreeMap<>();
    List<MessageReader> localities = a.messages("endpoints", PKG + "LocalityLbEndpoints");
    int hostCount = 0;
    for (MessageReader l : localities) {
      Long priority = l.optUint32("priority");
      long p = priority == null ? 0 : priority;
      if (p > MAX_PRIORITY) {
        l.error("priority", "value must be less than or equal to " + MAX_PRIORITY);
        ok = false;
      }
      Long weight = l.optUint32("load_balancing_weight");
      if (weight != null && weight < 1) {
        l.error("load_balancing_weight", "value must be greater than or equal to 1");
        ok = false;
      }
      l.skip("locality", "metadata", "proximity");
      String list = l.oneOf("lb_config", "lb_endpoints", "load_balancer_endpoints", "leds_cluster_locality_config");
      List<MessageReader> hosts = new ArrayList<>();
      MessageReader container = null;
      if ("load_balancer_endpoints".equals(list)) {
        container = l.message("load_balancer_endpoints", PKG + "LocalityLbEndpoints.LbEndpointList");
        if (container != null) {
          hosts = container.messages("lb_endpoints", PKG + "LbEndpoint");
        }
      } else if ("leds_cluster_locality_config".equals(list)) {
        ok &= !Unsupported.reject(l, "leds_cluster_locality_config", "LEDS (endpoints from a discovery service)");
      } else {
        hosts = l.messages("lb_endpoints", PKG + "LbEndpoint");
      }
      hostCount += hosts.size();
      List<Endpoint> level = byPriority.computeIfAbsent(p, k -> new ArrayList<>());
      for (MessageReader h : hosts) {
        Host host = readLbEndpoint(h, type);
        ok &= host.ok();
        if (host.endpoint() != null) {
          level.add(host.endpoint());
        }
      }
      if (container != null) {
        container.finish();
      }
      if (priority != null) {
        priorityPaths.computeIfAbsent(p, k -> new ArrayList<>()).add(l.pathOf("priority"));
      }
      l.finish();
    }
    a.finish();
    if (type == DiscoveryType.LOGICAL_DNS && (localities.size() != 1 || hostCount != 1)) {
      a.error(null, "LOGICAL_DNS clusters must have a single locality_lb_endpoint and a single lb_endpoint");
      return null;
    }
    if (!ok) {
      return null;
    }
    Long used = null;
    for (var e : byPriority.entrySet()) {
      if (!e.getValue().isEmpty()) {
        used = e.getKey();
        break;
      }
    }
    List<Endpoint> out = new ArrayList<>();
    for (var e : byPriority.entrySet()) {
      if (used != null && e.getKey().equals(used)) {
        out.addAll(e.getValue());
      } else if (!e.getValue().isEmpty()) {
        for (String path : priorityPaths.getOrDefault(e.getKey(), List.of())) {
          a.problems().warn(path, "Sluice does not fail over between priorities yet; only the endpoints of priority "
              + used + " are used");
        }
      }
    }
    return out;
  }

  private static boolean readPolicy(MessageReader a) {
    MessageReader p = a.message("policy", PKG + "ClusterLoadAssignment.Policy");
    if (p == null) {
      return true;
    }
    boolean ok = !Unsupported.reject(p, "drop_overloads", "drop_overloads (Sluice never drops requests on purpose)");
    Long factor = p.optUint32("overprovisioning_factor");
    if (factor != null && factor < 1) {
      p.error("overprovisioning_factor", "value must be greater than 0");
      ok = false;
    } else if (factor != null) {
      p.warn("overprovisioning_factor", Unsupported.IGNORED + " (Sluice has a single priority level)");
    }
    Unsupported.warn(p, Set.of("endpoint_stale_after", "weighted_priority_health"));
    p.finish();
    return ok;
  }

  /** An endpoint read: {@code endpoint} is null when it has errors or is left out. */
  private record Host(Endpoint endpoint, boolean ok) {}

  private static Host readLbEndpoint(MessageReader h, DiscoveryType type) {
    String id = h.oneOf("host_identifier", "endpoint", "endpoint_name");
    Endpoint result = null;
    HealthStatus health = h.enumValue("health_status", HealthStatus.values(), HealthStatus.UNKNOWN);
    Long weight = h.optUint32("load_balancing_weight");
    boolean ok = true;
    if (weight != null && weight < 1) {
      h.error("load_balancing_weight", "value must be greater than or equal to 1");
      ok = false;
    }
    h.skip("metadata");
    if (id == null) {
      h.error(null, "host_identifier: value is required (endpoint)");
      ok = false;
    } else if (id.equals("endpoint_name")) {
      h.raw("endpoint_name");
      h.error("endpoint_name", "not supported by Sluice: named endpoints (Envoy does not implement them either)");
      ok = false;
    } else {
      MessageReader e = h.message("endpoint", PKG + "Endpoint");
      ok &= e != null;
      if (e != null) {
        AddressReader.SocketAddress sa = AddressReader.read(e, "address", type == DiscoveryType.STATIC);
        String hostname = e.string("hostname", "");
        Unsupported.warn(e, "health_check_config", Unsupported.IGNORED + " (Sluice has no active health checking)");
        Unsupported.warn(e, "additional_addresses", Unsupported.IGNORED);
        e.finish();
        ok &= sa != null;
        if (ok) {
          long w = weight == null ? Endpoint.DEFAULT_WEIGHT : Math.min(weight, Integer.MAX_VALUE);
          result = new Endpoint(sa.address(), sa.port(), hostname, (int) w);
        }
      }
    }
    if (result != null && health.unusable) {
      h.warn("health_status", "endpoint is " + health + " and is not used");
      result = null;
    }
    h.finish();
    return new Host(result, ok);
  }

  /** {@code core.v3.HealthStatus}, in protobuf number order. */
  private enum HealthStatus {
    UNKNOWN(false),
    HEALTHY(false),
    UNHEALTHY(true),
    DRAINING(true),
    TIMEOUT(true),
    DEGRADED(false);

    final boolean unusable;

    HealthStatus(boolean unusable) {
      this.unusable = unusable;
    }
  }
}
