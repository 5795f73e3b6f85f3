package io.sluice.proxy;

import io.sluice.cluster.UpstreamCluster;
import io.sluice.config.BootstrapSpec;
import io.sluice.config.ListenerSpec;
import io.sluice.runtime.RuntimeSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a request reads when it starts, in one immutable object: the listeners' route
 * tables, the clusters, the runtime. A configuration reload or a runtime change builds a new one
 * and publishes it with one volatile write, so a request sees either the old state or the new,
 * never a mix.
 */
final class DataPlaneState {
  private final BootstrapSpec bootstrap;
  private final Map<String, ListenerSpec> listeners;
  private final Map<String, UpstreamCluster> clusters;
  private final RuntimeSnapshot runtime;

  DataPlaneState(BootstrapSpec bootstrap, Map<String, UpstreamCluster> clusters, RuntimeSnapshot runtime) {
    this.bootstrap = bootstrap;
    Map<String, ListenerSpec> byName = new LinkedHashMap<>();
    for (ListenerSpec l : bootstrap.listeners()) {
      byName.put(l.name(), l);
    }
    this.listeners = Map.copyOf(byName);
    this.clusters = clusters;
    this.runtime = runtime;
  }

  /** The same state with another runtime. */
  DataPlaneState withRuntime(RuntimeSnapshot next) {
    return new DataPlaneState(bootstrap, clusters, next);
  }

  BootstrapSpec bootstrap() {
    return bootstrap;
  }

  ListenerSpec listener(String name) {
    return listeners.get(name);
  }

  UpstreamCluster cluster(String name) {
    return clusters.get(name);
  }

  Map<String, UpstreamCluster> clusters() {
    return clusters;
  }

  RuntimeSnapshot runtime() {
    return runtime;
  }
}
