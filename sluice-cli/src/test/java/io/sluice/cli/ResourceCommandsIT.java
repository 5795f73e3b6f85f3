package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice apply}, {@code get} and {@code delete} from the built jar against {@code sluice
 * proxy} started from resources: round trips, rejected input, restarts, a crash in the middle of
 * applies, bad flags, and {@code route-check} on a resource file.
 */
class ResourceCommandsIT {
  private static final Path EXAMPLE = SluiceProcess.root().resolve("examples/linkerd-traffic-shift");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NS = "traffic-shift-demo";

  @TempDir Path dir;

  private static SluiceProcess.Result sluice(ProxyProcess proxy, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--admin", proxy.admin()));
    return SluiceProcess.run(all.toArray(String[]::new));
  }

  private static SluiceProcess.Result applyText(ProxyProcess proxy, String yaml) throws Exception {
    return SluiceProcess.runWithInput(yaml, "apply", "-f", "-", "--admin", proxy.admin());
  }

  private String demo(int v1, int v2) throws Exception {
    return Files.readString(EXAMPLE.resolve("demo.yaml")) + LinkerdWalkthroughIT.endpoints(v1, v2);
  }

  @Test
  void applyGetDeleteRoundTripAndTheTablesAndFormatsOfGet() throws Exception {
    try (NamedUpstream v1 = new NamedUpstream("v1"); NamedUpstream v2 = new NamedUpstream("v2");
        ProxyProcess proxy = ProxyProcess.start(EXAMPLE.resolve("empty.yaml"), dir.resolve("state"),
            "--mesh", "127.0.0.1:0")) {
      Path file = Files.writeString(dir.resolve("demo.yaml"), demo(v1.port(), v2.port()));
      assertThat(sluice(proxy, "apply", "-f", file.toString()).exitCode()).isZero();
      SluiceProcess.Result again = sluice(proxy, "apply", "-f", file.toString());
      assertThat(again.stdout()).contains("service/bb unchanged\n").contains("endpointslice.discovery.k8s.io/bb-1 unchanged\n");
      assertThat(sluice(proxy, "apply", "-f", EXAMPLE.resolve("bb-route-90-10.yaml").toString()).stdout())
          .isEqualTo("httproute.policy.linkerd.io/bb-route created\n");

      SluiceProcess.Result svc = sluice(proxy, "get", "svc", "-n", NS);
      assertThat(svc.exitCode()).as(svc.stderr()).isZero();
      List<String> rows = svc.stdout().lines().toList();
      assertThat(rows).hasSize(3);
      assertThat(rows.get(0)).matches("NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\\(S\\) +AGE");
      assertThat(rows.get(1)).matches("bb +ClusterIP +<none> +<none> +8080/TCP +\\d+s");
      assertThat(rows.get(2)).startsWith("bb-v2 ");
      assertThat(sluice(proxy, "get", "svc", "-n", NS, "-o", "wide").stdout().lines().toList().get(1))
          .contains("app=bb,version=v1");

      List<String> all = sluice(proxy, "get", "services", "-A").stdout().lines().toList();
      assertThat(all.get(0)).startsWith("NAMESPACE ");
      assertThat(all.get(1)).startsWith(NS + " ").contains(" bb ");

      SluiceProcess.Result none = sluice(proxy, "get", "svc");
      assertThat(none.exitCode()).as(none.stderr()).isZero();
      assertThat(none.stdout()).isEmpty();
      assertThat(none.stderr()).isEqualTo("No resources found in default namespace.\n");

      List<String> slices = sluice(proxy, "get", "endpointslices", "-n", NS).stdout().lines().toList();
      assertThat(slices.get(0)).matches("NAME +ADDRESSTYPE +PORTS +ENDPOINTS +AGE");
      assertThat(slices.get(1)).matches("bb-1 +IPv4 +" + v1.port() + " +127\\.0\\.0\\.1 +\\d+s");

      List<String> routes = sluice(proxy, "get", "httproutes.policy.linkerd.io", "-n", NS, "-o", "wide")
          .stdout().lines().toList();
      assertThat(routes.get(0)).matches("NAME +HOSTNAMES +PARENTS +ACCEPTED +RESOLVED +BACKENDS +AGE");
      assertThat(routes.get(1)).matches("bb-route +<none> +Service/bb:8080 +True +True +bb:8080=90,bb-v2:8080=10 +\\d+s");

      SluiceProcess.Result yaml = sluice(proxy, "get", "httproute", "bb-route", "-n", NS, "-o", "yaml");
      JsonNode route = new YAMLMapper().readTree(yaml.stdout());
      assertThat(route.get("kind").asText()).isEqualTo("HTTPRoute");
      assertThat(route.get("metadata").get("generation").asInt()).isEqualTo(1);
      assertThat(route.get("metadata").has("creationTimestamp")).isTrue();
      assertThat(route.get("spec").get("rules").get(0).get("backendRefs").get(1).get("weight").asInt()).isEqualTo(10);
      assertThat(route.get("status").get("parents").get(0).get("conditions")).isNotEmpty();
      JsonNode list = JSON.readTree(sluice(proxy, "get", "svc,ep,endpointslice", "-n", NS, "-o", "json").stdout());
      assertThat(list.get("kind").asText()).isEqualTo("List");
      assertThat(list.get("items")).hasSize(4);
      assertThat(sluice(proxy, "get", "svc,httproute", "-n", NS, "-o", "name").stdout())
          .isEqualTo("service/bb\nservice/bb-v2\nhttproute.policy.linkerd.io/bb-route\n");
      assertThat(sluice(proxy, "get", "all", "-n", NS, "-o", "name").stdout()).isEqualTo(
          "httproute.policy.linkerd.io/bb-route\nservice/bb\nservice/bb-v2\n"
              + "endpointslice.discovery.k8s.io/bb-1\nendpointslice.discovery.k8s.io/bb-v2-1\n");
      String twoKinds = sluice(proxy, "get", "svc,httproute", "-n", NS).stdout();
      assertThat(twoKinds).contains("service/bb ").contains("\n\nNAME").contains("httproute.policy.linkerd.io/bb-route ");

      SluiceProcess.Result missing = sluice(proxy, "get", "svc", "nope", "-n", NS);
      assertThat(missing.exitCode()).isEqualTo(1);
      assertThat(missing.stderr()).isEqualTo("error: svc/nope not found in namespace " + NS + "\n");

      SluiceProcess.Result deleted = sluice(proxy, "delete", "httproute", "bb-route", "-n", NS);
      assertThat(deleted.exitCode()).as(deleted.stderr()).isZero();
      assertThat(deleted.stdout()).isEqualTo("httproute.policy.linkerd.io/bb-route deleted\n");
      SluiceProcess.Result gone = sluice(proxy, "delete", "httproute", "bb-route", "-n", NS);
      assertThat(gone.exitCode()).isEqualTo(1);
      assertThat(gone.stderr()).isEqualTo("httproute/bb-route not found in namespace " + NS + "\n");
      assertThat(sluice(proxy, "delete", "httproute/bb-route", "-n", NS, "--ignore-not-found").exitCode()).isZero();

      SluiceProcess.Result byFile = sluice(proxy, "delete", "-f", file.toString());
      assertThat(byFile.exitCode()).as(byFile.stderr()).isZero();
      assertThat(byFile.stdout()).contains("service/bb deleted\n").contains("endpointslice.discovery.k8s.io/bb-v2-1 deleted\n")
          .contains("deployment.apps/v1 ignored (kind Deployment)\n");
      assertThat(sluice(proxy, "get", "svc,ep,endpointslice,httproute", "-A").stderr()).isEqualTo("No resources found\n");
    }
  }

