package io.sluice.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import io.sluice.config.ConfigException;
import io.sluice.config.MessageReader;
import io.sluice.config.Problems;
import io.sluice.runtime.FractionalPercent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads an Envoy v3 {@code RouteConfiguration} (YAML or JSON tree, snake_case or lowerCamelCase)
 * into a {@link RouteTable}, with Envoy's validation rules and messages. Every problem is recorded
 * with the path of its field; the table is only usable when no error was recorded.
 *
 * <p>Fields Envoy knows that do not change where a request goes (retry policies, CORS, tracing,
 * per-filter config, ...) are accepted with a warning. Fields that would change routing if ignored
 * (a virtual host {@code matcher}, cluster specifier plugins, path match or rewrite policy
 * extensions) are rejected, so a configuration never routes differently than the user wrote it.
 */
public final class RouteConfigReader {
  private static final String PKG = "envoy.config.route.v3.";

  /**
   * How cluster names are checked.
   *
   * @param validateClustersByDefault whether names are checked when {@code validate_clusters} is
   *     not set (Envoy: true for a static {@code route_config}, false for the route checker)
   * @param clusterExists whether a cluster exists; used only when validating
   */
  public record Options(boolean validateClustersByDefault, Predicate<String> clusterExists) {
    /** No cluster validation (what Envoy's route checker does). */
    public static final Options NO_CLUSTER_VALIDATION = new Options(false, c -> true);
  }

  private static final Set<String> CONFIG_WARN = Set.of("typed_per_filter_config", "metadata");
  private static final Set<String> VHOST_WARN =
      Set.of(
          "rate_limits", "cors", "typed_per_filter_config", "include_request_attempt_count",
          "include_attempt_count_in_response", "retry_policy", "retry_policy_typed_config", "hedge_policy",
          "include_is_timeout_retry_header", "per_request_buffer_limit_bytes", "request_body_buffer_limit",
          "metadata");
  private static final Set<String> ROUTE_WARN =
      Set.of(
          "decorator", "typed_per_filter_config", "tracing", "per_request_buffer_limit_bytes", "stat_prefix",
          "request_body_buffer_limit");
  private static final Set<String> ACTION_WARN =
      Set.of(
          "metadata_match", "retry_policy", "retry_policy_typed_config", "priority",
          "rate_limits", "include_vh_rate_limits", "hash_policy", "cors", "max_grpc_timeout", "grpc_timeout_offset",
          "upgrade_configs", "internal_redirect_policy", "internal_redirect_action", "max_internal_redirects",
          "hedge_policy", "max_stream_duration", "early_data_policy", "flush_timeout",
          "request_body_buffer_limit");
  private static final Set<String> CLUSTER_WEIGHT_WARN = Set.of("metadata_match", "typed_per_filter_config");

  private final Problems problems;
  private final Options options;
  private String configName = "";
  private boolean validateClusters;
  private long maxDirectResponseBody = 4096;
  /** The path of each mirror policy's {@code cluster}, for {@code validate_clusters} errors. */
  private final Map<MirrorPolicy, String> mirrorPaths = new IdentityHashMap<>();
  /** Mirror policies whose unknown cluster was already reported (one error per policy). */
  private final Set<MirrorPolicy> mirrorsChecked = Collections.newSetFromMap(new IdentityHashMap<>());

  private RouteConfigReader(Problems problems, Options options) {
    this.problems = problems;
    this.options = options;
  }

  /**
   * Reads a route configuration at {@code path} of a larger document ({@code ""} for the root).
   * Returns the table, which must not be used when {@code problems} holds an error.
   */
  public static RouteTable read(JsonNode node, String path, Problems problems, Options options) {
    MessageReader m = MessageReader.of(node, path, PKG + "RouteConfiguration", problems);
    if (m == null) {
      return null;
    }
    return new RouteConfigReader(problems, options).readConfig(m);
  }

  /**
   * Reads a whole document that is a route configuration.
   *
   * @throws ConfigException with every problem when anything is wrong
   */
  public static RouteTable read(JsonNode node, String source, Options options) {
    Problems problems = new Problems();
    RouteTable table = read(node, "", problems, options);
    problems.throwIfErrors(source);
    return table;
  }

