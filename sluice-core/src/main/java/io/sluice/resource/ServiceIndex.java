package io.sluice.resource;

import io.sluice.cluster.ClusterSpec;
import io.sluice.cluster.DiscoveryType;
import io.sluice.cluster.Endpoint;
import io.sluice.cluster.IpLiterals;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Services of a resource set and the addresses behind each of their ports, from
 * EndpointSlices (linked by the {@code kubernetes.io/service-name} label) or, when a Service has
 * none, from the Endpoints object of the same name. Each Service port is one cluster named {@code
 * <namespace>/<service>:<port>}, with no endpoints when nothing is known about its addresses.
 */
final class ServiceIndex {
  /** A Service with its key. */
  record Svc(String namespace, String name, ServiceSpec spec) {}

  /**
   * What a backend reference resolves to: a cluster, or why it is invalid ({@code reason} is a
   * Gateway API ResolvedRefs reason).
   */
  record Resolution(String cluster, String reason, String message) {
    boolean ok() {
      return cluster != null;
    }
  }

  private final Map<String, Svc> services = new TreeMap<>();
  private final Map<String, List<EndpointSpec>> slices = new HashMap<>();
  private final Map<String, EndpointSpec> endpoints = new HashMap<>();
  private final List<ClusterSpec> clusters = new ArrayList<>();

  ServiceIndex(List<Svc> svcs, Map<String, List<EndpointSpec>> slicesByService, Map<String, EndpointSpec> endpointsByName) {
    for (Svc s : svcs) {
      services.put(s.namespace() + "/" + s.name(), s);
    }
    slices.putAll(slicesByService);
    endpoints.putAll(endpointsByName);
    for (Svc s : services.values()) {
      for (ServiceSpec.Port p : s.spec().ports()) {
        if (!p.protocol().equals("TCP")) {
          continue;
        }
        List<Endpoint> eps = endpointsOf(s, p);
        boolean dns = eps.stream().anyMatch(e -> !IpLiterals.isIpLiteral(e.address()));
        clusters.add(ClusterSpec.of(clusterName(s.namespace(), s.name(), p.port()), dns ? DiscoveryType.STRICT_DNS : DiscoveryType.STATIC, eps));
      }
    }
  }

  static String clusterName(String namespace, String name, int port) {
    return namespace + "/" + name + ":" + port;
  }

  /** Every Service, sorted by namespace and name. */
  List<Svc> services() {
    return List.copyOf(services.values());
  }

  Svc service(String namespace, String name) {
    return services.get(namespace + "/" + name);
  }

  /** One cluster per TCP Service port, sorted by Service. */
  List<ClusterSpec> clusters() {
    return List.copyOf(clusters);
  }

  /** The Services named {@code name} in any namespace. */
  List<Svc> named(String name) {
    List<Svc> out = new ArrayList<>();
    for (Svc s : services.values()) {
      if (s.name().equals(name)) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Resolves a backend reference of a route in {@code routeNamespace}: a core Service port, or an
   * invalid reference and why.
   */
  Resolution resolve(String group, String kind, String namespace, String name, Integer port, String routeNamespace) {
    String ns = namespace == null ? routeNamespace : namespace;
    if (!HttpRouteSpec.isCoreGroup(group) || !kind.equalsIgnoreCase("Service")) {
      return new Resolution(null, "InvalidKind", "unsupported backend kind " + (group.isEmpty() ? "" : group + "/") + kind + " " + ns + "/" + name);
    }
    Svc s = service(ns, name);
    if (s == null) {
      return new Resolution(null, "BackendNotFound", "Service " + ns + "/" + name + " not found");
    }
    if (port == null) {
      return new Resolution(null, "BackendNotFound", "missing port for backend Service " + ns + "/" + name);
    }
    ServiceSpec.Port p = s.spec().port(port);
    if (p == null || !p.protocol().equals("TCP")) {
      return new Resolution(null, "BackendNotFound", "Service " + ns + "/" + name + " has no TCP port " + port);
    }
    return new Resolution(clusterName(ns, name, port), null, null);
  }

  private List<Endpoint> endpointsOf(Svc s, ServiceSpec.Port p) {
    String key = s.namespace() + "/" + s.name();
    Set<Endpoint> out = new LinkedHashSet<>();
    List<EndpointSpec> sources = slices.get(key);
    if (sources == null || sources.isEmpty()) {
      EndpointSpec e = endpoints.get(key);
      sources = e == null ? List.of() : List.of(e);
    }
    for (EndpointSpec source : sources) {
      for (EndpointSpec.Subset subset : source.subsets()) {
        for (EndpointSpec.Port sp : subset.ports()) {
          // Ports are matched by name: the Service's targetPort may be a name that only the
          // endpoints resolve to a number.
          if (!sp.name().equals(p.name()) || !sp.protocol().equals(p.protocol())) {
            continue;
          }
          Integer number = sp.port() != null ? sp.port() : p.targetPort() != null ? p.targetPort() : Integer.valueOf(p.port());
          if (number == null || number < 1) {
            continue;
          }
          for (EndpointSpec.Address a : subset.addresses()) {
            if (a.ready() || s.spec().publishNotReadyAddresses()) {
              out.add(Endpoint.of(a.address(), number));
            }
          }
        }
      }
    }
    return new ArrayList<>(out);
  }
}