  @Test
  void invalidInputIsRejectedWholeWithEveryErrorAndItsPath() throws Exception {
    try (ProxyProcess proxy = ProxyProcess.start(EXAMPLE.resolve("empty.yaml"), dir.resolve("state"),
        "--mesh", "127.0.0.1:0")) {
      assertThat(applyText(proxy, Files.readString(EXAMPLE.resolve("demo.yaml"))).exitCode()).isZero();

      SluiceProcess.Result malformed = applyText(proxy, "apiVersion: v1\nkind: Service\nmetadata: {name: x\n");
      assertThat(malformed.exitCode()).isNotZero();
      assertThat(malformed.stderr()).contains("line").doesNotContain("\tat ");

      String bad = Files.readString(EXAMPLE.resolve("bb-route-90-10.yaml")).replace("weight: 10", "weight: -5")
          + "---\napiVersion: v1\nkind: Service\nmetadata: {name: typo, namespace: " + NS + "}\n"
          + "spec: {prots: [{port: 80}]}\n";
      Path badFile = Files.writeString(dir.resolve("bad.yaml"), bad);
      SluiceProcess.Result rejected = sluice(proxy, "apply", "-f", badFile.toString());
      assertThat(rejected.exitCode()).isEqualTo(1);
      assertThat(rejected.stdout()).isEmpty();
      assertThat(rejected.stderr().lines().toList())
          .contains("httproute/bb-route: spec.rules[0].backendRefs[1].weight: must be between 0 and 1000000, got -5")
          .anySatisfy(l -> assertThat(l).startsWith("service/typo: spec.prots: "));
      // Nothing of it was applied.
      assertThat(sluice(proxy, "get", "httproute,svc", "-n", NS, "-o", "name").stdout())
          .isEqualTo("service/bb\nservice/bb-v2\n");

      SluiceProcess.Result nofile = sluice(proxy, "apply", "-f", dir.resolve("nope.yaml").toString());
      assertThat(nofile.exitCode()).isEqualTo(1);
      assertThat(nofile.stderr()).isEqualTo("error: the path \"" + dir.resolve("nope.yaml") + "\" does not exist\n");
    }
  }