  private RouteTable readConfig(MessageReader m) {
    configName = m.string("name", "");
    Boolean validate = m.optBool("validate_clusters");
    validateClusters = validate == null ? options.validateClustersByDefault() : validate;
    Long maxBody = m.optUint32("max_direct_response_body_size_bytes");
    if (maxBody != null) {
      maxDirectResponseBody = maxBody;
    }
    boolean ignorePort = m.bool("ignore_port_in_host_matching", false);
    boolean ignorePathParameters = m.bool("ignore_path_parameters_in_path_matching", false);
    boolean mostSpecific = m.bool("most_specific_header_mutations_wins", false);
    String alternateHost = m.string("alternate_header_for_host_matching");
    if (alternateHost != null) {
      m.error("alternate_header_for_host_matching", "not supported by Sluice: virtual hosts are matched on :authority");
    }
    List<String> internalOnly = m.strings("internal_only_headers");
    HeaderMutations req = HeaderMutations.read(m, "request_headers_to_add", "request_headers_to_remove");
    HeaderMutations resp = HeaderMutations.read(m, "response_headers_to_add", "response_headers_to_remove");
    HeaderLevels levels = new HeaderLevels(req, resp, mostSpecific);
    rejectUnsupported(m, "vhds", "dynamic virtual host discovery (VHDS)");
    rejectUnsupported(m, "cluster_specifier_plugins", "cluster specifier plugins");
    List<MirrorPolicy> configMirrors = readMirrorPolicies(m);

    List<VirtualHost> vhosts = new ArrayList<>();
    Map<String, VirtualHost> exact = new LinkedHashMap<>();
    Map<String, VirtualHost> suffixes = new LinkedHashMap<>();
    Map<String, VirtualHost> prefixes = new LinkedHashMap<>();
    VirtualHost wildcard = null;
    for (MessageReader v : m.messages("virtual_hosts", PKG + "VirtualHost")) {
      VirtualHost vh = readVirtualHost(v, levels, ignorePathParameters, configMirrors);
      if (vh == null) {
        continue;
      }
      vhosts.add(vh);
      List<String> domains = vh.domains();
      for (int i = 0; i < domains.size(); i++) {
        String d = domains.get(i).toLowerCase(Locale.ROOT);
        String at = v.pathOf("domains") + "[" + i + "]";
        Map<String, VirtualHost> target;
        String key;
        if (d.equals("*")) {
          if (wildcard != null) {
            problems.error(at, "Only a single wildcard domain is permitted in route " + configName);
          }
          wildcard = vh;
          continue;
        } else if (d.startsWith("*")) {
          target = suffixes;
          key = d.substring(1);
        } else if (d.endsWith("*")) {
          target = prefixes;
          key = d.substring(0, d.length() - 1);
        } else {
          target = exact;
          key = d;
        }
        if (target.containsKey(key)) {
          problems.error(
              at,
              "Only unique values for domains are permitted. Duplicate entry of domain " + d + " in route " + configName);
        } else {
          target.put(key, vh);
        }
      }
    }
    m.finish(CONFIG_WARN);
    DomainIndex<VirtualHost> index = new DomainIndex<>(exact, suffixes, prefixes, wildcard);
    return new RouteTable(configName, vhosts, index, ignorePort, levels, internalOnly);
  }

