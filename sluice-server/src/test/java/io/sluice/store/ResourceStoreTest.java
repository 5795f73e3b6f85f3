package io.sluice.store;

import static io.sluice.testing.Manifests.endpointSlice;
import static io.sluice.testing.Manifests.linkerdRoute;
import static io.sluice.testing.Manifests.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.BootstrapReader;
import io.sluice.resource.Resource;
import io.sluice.resource.ResourceException;
import io.sluice.resource.ResourceKind;
import io.sluice.resource.ResourceSet;
import io.sluice.testing.BootstrapYaml;
import io.sluice.testing.HttpConnection;
import io.sluice.testing.NamedBackend;
import io.sluice.testing.ResourceProxy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resource store on a real data plane: apply, get and delete, whole-apply validation, the
 * state file (restart, a crash in the middle of a write), listeners bound and released live.
 */
class ResourceStoreTest {
  private static final String NS = "traffic-shift-demo";
  private static final List<ResourceKind> ROUTES = List.of(ResourceKind.HTTP_ROUTE, ResourceKind.LINKERD_HTTP_ROUTE);

  @TempDir Path dir;
  private NamedBackend v1;
  private NamedBackend v2;

  @BeforeEach
  void backends() {
    v1 = new NamedBackend("v1");
    v2 = new NamedBackend("v2");
  }

  @AfterEach
  void closeBackends() {
    v1.close();
    v2.close();
  }

  private String services() {
    return service(NS, "bb", 8080) + service(NS, "bb-v2", 8080)
        + endpointSlice(NS, "bb", v1.port()) + endpointSlice(NS, "bb-v2", v2.port());
  }

  /** The backend that answers a request for {@code bb:8080} sent to the mesh listener. */
  private static String meshAnswer(ResourceProxy p) throws IOException {
    try (HttpConnection c = new HttpConnection(p.meshPort())) {
      HttpConnection.Response r = c.get("http://bb:8080/", "host: bb:8080");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      return r.body();
    }
  }

  @Test
  void applyGetAndDeleteRoundTrip() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    try (ResourceProxy p = ResourceProxy.start(dir.resolve("state"), clock)) {
      assertThat(p.apply(services())).containsExactly(
          "service/bb created", "service/bb-v2 created",
          "endpointslice.discovery.k8s.io/bb-1 created", "endpointslice.discovery.k8s.io/bb-v2-1 created");
      assertThat(meshAnswer(p)).isEqualTo("v1");

      String allToV2 = linkerdRoute(NS, "bb-route", "bb", 8080, "bb=0", "bb-v2=100");
      assertThat(p.apply(allToV2)).containsExactly("httproute.policy.linkerd.io/bb-route created");
      assertThat(meshAnswer(p)).isEqualTo("v2");
      assertThat(p.apply(allToV2)).containsExactly("httproute.policy.linkerd.io/bb-route unchanged");

      clock.now = Instant.parse("2024-05-01T10:05:00Z");
      assertThat(p.apply(linkerdRoute(NS, "bb-route", "bb", 8080, "bb=100", "bb-v2=0")))
          .containsExactly("httproute.policy.linkerd.io/bb-route configured");
      assertThat(meshAnswer(p)).isEqualTo("v1");
      List<Resource> routes = p.store.list(ROUTES, NS, null);
      assertThat(routes).hasSize(1);
      assertThat(routes.get(0).generation()).isEqualTo(2);
      assertThat(routes.get(0).creationTimestamp()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
      assertThat(routes.get(0).status()).as("the compiled status is kept").isNotNull();
      assertThat(p.store.list(ROUTES, "default", null)).isEmpty();
      assertThat(p.store.list(List.of(ResourceKind.SERVICE), null, "bb-v2")).hasSize(1);

      assertThat(p.store.delete(ROUTES, "httproute", NS, List.of("bb-route"), false))
          .containsExactly("httproute.policy.linkerd.io/bb-route deleted");
      assertThat(p.store.list(ROUTES, null, null)).isEmpty();
      assertThat(meshAnswer(p)).isEqualTo("v1");

      // delete -f: the identities of a file, ignored kinds reported, nothing missing.
      assertThat(p.store.delete(services() + "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: " + NS + "}\n",
          "f.yaml", false)).containsExactly(
          "service/bb deleted", "service/bb-v2 deleted",
          "endpointslice.discovery.k8s.io/bb-1 deleted", "endpointslice.discovery.k8s.io/bb-v2-1 deleted",
          "namespace/" + NS + " ignored (kind Namespace)");
      assertThat(p.store.snapshot().set().all()).isEmpty();
    }
  }

