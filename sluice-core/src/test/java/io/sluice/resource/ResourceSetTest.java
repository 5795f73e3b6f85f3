package io.sluice.resource;

import static io.sluice.resource.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Apply and delete semantics, listing, statuses and persistence. */
class ResourceSetTest {
  static final String SVC = """
      apiVersion: v1
      kind: Service
      metadata: {name: bb, namespace: demo}
      spec: {ports: [{name: http, port: 8080}]}
      """;
  static final String ROUTE = """
      apiVersion: policy.linkerd.io/v1beta2
      kind: HTTPRoute
      metadata: {name: bb-route, namespace: demo}
      spec:
        parentRefs: [{name: bb, kind: Service, group: core, port: 8080}]
        rules:
        - backendRefs: [{name: bb, port: 8080, weight: %d}]
      """;
  static final ResourceKey SVC_KEY = new ResourceKey(ResourceKind.SERVICE, "demo", "bb");
  static final ResourceKey ROUTE_KEY = new ResourceKey(ResourceKind.LINKERD_HTTP_ROUTE, "demo", "bb-route");

  private static ApplyResult apply(ResourceSet set, String yaml, Instant at) {
    return set.apply(ResourceParser.parse(yaml, "t"), at);
  }

  @Test
  void createdUnchangedConfiguredIgnored() {
    ApplyResult first = apply(ResourceSet.EMPTY, SVC + "---\n" + ROUTE.formatted(90) + "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: demo}\n",
        T0.plusMillis(700));
    assertThat(first.lines()).containsExactly(
        "service/bb created", "httproute.policy.linkerd.io/bb-route created", "namespace/demo ignored (kind Namespace)");
    ResourceSet s1 = first.set();
    assertThat(s1.version()).isEqualTo(1);
    Resource route = s1.get(ROUTE_KEY);
    assertThat(route.generation()).isEqualTo(1);
    assertThat(route.creationTimestamp()).isEqualTo(T0);
    assertThat(route.apiVersion()).isEqualTo("policy.linkerd.io/v1beta2");

    ApplyResult same = apply(s1, SVC + "---\n" + ROUTE.formatted(90), T0.plusSeconds(10));
    assertThat(same.lines()).containsExactly("service/bb unchanged", "httproute.policy.linkerd.io/bb-route unchanged");
    assertThat(same.set()).isSameAs(s1);

    ApplyResult changed = apply(s1, ROUTE.formatted(50), T0.plusSeconds(20));
    assertThat(changed.lines()).containsExactly("httproute.policy.linkerd.io/bb-route configured");
    Resource r2 = changed.set().get(ROUTE_KEY);
    assertThat(r2.generation()).isEqualTo(2);
    assertThat(r2.creationTimestamp()).isEqualTo(T0);
    assertThat(changed.set().version()).isEqualTo(2);
    // The set applied to is left as it was.
    assertThat(s1.get(ROUTE_KEY).generation()).isEqualTo(1);

    ApplyResult labelled = apply(changed.set(), ROUTE.formatted(50).replace("namespace: demo}", "namespace: demo, labels: {team: a}}"), T0.plusSeconds(30));
    assertThat(labelled.lines()).containsExactly("httproute.policy.linkerd.io/bb-route configured");
    assertThat(labelled.set().get(ROUTE_KEY).generation()).isEqualTo(2);
  }

  @Test
  void theSameResourceTwiceInOneApply() {
    ApplyResult r = apply(ResourceSet.EMPTY, ROUTE.formatted(1) + "---\n" + ROUTE.formatted(2), T0);
    assertThat(r.lines()).containsExactly("httproute.policy.linkerd.io/bb-route created", "httproute.policy.linkerd.io/bb-route configured");
    assertThat(r.set().get(ROUTE_KEY).generation()).isEqualTo(2);
    assertThat(r.set().version()).isEqualTo(1);
  }

  @Test
  void aRejectedApplyChangesNothing() {
    ResourceSet s1 = apply(ResourceSet.EMPTY, SVC, T0).set();
    assertThatThrownBy(() -> apply(s1, SVC + "---\n" + ROUTE.formatted(-1), T0))
        .isInstanceOf(ResourceException.class)
        .hasMessageContaining("httproute/bb-route: spec.rules[0].backendRefs[0].weight: must be between 0 and 1000000, got -1");
    assertThat(s1.all()).hasSize(1);
  }