  private VirtualHost readVirtualHost(
      MessageReader v, HeaderLevels levels, boolean ignorePathParameters, List<MirrorPolicy> configMirrors) {
    String name = v.string("name", "");
    if (name.isEmpty()) {
      v.error("name", "value length must be at least 1 characters");
    }
    List<String> domains = v.strings("domains");
    if (domains.isEmpty()) {
      v.error("domains", "value must contain at least 1 item(s)");
    }
    for (int i = 0; i < domains.size(); i++) {
      if (hasControlCharacter(domains.get(i))) {
        problems.error(v.pathOf("domains") + "[" + i + "]", "value does not match the HTTP header value syntax");
      }
    }
    VirtualHost.TlsRequirement tls =
        v.enumValue("require_tls", VirtualHost.TlsRequirement.values(), VirtualHost.TlsRequirement.NONE);
    if (v.has("matcher")) {
      v.raw("matcher");
      v.error("matcher", v.has("routes")
          ? "cannot set both matcher and routes on virtual host"
          : "not supported by Sluice: use routes");
    }
    List<RouteSpec> routes = new ArrayList<>();
    for (MessageReader r : v.messages("routes", PKG + "Route")) {
      RouteSpec spec = readRoute(r, ignorePathParameters);
      if (spec != null) {
        routes.add(spec);
      }
    }
    List<VirtualCluster> vclusters = new ArrayList<>();
    for (MessageReader c : v.messages("virtual_clusters", PKG + "VirtualCluster")) {
      VirtualCluster vc = readVirtualCluster(c);
      if (vc != null) {
        vclusters.add(vc);
      }
    }
    HeaderMutations req = HeaderMutations.read(v, "request_headers_to_add", "request_headers_to_remove");
    HeaderMutations resp = HeaderMutations.read(v, "response_headers_to_add", "response_headers_to_remove");
    List<MirrorPolicy> ownMirrors = readMirrorPolicies(v);
    List<MirrorPolicy> mirrors = ownMirrors.isEmpty() ? configMirrors : ownMirrors;
    if (validateClusters) {
      // Envoy checks the policies each route ends up with, whatever its action: a virtual host's
      // (or the configuration's) list is checked only when some route inherits it.
      for (RouteSpec r : routes) {
        boolean own = r.forward() != null && !r.forward().mirrorPolicies().isEmpty();
        checkMirrorClusters(own ? r.forward().mirrorPolicies() : mirrors);
      }
    }
    v.finish(VHOST_WARN);
    return new VirtualHost(name, domains, tls, vclusters, req, resp, routes, levels, mirrors);
  }

  private VirtualCluster readVirtualCluster(MessageReader c) {
    String name = c.string("name", "");
    if (name.isEmpty()) {
      c.error("name", "value length must be at least 1 characters");
    }
    List<HeaderMatcher> headers = new ArrayList<>();
    List<MessageReader> hs = c.messages("headers", HeaderMatcher.TYPE);
    if (hs.isEmpty()) {
      c.error("headers", "virtual clusters must define 'headers'");
    }
    boolean ok = !name.isEmpty() && !hs.isEmpty();
    for (MessageReader h : hs) {
      HeaderMatcher hm = HeaderMatcher.read(h);
      ok &= hm != null;
      if (hm != null) {
        headers.add(hm);
      }
    }
    c.finish();
    return ok ? new VirtualCluster(name, headers) : null;
  }

  private RouteSpec readRoute(MessageReader r, boolean ignorePathParameters) {
    String name = r.string("name", "");
    JsonNode matchNode = r.has("match") ? r.raw("match").deepCopy() : null;
    r.skip("match");
    MessageReader matchReader = r.message("match", PKG + "RouteMatch");
    RouteMatch match = null;
    if (matchNode == null) {
      r.error("match", "value is required");
    } else if (matchReader != null) {
      match = readMatch(matchReader, ignorePathParameters);
    }
    String action = r.oneOf("action", "route", "redirect", "direct_response", "filter_action", "non_forwarding_action");
    ForwardAction forward = null;
    RedirectAction redirect = null;
    DirectResponseAction direct = null;
    boolean ok = match != null;
    if (action == null) {
      r.error(null, "action: value is required (one of route, redirect, direct_response)");
      ok = false;
    } else {
      switch (action) {
        case "route" -> {
          MessageReader a = r.message("route", PKG + "RouteAction");
          forward = a == null ? null : readForward(a, name, match);
          ok &= forward != null;
        }
        case "redirect" -> {
          MessageReader a = r.message("redirect", PKG + "RedirectAction");
          redirect = a == null ? null : readRedirect(a, match);
          ok &= redirect != null;
        }
        case "direct_response" -> {
          MessageReader a = r.message("direct_response", PKG + "DirectResponseAction");
          direct = a == null ? null : readDirectResponse(a);
          ok &= direct != null;
        }
        default -> {
          r.raw(action);
          r.error(action, "not supported by Sluice (Envoy does not implement it either)");
          ok = false;
        }
      }
    }
    JsonNode metadata = r.raw("metadata");
    if (metadata != null) {
      MessageReader md = MessageReader.of(metadata, r.pathOf("metadata"), "envoy.config.core.v3.Metadata", problems);
      if (md != null) {
        JsonNode fm = md.raw("filter_metadata");
        if (fm != null && !fm.isObject()) {
          md.error("filter_metadata", "expected an object of namespaces");
        }
        md.finish(Set.of("typed_filter_metadata"));
      }
    }
    HeaderMutations req = HeaderMutations.read(r, "request_headers_to_add", "request_headers_to_remove");
    HeaderMutations resp = HeaderMutations.read(r, "response_headers_to_add", "response_headers_to_remove");
    r.finish(ROUTE_WARN);
    if (!ok) {
      return null;
    }
    return new RouteSpec(name, match, forward, redirect, direct, req, resp, metadata, matchNode);
  }

