package io.sluice.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.config.HostPort;
import io.sluice.config.ListenerSpec;
import io.sluice.route.HeaderMap;
import io.sluice.route.HeaderMapRequest;
import io.sluice.route.RouteResult;
import io.sluice.route.RouteTable;
import io.sluice.runtime.RuntimeSnapshot;
import java.time.Instant;
import java.util.List;

/** Builds resource sets from YAML and routes requests through what they compile to. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  static final MeshOptions MESH = new MeshOptions(new HostPort("127.0.0.1", 4140), "0.0.0.0", "default");

  private Fixtures() {}

  /** Parses and applies {@code yaml} to an empty set. */
  static ResourceSet set(String yaml) {
    return ResourceSet.EMPTY.apply(ResourceParser.parse(yaml, "test.yaml"), T0).set();
  }

  /** Applies {@code yaml} on top of {@code set} at a given time. */
  static ResourceSet apply(ResourceSet set, String yaml, Instant at) {
    return set.apply(ResourceParser.parse(yaml, "test.yaml"), at).set();
  }

  static CompiledResources compile(String yaml) {
    return ResourceCompiler.compile(set(yaml), MESH);
  }

  /** The errors of a stream that must be rejected. */
  static List<String> errors(String yaml) {
    try {
      ResourceParser.parse(yaml, "test.yaml");
    } catch (ResourceException e) {
      return e.errors();
    }
    return fail("expected the stream to be rejected:\n" + yaml);
  }

  static RouteTable table(CompiledResources c, String listener) {
    for (ListenerSpec l : c.listeners()) {
      if (l.name().equals(listener)) {
        return l.routes();
      }
    }
    return fail("no listener " + listener + " in " + c.listeners().stream().map(ListenerSpec::name).toList());
  }

  static RouteTable mesh(CompiledResources c) {
    return table(c, "mesh");
  }

  static RouteTable gateway(CompiledResources c, int port) {
    return table(c, "gateway:" + port);
  }

  /** A request: method, authority, path, then header name/value pairs. */
  static HeaderMapRequest request(String method, String authority, String path, String... headers) {
    return HeaderMapRequest.of(method, authority, path, headers);
  }

  static RouteResult route(RouteTable t, HeaderMapRequest req, long random) {
    return t.route(req, random, RuntimeSnapshot.EMPTY);
  }

  /** The cluster a GET is forwarded to with random value 0, or "404"/"5xx"/"3xx" for local answers. */
  static String target(RouteTable t, String authority, String path, String... headers) {
    return target(t, request("GET", authority, path, headers), 0);
  }

  static String target(RouteTable t, HeaderMapRequest req, long random) {
    RouteResult r = route(t, req, random);
    if (r.kind() == RouteResult.Kind.FORWARD) {
      return r.clusterName(req);
    }
    return String.valueOf(r.responseCode());
  }

  /** The request headers after the decision's request-side changes. */
  static HeaderMap finalizedRequest(RouteResult r, HeaderMapRequest req) {
    r.finalizeRequestHeaders(req.headers(), Contexts.of(req.headers()), false);
    return req.headers();
  }

  /** The condition of a given type in a status's first parent entry (routes) or conditions (others). */
  static JsonNode condition(JsonNode status, int parent, String type) {
    JsonNode list = status.has("parents") ? status.get("parents").get(parent).get("conditions") : status.get("conditions");
    for (JsonNode c : list) {
      if (type.equals(c.get("type").asText())) {
        return c;
      }
    }
    return fail("no condition " + type + " in " + status);
  }

  static void assertCondition(JsonNode status, int parent, String type, String statusValue, String reason) {
    JsonNode c = condition(status, parent, type);
    assertThat(c.get("status").asText() + "/" + c.get("reason").asText()).as(c.toString()).isEqualTo(statusValue + "/" + reason);
  }
}
