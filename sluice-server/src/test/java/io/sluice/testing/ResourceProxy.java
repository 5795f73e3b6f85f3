package io.sluice.testing;

import io.sluice.admin.AdminServer;
import io.sluice.config.BootstrapSpec;
import io.sluice.config.HostPort;
import io.sluice.proxy.ProxyServer;
import io.sluice.resource.MeshOptions;
import io.sluice.route.RandomSource;
import io.sluice.store.ResourceStore;
import io.sluice.store.StateDirectory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A proxy started from resources, assembled as {@code sluice proxy -c resources.yaml} assembles it
 * in the test's JVM: the data plane with an empty base, the resource store over a state directory,
 * the mesh listener and the admin interface on 127.0.0.1:0, Gateway listeners on 127.0.0.1.
 */
public final class ResourceProxy implements AutoCloseable {
  public final ProxyServer proxy;
  public final ResourceStore store;
  public final AdminServer admin;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private ResourceProxy(ProxyServer proxy, ResourceStore store, AdminServer admin) {
    this.proxy = proxy;
    this.store = store;
    this.admin = admin;
  }

  /** Starts a proxy keeping its resources in {@code stateDir} (null: nowhere), restoring what it holds. */
  public static ResourceProxy start(Path stateDir, Clock clock) throws IOException {
    return start(stateDir, clock, ResourceStore.resourceBootstrap("resources"));
  }

  /** Starts a proxy for {@code base} (an Envoy bootstrap) with a resource store. */
  public static ResourceProxy start(Path stateDir, Clock clock, BootstrapSpec base) throws IOException {
    StateDirectory state = stateDir == null ? null : new StateDirectory(stateDir);
    ProxyServer p = new ProxyServer(base, new ProxyServer.Options(2, RandomSource.threadLocal(), null, state));
    AdminServer a = null;
    try {
      p.start();
      MeshOptions mesh = new MeshOptions(new HostPort("127.0.0.1", 0), "127.0.0.1", "default");
      ResourceStore s = ResourceStore.open(p, base, state, new ResourceStore.Options(mesh, true, clock));
      a = new AdminServer(new HostPort("127.0.0.1", 0), p, s, () -> {});
      return new ResourceProxy(p, s, a);
    } catch (IOException | RuntimeException e) {
      if (a != null) {
        a.close();
      }
      p.close();
      throw e;
    }
  }

  public static ResourceProxy start(Path stateDir) throws IOException {
    return start(stateDir, Clock.systemUTC());
  }

  /** The port the mesh listener is bound to. */
  public int meshPort() {
    return proxy.listenerAddresses().get("mesh").getPort();
  }

  /** Applies {@code yaml} as {@code sluice apply} would, returning the lines. */
  public java.util.List<String> apply(String yaml) throws IOException {
    return store.apply(yaml, "test", false);
  }

  public HttpResponse<String> adminGet(String pathAndQuery) throws IOException {
    return send(HttpRequest.newBuilder(adminUri(pathAndQuery)).GET());
  }

  public HttpResponse<String> adminPost(String pathAndQuery, String body) throws IOException {
    return send(HttpRequest.newBuilder(adminUri(pathAndQuery))
        .header("content-type", "application/yaml")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
  }

  private URI adminUri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + admin.address().getPort() + pathAndQuery);
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws IOException {
    try {
      return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Override
  public void close() {
    admin.close();
    proxy.close();
  }
}
