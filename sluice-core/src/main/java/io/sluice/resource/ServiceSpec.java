package io.sluice.resource;

import java.util.List;

/**
 * The validated {@code spec} of a Service: the ports Sluice routes to.
 *
 * @param type ClusterIP, NodePort, LoadBalancer or ExternalName
 * @param headless whether {@code clusterIP} is {@code None}
 * @param publishNotReadyAddresses whether endpoints that are not ready count
 */
record ServiceSpec(String type, boolean headless, boolean publishNotReadyAddresses, List<Port> ports) {
  ServiceSpec {
    ports = List.copyOf(ports);
  }

  /**
   * One port.
   *
   * @param name the port's name, or {@code ""} when unnamed
   * @param targetPort the number the pods listen on when given as a number, else null
   */
  record Port(String name, int port, String protocol, Integer targetPort, String appProtocol) {}

  /** The port with this number (TCP first), or null. */
  Port port(int number) {
    Port other = null;
    for (Port p : ports) {
      if (p.port() == number) {
        if (p.protocol().equals("TCP")) {
          return p;
        }
        other = p;
      }
    }
    return other;
  }
}