  @Test
  void deletingWhatDoesNotExistDeletesNothingUnlessTold() throws Exception {
    try (ResourceProxy p = ResourceProxy.start(null)) {
      p.apply(services());
      long version = p.store.snapshot().set().version();
      assertThatThrownBy(() -> p.store.delete(List.of(ResourceKind.SERVICE), "svc", NS, List.of("bb", "nope"), false))
          .isInstanceOf(ResourceException.class)
          .satisfies(e -> assertThat(((ResourceException) e).errors())
              .containsExactly("svc/nope not found in namespace " + NS));
      assertThat(p.store.snapshot().set().version()).isEqualTo(version);
      assertThat(p.store.list(List.of(ResourceKind.SERVICE), NS, "bb")).hasSize(1);

      assertThat(p.store.delete(List.of(ResourceKind.SERVICE), "svc", NS, List.of("bb", "nope"), true))
          .containsExactly("service/bb deleted");
    }
  }

  @Test
  void anApplyWithAnyErrorChangesNothing() throws Exception {
    try (ResourceProxy p = ResourceProxy.start(dir.resolve("state"))) {
      p.apply(services() + linkerdRoute(NS, "bb-route", "bb", 8080, "bb=100", "bb-v2=0"));
      ResourceSet before = p.store.snapshot().set();
      byte[] file = Files.readAllBytes(dir.resolve("state").resolve("resources.json"));

      // A valid change (all to v2) next to an out-of-range weight and an unknown field.
      String stream = linkerdRoute(NS, "bb-route", "bb", 8080, "bb=0", "bb-v2=100")
          + linkerdRoute(NS, "bad-weight", "bb", 8080, "bb=1", "bb-v2=-5")
          + service(NS, "typo", 80).replace("  ports:", "  portz: []\n  ports:");
      assertThatThrownBy(() -> p.apply(stream))
          .isInstanceOf(ResourceException.class)
          .satisfies(e -> assertThat(((ResourceException) e).errors())
              .anySatisfy(line -> assertThat(line).isEqualTo(
                  "httproute/bad-weight: spec.rules[0].backendRefs[1].weight: must be between 0 and 1000000, got -5"))
              .anySatisfy(line -> assertThat(line).startsWith("service/typo: spec.portz: ")));

      assertThat(p.store.snapshot().set()).isSameAs(before);
      assertThat(Files.readAllBytes(dir.resolve("state").resolve("resources.json"))).isEqualTo(file);
      assertThat(meshAnswer(p)).isEqualTo("v1");
    }
  }

