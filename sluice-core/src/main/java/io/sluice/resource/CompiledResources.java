package io.sluice.resource;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.ClusterSpec;
import io.sluice.config.ListenerSpec;
import java.util.List;
import java.util.Map;

/**
 * What a {@link ResourceSet} compiles to.
 *
 * @param listeners the mesh listener ({@code mesh}) and one per Gateway listener port ({@code
 *     gateway:<port>})
 * @param clusters one per Service port with endpoints, named {@code <ns>/<service>:<port>}
 * @param statuses the status of each HTTPRoute, Gateway and TrafficSplit
 * @param routeConfigs listener name to the generated Envoy RouteConfiguration
 * @param warnings things worth telling the operator that do not reject anything
 */
public record CompiledResources(
    List<ListenerSpec> listeners,
    List<ClusterSpec> clusters,
    Map<ResourceKey, JsonNode> statuses,
    Map<String, JsonNode> routeConfigs,
    List<String> warnings) {}
