package io.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.HttpConnection;
import io.sluice.testing.ResourceProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sluice started from resources in the test's JVM (mesh listener on 127.0.0.1:0, Gateway
 * listeners on 127.0.0.1) with echo backends, for the conformance cases: it writes the manifests
 * of the conformance infrastructure pointing at the echo backends, applies resources through the
 * store as {@code sluice apply} does, and sends real HTTP/1.1 requests over kept-alive loopback
 * connections.
 */
final class ConformanceHarness implements AutoCloseable {
  static final String INFRA = "gateway-conformance-infra";

  /**
   * What a request got back; {@code echo} is what the backend received (null when no backend
   * answered: a local reply, a redirect).
   */
  record Answer(int status, Map<String, String> headers, String body, EchoBackend.Received echo) {
    /** A response header, its repeated fields joined by commas; null when absent. */
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The backend that answered, or the status of a local reply ("404", "503", ...). */
    String backend() {
      return echo == null ? String.valueOf(status) : echo.backend();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, EchoBackend> backends = new LinkedHashMap<>();
  private final Map<Integer, HttpConnection> connections = new HashMap<>();
  private final Path stateDir;
  ResourceProxy proxy;

  private ConformanceHarness(Path stateDir, List<String> backendNames) throws IOException {
    this.stateDir = stateDir;
    try {
      for (String name : backendNames) {
        backends.put(name, new EchoBackend(name));
      }
      proxy = ResourceProxy.start(stateDir);
    } catch (IOException | RuntimeException e) {
      backends.values().forEach(EchoBackend::close);
      throw e;
    }
  }

  /** Echo backends with these names (the answer's {@code backend}) and a proxy with no resource yet. */
  static ConformanceHarness start(String... backendNames) throws IOException {
    return new ConformanceHarness(null, List.of(backendNames));
  }

  /** The same, the proxy keeping its resources in {@code stateDir} (see {@link #restartProxy}). */
  static ConformanceHarness startWithState(Path stateDir, String... backendNames) throws IOException {
    return new ConformanceHarness(stateDir, List.of(backendNames));
  }

  /** Stops the proxy, releasing its listeners, and starts another on the same state directory; backends stay. */
  void restartProxy() throws IOException {
    closeConnections();
    proxy.close();
    proxy = null;
    proxy = ResourceProxy.start(stateDir);
  }

  /** The infrastructure's three echo backends, infra-backend-v1..v3, and a proxy. */
  static ConformanceHarness infra() throws IOException {
    return start("infra-backend-v1", "infra-backend-v2", "infra-backend-v3");
  }

  EchoBackend backend(String name) {
    EchoBackend b = backends.get(name);
    if (b == null) {
      throw new IllegalArgumentException("no backend " + name + " in " + backends.keySet());
    }
    return b;
  }

  int meshPort() {
    return proxy.meshPort();
  }

  /** Applies a stream as {@code sluice apply -f} would; the lines it prints. */
  List<String> apply(String yaml) throws IOException {
    return proxy.apply(yaml);
  }

  /** A loopback port nothing listens on now, for a Gateway listener. */
  static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- manifests

  /**
   * A Service in {@code namespace} with {@code ports} ({@code "http=80,http-alt=8080"}: name =
   * Service port) and, for each of {@code endpoints} (backend names), an EndpointSlice giving every
   * named port that backend's loopback port.
   */
  String service(String namespace, String name, String ports, String... endpoints) {
    StringBuilder sb = new StringBuilder();
    sb.append("""
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: %s}
        spec:
          ports:
        """.formatted(name, namespace));
    String[] named = ports.split(",");
    for (String p : named) {
      String[] np = p.split("=");
      sb.append("  - {name: ").append(np[0]).append(", port: ").append(np[1]).append(", appProtocol: http}\n");
    }
    sb.append("---\n");
    for (String e : endpoints) {
      sb.append("""
          apiVersion: discovery.k8s.io/v1
          kind: EndpointSlice
          metadata:
            name: %s-%s
            namespace: %s
            labels: {kubernetes.io/service-name: %s}
          addressType: IPv4
          ports:
          """.formatted(name, e, namespace, name));
      for (String p : named) {
        sb.append("- {name: ").append(p.split("=")[0]).append(", port: ").append(backend(e).port()).append("}\n");
      }
      sb.append("endpoints: [{addresses: [127.0.0.1]}]\n---\n");
    }
    return sb.toString();
  }

  /** The Services infra-backend-v1..v3 (port 8080 named http), each with its echo backend. */
  String infraServices() {
    return service(INFRA, "infra-backend-v1", "http=8080", "infra-backend-v1")
        + service(INFRA, "infra-backend-v2", "http=8080", "infra-backend-v2")
        + service(INFRA, "infra-backend-v3", "http=8080", "infra-backend-v3");
  }

  /** A Gateway in the infrastructure namespace; {@code listeners} are YAML list items at column 2. */
  static String gateway(String name, String listeners) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: %s, namespace: gateway-conformance-infra}
        spec:
          gatewayClassName: sluice
          listeners:
        %s---
        """.formatted(name, listeners.stripIndent().indent(2));
  }

  /** The Gateway {@code same-namespace} with one HTTP listener on {@code port}. */
  static String sameNamespaceGateway(int port) {
    return gateway("same-namespace", "- {name: http, port: %d, protocol: HTTP}\n".formatted(port));
  }

  /** An HTTPRoute on the Gateway {@code same-namespace}; {@code spec} is the rest of its spec at column 0. */
  static String route(String name, String spec) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: gateway-conformance-infra}
        spec:
          parentRefs: [{name: same-namespace}]
        %s---
        """.formatted(name, spec.stripIndent().indent(2));
  }

