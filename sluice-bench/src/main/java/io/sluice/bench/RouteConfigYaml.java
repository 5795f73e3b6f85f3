package io.sluice.bench;

/**
 * Generates Envoy route configurations of a given size as YAML text, so a benchmark's table goes
 * through the same reader as a real configuration. Service {@code i} is {@code svc<i>}, with
 * clusters {@code svc<i>-v1} and {@code svc<i>-v2}.
 */
final class RouteConfigYaml {
  private RouteConfigYaml() {}

  /** The runtime key that shifts traffic for service {@code i} in {@link #trafficShift}. */
  static String shiftKey(int i) {
    return "routing.traffic_shift.svc" + i;
  }

  /** The runtime key prefix of service {@code i}'s weights in {@link #oneHost} with runtime keys. */
  static String weightPrefix(int i) {
    return "routing.weights.svc" + i;
  }

  /**
   * One virtual host {@code *} with {@code routes} prefix routes {@code /svc<i>/}, each splitting
   * 90/10 between {@code svc<i>-v1} and {@code svc<i>-v2}; with {@code runtimeWeights} each split
   * also reads its weights from {@code routing.weights.svc<i>.<cluster>}.
   */
  static String oneHost(int routes, boolean runtimeWeights) {
    StringBuilder y = new StringBuilder(routes * 200 + 100);
    y.append("name: bench\nvirtual_hosts:\n- name: all\n  domains: ['*']\n  routes:\n");
    for (int i = 0; i < routes; i++) {
      y.append("  - name: svc").append(i).append('\n');
      y.append("    match: {prefix: /svc").append(i).append("/}\n");
      appendSplit(y, "    ", i, runtimeWeights ? weightPrefix(i) : null);
    }
    return y.toString();
  }

  /**
   * {@code hosts} virtual hosts, host {@code i} for the exact domain {@code svc<i>.example.com}
   * with one route {@code /} splitting 90/10.
   */
  static String manyHosts(int hosts) {
    StringBuilder y = new StringBuilder(hosts * 250 + 100);
    y.append("name: bench\nvirtual_hosts:\n");
    for (int i = 0; i < hosts; i++) {
      y.append("- name: svc").append(i).append('\n');
      y.append("  domains: [svc").append(i).append(".example.com]\n");
      y.append("  routes:\n");
      y.append("  - name: svc").append(i).append('\n');
      y.append("    match: {prefix: /}\n");
      appendSplit(y, "    ", i, null);
    }
    return y.toString();
  }

  /**
   * Envoy's traffic-shift shape in a table of {@code services} services on virtual host {@code
   * *}: each service is a prefix route to {@code svc<i>-v1}, except service {@code shifted}, which
   * has a route with {@code runtime_fraction} (key {@link #shiftKey}, default 50%) to {@code
   * svc<i>-v2} followed by its fallback route to {@code svc<i>-v1}. So the table has {@code
   * services + 1} routes.
   */
  static String trafficShift(int services, int shifted) {
    StringBuilder y = new StringBuilder(services * 120 + 300);
    y.append("name: bench\nvirtual_hosts:\n- name: all\n  domains: ['*']\n  routes:\n");
    for (int i = 0; i < services; i++) {
      if (i == shifted) {
        y.append("  - name: svc").append(i).append("-shift\n");
        y.append("    match:\n");
        y.append("      prefix: /svc").append(i).append("/\n");
        y.append("      runtime_fraction:\n");
        y.append("        runtime_key: ").append(shiftKey(i)).append('\n');
        y.append("        default_value: {numerator: 50, denominator: HUNDRED}\n");
        y.append("    route: {cluster: svc").append(i).append("-v2}\n");
      }
      y.append("  - name: svc").append(i).append('\n');
      y.append("    match: {prefix: /svc").append(i).append("/}\n");
      y.append("    route: {cluster: svc").append(i).append("-v1}\n");
    }
    return y.toString();
  }

  /**
   * One virtual host {@code *} with one route {@code /} splitting between {@code backends} clusters
   * {@code b0 .. b<n-1>}, cluster {@code b<i>} of weight {@link #splitWeight}{@code (i)}; with
   * {@code runtimeWeights} every weight may be overridden by {@code routing.weights.split.b<i>}.
   */
  static String wideSplit(int backends, boolean runtimeWeights) {
    StringBuilder y = new StringBuilder(backends * 40 + 200);
    y.append("name: bench\nvirtual_hosts:\n- name: all\n  domains: ['*']\n  routes:\n");
    y.append("  - name: split\n    match: {prefix: /}\n    route:\n      weighted_clusters:\n");
    if (runtimeWeights) {
      y.append("        runtime_key_prefix: routing.weights.split\n");
    }
    y.append("        clusters:\n");
    for (int i = 0; i < backends; i++) {
      y.append("        - {name: b").append(i).append(", weight: ").append(splitWeight(i)).append("}\n");
    }
    return y.toString();
  }

  /** The weight of entry {@code i} of {@link #wideSplit}: unequal, 1 to 7, so no shortcut applies. */
  static int splitWeight(int i) {
    return 1 + i % 7;
  }

  private static void appendSplit(StringBuilder y, String indent, int i, String runtimeKeyPrefix) {
    y.append(indent).append("route:\n");
    y.append(indent).append("  weighted_clusters:\n");
    if (runtimeKeyPrefix != null) {
      y.append(indent).append("    runtime_key_prefix: ").append(runtimeKeyPrefix).append('\n');
    }
    y.append(indent).append("    clusters:\n");
    y.append(indent).append("    - {name: svc").append(i).append("-v1, weight: 90}\n");
    y.append(indent).append("    - {name: svc").append(i).append("-v2, weight: 10}\n");
  }
}
