package io.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.CircuitBreakers;
import io.sluice.cluster.ClusterSpec;
import io.sluice.cluster.DiscoveryType;
import io.sluice.cluster.DnsLookupFamily;
import io.sluice.cluster.Endpoint;
import io.sluice.cluster.LbPolicy;
import io.sluice.cluster.OutlierDetection;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one Envoy {@code config.cluster.v3.Cluster} into a {@link ClusterSpec}.
 *
 * <p>Errors (ignoring them would change where requests go or drop a protection): discovery types
 * {@code EDS} and {@code ORIGINAL_DST} and custom cluster types; load-balancing policies other than
 * round robin, least request and random, and {@code load_balancing_policy}; subset load balancing;
 * any transport socket but plaintext (TLS); transport socket matches; upstream network filters;
 * {@code upstream_config}; HTTP/2 or HTTP/3 upstream, and {@code auto_config}.
 *
 * <p>Warnings (Envoy tuning Sluice does not do yet; traffic goes to the same endpoints): active
 * health checks, DNS resolver settings, the per-policy tuning messages, {@code common_lb_config},
 * connection options, LRS, stats options and the like. Metadata is accepted silently.
 */
final class ClusterReader {
  static final String PKG = "envoy.config.cluster.v3.";
  static final String HTTP_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
  private static final String UPSTREAM_CODEC = "envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec";

  /** {@code Cluster.DiscoveryType} names by protobuf number. */
  private static final String[] DISCOVERY_TYPES = {"STATIC", "STRICT_DNS", "LOGICAL_DNS", "EDS", "ORIGINAL_DST"};
  /** {@code Cluster.LbPolicy} names by protobuf number (4 is reserved). */
  private static final String[] LB_POLICIES = {
    "ROUND_ROBIN", "LEAST_REQUEST", "RING_HASH", "RANDOM", null, "MAGLEV", "CLUSTER_PROVIDED",
    "LOAD_BALANCING_POLICY_CONFIG"
  };

  private static final Set<String> WARN =
      Set.of(
          "alt_stat_name", "eds_cluster_config", "per_connection_buffer_limit_bytes", "max_requests_per_connection",
          "upstream_http_protocol_options", "dns_jitter", "dns_failure_refresh_rate", "respect_dns_ttl",
          "dns_resolvers", "use_tcp_for_dns_lookups", "dns_resolution_config", "typed_dns_resolver_config",
          "wait_for_warm_on_init", "cleanup_interval", "upstream_bind_config", "ring_hash_lb_config",
          "maglev_lb_config", "original_dst_lb_config", "least_request_lb_config", "round_robin_lb_config",
          "common_lb_config", "upstream_connection_options", "close_connections_on_host_health_failure",
          "ignore_health_on_host_removal", "lrs_server", "lrs_report_endpoint_metrics", "track_timeout_budgets",
          "track_cluster_stats", "preconnect_policy", "connection_pool_per_downstream_connection");

  private static final Set<String> THRESHOLDS_WARN = Set.of("retry_budget", "track_remaining", "max_connection_pools");
  private static final Set<String> OUTLIER_WARN =
      Set.of(
          "success_rate_minimum_hosts", "success_rate_request_volume", "success_rate_stdev_factor",
          "failure_percentage_threshold", "failure_percentage_minimum_hosts", "failure_percentage_request_volume",
          "max_ejection_time_jitter", "successful_active_health_check_uneject_host", "monitors");
  /** Detectors Sluice does not have: setting their enforcement to 0 matches Sluice, anything else warns. */
  private static final List<String> OUTLIER_DETECTORS_OFF_AT_ZERO =
      List.of(
          "enforcing_success_rate", "enforcing_local_origin_success_rate", "enforcing_failure_percentage",
          "enforcing_failure_percentage_local_origin");

  private ClusterReader() {}

  /** The name a cluster declares, or null; read ahead so that routes can be checked against it. */
  static String nameOf(JsonNode cluster) {
    JsonNode n = cluster == null || !cluster.isObject() ? null : cluster.get("name");
    return n != null && n.isValueNode() && !n.asText().isEmpty() ? n.asText() : null;
  }

