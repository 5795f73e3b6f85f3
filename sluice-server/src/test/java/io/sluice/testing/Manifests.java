package io.sluice.testing;

/** Kubernetes-style manifests for tests, as YAML an operator would write. */
public final class Manifests {
  private Manifests() {}

  /** A Service with one port named {@code http}. */
  public static String service(String namespace, String name, int port) {
    return """
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: %s
          namespace: %s
        spec:
          ports:
          - name: http
            port: %d
            targetPort: %d
        """.formatted(name, namespace, port, port);
  }

  /** An EndpointSlice for {@code service}, whose {@code http} port is {@code backendPort} on 127.0.0.1. */
  public static String endpointSlice(String namespace, String service, int backendPort) {
    return """
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: %s-1
          namespace: %s
          labels:
            kubernetes.io/service-name: %s
        addressType: IPv4
        ports:
        - name: http
          port: %d
        endpoints:
        - addresses: ["127.0.0.1"]
        """.formatted(service, namespace, service, backendPort);
  }

  /**
   * A Linkerd HTTPRoute on Service {@code parent} port {@code port}, as the reference writes it,
   * with one rule splitting between {@code backends} ({@code "name=weight"} each).
   */
  public static String linkerdRoute(String namespace, String name, String parent, int port, String... backends) {
    StringBuilder refs = new StringBuilder();
    for (String b : backends) {
      String[] nw = b.split("=");
      refs.append("      - name: ").append(nw[0]).append("\n        port: ").append(port)
          .append("\n        weight: ").append(nw[1]).append('\n');
    }
    return """
        ---
        apiVersion: policy.linkerd.io/v1beta2
        kind: HTTPRoute
        metadata:
          name: %s
          namespace: %s
        spec:
          parentRefs:
            - name: %s
              kind: Service
              group: core
              port: %d
          rules:
            - backendRefs:
        """.formatted(name, namespace, parent, port) + refs;
  }
}