  @Test
  void aRestartRestoresTheResourcesAsTheyWere() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC);
    List<String> before;
    try (ResourceProxy p = ResourceProxy.start(dir.resolve("state"), clock)) {
      p.apply(services());
      p.apply(linkerdRoute(NS, "bb-route", "bb", 8080, "bb=0", "bb-v2=1"));
      before = json(p.store.snapshot().set());
      assertThat(meshAnswer(p)).isEqualTo("v2");
    }
    try (ResourceProxy p = ResourceProxy.start(dir.resolve("state"), Clock.systemUTC())) {
      assertThat(json(p.store.snapshot().set())).isEqualTo(before);
      assertThat(meshAnswer(p)).isEqualTo("v2");
    }
  }

  @Test
  void aCrashDuringTheWriteLeavesTheOldStateAndAfterTheRenameTheNew() throws Exception {
    Path state = dir.resolve("state");
    Path scratch = dir.resolve("scratch");
    Clock clock = Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC);
    List<String> old;
    List<String> next;
    try (ResourceProxy p = ResourceProxy.start(state, clock)) {
      p.apply(services());
      old = json(p.store.snapshot().set());
    }
    // What the next apply writes, produced with the same clock in another directory.
    Files.createDirectories(scratch);
    Files.copy(state.resolve("resources.json"), scratch.resolve("resources.json"));
    try (ResourceProxy p = ResourceProxy.start(scratch, clock)) {
      p.apply(linkerdRoute(NS, "bb-route", "bb", 8080, "bb=0", "bb-v2=1"));
      next = json(p.store.snapshot().set());
    }
    String nextFile = Files.readString(scratch.resolve("resources.json"));
    assertThat(next).isNotEqualTo(old);

    // Killed while writing: the temporary file holds half of the new state; resources.json is whole.
    Files.writeString(state.resolve(".resources.json.4242.tmp"), nextFile.substring(0, nextFile.length() / 2));
    try (ResourceProxy p = ResourceProxy.start(state, clock)) {
      assertThat(json(p.store.snapshot().set())).isEqualTo(old);
      assertThat(meshAnswer(p)).isEqualTo("v1");
    }
    try (Stream<Path> files = Files.list(state)) {
      assertThat(files.map(f -> f.getFileName().toString())).doesNotContain(".resources.json.4242.tmp");
    }
    // Killed just after the rename: the new state, whole.
    Files.writeString(state.resolve("resources.json"), nextFile);
    try (ResourceProxy p = ResourceProxy.start(state, clock)) {
      assertThat(json(p.store.snapshot().set())).isEqualTo(next);
      assertThat(meshAnswer(p)).isEqualTo("v2");
    }
  }

  @Test
  void aDamagedStateFileStopsTheStartNamingIt() throws Exception {
    Path state = dir.resolve("state");
    Files.createDirectories(state);
    Files.writeString(state.resolve("resources.json"), "{\"version\": 1, \"resources\": ");
    assertThatThrownBy(() -> ResourceProxy.start(state))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(state.resolve("resources.json") + " is damaged")
        .hasMessageContaining("fix or remove it");
  }

  @Test
  void gatewayListenersAreBoundAndReleasedLive() throws Exception {
    int port = freePort();
    try (ResourceProxy p = ResourceProxy.start(dir.resolve("state"))) {
      p.apply(services() + gateway("gw", port) + gatewayRoute("to-v2", "gw", "bb-v2"));
      try (HttpConnection c = new HttpConnection(port)) {
        HttpConnection.Response r = c.get("/", "host: anything.example");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("v2");
      }
      assertThat(p.proxy.listenerAddresses()).containsKey("gateway:" + port);

      p.store.delete(List.of(ResourceKind.GATEWAY), "gateway", NS, List.of("gw"), false);
      assertThat(p.proxy.listenerAddresses()).doesNotContainKey("gateway:" + port);
      assertThatThrownBy(() -> new HttpConnection(port).close()).isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void aListenerThatCannotBeBoundRejectsTheApplyAndChangesNothing() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      try (ResourceProxy p = ResourceProxy.start(dir.resolve("state"))) {
        p.apply(services());
        ResourceSet before = p.store.snapshot().set();
        byte[] file = Files.readAllBytes(dir.resolve("state").resolve("resources.json"));

        assertThatThrownBy(() -> p.apply(gateway("gw", taken.getLocalPort()) + gatewayRoute("r", "gw", "bb-v2")))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());

        assertThat(p.store.snapshot().set()).isSameAs(before);
        assertThat(Files.readAllBytes(dir.resolve("state").resolve("resources.json"))).isEqualTo(file);
        assertThat(p.store.list(List.of(ResourceKind.GATEWAY), null, null)).isEmpty();
        assertThat(meshAnswer(p)).isEqualTo("v1");
      }
    }
  }

  @Test
  void concurrentAppliesAreEachAppliedWhole() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (ResourceProxy p = ResourceProxy.start(dir.resolve("state"))) {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String yaml = service("ns" + i, "svc", 80) + service("ns" + i, "other", 81);
        results.add(pool.submit((Callable<List<String>>) () -> p.apply(yaml)));
      }
      for (Future<List<String>> f : results) {
        assertThat(f.get()).containsExactly("service/svc created", "service/other created");
      }
      assertThat(p.store.list(List.of(ResourceKind.SERVICE), null, null)).hasSize(2 * threads);
      assertThat(p.store.snapshot().set().version()).isEqualTo(threads);
    } finally {
      pool.shutdownNow();
    }
    // The file holds the last state, the one in memory.
    try (ResourceProxy p = ResourceProxy.start(dir.resolve("state"))) {
      assertThat(p.store.list(List.of(ResourceKind.SERVICE), null, null)).hasSize(2 * threads);
    }
  }

  @Test
  void anEnvoyBootstrapKeepsServingNextToTheResourcesAndAcrossItsReload() throws Exception {
    Files.writeString(dir.resolve("envoy.yaml"), new BootstrapYaml().cluster(v1)
        .routes("- match: {prefix: /}\n  route: {cluster: v1}").toString());
    try (ResourceProxy p = ResourceProxy.start(null, Clock.systemUTC(), BootstrapReader.read(dir.resolve("envoy.yaml")))) {
      p.apply(services() + linkerdRoute(NS, "bb-route", "bb", 8080, "bb=0", "bb-v2=1"));
      int envoyPort = p.proxy.listenerAddresses().get("test").getPort();
      try (HttpConnection c = new HttpConnection(envoyPort)) {
        assertThat(c.get("/").body()).isEqualTo("v1");
      }
      assertThat(meshAnswer(p)).isEqualTo("v2");

      p.store.setBase(BootstrapReader.read(dir.resolve("envoy.yaml")));
      assertThat(meshAnswer(p)).isEqualTo("v2");
      try (HttpConnection c = new HttpConnection(p.proxy.listenerAddresses().get("test").getPort())) {
        assertThat(c.get("/").body()).isEqualTo("v1");
      }
    }
  }

  private static String gateway(String name, int port) {
    return """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: %s
          namespace: %s
        spec:
          gatewayClassName: sluice
          listeners:
          - name: http
            port: %d
            protocol: HTTP
        """.formatted(name, NS, port);
  }

  private static String gatewayRoute(String name, String gateway, String backend) {
    return """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: %s
          namespace: %s
        spec:
          parentRefs:
          - name: %s
          rules:
          - backendRefs:
            - name: %s
              port: 8080
        """.formatted(name, NS, gateway, backend);
  }

  private static List<String> json(ResourceSet set) {
    return set.all().stream().map(r -> r.toJson().toString()).toList();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  /** A clock a test moves by hand. */
  private static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