  /** Reads one cluster; null when it has errors (all of them recorded). */
  static ClusterSpec read(MessageReader c) {
    int errorsBefore = c.problems().errors().size();
    boolean ok = true;
    String name = c.string("name", "");
    if (name.isEmpty()) {
      c.error("name", "value length must be at least 1 characters");
      ok = false;
    }
    DiscoveryType type = readType(c);
    ok &= type != null;
    LbPolicy lbPolicy = readLbPolicy(c);
    ok &= lbPolicy != null;

    Duration connectTimeout = c.duration("connect_timeout");
    if (connectTimeout == null) {
      ok &= !c.has("connect_timeout");
      connectTimeout = ClusterSpec.DEFAULT_CONNECT_TIMEOUT;
    } else if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      c.error("connect_timeout", "value must be greater than 0s");
      ok = false;
    }
    Duration dnsRefresh = c.duration("dns_refresh_rate");
    if (dnsRefresh == null) {
      ok &= !c.has("dns_refresh_rate");
      dnsRefresh = ClusterSpec.DEFAULT_DNS_REFRESH_RATE;
    } else if (dnsRefresh.compareTo(Duration.ofMillis(1)) <= 0) {
      c.error("dns_refresh_rate", "value must be greater than 0.001s");
      ok = false;
    }
    DnsLookupFamily family = c.enumValue("dns_lookup_family", DnsLookupFamily.values(), DnsLookupFamily.AUTO);

    List<Endpoint> endpoints = type == null ? null : LoadAssignmentReader.read(c, type);
    if (type == null) {
      c.raw("load_assignment");
    }
    ok &= endpoints != null;

    CircuitBreakers breakers = readCircuitBreakers(c);
    ok &= breakers != null;
    boolean hasOutlier = c.has("outlier_detection");
    OutlierDetection outlier = readOutlierDetection(c);
    ok &= outlier != null || !hasOutlier;

    UpstreamHttp http = readUpstreamHttp(c);
    ok &= http != null;