  private RouteMatch readMatch(MessageReader m, boolean ignorePathParameters) {
    String spec =
        m.oneOf(
            "path_specifier", "prefix", "path", "safe_regex", "connect_matcher", "path_separated_prefix",
            "path_match_policy");
    Boolean caseSensitive = m.optBool("case_sensitive");
    boolean cs = caseSensitive == null || caseSensitive;
    PathMatcher path = null;
    if (spec == null) {
      m.error(null, "path_specifier: value is required (one of prefix, path, safe_regex, path_separated_prefix, connect_matcher)");
    } else {
      switch (spec) {
        case "prefix" -> path = new PathMatcher(PathMatcher.Kind.PREFIX, m.string("prefix", ""), null, cs, ignorePathParameters);
        case "path" -> path = new PathMatcher(PathMatcher.Kind.PATH, m.string("path", ""), null, cs, ignorePathParameters);
        case "safe_regex" -> {
          Pattern p = Regexes.read(m.message("safe_regex", Regexes.REGEX_MATCHER));
          if (p != null) {
            path = new PathMatcher(PathMatcher.Kind.SAFE_REGEX, p.pattern(), p, true, ignorePathParameters);
          }
        }
        case "path_separated_prefix" -> {
          String prefix = m.string("path_separated_prefix", "");
          if (!prefix.matches("^[^?#]+[^?#/]$")) {
            m.error(
                "path_separated_prefix",
                "value does not match regex pattern \"^[^?#]+[^?#/]$\" (no ? or #, and no trailing /)");
          } else {
            path = new PathMatcher(PathMatcher.Kind.PATH_SEPARATED_PREFIX, prefix, null, cs, ignorePathParameters);
          }
        }
        case "connect_matcher" -> {
          MessageReader c = m.message("connect_matcher", PKG + "RouteMatch.ConnectMatcher");
          if (c != null) {
            c.finish();
          }
          path = new PathMatcher(PathMatcher.Kind.CONNECT, "", null, true, ignorePathParameters);
        }
        default -> {
          m.raw(spec);
          m.error(spec, "not supported by Sluice: path match policy extensions (uri_template)");
        }
      }
    }
    List<HeaderMatcher> headers = new ArrayList<>();
    boolean ok = path != null;
    for (MessageReader h : m.messages("headers", HeaderMatcher.TYPE)) {
      HeaderMatcher hm = HeaderMatcher.read(h);
      ok &= hm != null;
      if (hm != null) {
        headers.add(hm);
      }
    }
    List<QueryParameterMatcher> query = new ArrayList<>();
    for (MessageReader q : m.messages("query_parameters", PKG + "QueryParameterMatcher")) {
      QueryParameterMatcher qm = QueryParameterMatcher.read(q);
      ok &= qm != null;
      if (qm != null) {
        query.add(qm);
      }
    }
    boolean grpc = false;
    MessageReader g = m.message("grpc", PKG + "RouteMatch.GrpcRouteMatchOptions");
    if (g != null) {
      g.finish();
      grpc = true;
    }
    String runtimeKey = null;
    FractionalPercent runtimeDefault = null;
    MessageReader rf = m.message("runtime_fraction", "envoy.config.core.v3.RuntimeFractionalPercent");
    if (rf != null) {
      runtimeKey = rf.string("runtime_key", "");
      MessageReader dv = rf.message("default_value", "envoy.type.v3.FractionalPercent");
      if (dv == null) {
        rf.error("default_value", "value is required");
        ok = false;
      } else {
        runtimeDefault = readFraction(dv);
        ok &= runtimeDefault != null;
      }
      rf.finish();
    }
    Boolean presented = null;
    Boolean validated = null;
    MessageReader tls = m.message("tls_context", PKG + "RouteMatch.TlsContextMatchOptions");
    if (tls != null) {
      presented = tls.optBool("presented");
      validated = tls.optBool("validated");
      tls.finish();
    }
    List<MetadataMatcher> metadata = new ArrayList<>();
    for (MessageReader d : m.messages("dynamic_metadata", MetadataMatcher.TYPE)) {
      MetadataMatcher mm = MetadataMatcher.read(d);
      ok &= mm != null;
      if (mm != null) {
        metadata.add(mm);
      }
    }
    if (m.has("filter_state")) {
      m.raw("filter_state");
      m.error("filter_state", "not supported by Sluice: Sluice has no filter state");
      ok = false;
    }
    m.finish();
    if (!ok) {
      return null;
    }
    return new RouteMatch(path, headers, query, grpc, runtimeKey, runtimeDefault, presented, validated, metadata);
  }

