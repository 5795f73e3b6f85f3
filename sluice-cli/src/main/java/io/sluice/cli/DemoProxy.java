package io.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.admin.AdminServer;
import io.sluice.config.BootstrapReader;
import io.sluice.config.BootstrapSpec;
import io.sluice.config.ConfigException;
import io.sluice.config.ConfigProblem;
import io.sluice.config.HostPort;
import io.sluice.proxy.Log;
import io.sluice.proxy.ProxyServer;
import io.sluice.resource.MeshOptions;
import io.sluice.route.RandomSource;
import io.sluice.store.ResourceStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;

/**
 * A proxy run inside the demo's process the way {@code sluice proxy} runs one: the data plane,
 * its resource store (what {@code sluice apply} talks to) and its admin interface, all on
 * 127.0.0.1 and free ports, with no state directory, so nothing the demo changes outlives it.
 */
final class DemoProxy implements AutoCloseable {
  private static final HostPort ANY_FREE_PORT = new HostPort("127.0.0.1", 0);

  private final ProxyServer proxy;
  private final AdminServer admin;

  private DemoProxy(ProxyServer proxy, AdminServer admin) {
    this.proxy = proxy;
    this.admin = admin;
  }

  /**
   * A proxy for Kubernetes-style resources, as {@code sluice proxy -c empty.yaml} starts: no
   * resource yet, the mesh listener bound from the start.
   */
  static DemoProxy forResources(String source, Duration window) throws IOException {
    return start(ResourceStore.resourceBootstrap(source), true, window);
  }

  /** A proxy for an Envoy bootstrap, as {@code sluice proxy -c envoy.yaml} starts. */
  static DemoProxy forBootstrap(JsonNode bootstrap, String source, Duration window) throws IOException {
    BootstrapSpec spec;
    try {
      spec = BootstrapReader.read(bootstrap, source);
    } catch (ConfigException e) {
      throw new IOException(source + ": " + e.errors().size() + " error(s), the first: "
          + (e.errors().isEmpty() ? e.getMessage() : e.errors().get(0)), e);
    }
    for (ConfigProblem w : spec.warnings()) {
      Log.warn(source + ": " + w);
    }
    return start(spec, false, window);
  }

  private static DemoProxy start(BootstrapSpec bootstrap, boolean meshFromStart, Duration window) throws IOException {
    // One event loop: the demo's load is small, and the backends and the load share the cores.
    ProxyServer proxy = new ProxyServer(bootstrap,
        new ProxyServer.Options(1, RandomSource.threadLocal(), null, null, window, System::nanoTime));
    try {
      proxy.start();
      ResourceStore store = ResourceStore.open(proxy, bootstrap, null, new ResourceStore.Options(
          new MeshOptions(ANY_FREE_PORT, "127.0.0.1", "default"), meshFromStart, Clock.systemUTC()));
      AdminServer admin = new AdminServer(ANY_FREE_PORT, proxy, store,
          () -> Log.warn("POST /quitquitquit: the demo's proxies stop with the demo (Ctrl-C)"));
      return new DemoProxy(proxy, admin);
    } catch (IOException | RuntimeException e) {
      proxy.close();
      throw e;
    }
  }

  /** The admin interface, {@code http://127.0.0.1:PORT}. */
  String admin() {
    return "http://127.0.0.1:" + admin.address().getPort();
  }

  /**
   * Where a listener is bound, by name ({@code mesh}, or the bootstrap's {@code listener_0}).
   *
   * @throws IllegalStateException when it has no such listener
   */
  InetSocketAddress listener(String name) {
    InetSocketAddress a = proxy.listenerAddresses().get(name);
    if (a == null) {
      throw new IllegalStateException("the proxy has no listener " + name + "; it has " + proxy.listenerAddresses().keySet());
    }
    return a;
  }

  @Override
  public void close() {
    admin.close();
    proxy.close();
  }
}
