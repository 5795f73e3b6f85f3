package io.sluice.resource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.resource.HttpRouteSpec.BackendRef;
import io.sluice.route.ForwardAction;
import io.sluice.resource.HttpRouteSpec.Filter;
import io.sluice.resource.HttpRouteSpec.Header;
import io.sluice.resource.HttpRouteSpec.HeaderModifier;
import io.sluice.resource.HttpRouteSpec.Match;
import io.sluice.resource.HttpRouteSpec.Mirror;
import io.sluice.resource.HttpRouteSpec.PathModifier;
import io.sluice.resource.HttpRouteSpec.PathType;
import io.sluice.resource.HttpRouteSpec.Redirect;
import io.sluice.resource.HttpRouteSpec.Rule;
import io.sluice.resource.HttpRouteSpec.Unsupported;
import io.sluice.resource.HttpRouteSpec.UrlRewrite;
import io.sluice.resource.HttpRouteSpec.ValueMatch;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates one HTTPRoute rule into Envoy v3 routes, one per match, in the shape {@link
 * io.sluice.route.RouteConfigReader} reads: matches become path, header and query matchers;
 * backends become {@code weighted_clusters}; filters become header mutations, rewrites, a
 * redirect or mirror policies.
 */
final class RuleTranslator {
  /** Prefix of the weighted entry standing for an invalid backend; the data plane answers 500. */
  static final String INVALID_BACKEND = ForwardAction.INVALID_BACKEND_PREFIX;

  /**
   * Where a rule is attached.
   *
   * @param listenerPort the port requests arrive on (redirects without a port keep it)
   * @param parentCluster the parent Service's cluster for this port (Linkerd's rule without
   *     backends goes there), or null for a Gateway parent
   */
  record Attachment(int listenerPort, String parentCluster) {}

  private final ServiceIndex services;

  RuleTranslator(ServiceIndex services) {
    this.services = services;
  }

  /** Why Sluice cannot implement a rule; empty when it can. */
  static List<String> problems(Rule rule) {
    List<String> out = new ArrayList<>(rule.unsupported());
    for (Filter f : rule.filters()) {
      if (f instanceof Unsupported u) {
        out.add(u.type() + " filter is not supported by Sluice");
      }
      if (f instanceof HeaderModifier h && !h.response()) {
        hostProblems(h, out);
      }
    }
    for (BackendRef b : rule.backendRefs()) {
      for (Filter f : b.filters()) {
        if (f instanceof HeaderModifier h && !h.response()) {
          hostProblems(h, out);
        }
      }
    }
    return out;
  }

  private static void hostProblems(HeaderModifier h, List<String> out) {
    for (Header a : h.add()) {
      if (a.name().equalsIgnoreCase("host")) {
        out.add("the Host header can be set, not added to");
      }
    }
    for (String r : h.remove()) {
      if (r.equalsIgnoreCase("host")) {
        out.add("the Host header cannot be removed");
      }
    }
  }

  /**
   * The Envoy routes of rule {@code ruleIndex} of {@code report}'s route at one attachment;
   * backend problems are recorded in the report.
   */
  List<RouteEntry> routes(RouteReport report, int ruleIndex, Attachment at) {
    Rule rule = report.spec.rules().get(ruleIndex);
    String ns = report.resource.key().namespace();
    List<RouteEntry> out = new ArrayList<>();
    for (int j = 0; j < rule.matches().size(); j++) {
      Match m = rule.matches().get(j);
      ObjectNode r = Json.object();
      r.put("name", report.owner() + ":rules[" + ruleIndex + "].matches[" + j + "]");
      writeMatch(r.putObject("match"), m);
      Redirect redirect = null;
      for (Filter f : rule.filters()) {
        if (f instanceof Redirect rd) {
          redirect = rd;
        }
      }
      if (redirect != null) {
        r.set("redirect", redirect(redirect, m, at));
      } else if (rule.backendRefs().isEmpty() && report.spec.linkerd() && at.parentCluster() != null) {
        ObjectNode action = forward(report, rule, ruleIndex, m, at, ns);
        r.set("route", action);
      } else if (rule.backendRefs().isEmpty()) {
        directResponse(r, 500, "no backend: rule rules[" + ruleIndex + "] of " + report.display() + " has no backendRefs\n");
      } else {
        ObjectNode action = forward(report, rule, ruleIndex, m, at, ns);
        if (action == null) {
          directResponse(r, 503, "all backends of rule rules[" + ruleIndex + "] of " + report.display() + " have weight 0\n");
        } else {
          r.set("route", action);
        }
      }
      for (Filter f : rule.filters()) {
        if (f instanceof HeaderModifier h) {
          headerMutations(r, h);
        }
      }
      out.add(new RouteEntry(
          null, r, pathRank(m.pathType()), pathLength(m), m.method() != null, m.headers().size(), m.queryParams().size(),
          report.resource.creationTimestamp(), report.owner(), ruleIndex, j));
    }
    return out;
  }

  static int pathRank(PathType t) {
    return switch (t) {
      case EXACT -> 0;
      case REGULAR_EXPRESSION -> 1;
      case PATH_PREFIX -> 2;
    };
  }