  /**
   * Applies the infrastructure (Gateway {@code same-namespace} on a free port, the three backend
   * Services) and {@code routes}; the Gateway's port.
   */
  int applyInfra(String routes) throws IOException {
    int port = freePort();
    apply(sameNamespaceGateway(port) + infraServices() + routes);
    return port;
  }

  // ---- requests

  /** GET {@code path} with {@code Host: host} on {@code port}; more headers as {@code "Name: value"}. */
  Answer get(int port, String host, String path, String... headers) throws IOException {
    return send(port, "GET", host, path, headers);
  }

  /** A request without a body; {@code target} is the request target, origin or absolute form. */
  Answer send(int port, String method, String host, String target, String... headers) throws IOException {
    return sendWithBody(port, method, host, target, null, headers);
  }

  /** A request with {@code body} (null: none), framed by Content-Length. */
  Answer sendWithBody(int port, String method, String host, String target, String body, String... headers)
      throws IOException {
    String[] all = new String[headers.length + 1];
    all[0] = "Host: " + host;
    System.arraycopy(headers, 0, all, 1, headers.length);
    HttpConnection c = connections.get(port);
    if (c == null || c.closedByPeer()) {
      if (c != null) {
        c.close();
      }
      c = new HttpConnection(port);
      connections.put(port, c);
    }
    return answer(c.send(method, target, body, all));
  }

  /** A GET on a connection of its own, closed after the answer. */
  static Answer getOnNewConnection(int port, String host, String path) throws IOException {
    try (HttpConnection c = new HttpConnection(port)) {
      return answer(c.get(path, "Host: " + host));
    }
  }

  private static Answer answer(HttpConnection.Response r) throws IOException {
    EchoBackend.Received echo = null;
    if ("application/json".equals(r.header("content-type")) && r.header("x-backend") != null && !r.body().isEmpty()) {
      echo = EchoBackend.Received.fromJson(JSON.readTree(r.body()));
    }
    return new Answer(r.status(), r.headers(), r.body(), echo);
  }

  /** The backend (or local status) answering a GET; it must be one of the known answers. */
  String answerer(int port, String host, String path, String... headers) throws IOException {
    Answer a = get(port, host, path, headers);
    assertThat(a.status()).as("%s %s: %s", host, path, a.body()).isIn(200, 404, 500, 503);
    return a.backend();
  }

  private void closeConnections() {
    for (HttpConnection c : connections.values()) {
      try {
        c.close();
      } catch (IOException ignored) {
        // closing a socket we own; nothing to do
      }
    }
    connections.clear();
  }

  @Override
  public void close() {
    closeConnections();
    if (proxy != null) {
      proxy.close();
    }
    backends.values().forEach(EchoBackend::close);
  }
}