  static FractionalPercent readFraction(MessageReader m) {
    long numerator = m.uint32("numerator", 0);
    FractionalPercent.Denominator d =
        m.enumValue("denominator", FractionalPercent.Denominator.values(), FractionalPercent.Denominator.HUNDRED);
    m.finish();
    return new FractionalPercent(numerator, d);
  }

  private ForwardAction readForward(MessageReader a, String routeName, RouteMatch match) {
    String spec =
        a.oneOf(
            "cluster_specifier", "cluster", "cluster_header", "weighted_clusters", "cluster_specifier_plugin",
            "inline_cluster_specifier_plugin");
    String cluster = null;
    String clusterHeader = null;
    WeightedClusters weighted = null;
    boolean ok = true;
    if (spec == null) {
      a.error(null, "cluster_specifier: value is required (one of cluster, cluster_header, weighted_clusters)");
      ok = false;
    } else {
      switch (spec) {
        case "cluster" -> {
          cluster = a.string("cluster", "");
          if (cluster.isEmpty()) {
            a.error("cluster", "value length must be at least 1 characters");
            ok = false;
          } else if (validateClusters && !options.clusterExists().test(cluster)) {
            a.error("cluster", "route: unknown cluster '" + cluster + "'");
            ok = false;
          }
        }
        case "cluster_header" -> {
          clusterHeader = a.string("cluster_header", "").toLowerCase(Locale.ROOT);
          if (clusterHeader.isEmpty()) {
            a.error("cluster_header", "value length must be at least 1 characters");
            ok = false;
          }
        }
        case "weighted_clusters" -> {
          MessageReader w = a.message("weighted_clusters", PKG + "WeightedCluster");
          weighted = w == null ? null : readWeighted(w, routeName);
          ok &= weighted != null;
        }
        default -> {
          a.raw(spec);
          a.error(spec, "not supported by Sluice: cluster specifier plugins");
          ok = false;
        }
      }
    }
    int notFound = 503;
    JsonNode nf = a.has("cluster_not_found_response_code") ? a.raw("cluster_not_found_response_code") : null;
    if (nf != null) {
      String v = nf.asText();
      if (v.equals("SERVICE_UNAVAILABLE") || v.equals("0")) {
        notFound = 503;
      } else if (v.equals("NOT_FOUND") || v.equals("1")) {
        notFound = 404;
      } else if (v.equals("INTERNAL_SERVER_ERROR") || v.equals("2")) {
        notFound = 500;
      } else {
        a.error(
            "cluster_not_found_response_code",
            "unknown value " + nf + "; expected one of SERVICE_UNAVAILABLE, NOT_FOUND, INTERNAL_SERVER_ERROR");
        ok = false;
      }
    }
    String rewriteKind = null;
    for (String f : new String[] {"prefix_rewrite", "regex_rewrite", "path_rewrite_policy"}) {
      if (a.has(f)) {
        if (rewriteKind != null) {
          a.error(f, "Specify only one of prefix_rewrite, regex_rewrite or path_rewrite_policy");
          ok = false;
        }
        rewriteKind = f;
      }
    }
    String prefixRewrite = a.string("prefix_rewrite");
    RegexRewrite regexRewrite = readRegexRewrite(a, "regex_rewrite");
    if (a.has("regex_rewrite") && regexRewrite == null) {
      ok = false;
    }
    if (a.has("path_rewrite_policy")) {
      a.raw("path_rewrite_policy");
      a.error("path_rewrite_policy", "not supported by Sluice: path rewrite policy extensions");
      ok = false;
    }
    String hostSpec =
        a.oneOf("host_rewrite_specifier", "host_rewrite_literal", "auto_host_rewrite", "host_rewrite_header",
            "host_rewrite_path_regex");
    String hostLiteral = a.string("host_rewrite_literal");
    boolean autoHost = a.bool("auto_host_rewrite", false);
    String hostHeader = a.string("host_rewrite_header");
    if (hostHeader != null) {
      hostHeader = hostHeader.toLowerCase(Locale.ROOT);
    }
    RegexRewrite hostRegex = readRegexRewrite(a, "host_rewrite_path_regex");
    if ("host_rewrite_path_regex".equals(hostSpec) && hostRegex == null) {
      ok = false;
    }
    boolean appendXfh = a.bool("append_x_forwarded_host", false);
    Duration timeout = positiveDuration(a, "timeout");
    Duration idle = positiveDuration(a, "idle_timeout");
    int errorsBefore = problems.errors().size();
    List<MirrorPolicy> mirrors = readMirrorPolicies(a);
    ok &= problems.errors().size() == errorsBefore;
    a.finish(ACTION_WARN);
    if (!ok) {
      return null;
    }
    return new ForwardAction(
        cluster, clusterHeader, weighted, notFound, prefixRewrite, regexRewrite, hostLiteral, hostHeader, hostRegex,
        autoHost, appendXfh, timeout == null ? ForwardAction.DEFAULT_TIMEOUT : timeout, idle, mirrors);
  }

