package io.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.ClusterSpec;
import io.sluice.runtime.RuntimeLayer;
import io.sluice.runtime.RuntimeSnapshot;
import java.util.List;
import java.util.Objects;

/**
 * An Envoy v3 bootstrap as Sluice runs it, validated and immutable: what {@code sluice proxy -c}
 * starts from. Built by {@link BootstrapReader}.
 *
 * @param listeners the static listeners, in order
 * @param clusters the static clusters, in order (names are unique)
 * @param admin the admin interface's address, or null when the bootstrap has none (the caller then
 *     uses its own default)
 * @param runtimeLayers the runtime layers, first to last (later layers win); see {@link
 *     BootstrapReader} for what an absent {@code layered_runtime} means
 * @param source the bootstrap as read, for {@code /config_dump}
 * @param warnings fields accepted but ignored, each with its path
 */
public record BootstrapSpec(
    List<ListenerSpec> listeners,
    List<ClusterSpec> clusters,
    HostPort admin,
    List<RuntimeLayer> runtimeLayers,
    JsonNode source,
    List<ConfigProblem> warnings) {

  public BootstrapSpec {
    listeners = List.copyOf(listeners);
    clusters = List.copyOf(clusters);
    runtimeLayers = List.copyOf(runtimeLayers);
    warnings = List.copyOf(warnings);
    source = Objects.requireNonNull(source, "source").deepCopy();
  }

  /** The bootstrap as read; a copy, so the caller may change it. */
  @Override
  public JsonNode source() {
    return source.deepCopy();
  }

  /** The cluster of that name, or null. */
  public ClusterSpec cluster(String name) {
    for (ClusterSpec c : clusters) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    return null;
  }

  /** The listener of that name, or null. */
  public ListenerSpec listener(String name) {
    for (ListenerSpec l : listeners) {
      if (l.name().equals(name)) {
        return l;
      }
    }
    return null;
  }

  /** The runtime the layers make, before any admin override. */
  public RuntimeSnapshot runtime() {
    return new RuntimeSnapshot(runtimeLayers);
  }
}
