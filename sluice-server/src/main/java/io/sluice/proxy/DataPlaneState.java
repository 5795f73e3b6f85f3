package io.sluice.proxy;

import io.sluice.cluster.UpstreamCluster;
import io.sluice.config.BootstrapSpec;
import io.sluice.config.ListenerSpec;
import io.sluice.runtime.RuntimeSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a request reads when it starts, in one immutable object: the listeners' route
 * tables, the clusters, the runtime (and the admin-layer overrides it was built with). A
 * configuration reload or a runtime change builds a new one and publishes it with one volatile
 * write, so a request sees either the old state or the new, never a mix. The admin interface reads
 * it the same way, once per answer.
 */
public final class DataPlaneState {
  private final BootstrapSpec bootstrap;
  private final Map<String, ListenerSpec> listeners;
  private final Map<String, UpstreamCluster> clusters;
  private final RuntimeSnapshot runtime;
  private final Map<String, String> runtimeOverrides;

  DataPlaneState(BootstrapSpec bootstrap, Map<String, UpstreamCluster> clusters, RuntimeSnapshot runtime,
      Map<String, String> runtimeOverrides) {
    this.bootstrap = bootstrap;
    Map<String, ListenerSpec> byName = new LinkedHashMap<>();
    for (ListenerSpec l : bootstrap.listeners()) {
      byName.put(l.name(), l);
    }
    this.listeners = Map.copyOf(byName);
    this.clusters = clusters;
    this.runtime = runtime;
    this.runtimeOverrides = Map.copyOf(runtimeOverrides);
  }

  /** The same state with another runtime. */
  DataPlaneState withRuntime(RuntimeSnapshot next, Map<String, String> overrides) {
    return new DataPlaneState(bootstrap, clusters, next, overrides);
  }

  /** The configuration. */
  public BootstrapSpec bootstrap() {
    return bootstrap;
  }

  /** A listener by name, or null. */
  public ListenerSpec listener(String name) {
    return listeners.get(name);
  }

  /** A cluster by name, or null. */
  public UpstreamCluster cluster(String name) {
    return clusters.get(name);
  }

  /** The clusters by name, in configuration order. */
  public Map<String, UpstreamCluster> clusters() {
    return clusters;
  }

  /** The runtime: every layer merged. */
  public RuntimeSnapshot runtime() {
    return runtime;
  }

  /** The admin layer's overrides the runtime was built with. */
  public Map<String, String> runtimeOverrides() {
    return runtimeOverrides;
  }
}