  private static int pathLength(Match m) {
    return m.pathType() == PathType.PATH_PREFIX ? stripSlash(m.path()).length() : m.path().length();
  }

  static void writeMatch(ObjectNode match, Match m) {
    switch (m.pathType()) {
      case EXACT -> match.put("path", m.path());
      case REGULAR_EXPRESSION -> match.putObject("safe_regex").put("regex", m.path());
      case PATH_PREFIX -> {
        String p = stripSlash(m.path());
        if (p.isEmpty()) {
          match.put("prefix", "/");
        } else {
          match.put("path_separated_prefix", p);
        }
      }
    }
    ArrayNode headers = Json.array();
    for (ValueMatch h : m.headers()) {
      headers.add(valueMatcher(h));
    }
    if (m.method() != null) {
      ObjectNode method = headers.addObject();
      method.put("name", ":method");
      method.putObject("string_match").put("exact", m.method());
    }
    if (!headers.isEmpty()) {
      match.set("headers", headers);
    }
    if (!m.queryParams().isEmpty()) {
      ArrayNode query = match.putArray("query_parameters");
      for (ValueMatch q : m.queryParams()) {
        query.add(valueMatcher(q));
      }
    }
  }

  private static ObjectNode valueMatcher(ValueMatch v) {
    ObjectNode o = Json.object();
    o.put("name", v.name());
    ObjectNode sm = o.putObject("string_match");
    if (v.regex()) {
      sm.putObject("safe_regex").put("regex", v.value());
    } else {
      sm.put("exact", v.value());
    }
    return o;
  }

  /**
   * The forward action, or null when every backend has weight 0. Invalid backends keep their
   * weight under an entry the data plane answers with 500.
   */
  private ObjectNode forward(RouteReport report, Rule rule, int ruleIndex, Match m, Attachment at, String ns) {
    ObjectNode action = Json.object();
    ArrayNode clusters = Json.array();
    long total = 0;
    boolean invalid = false;
    if (rule.backendRefs().isEmpty()) {
      ObjectNode e = clusters.addObject();
      e.put("name", at.parentCluster());
      e.put("weight", 1);
      total = 1;
    }
    for (BackendRef b : rule.backendRefs()) {
      ServiceIndex.Resolution res = services.resolve(b.group(), b.kind(), b.namespace(), b.name(), b.port(), ns);
      ObjectNode e = clusters.addObject();
      if (res.ok()) {
        e.put("name", res.cluster());
      } else {
        report.refProblem(res.reason(), res.message());
        e.put("name", INVALID_BACKEND + res.reason() + ":" + (b.namespace() == null ? ns : b.namespace()) + "/" + b.name() + (b.port() == null ? "" : ":" + b.port()));
        invalid = true;
      }
      e.put("weight", b.weight());
      total += b.weight();
      for (Filter f : b.filters()) {
        if (f instanceof HeaderModifier h) {
          headerMutations(e, h);
        } else if (f instanceof UrlRewrite rw && rw.hostname() != null) {
          e.put("host_rewrite_literal", rw.hostname());
        }
      }
    }
    if (total == 0) {
      return null;
    }
    action.putObject("weighted_clusters").set("clusters", clusters);
    if (invalid) {
      action.put("cluster_not_found_response_code", "INTERNAL_SERVER_ERROR");
    }
    action.put("timeout", timeout(rule.requestTimeout(), rule.backendRequestTimeout()));
    for (Filter f : rule.filters()) {
      if (f instanceof UrlRewrite rw) {
        if (rw.hostname() != null) {
          action.put("host_rewrite_literal", rw.hostname());
        }
        if (rw.path() != null) {
          pathRewrite(action, rw.path(), m);
        }
      } else if (f instanceof HeaderModifier h && !h.response() && !action.has("host_rewrite_literal")) {
        for (Header s : h.set()) {
          if (s.name().equalsIgnoreCase("host")) {
            action.put("host_rewrite_literal", s.value());
          }
        }
      }
    }
    ArrayNode mirrors = Json.array();
    for (Filter f : rule.filters()) {
      if (f instanceof Mirror mirror) {
        BackendRef b = mirror.backend();
        ServiceIndex.Resolution res = services.resolve(b.group(), b.kind(), b.namespace(), b.name(), b.port(), ns);
        if (!res.ok()) {
          report.refProblem(res.reason(), "mirror: " + res.message());
          continue;
        }
        ObjectNode p = mirrors.addObject();
        p.put("cluster", res.cluster());
        ObjectNode fraction = p.putObject("runtime_fraction").putObject("default_value");
        fraction.put("numerator", mirror.millionths());
        fraction.put("denominator", "MILLION");
        // The copy is the request as it is: no "-shadow" suffix on its host.
        p.put("disable_shadow_host_suffix_append", true);
      }
    }
    if (!mirrors.isEmpty()) {
      action.set("request_mirror_policies", mirrors);
    }
    return action;
  }