  @Test
  void badFlagsExitTwoWithAClearMessage() throws Exception {
    expectUsageError(new String[] {"apply"}, "Missing required option: '--filename=FILE'");
    expectUsageError(new String[] {"get"}, "Missing required parameter: 'KIND [NAME...]'");
    expectUsageError(new String[] {"get", "deployment"}, "unknown kind \"deployment\": sluice keeps httproute");
    expectUsageError(new String[] {"get", "svc", "-o", "table"}, "-o: unknown output format \"table\"");
    expectUsageError(new String[] {"get", "svc", "-n", "a", "-A"}, "-n and -A cannot be used together");
    expectUsageError(new String[] {"get", "svc", "bb", "-A"}, "a resource cannot be retrieved by name across all namespaces");
    expectUsageError(new String[] {"delete"}, "you must name what to delete");
    expectUsageError(new String[] {"delete", "svc"}, "name the svc to delete: sluice delete svc NAME");
    expectUsageError(new String[] {"delete", "-f", "x.yaml", "svc", "bb"}, "give either -f FILE or KIND NAME, not both");
    expectUsageError(new String[] {"get", "svc", "--admin", "ftp://x:1"}, "--admin: expected HOST:PORT or http://HOST:PORT");
    expectUsageError(new String[] {"proxy", "-c", "x.yaml", "--mesh", "nowhere"}, "--mesh: expected HOST:PORT, got 'nowhere'");
  }

  @Test
  void aRestartRestoresTheAppliedResources() throws Exception {
    Path state = dir.resolve("state");
    try (NamedUpstream v1 = new NamedUpstream("v1"); NamedUpstream v2 = new NamedUpstream("v2")) {
      String before;
      try (ProxyProcess proxy = ProxyProcess.start(EXAMPLE.resolve("empty.yaml"), state, "--mesh", "127.0.0.1:0")) {
        assertThat(applyText(proxy, demo(v1.port(), v2.port())).exitCode()).isZero();
        assertThat(applyText(proxy, Files.readString(EXAMPLE.resolve("bb-route-v2.yaml"))).exitCode()).isZero();
        before = sluice(proxy, "get", "svc,endpointslice,httproute", "-n", NS, "-o", "json").stdout();
        proxy.terminate();
        assertThat(proxy.awaitExit(Duration.ofSeconds(20))).isZero();
      }
      try (ProxyProcess proxy = ProxyProcess.start(EXAMPLE.resolve("empty.yaml"), state, "--mesh", "127.0.0.1:0")) {
        assertThat(proxy.stderr()).contains("restored 5 resource(s) from " + state);
        assertThat(sluice(proxy, "get", "svc,endpointslice,httproute", "-n", NS, "-o", "json").stdout())
            .isEqualTo(before);
        MeshClient client = new MeshClient(proxy.listenerPort("mesh"));
        assertThat(LinkerdWalkthroughIT.sample(client, 20)).containsOnlyKeys("v2");
      }
    }
  }

  @Test
  void aProxyKilledDuringAppliesRestartsWithOneWholeApplyOrTheOneBefore() throws Exception {
    Path state = dir.resolve("state");
    try (NamedUpstream v1 = new NamedUpstream("v1"); NamedUpstream v2 = new NamedUpstream("v2")) {
      AtomicInteger acknowledged = new AtomicInteger(-1);
      try (ProxyProcess proxy = ProxyProcess.start(EXAMPLE.resolve("empty.yaml"), state, "--mesh", "127.0.0.1:0")) {
        assertThat(applyText(proxy, demo(v1.port(), v2.port())).exitCode()).isZero();
        // Each apply changes two resources together: the route's weights and a Service's label say the same n.
        AtomicBoolean stop = new AtomicBoolean();
        AdminClient admin = new AdminClient(proxy.admin());
        Thread applier = new Thread(() -> {
          for (int n = 0; !stop.get(); n++) {
            try {
              if (admin.post("/apis/apply", "application/yaml", pair(n)).status() == 200) {
                acknowledged.set(n);
              }
            } catch (java.io.IOException e) {
              return;  // killed
            }
          }
        }, "applier");
        applier.start();
        ProxyProcess.await("20 applies", Duration.ofSeconds(60), () -> acknowledged.get() >= 20);
        proxy.process.destroyForcibly();  // SIGKILL, in the middle of the applies
        proxy.process.waitFor();
        stop.set(true);
        applier.join(30_000);
      }
      int last = acknowledged.get();
      try (ProxyProcess proxy = ProxyProcess.start(EXAMPLE.resolve("empty.yaml"), state, "--mesh", "127.0.0.1:0")) {
        JsonNode route = JSON.readTree(sluice(proxy, "get", "httproute", "bb-route", "-n", NS, "-o", "json").stdout());
        JsonNode svc = JSON.readTree(sluice(proxy, "get", "svc", "bb-v2", "-n", NS, "-o", "json").stdout());
        int weight = route.get("spec").get("rules").get(0).get("backendRefs").get(1).get("weight").asInt();
        int label = svc.get("metadata").get("labels").get("apply").asInt();
        assertThat(label).as("both resources come from the same apply").isEqualTo(weight);
        assertThat(weight).as("the last acknowledged apply, or one sent after it").isBetween(last, last + 1);
      }
    }
  }

