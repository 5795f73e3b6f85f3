package io.sluice.resource;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.config.MessageReader;
import io.sluice.resource.ServiceSpec.Port;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads and validates the {@code spec} of a core/v1 Service. */
final class ServiceReader {
  private static final List<String> TYPES = List.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName");
  private static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");

  private ServiceReader() {}

  static ServiceSpec read(FieldReader spec) {
    FieldErrors errors = spec.errors();
    String type = spec.string("type");
    if (type == null) {
      type = "ClusterIP";
    } else if (!TYPES.contains(type)) {
      spec.error("type", HttpRouteReader.unsupportedValue(type, TYPES));
    }
    String clusterIp = spec.string("clusterIP");
    Boolean publish = spec.bool("publishNotReadyAddresses");
    spec.stringMap("selector");
    List<Port> ports = new ArrayList<>();
    List<FieldReader> ps = spec.objects("ports", Integer.MAX_VALUE);
    Set<String> names = new HashSet<>();
    Set<String> numbers = new HashSet<>();
    for (FieldReader p : ps) {
      if (p == null) {
        continue;
      }
      String name = p.string("name");
      if (name != null && !name.isEmpty()) {
        ApiFormats.portName(errors, p.pathOf("name"), name);
      }
      if ((name == null || name.isEmpty()) && ps.size() > 1) {
        p.error("name", "required when the Service has more than one port");
      }
      String protocol = p.string("protocol");
      if (protocol == null) {
        protocol = "TCP";
      } else if (!PROTOCOLS.contains(protocol)) {
        p.error("protocol", HttpRouteReader.unsupportedValue(protocol, PROTOCOLS));
      }
      boolean given = p.has("port");
      Long port = p.integer("port", 1, 65535);
      if (!given) {
        p.error("port", "required");
      }
      Integer target = null;
      JsonNode t = p.raw("targetPort");
      if (t != null) {
        if (t.isIntegralNumber()) {
          if (t.asLong() < 1 || t.asLong() > 65535) {
            p.error("targetPort", "must be between 1 and 65535, got " + t.asText());
          } else {
            target = t.asInt();
          }
        } else if (t.isTextual()) {
          if (t.asText().chars().allMatch(Character::isDigit) && !t.asText().isEmpty()) {
            target = Integer.parseInt(t.asText());
          } else {
            ApiFormats.portName(errors, p.pathOf("targetPort"), t.asText());
          }
        } else {
          p.error("targetPort", "expected a port number or name, got " + MessageReader.describe(t));
        }
      }
      String appProtocol = p.string("appProtocol");
      p.integer("nodePort", 0, 65535);
      p.finish();
      String n = name == null ? "" : name;
      if (!n.isEmpty() && !names.add(n)) {
        p.error("name", "Duplicate value: \"" + n + "\"");
      }
      if (port != null && !numbers.add(port + "/" + protocol)) {
        p.error(null, "Duplicate value: port " + port + "/" + protocol);
      }
      if (port != null) {
        ports.add(new Port(n, port.intValue(), protocol, target == null && t == null ? Integer.valueOf(port.intValue()) : target, appProtocol));
      }
    }
    if (ps.isEmpty() && !"ExternalName".equals(type) && !"None".equals(clusterIp)) {
      spec.error("ports", "required");
    }
    spec.skip(
        "clusterIPs", "externalIPs", "sessionAffinity", "loadBalancerIP", "loadBalancerSourceRanges", "externalName",
        "externalTrafficPolicy", "healthCheckNodePort", "sessionAffinityConfig", "ipFamilies", "ipFamilyPolicy",
        "allocateLoadBalancerNodePorts", "loadBalancerClass", "internalTrafficPolicy", "trafficDistribution");
    spec.finish();
    return new ServiceSpec(type, "None".equals(clusterIp), publish != null && publish, ports);
  }
}