  /**
   * The {@code request_mirror_policies} of a route action, virtual host or route configuration
   * (empty when absent), with Envoy's validation messages. A policy with an error is left out; the
   * error makes the whole configuration unusable anyway.
   */
  private List<MirrorPolicy> readMirrorPolicies(MessageReader m) {
    List<MirrorPolicy> out = new ArrayList<>();
    for (MessageReader p : m.messages("request_mirror_policies", PKG + "RouteAction.RequestMirrorPolicy")) {
      MirrorPolicy policy = readMirrorPolicy(p);
      if (policy != null) {
        out.add(policy);
        mirrorPaths.put(policy, p.pathOf("cluster"));
      }
    }
    return out;
  }

  private MirrorPolicy readMirrorPolicy(MessageReader p) {
    String cluster = p.string("cluster", "");
    String header = p.string("cluster_header", "");
    boolean ok = true;
    if (!cluster.isEmpty() && !header.isEmpty()) {
      p.error(null, "Only one of cluster '" + cluster + "' or cluster_header '" + header
          + "' in request mirror policy can be specified");
      ok = false;
    } else if (cluster.isEmpty() && header.isEmpty()) {
      p.error(null, "Exactly one of cluster or cluster_header in request mirror policy need to be specified");
      ok = false;
    }
    String runtimeKey = "";
    FractionalPercent fraction = MirrorPolicy.ALL;
    MessageReader rf = p.message("runtime_fraction", "envoy.config.core.v3.RuntimeFractionalPercent");
    if (rf != null) {
      runtimeKey = rf.string("runtime_key", "");
      MessageReader dv = rf.message("default_value", "envoy.type.v3.FractionalPercent");
      if (dv == null) {
        rf.error("default_value", "value is required");
        ok = false;
      } else {
        fraction = readFraction(dv);
      }
      rf.finish();
    }
    // trace_sampled only decides whether the mirror's span is sampled; Sluice has no tracing.
    p.optBool("trace_sampled");
    boolean keepHost = p.bool("disable_shadow_host_suffix_append", false);
    // Newer Envoy fields that change what the mirror receives: refused rather than ignored.
    rejectUnsupported(p, "host_rewrite_literal", "a mirror policy's host rewrite");
    rejectUnsupported(p, "request_headers_mutations", "a mirror policy's header mutations");
    p.finish();
    if (!ok || p.has("host_rewrite_literal") || p.has("request_headers_mutations")) {
      return null;
    }
    return new MirrorPolicy(
        cluster.isEmpty() ? null : cluster, header.isEmpty() ? null : header.toLowerCase(Locale.ROOT), runtimeKey,
        fraction, keepHost);
  }