  /**
   * Timeouts: Sluice makes one attempt per request, so the route's timeout is the shorter of the
   * non-zero {@code request} and {@code backendRequest}; none (or only zeros) disables it.
   */
  static String timeout(Duration request, Duration backendRequest) {
    Duration t = Duration.ZERO;
    for (Duration d : new Duration[] {request, backendRequest}) {
      if (d != null && !d.isZero() && (t.isZero() || d.compareTo(t) < 0)) {
        t = d;
      }
    }
    return envoyDuration(t);
  }

  static String envoyDuration(Duration d) {
    return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString() + "s";
  }

  /**
   * The Gateway API's ReplacePrefixMatch: with P the matched prefix and R the replacement, each
   * without a trailing {@code /}, the path becomes R followed by what came after P, or {@code /}
   * when that is empty. An Envoy prefix rewrite does exactly this when both are non-empty (Envoy
   * replaces the {@code path_separated_prefix} P by R); the other cases need a regex.
   */
  private static void pathRewrite(ObjectNode action, PathModifier path, Match m) {
    if (path.fullPath()) {
      ObjectNode rr = action.putObject("regex_rewrite");
      rr.putObject("pattern").put("regex", "^.*$");
      rr.put("substitution", path.value().replace("\\", "\\\\"));
      return;
    }
    replacePrefix(action, stripSlash(path.value()), stripSlash(m.path()));
  }

  private static void replacePrefix(ObjectNode target, String r, String p) {
    if (!r.isEmpty() && !p.isEmpty()) {
      target.put("prefix_rewrite", r);
    } else if (!r.isEmpty()) {
      ObjectNode rr = target.putObject("regex_rewrite");
      rr.putObject("pattern").put("regex", "^(.*)$");
      rr.put("substitution", r.replace("\\", "\\\\") + "\\1");
    } else {
      ObjectNode rr = target.putObject("regex_rewrite");
      rr.putObject("pattern").put("regex", "^" + quote(p) + "/*");
      rr.put("substitution", "/");
    }
  }

  /**
   * The redirect. Port: the filter's, else the scheme's well-known port when the filter sets a
   * scheme, else the listener's; a port that is the scheme's own (http 80, https 443) is left out
   * when the Location's host is known, and kept otherwise so that it replaces the port the request
   * came to (unless that is the well-known port of the request's scheme, which Envoy drops).
   */
  private static ObjectNode redirect(Redirect rd, Match m, Attachment at) {
    ObjectNode o = Json.object();
    String scheme = rd.scheme() != null ? rd.scheme() : "http";
    int port = rd.port() != null ? rd.port() : rd.scheme() != null ? wellKnown(rd.scheme()) : at.listenerPort();
    boolean standard = port == wellKnown(scheme);
    if (rd.scheme() != null) {
      o.put("scheme_redirect", rd.scheme());
    }
    if (rd.hostname() != null) {
      o.put("host_redirect", rd.hostname());
      if (!standard) {
        o.put("port_redirect", port);
      }
    } else if (!(standard && at.listenerPort() == 80)) {
      o.put("port_redirect", port);
    }
    if (rd.path() != null) {
      if (rd.path().fullPath()) {
        o.put("path_redirect", rd.path().value());
      } else {
        replacePrefix(o, stripSlash(rd.path().value()), stripSlash(m.path()));
      }
    }
    o.put("response_code", switch (rd.statusCode()) {
      case 301 -> "MOVED_PERMANENTLY";
      case 303 -> "SEE_OTHER";
      case 307 -> "TEMPORARY_REDIRECT";
      case 308 -> "PERMANENT_REDIRECT";
      default -> "FOUND";
    });
    return o;
  }

  private static int wellKnown(String scheme) {
    return scheme.equals("https") ? 443 : 80;
  }

  private static void directResponse(ObjectNode r, int status, String body) {
    ObjectNode d = r.putObject("direct_response");
    d.put("status", status);
    d.putObject("body").put("inline_string", body);
  }

  /** A header modifier as Envoy's header lists ({@code %} escaped: Envoy formats header values). */
  private static void headerMutations(ObjectNode target, HeaderModifier h) {
    String side = h.response() ? "response" : "request";
    ArrayNode add = Json.array();
    for (Header s : h.set()) {
      if (!h.response() && s.name().equalsIgnoreCase("host")) {
        continue;
      }
      add.add(option(s, "OVERWRITE_IF_EXISTS_OR_ADD"));
    }
    for (Header a : h.add()) {
      add.add(option(a, "APPEND_IF_EXISTS_OR_ADD"));
    }
    if (!add.isEmpty()) {
      target.set(side + "_headers_to_add", add);
    }
    if (!h.remove().isEmpty()) {
      ArrayNode remove = target.putArray(side + "_headers_to_remove");
      h.remove().forEach(remove::add);
    }
  }

  private static ObjectNode option(Header h, String action) {
    ObjectNode o = Json.object();
    ObjectNode header = o.putObject("header");
    header.put("key", h.name());
    header.put("value", h.value().replace("%", "%%"));
    o.put("append_action", action);
    return o;
  }

  static String stripSlash(String p) {
    String s = p;
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /** Escapes the characters RE2 treats specially. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
