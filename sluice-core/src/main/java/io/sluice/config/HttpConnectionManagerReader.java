package io.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.config.HttpConnectionOptions.ServerHeaderTransformation;
import io.sluice.route.RouteConfigReader;
import io.sluice.route.RouteTable;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads the {@code typed_config} of an {@code envoy.filters.network.http_connection_manager}: its
 * inline {@code route_config} (clusters validated, as Envoy does for a static route table) and the
 * options of {@link HttpConnectionOptions}.
 *
 * <p>Errors: {@code rds} and {@code scoped_routes} (Sluice needs the routes inline); HTTP filters
 * other than the router (a filter that is {@code is_optional} or {@code disabled} is skipped with a
 * warning, as Envoy skips an optional filter it lacks); {@code codec_type} HTTP2 or HTTP3; and the
 * options that rewrite the path or host before routing ({@code normalize_path}, {@code
 * merge_slashes}, {@code path_with_escaped_slashes_action}, {@code path_normalization_options},
 * {@code strip_*_host_port}, {@code strip_trailing_host_dot}, {@code
 * early_header_mutation_extensions}): ignoring them would match requests against different routes
 * than Envoy does, which can bypass a route meant to guard a path.
 *
 * <p>Warnings: access logs (Sluice has its own), tracing, upgrades, local reply mapping and the
 * other options listed in {@code WARN}.
 */
final class HttpConnectionManagerReader {
  static final String TYPE = "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
  static final String ROUTER_TYPE = "envoy.extensions.filters.http.router.v3.Router";
  static final String ROUTER_NAME = "envoy.filters.http.router";
  private static final String UPSTREAM_CODEC = "envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec";
  private static final String ACCESS_LOG =
      "not supported by Sluice; ignored (Sluice writes its own access log: sluice proxy --access-log)";

  private static final Set<String> WARN =
      Set.of(
          "add_user_agent", "tracing", "http1_safe_max_connection_duration", "scheme_header_transformation",
          "request_headers_timeout", "delayed_close_timeout", "stream_flush_timeout", "access_log_flush_interval",
          "flush_access_log_on_new_request", "access_log_options", "original_ip_detection_extensions",
          "internal_address_config", "via", "always_set_request_id_in_response",
          "set_current_client_cert_details", "proxy_100_continue",
          "represent_ipv4_remote_address_as_ipv4_mapped_ipv6", "upgrade_configs", "request_id_extension",
          "local_reply_config", "stream_error_on_invalid_http_message", "proxy_status_config",
          "typed_header_validation_config", "append_x_forwarded_port", "append_local_overload",
          "add_proxy_protocol_connection_state");
  private static final Set<String> ROUTER_WARN =
      Set.of(
          "dynamic_stats", "start_child_span", "upstream_log", "upstream_log_options", "suppress_envoy_headers",
          "strict_check_headers", "respect_expected_rq_timeout", "suppress_grpc_request_failure_code_stats");

  /** What Sluice takes from a connection manager. */
  record Result(String statPrefix, RouteTable routes, HttpConnectionOptions options) {}

  private HttpConnectionManagerReader() {}

  /** Reads the Any at {@code path}; null when anything is wrong (every problem recorded). */
  static Result read(JsonNode typedConfig, String path, Problems problems, Predicate<String> clusterExists) {
    MessageReader h = MessageReader.of(typedConfig, path, TYPE, problems);
    if (h == null) {
      return null;
    }
    int errorsBefore = problems.errors().size();
    String type = h.string("@type", "");
    if (!Unsupported.typeName(type).equals(TYPE)) {
      // The other fields belong to another message: not finishing leaves them unchecked.
      h.error("@type", "expected type.googleapis.com/" + TYPE + ", got \"" + type + "\"");
      return null;
    }
    CodecType codec = h.enumValue("codec_type", CodecType.values(), CodecType.AUTO);
    if (codec == CodecType.HTTP2 || codec == CodecType.HTTP3) {
      h.error("codec_type", "not supported by Sluice yet: " + codec + " downstream (use AUTO or HTTP1)");
    }
    String statPrefix = h.string("stat_prefix", "");
    if (statPrefix.isEmpty()) {
      h.error("stat_prefix", "value length must be at least 1 characters");
    }
    RouteTable routes = readRoutes(h, clusterExists);
    readHttpFilters(h);
    HttpConnectionOptions options = readOptions(h);
    rejectRoutingRewrites(h);
    Unsupported.warn(h, "access_log", ACCESS_LOG);
    JsonNode xfcc = h.raw("forward_client_cert_details");
    if (xfcc != null && !xfcc.asText().equals("SANITIZE") && !xfcc.asText().equals("0")) {
      h.warn("forward_client_cert_details", Unsupported.IGNORED + " (without TLS there is no client certificate)");
    }
    Unsupported.warn(h, "http_protocol_options", Unsupported.IGNORED + " (HTTP/1 tuning)");
    Unsupported.warn(h, "http2_protocol_options", Unsupported.IGNORED + " (Sluice accepts HTTP/1.1 only)");
    Unsupported.warn(h, "http3_protocol_options", Unsupported.IGNORED + " (Sluice accepts HTTP/1.1 only)");
    Unsupported.warn(h, WARN);
    h.finish();
    if (problems.errors().size() != errorsBefore || routes == null || options == null) {
      return null;
    }
    return new Result(statPrefix, routes, options);
  }

