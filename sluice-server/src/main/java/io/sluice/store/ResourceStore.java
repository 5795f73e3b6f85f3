package io.sluice.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.cluster.ClusterSpec;
import io.sluice.config.BootstrapReader;
import io.sluice.config.BootstrapSpec;
import io.sluice.config.ListenerSpec;
import io.sluice.proxy.Log;
import io.sluice.proxy.ProxyServer;
import io.sluice.resource.ApplyResult;
import io.sluice.resource.CompiledResources;
import io.sluice.resource.MeshOptions;
import io.sluice.resource.ParsedDocument;
import io.sluice.resource.Resource;
import io.sluice.resource.ResourceCompiler;
import io.sluice.resource.ResourceException;
import io.sluice.resource.ResourceKey;
import io.sluice.resource.ResourceKind;
import io.sluice.resource.ResourceParser;
import io.sluice.resource.ResourceSet;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The Kubernetes-style resources a running proxy was given ({@code sluice apply}), and the one way
 * they change: the whole input is parsed and validated (any error rejects all of it), applied to
 * the current set, compiled, saved in the state directory and put into effect on the data plane
 * together with the bootstrap the proxy started from.
 *
 * <p>Saving and switching are one step: the new listeners are bound first, then {@code
 * resources.json} is replaced atomically, then the data plane switches. A listener that cannot be
 * bound or a file that cannot be written leaves both the file and the data plane as they were; a
 * crash leaves the file whole, old or new, and a restart restores what it holds.
 *
 * <p>Changes are serialized; reads ({@link #snapshot}) take the current snapshot without waiting.
 */
public final class ResourceStore {

  /**
   * How the store compiles and publishes.
   *
   * @param mesh where the mesh and Gateway listeners listen
   * @param listenWhenEmpty whether the mesh listener is bound while no resource is applied (yes when
   *     the proxy was started from a resource file; an Envoy proxy takes the port only once
   *     resources arrive)
   * @param clock the time of {@code creationTimestamp}
   */
  public record Options(MeshOptions mesh, boolean listenWhenEmpty, Clock clock) {
    public Options {
      Objects.requireNonNull(mesh, "mesh");
      Objects.requireNonNull(clock, "clock");
    }
  }

  /** What the store holds now: the resources (with their statuses) and what they compiled to. */
  public record Snapshot(ResourceSet set, CompiledResources compiled) {}

  private static final CompiledResources NOTHING =
      new CompiledResources(List.of(), List.of(), Map.of(), Map.of(), List.of());

  private final ProxyServer proxy;
  private final StateDirectory directory;
  private final Options options;
  /** The configuration the proxy started from; guarded by {@code this}. */
  private BootstrapSpec base;
  private volatile Snapshot current;

  private ResourceStore(ProxyServer proxy, BootstrapSpec base, StateDirectory directory, Options options) {
    this.proxy = proxy;
    this.base = base;
    this.directory = directory;
    this.options = options;
  }

  /**
   * Opens the store of a started proxy: restores the resources saved in {@code directory} (none
   * when it is null or holds none) and puts them into effect next to {@code base}.
   *
   * @throws IOException when the saved resources are damaged or a listener cannot be bound
   */
  public static ResourceStore open(ProxyServer proxy, BootstrapSpec base, StateDirectory directory, Options options)
      throws IOException {
    ResourceSet saved = ResourceSet.EMPTY;
    JsonNode json = directory == null ? null : directory.loadResources();
    if (json != null) {
      try {
        saved = ResourceSet.fromJson(json);
      } catch (RuntimeException e) {
        throw new IOException(directory.path().resolve(StateDirectory.RESOURCES) + " is damaged (" + e.getMessage()
            + "); fix or remove it", e);
      }
    }
    ResourceStore store = new ResourceStore(proxy, base, directory, options);
    synchronized (store) {
      store.publish(saved, false);
    }
    if (!saved.all().isEmpty()) {
      Log.info("restored " + saved.all().size() + " resource(s) from " + directory.path());
    }
    return store;
  }

  /**
   * The base configuration of a proxy started from resources rather than an Envoy bootstrap: no
   * listener, no cluster, one admin runtime layer (so that {@code /runtime_modify} works as with a
   * bootstrap).
   */
  public static BootstrapSpec resourceBootstrap(String source) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.putObject("layered_runtime").putArray("layers").addObject().put("name", "admin").putObject("admin_layer");
    return BootstrapReader.read(root, source);
  }

  /** The resources and what they compiled to, now. */
  public Snapshot snapshot() {
    return current;
  }

  /** The resources of these kinds in {@code namespace} (null: every namespace) named {@code name} (null: any). */
  public List<Resource> list(List<ResourceKind> kinds, String namespace, String name) {
    return current.set().list(kinds, namespace, name);
  }

  /**
   * Applies a YAML or JSON stream, as {@code kubectl apply -f} does: one line per document
   * ({@code created}, {@code configured}, {@code unchanged}, {@code ignored (kind Deployment)}).
   *
   * @param source names the stream in error messages
   * @param dryRun validate and compile only; change nothing
   * @throws ResourceException with every error when any document is invalid; nothing changes then
   * @throws IOException when the change cannot be saved or put into effect; nothing changes then
   */
  public List<String> apply(String text, String source, boolean dryRun) throws IOException {
    List<ParsedDocument> documents = ResourceParser.parse(text, source);
    synchronized (this) {
      ApplyResult result = current.set().apply(documents, options.clock().instant());
      return change(result, dryRun);
    }
  }

  /**
   * Deletes the resources a YAML or JSON stream names, as {@code kubectl delete -f} does. Only
   * each document's identity is read (apiVersion, kind, name, namespace), so a file that was
   * edited since it was applied still deletes what it named.
   *
   * @param ignoreNotFound skip resources that do not exist instead of rejecting the whole delete
   * @throws ResourceException when the stream cannot be read, or a resource does not exist
   */
  public List<String> delete(String text, String source, boolean ignoreNotFound) throws IOException {
    List<ManifestIdentity> documents = ManifestIdentity.read(text, source);
    synchronized (this) {
      List<ResourceKey> keys = new ArrayList<>();
      for (ManifestIdentity d : documents) {
        if (d.key() != null) {
          keys.add(d.key());
        }
      }
      List<String> deleted = deleteKeys(keys, ignoreNotFound);
      List<String> lines = new ArrayList<>(deleted);
      for (ManifestIdentity d : documents) {
        if (d.key() == null) {
          lines.add(d.ignoredLine());
        }
      }
      return lines;
    }
  }

  /**
   * Deletes resources by kind and name, as {@code kubectl delete KIND NAME...} does. {@code kinds}
   * is what the kind on the command line means ({@code httproute}: both HTTPRoute groups); a name
   * must then exist in exactly one of them.
   *
   * @param kindName the kind as the user wrote it, for messages
   * @throws ResourceException when a name does not exist (unless {@code ignoreNotFound}) or is
   *     ambiguous; nothing is deleted then
   */
  public List<String> delete(List<ResourceKind> kinds, String kindName, String namespace, List<String> names,
      boolean ignoreNotFound) throws IOException {
    synchronized (this) {
      ResourceSet set = current.set();
      List<ResourceKey> keys = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      for (String name : names) {
        List<ResourceKey> found = new ArrayList<>();
        for (ResourceKind k : kinds) {
          ResourceKey key = new ResourceKey(k, namespace, name);
          if (set.get(key) != null) {
            found.add(key);
          }
        }
        if (found.size() > 1) {
          errors.add(kindName + "/" + name + " is ambiguous in namespace " + namespace + ": "
              + String.join(" and ", found.stream().map(ResourceKey::display).toList())
              + " exist; name the kind with its group, e.g. " + found.get(0).kind().qualifiedName());
        } else if (found.isEmpty() && !ignoreNotFound) {
          errors.add(kindName + "/" + name + " not found in namespace " + namespace);
        } else {
          keys.addAll(found);
        }
      }
      if (!errors.isEmpty()) {
        throw new ResourceException(errors);
      }
      return deleteKeys(keys, false);
    }
  }

  /**
   * Puts a new bootstrap into effect with the resources (the Envoy file the proxy started from
   * was changed).
   */
  public synchronized void setBase(BootstrapSpec next) throws IOException {
    BootstrapSpec was = base;
    base = next;
    try {
      publish(current.set(), false);
    } catch (IOException | RuntimeException e) {
      base = was;
      throw e;
    }
  }

  private List<String> deleteKeys(List<ResourceKey> keys, boolean ignoreNotFound) throws IOException {
    Set<ResourceKey> unique = new LinkedHashSet<>();
    for (ResourceKey k : keys) {
      if (!ignoreNotFound || current.set().get(k) != null) {
        unique.add(k);
      }
    }
    if (unique.isEmpty()) {
      return List.of();
    }
    return change(current.set().delete(List.copyOf(unique)), false);
  }

  /** Puts an apply's or delete's result into effect, unless it changed nothing. */
  private List<String> change(ApplyResult result, boolean dryRun) throws IOException {
    if (dryRun) {
      compile(result.set());
      return result.lines().stream().map(l -> l + " (dry run)").toList();
    }
    if (result.set().version() != current.set().version()) {
      publish(result.set(), true);
      for (String line : result.lines()) {
        if (!line.endsWith(" unchanged") && !line.endsWith(")")) {
          Log.info("resources: " + line);
        }
      }
    }
    return result.lines();
  }

  /**
   * Compiles {@code next}, binds its new listeners, saves it (when {@code save}) and switches the
   * data plane to it; on any failure nothing changes.
   */
  private void publish(ResourceSet next, boolean save) throws IOException {
    CompiledResources compiled = compile(next);
    ResourceSet withStatuses = compiled == NOTHING ? next : next.withStatuses(compiled.statuses());
    BootstrapSpec merged = merge(base, compiled);
    ProxyServer.BeforeSwitch persist =
        save && directory != null ? () -> directory.saveResources(withStatuses.toJson()) : () -> {};
    proxy.apply(merged, persist);
    current = new Snapshot(withStatuses, compiled);
    for (String w : compiled.warnings()) {
      Log.warn("resources: " + w);
    }
  }

  private CompiledResources compile(ResourceSet set) {
    if (set.all().isEmpty() && !options.listenWhenEmpty()) {
      return NOTHING;
    }
    return ResourceCompiler.compile(set, options.mesh());
  }

  /** The bootstrap the data plane runs: the one the proxy started from, plus the compiled listeners and clusters. */
  static BootstrapSpec merge(BootstrapSpec base, CompiledResources compiled) throws IOException {
    Set<String> listenerNames = new HashSet<>();
    base.listeners().forEach(l -> listenerNames.add(l.name()));
    Set<String> clusterNames = new HashSet<>();
    base.clusters().forEach(c -> clusterNames.add(c.name()));
    List<ListenerSpec> listeners = new ArrayList<>(base.listeners());
    for (ListenerSpec l : compiled.listeners()) {
      if (!listenerNames.add(l.name())) {
        throw new IOException("the bootstrap has a listener named " + l.name()
            + ", the name of a listener the resources need; rename it in the bootstrap");
      }
      listeners.add(l);
    }
    List<ClusterSpec> clusters = new ArrayList<>(base.clusters());
    for (ClusterSpec c : compiled.clusters()) {
      if (!clusterNames.add(c.name())) {
        throw new IOException("the bootstrap has a cluster named " + c.name()
            + ", the name of a cluster the resources need; rename it in the bootstrap");
      }
      clusters.add(c);
    }
    return new BootstrapSpec(listeners, clusters, base.admin(), base.runtimeLayers(), base.source(), base.warnings());
  }
}