  @Test
  void deleteAllOrNothing() {
    ResourceSet s1 = apply(ResourceSet.EMPTY, SVC + "---\n" + ROUTE.formatted(1), T0).set();
    ResourceKey missing = new ResourceKey(ResourceKind.LINKERD_HTTP_ROUTE, "demo", "x");
    assertThatThrownBy(() -> s1.delete(List.of(ROUTE_KEY, missing)))
        .isInstanceOf(ResourceException.class)
        .satisfies(e -> assertThat(((ResourceException) e).errors()).containsExactly("httproute.policy.linkerd.io/x not found"));
    assertThat(s1.get(ROUTE_KEY)).isNotNull();
    ApplyResult deleted = s1.delete(List.of(ROUTE_KEY));
    assertThat(deleted.lines()).containsExactly("httproute.policy.linkerd.io/bb-route deleted");
    assertThat(deleted.set().get(ROUTE_KEY)).isNull();
    assertThat(deleted.set().version()).isEqualTo(s1.version() + 1);
    // Re-created: a new creation time and generation 1.
    Resource again = apply(deleted.set(), ROUTE.formatted(7), T0.plusSeconds(99)).set().get(ROUTE_KEY);
    assertThat(again.generation()).isEqualTo(1);
    assertThat(again.creationTimestamp()).isEqualTo(T0.plusSeconds(99));
  }

  @Test
  void listByKindNamespaceAndName() {
    ResourceSet s = apply(ResourceSet.EMPTY, SVC + "---\n" + SVC.replace("demo", "other") + "---\n" + ROUTE.formatted(1), T0).set();
    assertThat(s.list(List.of(ResourceKind.SERVICE), null, null)).extracting(r -> r.key().toString())
        .containsExactly("service/demo/bb", "service/other/bb");
    assertThat(s.list(List.of(ResourceKind.SERVICE), "other", null)).hasSize(1);
    assertThat(s.list(ResourceKind.byName("httproute"), "demo", "bb-route")).extracting(Resource::key).containsExactly(ROUTE_KEY);
    assertThat(s.list(List.of(ResourceKind.GATEWAY), null, null)).isEmpty();
    assertThat(s.all()).extracting(Resource::key).isSorted();
  }

  @Test
  void toJsonAddsServerFieldsAndStatus() throws Exception {
    ResourceSet s = apply(ResourceSet.EMPTY, SVC + "---\n" + ROUTE.formatted(1), T0).set();
    CompiledResources c = ResourceCompiler.compile(s, Fixtures.MESH);
    ResourceSet withStatus = s.withStatuses(c.statuses());
    assertThat(withStatus.version()).isEqualTo(s.version());
    JsonNode json = withStatus.get(ROUTE_KEY).toJson();
    assertThat(json.get("metadata").get("creationTimestamp").asText()).isEqualTo("2024-05-01T10:00:00Z");
    assertThat(json.get("metadata").get("generation").asLong()).isEqualTo(1);
    assertThat(json.get("status").get("parents").get(0).get("conditions").get(0).get("observedGeneration").asLong()).isEqualTo(1);
    assertThat(withStatus.get(SVC_KEY).toJson().has("status")).isFalse();
  }

  @Test
  void persistenceRoundTripIsLossless() throws Exception {
    ResourceSet s = apply(ResourceSet.EMPTY, SVC + "---\n" + ROUTE.formatted(1), T0).set();
    s = apply(s, ROUTE.formatted(3), T0.plusSeconds(5)).set();
    s = s.withStatuses(ResourceCompiler.compile(s, Fixtures.MESH).statuses());
    ObjectMapper mapper = new ObjectMapper();
    String text = mapper.writeValueAsString(s.toJson());
    ResourceSet back = ResourceSet.fromJson(mapper.readTree(text));
    assertThat(back.version()).isEqualTo(s.version());
    assertThat(back.all()).containsExactlyElementsOf(s.all());
    assertThat(back.toJson()).isEqualTo(s.toJson());
    // The restored set applies like the original: an equal manifest is unchanged.
    assertThat(apply(back, ROUTE.formatted(3), T0.plusSeconds(50)).lines()).containsExactly("httproute.policy.linkerd.io/bb-route unchanged");
  }

  @Test
  void fromJsonRejectsWhatItDidNotWrite() {
    assertThatThrownBy(() -> ResourceSet.fromJson(new ObjectMapper().createObjectNode())).isInstanceOf(ResourceException.class);
  }

  @Test
  void withStatusesIgnoresUnknownKeys() {
    ResourceSet s = apply(ResourceSet.EMPTY, SVC, T0).set();
    assertThat(s.withStatuses(Map.of(ROUTE_KEY, new ObjectMapper().createObjectNode()))).isSameAs(s);
  }
}