  private static RouteTable readRoutes(MessageReader h, Predicate<String> clusterExists) {
    String which = h.oneOf("route_specifier", "rds", "route_config", "scoped_routes");
    if (which == null) {
      h.error(null, "route_specifier: value is required (one of rds, route_config, scoped_routes)");
      return null;
    }
    if (!which.equals("route_config")) {
      h.raw(which);
      h.error(which, "not supported by Sluice: " + (which.equals("rds") ? "RDS" : "scoped routes")
          + " (write the routes inline in route_config)");
      return null;
    }
    JsonNode node = h.raw("route_config");
    // validate_clusters defaults to true for a route table written in the bootstrap, as in Envoy.
    return RouteConfigReader.read(
        node, h.pathOf("route_config"), h.problems(), new RouteConfigReader.Options(true, clusterExists));
  }

  /**
   * Checks {@code http_filters}: nothing, or the router last. Other filters are errors unless Envoy
   * would run without them too ({@code is_optional}) or they only run when a route enables them
   * ({@code disabled}).
   */
  private static void readHttpFilters(MessageReader h) {
    List<MessageReader> filters =
        h.messages("http_filters", "envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter");
    boolean routerSeen = false;
    for (int i = 0; i < filters.size(); i++) {
      MessageReader f = filters.get(i);
      String name = f.string("name", "");
      if (name.isEmpty()) {
        f.error("name", "value length must be at least 1 characters");
      }
      boolean optional = f.bool("is_optional", false);
      boolean disabled = f.bool("disabled", false);
      String config = f.oneOf("config_type", "typed_config", "config_discovery");
      String type = "";
      if ("config_discovery".equals(config)) {
        f.raw("config_discovery");
        f.error("config_discovery", "not supported by Sluice: filter configuration discovery (ECDS)");
        f.finish();
        continue;
      }
      JsonNode typed = f.raw("typed_config");
      if (typed != null) {
        type = Unsupported.typeName(typed.path("@type").asText(""));
      }
      boolean router = type.equals(ROUTER_TYPE) || (type.isEmpty() && name.equals(ROUTER_NAME));
      if (router) {
        routerSeen = true;
        if (typed != null) {
          readRouter(typed, f.pathOf("typed_config"), f.problems());
        }
        if (i != filters.size() - 1) {
          f.error(null, "terminal filter named " + name + " of type " + ROUTER_NAME
              + " must be the last filter in a http filter chain.");
        }
      } else if (optional) {
        f.warn(null, "HTTP filter " + filterName(name, type)
            + " is not available in Sluice; skipped, as Envoy skips an optional filter it does not have");
      } else if (disabled) {
        f.warn(null, "disabled HTTP filter " + filterName(name, type)
            + " is not available in Sluice; routes cannot enable it");
      } else {
        f.error(null, "not supported by Sluice: HTTP filter " + filterName(name, type)
            + " (only " + ROUTER_NAME + ")");
      }
      f.finish();
    }
    if (!filters.isEmpty() && !routerSeen) {
      h.error("http_filters", "the last HTTP filter must be the router (" + ROUTER_NAME + ")");
    }
  }

  private static String filterName(String name, String type) {
    return name.isEmpty() ? type : name;
  }

  private static void readRouter(JsonNode typed, String path, Problems problems) {
    MessageReader r = MessageReader.of(typed, path, ROUTER_TYPE, problems);
    if (r == null) {
      return;
    }
    r.string("@type");
    for (MessageReader f : r.messages("upstream_http_filters",
        "envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter")) {
      JsonNode cfg = f.raw("typed_config");
      String type = cfg == null ? "" : Unsupported.typeName(cfg.path("@type").asText(""));
      String name = f.string("name", "");
      f.skip("config_discovery", "is_optional", "disabled");
      f.finish();
      if (!type.equals(UPSTREAM_CODEC) && !name.equals("envoy.filters.http.upstream_codec")) {
        f.error(null, "not supported by Sluice: upstream HTTP filter " + filterName(name, type));
      }
    }
    Unsupported.warn(r, ROUTER_WARN);
    r.finish();
  }