  /** {@code validate_clusters}: Envoy's "route: unknown shadow cluster" for a named mirror cluster. */
  private void checkMirrorClusters(List<MirrorPolicy> policies) {
    for (MirrorPolicy p : policies) {
      if (p.cluster() != null && mirrorsChecked.add(p) && !options.clusterExists().test(p.cluster())) {
        problems.error(mirrorPaths.get(p), "route: unknown shadow cluster '" + p.cluster() + "'");
      }
    }
  }

  private Duration positiveDuration(MessageReader a, String field) {
    Duration d = a.duration(field);
    if (d != null && d.isNegative()) {
      a.error(field, "Invalid duration: Expected positive duration: " + d);
      return null;
    }
    return d;
  }

  private RegexRewrite readRegexRewrite(MessageReader a, String field) {
    MessageReader rr = a.message(field, "envoy.type.matcher.v3.RegexMatchAndSubstitute");
    if (rr == null) {
      return null;
    }
    MessageReader pattern = rr.message("pattern", Regexes.REGEX_MATCHER);
    String substitution = rr.string("substitution", "");
    rr.finish();
    if (pattern == null) {
      rr.error("pattern", "value is required");
      return null;
    }
    Pattern p = Regexes.read(pattern);
    if (p == null) {
      return null;
    }
    try {
      return RegexRewrite.of(p, substitution);
    } catch (IllegalArgumentException e) {
      rr.error("substitution", e.getMessage());
      return null;
    }
  }

  private WeightedClusters readWeighted(MessageReader w, String routeName) {
    List<WeightedCluster> entries = new ArrayList<>();
    List<MessageReader> clusters = w.messages("clusters", PKG + "WeightedCluster.ClusterWeight");
    if (clusters.isEmpty()) {
      w.error("clusters", "value must contain at least 1 item(s)");
    }
    // total_weight is deprecated: current Envoy ignores it and uses the sum of the weights.
    w.optUint32("total_weight");
    String prefix = w.string("runtime_key_prefix", "");
    String randomSpec = w.oneOf("random_value_specifier", "header_name", "use_hash_policy");
    String headerName = w.string("header_name");
    if ("use_hash_policy".equals(randomSpec)) {
      w.raw("use_hash_policy");
      w.warn("use_hash_policy", "not supported by Sluice yet (no hash policies); the request's random value is used");
    }
    boolean ok = !clusters.isEmpty();
    long total = 0;
    boolean overflowReported = false;
    for (MessageReader c : clusters) {
      String name = c.string("name", "");
      String header = c.string("cluster_header", "");
      if (name.isEmpty() == header.isEmpty()) {
        c.error(null, name.isEmpty()
            ? "At least one of name or cluster_header need to be specified"
            : "Only one of name or cluster_header can be specified");
        ok = false;
      }
      boolean weightGiven = c.has("weight");
      Long weight = c.optUint32("weight");
      if (!weightGiven) {
        c.error("weight", "Field 'weight' is missing in: " + (name.isEmpty() ? "cluster_header: \"" + header + "\"" : "name: \"" + name + "\""));
      }
      ok &= weight != null;
      if (!name.isEmpty() && validateClusters && !options.clusterExists().test(name)) {
        c.error("name", "route: unknown weighted cluster '" + name + "'");
        ok = false;
      }
      HeaderMutations req = HeaderMutations.read(c, "request_headers_to_add", "request_headers_to_remove");
      HeaderMutations resp = HeaderMutations.read(c, "response_headers_to_add", "response_headers_to_remove");
      String hostLiteral = c.string("host_rewrite_literal");
      c.finish(CLUSTER_WEIGHT_WARN);
      long wv = weight == null ? 0 : weight;
      total += wv;
      if (total > 0xFFFF_FFFFL && !overflowReported) {
        w.error("clusters", "The sum of weights of all weighted clusters of route " + routeName + " exceeds 4294967295");
        overflowReported = true;
        ok = false;
      }
      entries.add(new WeightedCluster(
          name.isEmpty() ? null : name, header.isEmpty() ? null : header.toLowerCase(Locale.ROOT), wv, req, resp,
          hostLiteral));
    }
    if (ok && total == 0) {
      w.error("clusters", "Sum of weights in the weighted_cluster must be greater than 0.");
      ok = false;
    }
    w.finish(Set.of("health_aware_lb"));
    return ok ? new WeightedClusters(entries, prefix, headerName) : null;
  }

