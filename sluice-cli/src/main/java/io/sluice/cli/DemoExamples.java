package io.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sluice.config.ConfigException;
import io.sluice.config.Documents;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The example files {@code sluice demo} runs, exactly as shipped in {@code examples/} (the build
 * puts them in the jar, so the demo runs from any directory), with the fixed ports the README's
 * walkthrough uses moved to the free ports the demo's servers got: listeners to {@code
 * 127.0.0.1:0}, and each endpoint from its README port ({@code 8081}) to the port of the backend
 * that stands there.
 */
final class DemoExamples {
  static final String LINKERD_DEMO = "examples/linkerd-traffic-shift/demo.yaml";
  static final String LINKERD_ENDPOINTS = "examples/linkerd-traffic-shift/endpoints.yaml";
  static final String LINKERD_EMPTY = "examples/linkerd-traffic-shift/empty.yaml";
  static final String LINKERD_90_10 = "examples/linkerd-traffic-shift/bb-route-90-10.yaml";
  static final String LINKERD_V2 = "examples/linkerd-traffic-shift/bb-route-v2.yaml";
  static final String ENVOY_SHIFT = "examples/envoy-traffic-shift/envoy.yaml";
  static final String ENVOY_SPLIT = "examples/envoy-traffic-split/envoy.yaml";

  private static final YAMLMapper YAML = new YAMLMapper();

  private DemoExamples() {}

  /** The text of an example, by its path in the repository ({@code examples/...}). */
  static String read(String path) throws IOException {
    try (InputStream in = DemoExamples.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException(path + " is not in the jar (it is copied from the repository's examples/ at build time)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * The Envoy bootstrap at {@code path} as the demo runs it: every listener on {@code 127.0.0.1:0}
   * (never on every interface, never on a port another program may hold), every cluster endpoint
   * moved by {@code ports} (README port to real port).
   *
   * @throws IOException when an endpoint is on a port {@code ports} does not know: the example
   *     changed and the demo would send traffic nowhere
   */
  static JsonNode bootstrap(String path, Map<Integer, Integer> ports) throws IOException {
    List<JsonNode> documents = parse(read(path), path);
    if (documents.size() != 1) {
      throw new IOException(path + ": expected one document (an Envoy bootstrap), found " + documents.size());
    }
    JsonNode root = documents.get(0);
    JsonNode resources = root.path("static_resources");
    int i = 0;
    for (JsonNode listener : resources.path("listeners")) {
      JsonNode address = listener.path("address").path("socket_address");
      if (!address.isObject()) {
        throw new IOException(path + ": static_resources.listeners[" + i + "].address.socket_address: expected an address");
      }
      ((ObjectNode) address).put("address", "127.0.0.1").put("port_value", 0);
      i++;
    }
    i = 0;
    for (JsonNode cluster : resources.path("clusters")) {
      int e = 0;
      for (JsonNode group : cluster.path("load_assignment").path("endpoints")) {
        for (JsonNode lb : group.path("lb_endpoints")) {
          JsonNode address = lb.path("endpoint").path("address").path("socket_address");
          String at = "static_resources.clusters[" + i + "] (" + cluster.path("name").asText() + ") endpoint " + e;
          if (!address.isObject()) {
            throw new IOException(path + ": " + at + ": expected a socket address");
          }
          ((ObjectNode) address).put("port_value", moved(ports, address.path("port_value").asInt(), path, at));
          e++;
        }
      }
      i++;
    }
    return root;
  }

  /**
   * {@code endpoints.yaml} as the demo applies it: each EndpointSlice's ports moved by {@code
   * ports}, as YAML documents.
   */
  static String endpoints(Map<Integer, Integer> ports) throws IOException {
    List<JsonNode> documents = parse(read(LINKERD_ENDPOINTS), LINKERD_ENDPOINTS);
    StringBuilder out = new StringBuilder();
    for (JsonNode doc : documents) {
      if ("EndpointSlice".equals(doc.path("kind").asText())) {
        int p = 0;
        for (JsonNode port : doc.path("ports")) {
          String at = "endpointslice/" + doc.path("metadata").path("name").asText() + " ports[" + p + "]";
          ((ObjectNode) port).put("port", moved(ports, port.path("port").asInt(), LINKERD_ENDPOINTS, at));
          p++;
        }
      }
      out.append(YAML.writeValueAsString(doc));
    }
    return out.toString();
  }

  private static int moved(Map<Integer, Integer> ports, int readmePort, String path, String at) throws IOException {
    Integer real = ports.get(readmePort);
    if (real == null) {
      throw new IOException(path + ": " + at + " is on port " + readmePort + ", where the demo starts no backend"
          + " (it starts them in place of " + new TreeSet<>(ports.keySet()) + ")");
    }
    return real;
  }

  private static List<JsonNode> parse(String text, String path) throws IOException {
    try {
      return new ArrayList<>(Documents.readAll(text, path, Documents.Format.YAML));
    } catch (ConfigException e) {
      throw new IOException(e.errors().isEmpty() ? path + ": not readable" : path + ": " + e.errors().get(0), e);
    }
  }
}