  private static HttpConnectionOptions readOptions(MessageReader h) {
    HttpConnectionOptions d = HttpConnectionOptions.DEFAULTS;
    boolean useRemote = h.bool("use_remote_address", d.useRemoteAddress());
    long hops = h.uint32("xff_num_trusted_hops", d.xffNumTrustedHops());
    String serverName = h.string("server_name", "");
    if (serverName.isEmpty()) {
      serverName = d.serverName();
    }
    ServerHeaderTransformation serverHeader = h.enumValue(
        "server_header_transformation", ServerHeaderTransformation.values(), d.serverHeaderTransformation());
    int maxHeadersKb = d.maxRequestHeadersKb();
    Long kb = h.optUint32("max_request_headers_kb");
    if (kb != null && (kb < 1 || kb > 8192)) {
      h.error("max_request_headers_kb", "value must be inside range (0, 8192]");
    } else if (kb != null) {
      maxHeadersKb = kb.intValue();
    }
    ProtocolOptionsReader.Options common = ProtocolOptionsReader.read(h, "common_http_protocol_options");
    Duration streamIdle = orDefault(ProtocolOptionsReader.nonNegative(h, "stream_idle_timeout"), d.streamIdleTimeout());
    Duration request = orDefault(ProtocolOptionsReader.nonNegative(h, "request_timeout"), d.requestTimeout());
    Duration drain = orDefault(ProtocolOptionsReader.nonNegative(h, "drain_timeout"), d.drainTimeout());
    boolean generateId = h.bool("generate_request_id", d.generateRequestId());
    boolean preserveId = h.bool("preserve_external_request_id", d.preserveExternalRequestId());
    boolean skipXff = h.bool("skip_xff_append", d.skipXffAppend());
    if (hops > Integer.MAX_VALUE) {
      hops = Integer.MAX_VALUE;
    }
    return new HttpConnectionOptions(
        useRemote, (int) hops, serverName, serverHeader, maxHeadersKb,
        common.maxHeadersCount() == null ? d.maxHeadersCount() : common.maxHeadersCount(),
        orDefault(common.idleTimeout(), d.idleTimeout()),
        orDefault(common.maxConnectionDuration(), d.maxConnectionDuration()), streamIdle, request, drain,
        generateId, preserveId, skipXff);
  }

  private static Duration orDefault(Duration d, Duration defaultValue) {
    return d == null ? defaultValue : d;
  }

  /** Options that change the path or host a request is routed by: rejected unless left at default. */
  private static void rejectRoutingRewrites(MessageReader h) {
    rejectTrue(h, "normalize_path", "path normalization (normalize_path)");
    rejectTrue(h, "merge_slashes", "merging slashes in the path (merge_slashes)");
    rejectTrue(h, "strip_matching_host_port", "strip_matching_host_port");
    rejectTrue(h, "strip_any_host_port", "strip_any_host_port (see ignore_port_in_host_matching in route_config)");
    rejectTrue(h, "strip_trailing_host_dot", "strip_trailing_host_dot");
    EscapedSlashes action =
        h.enumValue(
            "path_with_escaped_slashes_action", EscapedSlashes.values(), EscapedSlashes.IMPLEMENTATION_SPECIFIC_DEFAULT);
    if (action != EscapedSlashes.IMPLEMENTATION_SPECIFIC_DEFAULT && action != EscapedSlashes.KEEP_UNCHANGED) {
      h.error("path_with_escaped_slashes_action", "not supported by Sluice: " + action
          + " (Sluice keeps escaped slashes unchanged)");
    }
    Unsupported.reject(h, "path_normalization_options", "path_normalization_options");
    Unsupported.reject(h, "early_header_mutation_extensions",
        "early_header_mutation_extensions (they change headers before routing)");
  }

  private static void rejectTrue(MessageReader h, String field, String what) {
    if (h.bool(field, false)) {
      h.error(field, "not supported by Sluice: " + what + "; ignoring it would route requests differently");
    }
  }

  /** {@code HttpConnectionManager.CodecType}, in protobuf number order. */
  private enum CodecType {
    AUTO,
    HTTP1,
    HTTP2,
    HTTP3
  }

  /** {@code HttpConnectionManager.PathWithEscapedSlashesAction}, in protobuf number order. */
  private enum EscapedSlashes {
    IMPLEMENTATION_SPECIFIC_DEFAULT,
    KEEP_UNCHANGED,
    REJECT_REQUEST,
    UNESCAPE_AND_REDIRECT,
    UNESCAPE_AND_FORWARD
  }
}
