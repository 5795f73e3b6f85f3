package io.sluice.resource;

/** The Gateway API conformance infrastructure: a Gateway on port 80 and three backends. */
final class Infra {
  static final String NS = "gateway-conformance-infra";
  static final String V1 = NS + "/infra-backend-v1:8080";
  static final String V2 = NS + "/infra-backend-v2:8080";
  static final String V3 = NS + "/infra-backend-v3:8080";

  private Infra() {}

  /** The Gateway {@code same-namespace} (HTTP :80, routes from its namespace) and the backends. */
  static String base() {
    return gateway("same-namespace", "  - name: http\n    port: 80\n    protocol: HTTP\n") + backends();
  }

  static String gateway(String name, String listeners) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: %s
          namespace: gateway-conformance-infra
        spec:
          gatewayClassName: sluice
          listeners:
        %s---
        """.formatted(name, listeners);
  }

  /** Services infra-backend-v1..v3 (port 8080 named http, target 3000) with one endpoint each. */
  static String backends() {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 3; i++) {
      sb.append("""
          apiVersion: v1
          kind: Service
          metadata:
            name: infra-backend-v%1$d
            namespace: gateway-conformance-infra
          spec:
            selector:
              app: infra-backend-v%1$d
            ports:
            - name: http
              port: 8080
              targetPort: 3000
          ---
          apiVersion: discovery.k8s.io/v1
          kind: EndpointSlice
          metadata:
            name: infra-backend-v%1$d-x1
            namespace: gateway-conformance-infra
            labels:
              kubernetes.io/service-name: infra-backend-v%1$d
          addressType: IPv4
          ports:
          - name: http
            port: 3000
          endpoints:
          - addresses: ["10.1.0.%1$d"]
          ---
          """.formatted(i));
    }
    return sb.toString();
  }

  /** An HTTPRoute on the Gateway {@code same-namespace}; {@code body} is the rest of its spec, indented by two. */
  static String route(String name, String body) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: %s
          namespace: gateway-conformance-infra
        spec:
          parentRefs:
          - name: same-namespace
        %s---
        """.formatted(name, body);
  }
}
