package io.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.ClusterSpec;
import io.sluice.cluster.IpLiterals;
import io.sluice.runtime.RuntimeLayer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an Envoy v3 bootstrap (YAML or JSON, snake_case or lowerCamelCase) into a {@link
 * BootstrapSpec}: {@code static_resources.listeners} with an {@code http_connection_manager} and
 * inline {@code route_config}, {@code static_resources.clusters}, {@code admin.address} and {@code
 * layered_runtime}. A bootstrap written for Envoy that uses these parts runs unchanged. Every
 * problem of a file is reported at once, each with the path of its field.
 *
 * <p><b>Fields Sluice does not implement.</b> Every message read knows all the fields of Envoy's
 * message in Envoy's current v3 API, so a valid Envoy field is never an "unknown field". A field Envoy does
 * not know is an error ({@code INVALID_ARGUMENT}, as Envoy's loader reports it). A known field
 * Sluice does not implement is:
 *
 * <ul>
 *   <li>a <em>warning</em> naming it when ignoring it leaves every request going where Envoy would
 *       send it: stats, tracing, access logs, watchdogs, the overload manager, DNS resolver and
 *       socket tuning, active health checks, success-rate outlier detection, HTTP/1 tuning, and the
 *       like;
 *   <li>an <em>error</em> "not supported by Sluice: ..." when ignoring it would route differently,
 *       accept connections differently or drop a protection: dynamic resources (xDS), RDS and
 *       scoped routes, HTTP filters other than the router, TLS and other transport sockets,
 *       several filter chains or filter chain matching, listener filters that act on connections,
 *       EDS and original-destination clusters, subset and hash-based load balancing, HTTP/2
 *       upstream or downstream, path and host normalisation before routing, {@code header_prefix}.
 * </ul>
 *
 * A field set to its default ({@code false}, {@code {}}, {@code []}) asks for nothing and is
 * accepted silently; so are metadata and other labels. The per-message lists are in {@link
 * ClusterReader}, {@link ListenerReader} and {@link HttpConnectionManagerReader}.
 *
 * <p><b>Runtime.</b> The layers of {@code layered_runtime} are kept in order: a {@code
 * static_layer} becomes {@link RuntimeLayer#fromTree}, an {@code admin_layer} becomes {@link
 * RuntimeLayer#admin}; disk and RTDS layers are skipped with a warning. As in Envoy, a {@code
 * layered_runtime} with no layers means one unnamed admin layer, and a bootstrap without {@code
 * layered_runtime} has no layers at all: every runtime key takes its default, and there is no
 * admin layer for {@code /runtime_modify} to write to (Envoy answers it with an error then).
 *
 * <p><b>Differences from Envoy.</b> Two listeners with the same name are an error (Envoy silently
 * keeps the first and drops the other); a listener without a name is called {@code listener_<i>}
 * by its index (Envoy makes up a UUID).
 */
public final class BootstrapReader {
  private static final String PKG = "envoy.config.bootstrap.v3.";

  private static final Set<String> WARN =
      Set.of(
          "node", "node_context_params", "cluster_manager", "hds_config", "flags_path", "stats_sinks",
          "deferred_stat_options", "stats_config", "stats_flush_interval", "stats_flush_on_admin",
          "stats_eviction_interval", "watchdog", "watchdogs", "tracing", "overload_manager",
          "enable_dispatcher_stats", "stats_server_version_override", "use_tcp_for_dns_lookups",
          "dns_resolution_config", "typed_dns_resolver_config", "bootstrap_extensions", "fatal_actions",
          "config_sources", "default_config_source", "default_socket_interface", "certificate_provider_instances",
          "inline_headers", "perf_tracing_file_path", "default_regex_engine", "xds_delegate_extension",
          "xds_config_tracker_extension", "listener_manager", "application_log_config",
          "grpc_async_client_manager_config", "memory_allocator_manager");

  private BootstrapReader() {}

  /**
   * Reads a bootstrap file (YAML, or JSON when the name ends in {@code .json}).
   *
   * @throws ConfigException with every problem when the file cannot be used
   */
  public static BootstrapSpec read(Path file) {
    String source = file.toString();
    List<JsonNode> documents =
        Documents.readAll(Documents.readText(file), source, Documents.formatOf(file.getFileName().toString()));
    if (documents.isEmpty()) {
      throw ConfigException.of(source, "", "the document is empty");
    }
    if (documents.size() > 1) {
      String kind = kubernetesKind(documents.get(0));
      throw ConfigException.of(source, "", kind != null
          ? kubernetesMessage(kind)
          : "expected one Envoy bootstrap, found " + documents.size() + " documents (separated by ---)");
    }
    return read(documents.get(0), source);
  }

  /**
   * Reads a bootstrap from its tree; {@code source} names it in messages.
   *
   * @throws ConfigException with every problem when the bootstrap cannot be used
   */
  public static BootstrapSpec read(JsonNode root, String source) {
    String notBootstrap = notABootstrap(root);
    if (notBootstrap != null) {
      throw ConfigException.of(source, "", notBootstrap);
    }
    Problems problems = new Problems();
    MessageReader b = MessageReader.of(root, "", PKG + "Bootstrap", problems);
    List<ClusterSpec> clusters = new ArrayList<>();
    List<ListenerSpec> listeners = new ArrayList<>();
    MessageReader resources = b.message("static_resources", PKG + "Bootstrap.StaticResources");
    if (resources != null) {
      JsonNode clusterList = resources.raw("clusters");
      clusters = readClusters(resources, clusterList);
      listeners = readListeners(resources, clusterNames(clusterList));
      Unsupported.warn(resources, "secrets", Unsupported.IGNORED + " (TLS is not supported yet)");
      resources.finish();
    }
    HostPort admin = readAdmin(b);
    List<RuntimeLayer> layers = readLayeredRuntime(b);
    Unsupported.reject(b, "dynamic_resources", "dynamic resources (xDS); write listeners and clusters in "
        + "static_resources");
    Unsupported.reject(b, "header_prefix", "header_prefix (Sluice always uses x-envoy-)");
    Unsupported.warn(b, WARN);
    b.finish();
    problems.throwIfErrors(source);
    return new BootstrapSpec(listeners, clusters, admin, layers, root, problems.warnings());
  }

  /** Why a document is not a bootstrap, or null when it may be one. */
  private static String notABootstrap(JsonNode root) {
    if (root == null || !root.isObject()) {
      return "expected an Envoy bootstrap (an object), got " + MessageReader.describe(root);
    }
    if (has(root, "static_resources") || has(root, "dynamic_resources")) {
      return null;
    }
    String kind = kubernetesKind(root);
    if (kind != null) {
      return kubernetesMessage(kind);
    }
    if (has(root, "virtual_hosts") || has(root, "vhds")) {
      return "this is an Envoy RouteConfiguration, not a bootstrap: put it in route_config of an "
          + "http_connection_manager under static_resources.listeners (sluice route-check reads a bare "
          + "RouteConfiguration)";
    }
    if (has(root, "filter_chains")) {
      return "this is an Envoy Listener, not a bootstrap: put it in static_resources.listeners";
    }
    if (has(root, "load_assignment") || has(root, "connect_timeout")) {
      return "this is an Envoy Cluster, not a bootstrap: put it in static_resources.clusters";
    }
    if (has(root, "configs")) {
      return "this is an Envoy /config_dump, not a bootstrap";
    }
    return null;
  }

  /**
   * Whether a document is a Kubernetes-style resource ({@code apiVersion} or {@code kind} at the
   * top) rather than an Envoy bootstrap: how {@code sluice proxy -c} and {@code route-check} tell
   * the two kinds of file apart.
   */
  public static boolean isKubernetesResource(JsonNode doc) {
    return kubernetesKind(doc) != null;
  }

  private static String kubernetesKind(JsonNode doc) {
    if (doc == null || !doc.isObject() || !(doc.has("apiVersion") || doc.has("kind"))) {
      return null;
    }
    return doc.path("kind").asText("");
  }

  private static String kubernetesMessage(String kind) {
    return "this is a Kubernetes resource" + (kind.isEmpty() ? "" : " (kind " + kind + ")")
        + ", not an Envoy bootstrap: give Kubernetes resources to sluice apply (or start sluice proxy -c with "
        + "them)";
  }

  private static boolean has(JsonNode root, String snakeName) {
    if (root.has(snakeName)) {
      return true;
    }
    var names = root.fieldNames();
    while (names.hasNext()) {
      if (MessageReader.snakeCase(names.next()).equals(snakeName)) {
        return true;
      }
    }
    return false;
  }

  /** Every name a cluster declares, read ahead so that routes can be checked before clusters are. */
  private static Set<String> clusterNames(JsonNode clusters) {
    Set<String> names = new HashSet<>();
    if (clusters != null && clusters.isArray()) {
      for (JsonNode c : clusters) {
        String name = ClusterReader.nameOf(c);
        if (name != null) {
          names.add(name);
        }
      }
    }
    return names;
  }

  private static List<ClusterSpec> readClusters(MessageReader resources, JsonNode list) {
    List<ClusterSpec> out = new ArrayList<>();
    if (list == null) {
      return out;
    }
    if (!list.isArray()) {
      resources.error("clusters", "expected a list, got " + MessageReader.describe(list));
      return out;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode node = list.get(i);
      MessageReader c = MessageReader.of(
          node, resources.pathOf("clusters") + "[" + i + "]", "envoy.config.cluster.v3.Cluster", resources.problems());
      if (c == null) {
        continue;
      }
      String name = ClusterReader.nameOf(node);
      boolean duplicate = name != null && !seen.add(name);
      if (duplicate) {
        c.error("name", "cluster manager: duplicate cluster '" + name + "'");
      }
      ClusterSpec spec = ClusterReader.read(c);
      if (spec != null && !duplicate) {
        out.add(spec);
      }
    }
    return out;
  }

  private static List<ListenerSpec> readListeners(MessageReader resources, Set<String> clusterNames) {
    List<ListenerSpec> out = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    Map<String, String> addresses = new HashMap<>();
    List<MessageReader> list = resources.messages("listeners", "envoy.config.listener.v3.Listener");
    for (int i = 0; i < list.size(); i++) {
      MessageReader l = list.get(i);
      ListenerSpec spec = ListenerReader.read(l, i, clusterNames::contains);
      if (spec == null) {
        continue;
      }
      if (names.putIfAbsent(spec.name(), l.path()) != null) {
        l.error("name", "duplicate listener '" + spec.name() + "' (Envoy would silently ignore this listener)");
        continue;
      }
      String address = normalized(spec.address());
      if (spec.address().port() != 0) {
        String other = addresses.putIfAbsent(address, spec.name());
        if (other != null) {
          l.error("address", "error adding listener: '" + spec.name() + "' has duplicate address '"
              + spec.address() + "' as existing listener");
          continue;
        }
      }
      out.add(spec);
    }
    return out;
  }

  /** The address in one spelling ({@code ::0} and {@code ::} are the same), for duplicate checks. */
  private static String normalized(HostPort a) {
    String host = a.host();
    if (IpLiterals.isIpv6(host)) {
      try {
        // A validated literal: parsed, never looked up.
        host = InetAddress.getByName(host).getHostAddress();
      } catch (UnknownHostException e) {
        // keep the literal as written
      }
    }
    return host + "|" + a.port();
  }

  private static HostPort readAdmin(MessageReader b) {
    MessageReader a = b.message("admin", PKG + "Admin");
    if (a == null) {
      return null;
    }
    HostPort result = null;
    if (a.has("address")) {
      AddressReader.SocketAddress sa = AddressReader.read(a, "address", true);
      if (sa != null) {
        result = new HostPort(sa.address(), sa.port());
      }
    }
    JsonNode logPath = a.raw("access_log_path");
    if (logPath != null && !logPath.asText().isEmpty() && !logPath.asText().equals("/dev/null")) {
      a.warn("access_log_path", Unsupported.IGNORED + " (the admin interface keeps no access log)");
    }
    Unsupported.warn(a, "access_log", Unsupported.IGNORED + " (the admin interface keeps no access log)");
    Unsupported.warn(a, Set.of("profile_path", "socket_options", "ignore_global_conn_limit"));
    a.finish();
    return result;
  }

  private static List<RuntimeLayer> readLayeredRuntime(MessageReader b) {
    MessageReader r = b.message("layered_runtime", PKG + "LayeredRuntime");
    List<RuntimeLayer> layers = new ArrayList<>();
    if (r == null) {
      // Envoy's "null" runtime: every key takes its default; no admin layer exists.
      return layers;
    }
    List<MessageReader> given = r.messages("layers", PKG + "RuntimeLayer");
    if (given.isEmpty()) {
      // Envoy adds one unnamed admin layer to an empty layered_runtime.
      layers.add(RuntimeLayer.admin(""));
    }
    Set<String> names = new HashSet<>();
    boolean adminSeen = false;
    for (MessageReader l : given) {
      String name = l.string("name", "");
      if (name.isEmpty()) {
        l.error("name", "value length must be at least 1 characters");
      } else if (!names.add(name)) {
        l.error("name", "Duplicate layer name: " + name);
      }
      String which = l.oneOf("layer_specifier", "static_layer", "disk_layer", "admin_layer", "rtds_layer");
      if (which == null) {
        l.error(null, "layer_specifier: value is required (one of static_layer, disk_layer, admin_layer, rtds_layer)");
      } else if (which.equals("static_layer")) {
        layers.add(RuntimeLayer.fromTree(name, l.raw("static_layer"), l.pathOf("static_layer"), l.problems()));
      } else if (which.equals("admin_layer")) {
        MessageReader admin = l.message("admin_layer", PKG + "RuntimeLayer.AdminLayer");
        if (admin != null) {
          admin.finish();
        }
        if (adminSeen) {
          l.error("admin_layer", "Too many admin layers specified in LayeredRuntime, at most one may be specified");
        }
        adminSeen = true;
        layers.add(RuntimeLayer.admin(name));
      } else {
        boolean disk = which.equals("disk_layer");
        MessageReader layer = l.message(which, PKG + (disk ? "RuntimeLayer.DiskLayer" : "RuntimeLayer.RtdsLayer"));
        if (layer != null) {
          if (disk) {
            layer.skip("symlink_root", "subdirectory", "append_service_cluster");
          } else {
            layer.skip("name", "rtds_config");
          }
          layer.finish();
        }
        l.warn(which, "not supported by Sluice yet; the " + (disk ? "disk" : "RTDS") + " layer is skipped");
      }
      l.finish();
    }
    r.finish();
    return layers;
  }
}
