package io.sluice.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.config.ListenerSpec;
import io.sluice.proxy.DataPlaneState;
import io.sluice.proxy.ProxyServer;
import io.sluice.resource.Resource;
import io.sluice.store.ResourceStore;
import java.util.TreeMap;

/**
 * {@code /config_dump}: the configuration in effect, in the shape of Envoy's dump: the bootstrap as
 * read, then its clusters, listeners and route configurations as static resources, the listeners
 * and route configurations compiled from applied resources as dynamic ones, the resources
 * themselves with their status, and the runtime overrides.
 */
final class ConfigDump {
  private static final String TYPE = "type.googleapis.com/envoy.admin.v3.";

  private ConfigDump() {}

  static JsonNode of(ProxyServer proxy, ResourceStore store) {
    DataPlaneState state = proxy.state();
    ResourceStore.Snapshot resources = store == null ? null : store.snapshot();
    JsonNode bootstrap = state.bootstrap().source();
    ObjectNode root = AdminHandler.JSON.createObjectNode();
    ArrayNode configs = root.putArray("configs");
    ObjectNode b = configs.addObject();
    b.put("@type", TYPE + "BootstrapConfigDump");
    b.set("bootstrap", bootstrap);

    JsonNode statics = field(bootstrap, "static_resources", "staticResources");
    ObjectNode clusters = configs.addObject();
    clusters.put("@type", TYPE + "ClustersConfigDump");
    ArrayNode staticClusters = clusters.putArray("static_clusters");
    for (JsonNode c : iterable(field(statics, "clusters", "clusters"))) {
      staticClusters.addObject().set("cluster", c);
    }
    ObjectNode listeners = configs.addObject();
    listeners.put("@type", TYPE + "ListenersConfigDump");
    ArrayNode staticListeners = listeners.putArray("static_listeners");
    ObjectNode routes = configs.addObject();
    routes.put("@type", TYPE + "RoutesConfigDump");
    ArrayNode staticRoutes = routes.putArray("static_route_configs");
    for (JsonNode l : iterable(field(statics, "listeners", "listeners"))) {
      staticListeners.addObject().set("listener", l);
      for (JsonNode chain : iterable(field(l, "filter_chains", "filterChains"))) {
        for (JsonNode filter : iterable(field(chain, "filters", "filters"))) {
          JsonNode rc = field(field(filter, "typed_config", "typedConfig"), "route_config", "routeConfig");
          if (rc != null) {
            staticRoutes.addObject().set("route_config", rc);
          }
        }
      }
    }
    if (resources != null) {
      addResources(resources, listeners, routes, configs);
    }
    ObjectNode runtime = configs.addObject();
    runtime.put("@type", "type.googleapis.com/sluice.admin.RuntimeOverridesDump");
    ObjectNode overrides = runtime.putObject("overrides");
    new TreeMap<>(state.runtimeOverrides()).forEach(overrides::put);
    return root;
  }

  /**
   * What the applied resources add: their listeners (as dynamic listeners), the route
   * configuration generated for each (as dynamic route configurations; the version is the
   * resource set's), and the resources themselves with their status.
   */
  private static void addResources(ResourceStore.Snapshot resources, ObjectNode listeners,
      ObjectNode routes, ArrayNode configs) {
    String version = Long.toString(resources.set().version());
    ArrayNode dynamicListeners = listeners.putArray("dynamic_listeners");
    for (ListenerSpec l : resources.compiled().listeners()) {
      ObjectNode dl = dynamicListeners.addObject();
      dl.put("name", l.name());
      ObjectNode active = dl.putObject("active_state");
      active.put("version_info", version);
      ObjectNode listener = active.putObject("listener");
      listener.put("name", l.name());
      ObjectNode sa = listener.putObject("address").putObject("socket_address");
      sa.put("address", l.address().host());
      sa.put("port_value", l.address().port());
    }
    ArrayNode dynamicRoutes = routes.putArray("dynamic_route_configs");
    resources.compiled().routeConfigs().forEach((listener, rc) -> {
      ObjectNode r = dynamicRoutes.addObject();
      r.put("version_info", version);
      r.put("listener", listener);
      r.set("route_config", rc);
    });
    ObjectNode dump = configs.addObject();
    dump.put("@type", "type.googleapis.com/sluice.admin.ResourcesDump");
    dump.put("version_info", version);
    ArrayNode items = dump.putArray("resources");
    for (Resource r : resources.set().all()) {
      items.add(r.toJson());
    }
  }

  private static JsonNode field(JsonNode node, String snake, String camel) {
    if (node == null) {
      return null;
    }
    JsonNode v = node.get(snake);
    return v != null ? v : node.get(camel);
  }

  private static Iterable<JsonNode> iterable(JsonNode node) {
    return node != null && node.isArray() ? node : java.util.List.of();
  }
}