    ok &= TransportSockets.checkPlaintext(c, "transport_socket");
    ok &= !Unsupported.reject(c, "transport_socket_matches", "transport_socket_matches (TLS is not supported yet)");
    ok &= !Unsupported.reject(c, "lb_subset_config", "subset load balancing (lb_subset_config)");
    ok &= !Unsupported.reject(c, "load_balancing_policy", "load_balancing_policy extensions (use lb_policy)");
    ok &= !Unsupported.reject(c, "filters", "upstream network filters");
    ok &= !Unsupported.reject(c, "upstream_config", "custom upstream_config");
    Unsupported.warn(c, "health_checks", Unsupported.IGNORED + " (Sluice has no active health checking)");
    c.skip("metadata", "protocol_selection");
    Unsupported.warn(c, WARN);
    c.finish();
    // Every reader above records its errors; a cluster with any is not built.
    ok &= c.problems().errors().size() == errorsBefore;
    if (!ok) {
      return null;
    }
    try {
      return new ClusterSpec(
          name, type, lbPolicy, connectTimeout, endpoints, breakers, outlier, dnsRefresh, family,
          http.idleTimeout(), http.maxConnectionDuration());
    } catch (IllegalArgumentException e) {
      // The checks above mirror the record's; this only guards against them drifting apart.
      c.error(null, e.getMessage());
      return null;
    }
  }

  private static DiscoveryType readType(MessageReader c) {
    String which = c.oneOf("cluster_discovery_type", "type", "cluster_type");
    if ("cluster_type".equals(which)) {
      JsonNode custom = c.raw("cluster_type");
      String customName = custom != null && custom.has("name") ? custom.get("name").asText() : "";
      c.error("cluster_type", "not supported by Sluice: custom cluster types (" + customName + ")");
      return null;
    }
    String t = protoEnum(c, "type", DISCOVERY_TYPES, "STATIC");
    if (t == null) {
      return null;
    }
    return switch (t) {
      case "STATIC" -> DiscoveryType.STATIC;
      case "STRICT_DNS" -> DiscoveryType.STRICT_DNS;
      case "LOGICAL_DNS" -> DiscoveryType.LOGICAL_DNS;
      default -> {
        c.error("type", "not supported by Sluice: cluster type " + t + " (use STATIC, STRICT_DNS or LOGICAL_DNS)");
        yield null;
      }
    };
  }

  private static LbPolicy readLbPolicy(MessageReader c) {
    String p = protoEnum(c, "lb_policy", LB_POLICIES, "ROUND_ROBIN");
    if (p == null) {
      return null;
    }
    return switch (p) {
      case "ROUND_ROBIN" -> LbPolicy.ROUND_ROBIN;
      case "LEAST_REQUEST" -> LbPolicy.LEAST_REQUEST;
      case "RANDOM" -> LbPolicy.RANDOM;
      default -> {
        c.error("lb_policy", "not supported by Sluice: lb_policy " + p + " (use ROUND_ROBIN, LEAST_REQUEST or RANDOM)");
        yield null;
      }
    };
  }

  /**
   * An enum field by name or number, for enums whose numbers have gaps or whose Sluice counterpart
   * has fewer constants; null (after recording an error) when the value is not one of Envoy's.
   */
  static String protoEnum(MessageReader m, String field, String[] namesByNumber, String defaultName) {
    JsonNode n = m.raw(field);
    if (n == null) {
      return defaultName;
    }
    if (n.isIntegralNumber() && n.canConvertToInt()) {
      int i = n.intValue();
      if (i >= 0 && i < namesByNumber.length && namesByNumber[i] != null) {
        return namesByNumber[i];
      }
    } else if (n.isTextual()) {
      for (String name : namesByNumber) {
        if (n.asText().equals(name)) {
          return name;
        }
      }
    }
    StringBuilder names = new StringBuilder();
    for (String name : namesByNumber) {
      if (name != null) {
        names.append(names.length() == 0 ? "" : ", ").append(name);
      }
    }
    m.error(field, "unknown value " + n + "; expected one of " + names);
    return null;
  }

  private static CircuitBreakers readCircuitBreakers(MessageReader c) {
    MessageReader cb = c.message("circuit_breakers", PKG + "CircuitBreakers");
    if (cb == null) {
      return c.has("circuit_breakers") ? null : CircuitBreakers.DEFAULTS;
    }
    CircuitBreakers result = CircuitBreakers.DEFAULTS;
    boolean seenDefault = false;
    boolean seenHigh = false;
    for (MessageReader t : cb.messages("thresholds", PKG + "CircuitBreakers.Thresholds")) {
      Priority priority = t.enumValue("priority", Priority.values(), Priority.DEFAULT);
      Long maxConnections = t.optUint32("max_connections");
      Long maxPending = t.optUint32("max_pending_requests");
      Long maxRequests = t.optUint32("max_requests");
      Long maxRetries = t.optUint32("max_retries");
      Unsupported.warn(t, THRESHOLDS_WARN);
      t.finish();
      if (priority == Priority.HIGH) {
        if (!seenHigh) {
          t.warn("priority", "Sluice sends every request at DEFAULT priority; HIGH thresholds are not used");
        }
        seenHigh = true;
        continue;
      }
      if (seenDefault) {
        t.warn(null, "a second DEFAULT threshold is ignored; Envoy uses the first one");
        continue;
      }
      seenDefault = true;
      CircuitBreakers d = CircuitBreakers.DEFAULTS;
      result = new CircuitBreakers(
          maxConnections == null ? d.maxConnections() : maxConnections,
          maxPending == null ? d.maxPendingRequests() : maxPending,
          maxRequests == null ? d.maxRequests() : maxRequests,
          maxRetries == null ? d.maxRetries() : maxRetries);
    }
    Unsupported.warn(cb, "per_host_thresholds", Unsupported.IGNORED);
    cb.finish();
    return result;
  }

  private static OutlierDetection readOutlierDetection(MessageReader c) {
    MessageReader o = c.message("outlier_detection", PKG + "OutlierDetection");
    if (o == null) {
      return null;
    }
    OutlierDetection d = OutlierDetection.DEFAULTS;
    boolean[] ok = {true};
    long consecutive5xx = count(o, "consecutive_5xx", d.consecutive5xx());
    int enforcing5xx = percent(o, "enforcing_consecutive_5xx", d.enforcingConsecutive5xx(), ok);
    long gateway = count(o, "consecutive_gateway_failure", d.consecutiveGatewayFailure());
    int enforcingGateway =
        percent(o, "enforcing_consecutive_gateway_failure", d.enforcingConsecutiveGatewayFailure(), ok);
    boolean split = o.bool("split_external_local_origin_errors", false);
    long localOrigin = count(o, "consecutive_local_origin_failure", d.consecutiveLocalOriginFailure());
    int enforcingLocalOrigin =
        percent(o, "enforcing_consecutive_local_origin_failure", d.enforcingConsecutiveLocalOriginFailure(), ok);
    Duration interval = positive(o, "interval", d.interval(), ok);
    Duration base = positive(o, "base_ejection_time", d.baseEjectionTime(), ok);
    Duration max = positive(o, "max_ejection_time", null, ok);
    int maxPercent = percent(o, "max_ejection_percent", d.maxEjectionPercent(), ok);
    boolean alwaysOne = o.bool("always_eject_one_host", false);
    for (String f : OUTLIER_DETECTORS_OFF_AT_ZERO) {
      Long v = o.optUint32(f);
      if (v != null && v > 100) {
        o.error(f, "value must be less than or equal to 100");
        ok[0] = false;
      } else if (v != null && v > 0) {
        o.warn(f, Unsupported.IGNORED + " (Sluice has only the consecutive-failure detectors)");
      }
    }
    Unsupported.warn(o, OUTLIER_WARN);
    o.finish();
    if (!ok[0]) {
      return null;
    }
    // Envoy: "the default value (300s) or base_ejection_time value is applied, whatever is larger".
    if (max == null) {
      max = base.compareTo(OutlierDetection.DEFAULT_MAX_EJECTION_TIME) > 0
          ? base
          : OutlierDetection.DEFAULT_MAX_EJECTION_TIME;
    }
    return new OutlierDetection(
        consecutive5xx, enforcing5xx, gateway, enforcingGateway, split, localOrigin, enforcingLocalOrigin, interval,
        base, max, maxPercent, alwaysOne);
  }

  private static long count(MessageReader m, String field, long defaultValue) {
    Long v = m.optUint32(field);
    return v == null ? defaultValue : v;
  }

  private static int percent(MessageReader m, String field, int defaultValue, boolean[] ok) {
    Long v = m.optUint32(field);
    if (v == null) {
      ok[0] &= !m.has(field);
      return defaultValue;
    }
    if (v > 100) {
      m.error(field, "value must be less than or equal to 100");
      ok[0] = false;
      return defaultValue;
    }
    return v.intValue();
  }

  private static Duration positive(MessageReader m, String field, Duration defaultValue, boolean[] ok) {
    boolean given = m.has(field);
    Duration d = m.duration(field);
    if (d == null) {
      ok[0] &= !given;
      return defaultValue;
    }
    if (d.isNegative() || d.isZero()) {
      m.error(field, "value must be greater than 0s");
      ok[0] = false;
      return defaultValue;
    }
    return d;
  }

  /** The upstream HTTP settings of a cluster. */
  private record UpstreamHttp(Duration idleTimeout, Duration maxConnectionDuration) {}

  /**
   * Reads the upstream HTTP settings: {@code typed_extension_protocol_options} with Envoy's {@code
   * HttpProtocolOptions}, or the deprecated cluster-level fields. Null after errors.
   */
  private static UpstreamHttp readUpstreamHttp(MessageReader c) {
    boolean ok = true;
    boolean deprecatedGiven = false;
    // Any HTTP/2 options on the cluster mean "speak HTTP/2 upstream", even when empty.
    if (c.has("http2_protocol_options")) {
      c.raw("http2_protocol_options");
      c.error("http2_protocol_options", "not supported by Sluice yet: HTTP/2 upstream");
      ok = false;
      deprecatedGiven = true;
    }
    deprecatedGiven |= c.has("http_protocol_options") || c.has("common_http_protocol_options")
        || c.has("upstream_http_protocol_options");
    Unsupported.warn(c, "http_protocol_options", Unsupported.IGNORED + " (HTTP/1 tuning)");
    ProtocolOptionsReader.Options common = ProtocolOptionsReader.read(c, "common_http_protocol_options");

    JsonNode typed = c.raw("typed_extension_protocol_options");
    if (typed != null && !typed.isObject()) {
      c.error("typed_extension_protocol_options", "expected an object of extension names to options, got "
          + MessageReader.describe(typed));
      ok = false;
    } else if (typed != null) {
      Iterator<Map.Entry<String, JsonNode>> it = typed.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String path = c.pathOf("typed_extension_protocol_options") + "[\"" + e.getKey() + "\"]";
        if (!e.getKey().equals(HTTP_OPTIONS)) {
          c.problems().warn(path, Unsupported.IGNORED);
          continue;
        }
        if (deprecatedGiven) {
          c.problems().error(path, "cannot be combined with the deprecated cluster fields "
              + "http_protocol_options, http2_protocol_options, common_http_protocol_options or "
              + "upstream_http_protocol_options");
          ok = false;
        }
        ProtocolOptionsReader.Options typedCommon = readHttpProtocolOptions(e.getValue(), path, c.problems());
        if (typedCommon == null) {
          ok = false;
        } else {
          common = typedCommon;
        }
      }
    }
    if (!ok) {
      return null;
    }
    return new UpstreamHttp(
        common.idleTimeout() == null ? ClusterSpec.DEFAULT_IDLE_TIMEOUT : common.idleTimeout(),
        common.maxConnectionDuration() == null ? Duration.ZERO : common.maxConnectionDuration());
  }

  /** Reads an {@code upstreams.http.v3.HttpProtocolOptions} Any; null after errors. */
  private static ProtocolOptionsReader.Options readHttpProtocolOptions(JsonNode node, String path, Problems problems) {
    MessageReader h = MessageReader.of(node, path, HTTP_OPTIONS, problems);
    if (h == null) {
      return null;
    }
    boolean ok = true;
    String type = h.string("@type", "");
    if (!Unsupported.typeName(type).equals(HTTP_OPTIONS)) {
      // The other fields belong to another message: not finishing leaves them unchecked.
      h.error("@type", "expected type.googleapis.com/" + HTTP_OPTIONS + ", got \"" + type + "\"");
      return null;
    }
    ProtocolOptionsReader.Options common = ProtocolOptionsReader.read(h, "common_http_protocol_options");
    String which = h.oneOf(
        "upstream_protocol_options", "explicit_http_config", "use_downstream_protocol_config", "auto_config");
    if (which == null) {
      h.error(null, "upstream_protocol_options: value is required (one of explicit_http_config, "
          + "use_downstream_protocol_config, auto_config)");
      ok = false;
    } else if (which.equals("explicit_http_config")) {
      MessageReader x = h.message("explicit_http_config", HTTP_OPTIONS + ".ExplicitHttpConfig");
      if (x != null) {
        String protocol = x.oneOf(
            "protocol_config", "http_protocol_options", "http2_protocol_options", "http3_protocol_options");
        if (protocol == null) {
          x.error(null, "protocol_config: value is required (one of http_protocol_options, "
              + "http2_protocol_options, http3_protocol_options)");
          ok = false;
        } else if (protocol.equals("http_protocol_options")) {
          Unsupported.warn(x, "http_protocol_options", Unsupported.IGNORED + " (HTTP/1 tuning)");
        } else {
          x.raw(protocol);
          x.error(protocol, "not supported by Sluice yet: "
              + (protocol.equals("http2_protocol_options") ? "HTTP/2" : "HTTP/3") + " upstream");
          ok = false;
        }
        x.finish();
      }
    } else if (which.equals("use_downstream_protocol_config")) {
      // Sluice's downstream side is HTTP/1.1 only, so "the downstream protocol" is always HTTP/1.1
      // and the HTTP/2 and HTTP/3 options in here never apply.
      MessageReader d = h.message("use_downstream_protocol_config", HTTP_OPTIONS + ".UseDownstreamHttpConfig");
      if (d != null) {
        Unsupported.warn(d, "http_protocol_options", Unsupported.IGNORED + " (HTTP/1 tuning)");
        d.skip("http2_protocol_options", "http3_protocol_options");
        d.finish();
      }
    } else {
      h.raw("auto_config");
      h.error("auto_config", "not supported by Sluice yet: auto_config (protocol negotiation needs TLS)");
      ok = false;
    }
    for (MessageReader f : h.messages("http_filters",
        "envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter")) {
      JsonNode cfg = f.raw("typed_config");
      String filterType = cfg == null ? "" : Unsupported.typeName(cfg.path("@type").asText(""));
      String filterName = f.string("name", "");
      f.skip("config_discovery", "is_optional", "disabled");
      f.finish();
      if (!filterType.equals(UPSTREAM_CODEC) && !filterName.equals("envoy.filters.http.upstream_codec")) {
        String what = filterName.isEmpty() ? filterType : filterName;
        f.error(null, "not supported by Sluice: upstream HTTP filter " + what);
        ok = false;
      }
    }
    Unsupported.warn(h, Set.of("upstream_http_protocol_options", "header_validation_config", "outlier_detection"));
    h.finish();
    return ok ? common : null;
  }

  /** {@code core.v3.RoutingPriority}, in protobuf number order. */
  private enum Priority {
    DEFAULT,
    HIGH
  }
}
