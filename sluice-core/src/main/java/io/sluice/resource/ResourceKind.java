package io.sluice.resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Kubernetes kinds Sluice understands, with the API groups and versions it accepts for each.
 * Anything else (Namespace, Deployment, ...) is accepted by {@code apply} and reported as ignored.
 */
public enum ResourceKind {
  HTTP_ROUTE("gateway.networking.k8s.io", "HTTPRoute", "httproutes", List.of(), "v1", "v1beta1", "v1alpha2"),
  LINKERD_HTTP_ROUTE("policy.linkerd.io", "HTTPRoute", "httproutes", List.of(), "v1beta3", "v1beta2", "v1beta1", "v1alpha1"),
  GATEWAY("gateway.networking.k8s.io", "Gateway", "gateways", List.of("gtw"), "v1", "v1beta1"),
  TRAFFIC_SPLIT("split.smi-spec.io", "TrafficSplit", "trafficsplits", List.of("ts"), "v1alpha4", "v1alpha3", "v1alpha2", "v1alpha1"),
  HTTP_ROUTE_GROUP("specs.smi-spec.io", "HTTPRouteGroup", "httproutegroups", List.of(), "v1alpha4", "v1alpha3", "v1alpha2", "v1alpha1"),
  SERVICE("", "Service", "services", List.of("svc"), "v1"),
  ENDPOINTS("", "Endpoints", "endpoints", List.of("ep"), "v1"),
  ENDPOINT_SLICE("discovery.k8s.io", "EndpointSlice", "endpointslices", List.of(), "v1");

  private final String group;
  private final String kind;
  private final String plural;
  private final List<String> shortNames;
  private final List<String> versions;

  ResourceKind(String group, String kind, String plural, List<String> shortNames, String... versions) {
    this.group = group;
    this.kind = kind;
    this.plural = plural;
    this.shortNames = shortNames;
    this.versions = List.of(versions);
  }

  /** The API group ({@code ""} for the core group). */
  public String group() {
    return group;
  }

  /** The kind as written in manifests, e.g. {@code HTTPRoute}. */
  public String kind() {
    return kind;
  }

  /** The versions accepted, newest first. */
  public List<String> versions() {
    return versions;
  }

  /**
   * The name kubectl prints for this kind: the lower-case kind, qualified by its group unless it
   * is the core group ({@code service}, {@code httproute.policy.linkerd.io}).
   */
  public String qualifiedName() {
    String lower = kind.toLowerCase(Locale.ROOT);
    return group.isEmpty() ? lower : lower + "." + group;
  }

  /**
   * The kind of an {@code apiVersion} and {@code kind} pair, or null when Sluice does not handle
   * that kind (an unknown version of a known kind is not null: the caller reports the version).
   */
  public static ResourceKind of(String apiVersion, String kind) {
    String group = apiVersion == null ? "" : apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    for (ResourceKind k : values()) {
      if (k.kind.equals(kind) && k.group.equals(group)) {
        return k;
      }
    }
    return null;
  }

  /**
   * The kinds a name on the command line means: singular, plural or short name, optionally
   * qualified by a group ({@code httproute} means both HTTPRoute groups; {@code
   * httproute.policy.linkerd.io} only Linkerd's). Empty when nothing matches.
   */
  public static List<ResourceKind> byName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    String group = null;
    int dot = n.indexOf('.');
    if (dot > 0) {
      group = n.substring(dot + 1);
      n = n.substring(0, dot);
    }
    List<ResourceKind> out = new ArrayList<>();
    for (ResourceKind k : values()) {
      boolean named = k.kind.toLowerCase(Locale.ROOT).equals(n) || k.plural.equals(n) || k.shortNames.contains(n);
      if (named && (group == null || k.group.equals(group))) {
        out.add(k);
      }
    }
    return out;
  }
}
