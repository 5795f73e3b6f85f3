package io.sluice.resource;

import static io.sluice.resource.Fixtures.MESH;
import static io.sluice.resource.Fixtures.T0;
import static io.sluice.resource.Fixtures.mesh;
import static io.sluice.resource.Fixtures.request;
import static io.sluice.resource.Fixtures.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.route.RouteTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reference walkthrough (linkerd-traffic-shifting.md) step by step, on the mesh listener. */
class WalkthroughTest {
  static final String SLICES =
      """
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata:
        name: bb-abcde
        namespace: traffic-shift-demo
        labels:
          kubernetes.io/service-name: bb
      addressType: IPv4
      ports:
      - name: http
        port: 8080
      endpoints:
      - addresses: ["10.0.1.1"]
        conditions: {ready: true}
      ---
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata:
        name: bb-v2-fghij
        namespace: traffic-shift-demo
        labels:
          kubernetes.io/service-name: bb-v2
      addressType: IPv4
      ports:
      - name: http
        port: 8080
      endpoints:
      - addresses: ["10.0.2.1"]
      """;

  /** The fenced blocks of the reference, in order, with kubectl's here-document framing removed. */
  static List<String> manifests() throws Exception {
    Path doc = Path.of("../../shared/reference/linkerd-traffic-shifting.md");
    if (!Files.exists(doc)) {
      doc = Path.of("/work/shared/reference/linkerd-traffic-shifting.md");
    }
    String text = Files.readString(doc);
    List<String> out = new java.util.ArrayList<>();
    int at = 0;
    while ((at = text.indexOf("```bash\n", at)) >= 0) {
      int end = text.indexOf("```", at + 8);
      String block = text.substring(at + 8, end);
      int start = block.indexOf('\n') + 1;
      int eof = block.lastIndexOf("EOF");
      out.add(block.substring(start, eof));
      at = end + 3;
    }
    return out;
  }

  static Map<String, Integer> spread(RouteTable t, int n) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(target(t, request("GET", "bb:8080", "/"), i), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void walkthroughWordForWord() throws Exception {
    List<String> blocks = manifests();
    assertThat(blocks).hasSize(3);

    ApplyResult first = ResourceSet.EMPTY.apply(ResourceParser.parse(blocks.get(0) + "---\n" + SLICES, "-"), T0);
    assertThat(first.lines()).containsExactly(
        "namespace/traffic-shift-demo ignored (kind Namespace)",
        "deployment.apps/v1 ignored (kind Deployment)",
        "deployment.apps/v2 ignored (kind Deployment)",
        "service/bb created",
        "service/bb-v2 created",
        "deployment.apps/slow-cooker ignored (kind Deployment)",
        "endpointslice.discovery.k8s.io/bb-abcde created",
        "endpointslice.discovery.k8s.io/bb-v2-fghij created");
    RouteTable t = mesh(ResourceCompiler.compile(first.set(), MESH));
    assertThat(spread(t, 100)).containsExactly(Map.entry("traffic-shift-demo/bb:8080", 100));
    assertThat(target(t, "bb.traffic-shift-demo.svc.cluster.local:8080", "/")).isEqualTo("traffic-shift-demo/bb:8080");

    ApplyResult second = first.set().apply(ResourceParser.parse(blocks.get(1), "-"), T0.plusSeconds(60));
    assertThat(second.lines()).containsExactly("httproute.policy.linkerd.io/bb-route created");
    CompiledResources c2 = ResourceCompiler.compile(second.set(), MESH);
    assertThat(spread(mesh(c2), 100)).containsOnly(
        Map.entry("traffic-shift-demo/bb:8080", 90), Map.entry("traffic-shift-demo/bb-v2:8080", 10));
    Fixtures.assertCondition(c2.statuses().get(key("bb-route")), 0, "Accepted", "True", "Accepted");
    Fixtures.assertCondition(c2.statuses().get(key("bb-route")), 0, "ResolvedRefs", "True", "ResolvedRefs");

    ApplyResult third = second.set().apply(ResourceParser.parse(blocks.get(2), "-"), T0.plusSeconds(120));
    assertThat(third.lines()).containsExactly("httproute.policy.linkerd.io/bb-route configured");
    assertThat(third.set().get(key("bb-route")).generation()).isEqualTo(2);
    assertThat(third.set().get(key("bb-route")).creationTimestamp()).isEqualTo(T0.plusSeconds(60));
    assertThat(spread(mesh(ResourceCompiler.compile(third.set(), MESH)), 100))
        .containsExactly(Map.entry("traffic-shift-demo/bb-v2:8080", 100));
  }

  private static ResourceKey key(String name) {
    return new ResourceKey(ResourceKind.LINKERD_HTTP_ROUTE, "traffic-shift-demo", name);
  }

  static Instant unused() {
    return T0;
  }
}