  private RedirectAction readRedirect(MessageReader a, RouteMatch match) {
    String schemeSpec = a.oneOf("scheme_rewrite_specifier", "https_redirect", "scheme_redirect");
    boolean https = a.bool("https_redirect", false);
    String scheme = a.string("scheme_redirect");
    if ("https_redirect".equals(schemeSpec)) {
      scheme = https ? "https" : null;
    } else if (scheme != null) {
      scheme = scheme.toLowerCase(Locale.ROOT);
    }
    String host = a.string("host_redirect");
    Long port = a.optUint32("port_redirect");
    String pathSpec = a.oneOf("path_rewrite_specifier", "path_redirect", "prefix_rewrite", "regex_rewrite");
    String pathRedirect = a.string("path_redirect");
    String prefixRewrite = a.string("prefix_rewrite");
    RegexRewrite regex = readRegexRewrite(a, "regex_rewrite");
    RedirectAction.Code code = a.enumValue("response_code", RedirectAction.Code.values(), RedirectAction.Code.MOVED_PERMANENTLY);
    boolean stripQuery = a.bool("strip_query", false);
    a.finish();
    if ("regex_rewrite".equals(pathSpec) && regex == null) {
      return null;
    }
    return new RedirectAction(
        scheme, emptyToNull(host), port == null ? 0 : port.intValue(), pathRedirect, prefixRewrite, regex, code.status,
        stripQuery);
  }

  private DirectResponseAction readDirectResponse(MessageReader a) {
    Long status = a.optUint32("status");
    byte[] body = new byte[0];
    MessageReader b = a.message("body", "envoy.config.core.v3.DataSource");
    boolean ok = true;
    if (b != null) {
      String which = b.oneOf("specifier", "filename", "inline_bytes", "inline_string", "environment_variable");
      if (which == null) {
        body = new byte[0];
      } else {
        switch (which) {
          case "inline_string" -> body = b.string("inline_string", "").getBytes(StandardCharsets.UTF_8);
          case "inline_bytes" -> {
            try {
              body = Base64.getDecoder().decode(b.string("inline_bytes", ""));
            } catch (IllegalArgumentException e) {
              b.error("inline_bytes", "not valid base64: " + e.getMessage());
              ok = false;
            }
          }
          case "environment_variable" -> {
            String var = b.string("environment_variable", "");
            String v = System.getenv(var);
            if (v == null) {
              b.error("environment_variable", "Environment variable doesn't exist: " + var);
              ok = false;
            } else {
              body = v.getBytes(StandardCharsets.UTF_8);
            }
          }
          default -> {
            String file = b.string("filename", "");
            Path p = Path.of(file);
            if (!Files.exists(p)) {
              b.error("filename", "file " + file + " does not exist");
              ok = false;
            } else {
              try {
                long size = Files.size(p);
                if (size > maxDirectResponseBody) {
                  b.error("filename", "file " + file + " size is " + size + " bytes; maximum is " + maxDirectResponseBody);
                  ok = false;
                } else {
                  body = Files.readAllBytes(p);
                }
              } catch (java.io.IOException e) {
                b.error("filename", "cannot read file " + file + ": " + e.getMessage());
                ok = false;
              }
            }
          }
        }
      }
      b.finish(Set.of("watched_directory"));
      if (ok && body.length > maxDirectResponseBody) {
        b.error(null, "response body size is " + body.length + " bytes; maximum is " + maxDirectResponseBody);
        ok = false;
      }
    }
    a.finish(Set.of("body_format"));
    if (status == null) {
      a.error("status", "value must be inside range [200, 600)");
      return null;
    }
    if (status < 200 || status >= 600) {
      a.error("status", "value must be inside range [200, 600), got " + status);
      return null;
    }
    return ok ? new DirectResponseAction(status.intValue(), body) : null;
  }

  private void rejectUnsupported(MessageReader m, String field, String what) {
    if (m.has(field)) {
      m.raw(field);
      m.error(field, "not supported by Sluice: " + what);
    }
  }

  private static boolean hasControlCharacter(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0 || c == '\r' || c == '\n') {
        return true;
      }
    }
    return false;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
