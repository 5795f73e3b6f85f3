package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Linkerd's traffic-shifting walkthrough ({@code examples/linkerd-traffic-shift}: the reference's
 * three manifests, unchanged) run with the built jar: {@code sluice apply -f -} instead of {@code
 * kubectl apply -f -}, two test servers answering {@code v1} and {@code v2} as the pods, and a
 * load, as slow-cooker's, that keeps sending {@code GET http://bb:8080} through the mesh listener
 * across every change and must never see a failure.
 */
class LinkerdWalkthroughIT {
  private static final Path EXAMPLE = SluiceProcess.root().resolve("examples/linkerd-traffic-shift");
  private static final int SAMPLE = 1000;

  @TempDir Path dir;

  @Test
  void theWalkthroughWorksWordForWordWithoutAFailedRequest() throws Exception {
    try (NamedUpstream v1 = new NamedUpstream("v1");
        NamedUpstream v2 = new NamedUpstream("v2");
        ProxyProcess proxy = ProxyProcess.start(EXAMPLE.resolve("empty.yaml"), dir.resolve("state"),
            "--mesh", "127.0.0.1:0")) {
      int meshPort = proxy.listenerPort("mesh");
      assertThat(meshPort).as("the mesh listener is bound from the start").isPositive();

      // The first manifest, unchanged, with the EndpointSlices saying where v1 and v2 answer.
      SluiceProcess.Result setUp = apply(proxy, read("demo.yaml") + endpoints(v1.port(), v2.port()));
      assertThat(setUp.exitCode()).as(setUp.stderr()).isZero();
      assertThat(setUp.stdout().lines()).containsExactly(
          "namespace/traffic-shift-demo ignored (kind Namespace)",
          "deployment.apps/v1 ignored (kind Deployment)",
          "deployment.apps/v2 ignored (kind Deployment)",
          "service/bb created",
          "service/bb-v2 created",
          "deployment.apps/slow-cooker ignored (kind Deployment)",
          "endpointslice.discovery.k8s.io/bb-1 created",
          "endpointslice.discovery.k8s.io/bb-v2-1 created");

      MeshClient client = new MeshClient(meshPort);
      try (Load load = new Load(new MeshClient(meshPort))) {
        load.awaitMore(20);
        assertThat(sample(client, 200)).as("before any route, bb's own endpoints").containsOnlyKeys("v1");

        SluiceProcess.Result split = apply(proxy, read("bb-route-90-10.yaml"));
        assertThat(split.exitCode()).as(split.stderr()).isZero();
        assertThat(split.stdout()).isEqualTo("httproute.policy.linkerd.io/bb-route created\n");
        load.awaitMore(20);
        Map<String, Integer> counts = sample(client, SAMPLE);
        assertThat(counts.keySet()).isSubsetOf("v1", "v2");
        // v2's share is binomial(1000, 0.1): mean 100, standard deviation 9.5; five of them either side.
        double sd = Math.sqrt(SAMPLE * 0.1 * 0.9);
        assertThat(counts.getOrDefault("v2", 0)).as(counts.toString())
            .isBetween((int) Math.floor(100 - 5 * sd), (int) Math.ceil(100 + 5 * sd));

        SluiceProcess.Result all = apply(proxy, read("bb-route-v2.yaml"));
        assertThat(all.exitCode()).as(all.stderr()).isZero();
        assertThat(all.stdout()).isEqualTo("httproute.policy.linkerd.io/bb-route configured\n");
        load.awaitMore(20);
        assertThat(sample(client, 200)).containsOnlyKeys("v2");

        load.stop();
        assertThat(load.failures).as("requests that failed during the changes").isEmpty();
        assertThat(load.seen).as("the load saw both versions").containsOnlyKeys("v1", "v2");
      }

      SluiceProcess.Result get = SluiceProcess.run("get", "httproute", "-n", "traffic-shift-demo", "--admin", proxy.admin());
      assertThat(get.exitCode()).as(get.stderr()).isZero();
      assertThat(get.stdout().lines().toList().get(0)).startsWith("NAME").endsWith("AGE");
      assertThat(get.stdout().lines().toList().get(1)).startsWith("bb-route ").contains("Service/bb:8080")
          .contains("True");
    }
  }

  private static SluiceProcess.Result apply(ProxyProcess proxy, String stdin) throws Exception {
    return SluiceProcess.runWithInput(stdin, "apply", "-f", "-", "--admin", proxy.admin());
  }

  private static String read(String name) throws IOException {
    return Files.readString(EXAMPLE.resolve(name));
  }

  /** {@code endpoints.yaml} with the test servers' ports in place of 8081 and 8082. */
  static String endpoints(int v1Port, int v2Port) throws IOException {
    String yaml = read("endpoints.yaml");
    assertThat(yaml).contains("port: 8081").contains("port: 8082");
    return yaml.replace("port: 8081", "port: " + v1Port).replace("port: 8082", "port: " + v2Port);
  }

  /** Sends {@code n} requests for bb:8080 and counts the answers by body; any failure fails the test. */
  static Map<String, Integer> sample(MeshClient client, int n) throws IOException {
    Map<String, Integer> counts = new java.util.TreeMap<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = client.get("http://bb:8080/");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      counts.merge(r.body(), 1, Integer::sum);
    }
    return counts;
  }

  /** slow-cooker: one request after the other for as long as the test runs, every failure kept. */
  static final class Load implements AutoCloseable {
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    final Map<String, Integer> seen = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    Load(MeshClient client) {
      thread = new Thread(() -> {
        while (running.get()) {
          try {
            HttpResponse<String> r = client.get("http://bb:8080/");
            if (r.statusCode() != 200 || !List.of("v1", "v2").contains(r.body())) {
              failures.add(r.statusCode() + " " + r.body());
            } else {
              seen.merge(r.body(), 1, Integer::sum);
            }
          } catch (IOException e) {
            failures.add(e.toString());
          }
          sent.incrementAndGet();
        }
      }, "slow-cooker");
      thread.start();
    }

    /** Waits until the load has sent {@code n} more requests. */
    void awaitMore(int n) {
      int target = sent.get() + n;
      ProxyProcess.await(n + " more requests of the load", Duration.ofSeconds(30), () -> sent.get() >= target);
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(30_000);
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }
}