  private static String pair(int n) {
    return """
        apiVersion: policy.linkerd.io/v1beta2
        kind: HTTPRoute
        metadata: {name: bb-route, namespace: traffic-shift-demo}
        spec:
          parentRefs: [{name: bb, kind: Service, group: core, port: 8080}]
          rules:
          - backendRefs: [{name: bb, port: 8080, weight: 1000}, {name: bb-v2, port: 8080, weight: %d}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: bb-v2, namespace: traffic-shift-demo, labels: {apply: "%d"}}
        spec:
          ports: [{name: http, port: 8080, targetPort: 8080}]
          selector: {app: bb, version: v2}
        """.formatted(n, n);
  }

  @Test
  void aResourceFileGivenWithDashCIsAppliedAtStartAndAgainWhenItChanges() throws Exception {
    try (NamedUpstream v1 = new NamedUpstream("v1"); NamedUpstream v2 = new NamedUpstream("v2")) {
      Path file = Files.writeString(dir.resolve("routes.yaml"),
          demo(v1.port(), v2.port()) + Files.readString(EXAMPLE.resolve("bb-route-90-10.yaml")));
      try (ProxyProcess proxy = ProxyProcess.start(file, dir.resolve("state"), "--mesh", "127.0.0.1:0",
          "--watch-interval", "50ms")) {
        assertThat(proxy.stderr()).contains("resources: httproute.policy.linkerd.io/bb-route created");
        assertThat(sluice(proxy, "get", "httproute", "-n", NS, "-o", "name").stdout())
            .isEqualTo("httproute.policy.linkerd.io/bb-route\n");

        Files.writeString(file, Files.readString(file).replace("weight: 90", "weight: 0"));
        ProxyProcess.await("the reload", Duration.ofSeconds(10), () -> proxy.stderr().contains("configuration reloaded from"));
        assertThat(proxy.stderr()).contains("resources: httproute.policy.linkerd.io/bb-route configured");
        assertThat(LinkerdWalkthroughIT.sample(new MeshClient(proxy.listenerPort("mesh")), 20)).containsOnlyKeys("v2");
      }
    }
  }

  @Test
  void aProxyStartedFromAnInvalidResourceFileDoesNotStart() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"),
        Files.readString(EXAMPLE.resolve("bb-route-90-10.yaml")).replace("weight: 10", "weight: 2000000"));
    SluiceProcess.Result r = SluiceProcess.run("proxy", "-c", bad.toString(), "--admin", "127.0.0.1:0",
        "--mesh", "127.0.0.1:0", "--state-dir", dir.resolve("state").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains(
        "httproute/bb-route: spec.rules[0].backendRefs[1].weight: must be between 0 and 1000000, got 2000000")
        .contains("1 error(s); not starting").doesNotContain("\tat ");
  }

  @Test
  void routeCheckReadsAResourceFile() throws Exception {
    SluiceProcess.Result r = SluiceProcess.run("route-check",
        "-c", "examples/route-check/linkerd-traffic-shift.yaml",
        "-t", "examples/route-check/linkerd-traffic-shift.test.yaml", "--details");
    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
    assertThat(r.stdout()).contains("Current route coverage: 100%");
  }

  private static void expectUsageError(String[] args, String message) throws Exception {
    SluiceProcess.Result r = SluiceProcess.run(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.stderr()).isEqualTo(2);
    assertThat(r.stderr().lines().findFirst().orElse("")).as(String.join(" ", args)).startsWith(message);
    assertThat(r.stderr()).doesNotContain("\tat ");
  }
}
