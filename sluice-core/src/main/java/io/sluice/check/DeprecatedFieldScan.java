package io.sluice.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.config.ConfigProblem;
import io.sluice.config.MessageReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Envoy's deprecated-field scan of a route configuration, for the fields route configurations
 * commonly still use: each use is a warning naming its path and the field, worded as Envoy words
 * it. (Envoy's scan covers every deprecated field of every message; this one covers the deprecated
 * {@code HeaderMatcher} specifiers, {@code HeaderValueOption.append}, {@code
 * RegexMatcher.google_re2}, {@code WeightedCluster.total_weight} and the deprecated {@code
 * RouteAction} fields.) {@code --disable-deprecation-check} turns it off.
 */
final class DeprecatedFieldScan {
  private static final String ROUTE = "envoy.config.route.v3.";
  private static final Set<String> HEADER_MATCHER_FIELDS =
      Set.of("exact_match", "safe_regex_match", "prefix_match", "suffix_match", "contains_match");
  private static final Set<String> ROUTE_ACTION_FIELDS =
      Set.of("max_grpc_timeout", "grpc_timeout_offset", "internal_redirect_action", "max_internal_redirects",
          "include_vh_rate_limits");

  private final List<ConfigProblem> warnings = new ArrayList<>();

  private DeprecatedFieldScan() {}

  /** The warnings for {@code routeConfig}, found at {@code path} of its document. */
  static List<ConfigProblem> scan(JsonNode routeConfig, String path) {
    DeprecatedFieldScan s = new DeprecatedFieldScan();
    s.walk(routeConfig, path, "");
    return s.warnings;
  }

  /** {@code container} is the field holding {@code node} (for list items, the list's field). */
  private void walk(JsonNode node, String path, String container) {
    if (!node.isObject()) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = MessageReader.snakeCase(e.getKey());
      String at = path.isEmpty() ? key : path + "." + key;
      String field = deprecatedField(node, container, key);
      if (field != null) {
        warnings.add(new ConfigProblem(ConfigProblem.Severity.WARNING, at, "Using deprecated option '" + field));
      }
      JsonNode v = e.getValue();
      if (v.isArray()) {
        for (int i = 0; i < v.size(); i++) {
          walk(v.get(i), at + "[" + i + "]", key);
        }
      } else {
        walk(v, at, key);
      }
    }
  }

  /** {@code <full field name>' from file <proto file>}, or null when the field is not deprecated. */
  private static String deprecatedField(JsonNode node, String container, String key) {
    if (key.equals("append") && container.endsWith("_headers_to_add")) {
      return "envoy.config.core.v3.HeaderValueOption.append' from file base.proto";
    }
    if (key.equals("google_re2") && node.has("regex")) {
      return "envoy.type.matcher.v3.RegexMatcher.google_re2' from file regex.proto";
    }
    if (container.equals("headers") && HEADER_MATCHER_FIELDS.contains(key)) {
      return ROUTE + "HeaderMatcher." + key + "' from file route_components.proto";
    }
    if (container.equals("weighted_clusters") && key.equals("total_weight")) {
      return ROUTE + "WeightedCluster.total_weight' from file route_components.proto";
    }
    if (container.equals("route") && ROUTE_ACTION_FIELDS.contains(key)) {
      return ROUTE + "RouteAction." + key + "' from file route_components.proto";
    }
    return null;
  }
}
