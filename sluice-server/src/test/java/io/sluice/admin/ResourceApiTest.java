package io.sluice.admin;

import static io.sluice.testing.Manifests.endpointSlice;
import static io.sluice.testing.Manifests.linkerdRoute;
import static io.sluice.testing.Manifests.service;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.NamedBackend;
import io.sluice.testing.ResourceProxy;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /apis/apply}, {@code /apis/resources}, {@code /apis/delete} and {@code /config_dump} over a real socket. */
class ResourceApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NS = "traffic-shift-demo";

  @TempDir Path dir;

  @Test
  void applyAnswersOneLinePerDocumentAndOnlyToPost() throws Exception {
    try (NamedBackend v1 = new NamedBackend("v1"); ResourceProxy p = ResourceProxy.start(dir)) {
      String yaml = "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + NS + "}\n"
          + service(NS, "bb", 8080) + endpointSlice(NS, "bb", v1.port());
      HttpResponse<String> r = p.adminPost("/apis/apply?source=bb.yaml", yaml);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; charset=UTF-8");
      assertThat(r.body()).isEqualTo("namespace/" + NS + " ignored (kind Namespace)\nservice/bb created\n"
          + "endpointslice.discovery.k8s.io/bb-1 created\n");
      assertThat(p.adminPost("/apis/apply", yaml).body()).isEqualTo("namespace/" + NS + " ignored (kind Namespace)\n"
          + "service/bb unchanged\nendpointslice.discovery.k8s.io/bb-1 unchanged\n");

      HttpResponse<String> dry = p.adminPost("/apis/apply?dryRun=true", service(NS, "other", 80));
      assertThat(dry.body()).isEqualTo("service/other created (dry run)\n");
      assertThat(p.store.snapshot().set().all()).hasSize(2);

      assertThat(p.adminGet("/apis/apply").statusCode()).isEqualTo(405);
      assertThat(p.adminPost("/apis/apply", "").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void anInvalidApplyAnswers422WithEveryErrorOnItsOwnLine() throws Exception {
    try (ResourceProxy p = ResourceProxy.start(dir)) {
      String yaml = linkerdRoute(NS, "bb-route", "bb", 8080, "bb=90", "bb-v2=-5")
          + service(NS, "typo", 80).replace("  ports:", "  portz: []\n  ports:");
      HttpResponse<String> r = p.adminPost("/apis/apply?source=bad.yaml", yaml);
      assertThat(r.statusCode()).isEqualTo(422);
      List<String> lines = r.body().lines().toList();
      assertThat(lines).contains(
          "httproute/bb-route: spec.rules[0].backendRefs[1].weight: must be between 0 and 1000000, got -5");
      assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("service/typo: spec.portz: "));
      assertThat(p.store.snapshot().set().all()).isEmpty();

      HttpResponse<String> syntax = p.adminPost("/apis/apply?source=broken.yaml", "kind: [\n");
      assertThat(syntax.statusCode()).isEqualTo(422);
      assertThat(syntax.body()).contains("broken.yaml").contains("line");
    }
  }

  @Test
  void resourcesAreListedWithTheirServerFieldsAndStatus() throws Exception {
    try (NamedBackend v1 = new NamedBackend("v1"); ResourceProxy p = ResourceProxy.start(dir)) {
      p.apply(service(NS, "bb", 8080) + service(NS, "bb-v2", 8080) + service("default", "web", 80)
          + endpointSlice(NS, "bb", v1.port()) + linkerdRoute(NS, "bb-route", "bb", 8080, "bb=90", "bb-v2=10"));

      JsonNode list = JSON.readTree(p.adminGet("/apis/resources?kind=svc&namespace=" + NS).body());
      assertThat(list.get("kind").asText()).isEqualTo("List");
      assertThat(names(list)).containsExactly("bb", "bb-v2");
      assertThat(names(JSON.readTree(p.adminGet("/apis/resources?kind=services").body()))).containsExactly("web");
      assertThat(names(JSON.readTree(p.adminGet("/apis/resources?kind=service&all=true").body())))
          .containsExactly("web", "bb", "bb-v2");

      JsonNode route = JSON.readTree(p.adminGet("/apis/resources?kind=httproute&namespace=" + NS + "&name=bb-route")
          .body()).get("items").get(0);
      assertThat(route.get("apiVersion").asText()).isEqualTo("policy.linkerd.io/v1beta2");
      assertThat(route.get("metadata").get("generation").asLong()).isEqualTo(1);
      assertThat(route.get("metadata").has("creationTimestamp")).isTrue();
      assertThat(route.get("status").get("parents").isArray()).isTrue();

      HttpResponse<String> missing = p.adminGet("/apis/resources?kind=httproute&namespace=" + NS + "&name=nope");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).isEqualTo("httproute/nope not found in namespace " + NS + "\n");
      HttpResponse<String> unknown = p.adminGet("/apis/resources?kind=deployment");
      assertThat(unknown.statusCode()).isEqualTo(400);
      assertThat(unknown.body()).startsWith("unknown kind \"deployment\"");
      assertThat(p.adminGet("/apis/resources").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void deleteTakesAStreamOrAKindAndNames() throws Exception {
    try (ResourceProxy p = ResourceProxy.start(dir)) {
      p.apply(service(NS, "a", 80) + service(NS, "b", 80) + service(NS, "c", 80));

      HttpResponse<String> byName = p.adminPost("/apis/delete?kind=svc&namespace=" + NS + "&name=a&name=b", "");
      assertThat(byName.statusCode()).as(byName.body()).isEqualTo(200);
      assertThat(byName.body()).isEqualTo("service/a deleted\nservice/b deleted\n");

      HttpResponse<String> missing = p.adminPost("/apis/delete?kind=svc&namespace=" + NS + "&name=a", "");
      assertThat(missing.statusCode()).isEqualTo(422);
      assertThat(missing.body()).isEqualTo("svc/a not found in namespace " + NS + "\n");

      HttpResponse<String> byStream = p.adminPost("/apis/delete", service(NS, "c", 80) + service(NS, "a", 80));
      assertThat(byStream.statusCode()).isEqualTo(422);
      assertThat(p.store.snapshot().set().all()).hasSize(1);
      HttpResponse<String> ignoring = p.adminPost("/apis/delete?ignoreNotFound=true", service(NS, "c", 80)
          + service(NS, "a", 80));
      assertThat(ignoring.body()).isEqualTo("service/c deleted\n");
      assertThat(p.store.snapshot().set().all()).isEmpty();

      assertThat(p.adminGet("/apis/delete?kind=svc&name=c").statusCode()).isEqualTo(405);
      assertThat(p.adminPost("/apis/delete", "").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void configDumpAndListenersShowWhatTheResourcesAdd() throws Exception {
    try (NamedBackend v1 = new NamedBackend("v1"); ResourceProxy p = ResourceProxy.start(dir)) {
      p.apply(service(NS, "bb", 8080) + endpointSlice(NS, "bb", v1.port()));
      JsonNode configs = JSON.readTree(p.adminGet("/config_dump").body()).get("configs");
      JsonNode resources = null;
      JsonNode routes = null;
      for (JsonNode c : configs) {
        String type = c.get("@type").asText();
        if (type.endsWith("ResourcesDump")) {
          resources = c;
        } else if (type.endsWith("RoutesConfigDump")) {
          routes = c;
        }
      }
      assertThat(resources).isNotNull();
      assertThat(resources.get("resources")).hasSize(2);
      assertThat(routes.get("dynamic_route_configs").get(0).get("listener").asText()).isEqualTo("mesh");
      assertThat(routes.get("dynamic_route_configs").get(0).get("route_config").get("virtual_hosts").isArray()).isTrue();
      assertThat(p.adminGet("/listeners").body()).startsWith("mesh::127.0.0.1:" + p.meshPort());
    }
  }

  private static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.get("items").forEach(i -> out.add(i.get("metadata").get("name").asText()));
    return out;
  }
}
