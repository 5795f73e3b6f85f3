package io.sluice.resource;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.sluice.resource.HttpRouteSpec.BackendRef;
import io.sluice.resource.HttpRouteSpec.Filter;
import io.sluice.resource.HttpRouteSpec.Header;
import io.sluice.resource.HttpRouteSpec.HeaderModifier;
import io.sluice.resource.HttpRouteSpec.Match;
import io.sluice.resource.HttpRouteSpec.Mirror;
import io.sluice.resource.HttpRouteSpec.ParentRef;
import io.sluice.resource.HttpRouteSpec.PathModifier;
import io.sluice.resource.HttpRouteSpec.PathType;
import io.sluice.resource.HttpRouteSpec.Redirect;
import io.sluice.resource.HttpRouteSpec.Rule;
import io.sluice.resource.HttpRouteSpec.Unsupported;
import io.sluice.resource.HttpRouteSpec.UrlRewrite;
import io.sluice.resource.HttpRouteSpec.ValueMatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Objects;

/**
 * Reads and validates the {@code spec} of an HTTPRoute: the Gateway API's ({@code
 * gateway.networking.k8s.io}) or Linkerd's ({@code policy.linkerd.io}, which has fewer filters,
 * backends only from v1beta2 and timeouts only from v1beta3). Checks the CRD schema (types,
 * limits, enums, patterns) and its CEL rules, with the CRD's messages.
 */
final class HttpRouteReader {
  static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
  private static final String LINKERD_GROUP = "policy.linkerd.io";
  private static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
  private static final List<String> GATEWAY_FILTERS =
      List.of("RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "RequestRedirect", "URLRewrite", "ExtensionRef", "CORS");
  private static final List<String> LINKERD_FILTERS =
      List.of("RequestHeaderModifier", "ResponseHeaderModifier", "RequestRedirect");
  /** The config field of each filter type, for the union rules. */
  private static final Map<String, String> FILTER_FIELDS = new LinkedHashMap<>();

  static {
    FILTER_FIELDS.put("CORS", "cors");
    FILTER_FIELDS.put("RequestHeaderModifier", "requestHeaderModifier");
    FILTER_FIELDS.put("ResponseHeaderModifier", "responseHeaderModifier");
    FILTER_FIELDS.put("RequestMirror", "requestMirror");
    FILTER_FIELDS.put("RequestRedirect", "requestRedirect");
    FILTER_FIELDS.put("URLRewrite", "urlRewrite");
    FILTER_FIELDS.put("ExtensionRef", "extensionRef");
  }

  private final boolean linkerd;
  private final boolean backendsAllowed;
  private final boolean timeoutsAllowed;
  private final FieldErrors errors;

  private HttpRouteReader(boolean linkerd, String version, FieldErrors errors) {
    this.linkerd = linkerd;
    this.backendsAllowed = !linkerd || version.equals("v1beta2") || version.equals("v1beta3");
    this.timeoutsAllowed = !linkerd || version.equals("v1beta3");
    this.errors = errors;
  }

  /**
   * Reads {@code spec}; errors go to the reader's {@link FieldErrors}.
   *
   * @param linkerd whether the route is {@code policy.linkerd.io}
   * @param version the apiVersion's version part
   */
  static HttpRouteSpec read(FieldReader spec, boolean linkerd, String version) {
    return new HttpRouteReader(linkerd, version, spec.errors()).readSpec(spec);
  }

  private HttpRouteSpec readSpec(FieldReader spec) {
    List<ParentRef> parents = new ArrayList<>();
    for (FieldReader p : spec.objects("parentRefs", 32)) {
      if (p != null) {
        parents.add(readParentRef(p));
      }
    }
    checkParentRefs(spec, parents);
    List<String> hostnames = spec.strings("hostnames", 16);
    for (int i = 0; i < hostnames.size(); i++) {
      ApiFormats.hostname(errors, spec.pathOf("hostnames") + "[" + i + "]", hostnames.get(i));
    }
    List<Rule> rules = new ArrayList<>();
    if (!spec.has("rules")) {
      spec.raw("rules");
      rules.add(new Rule(null, List.of(defaultMatch()), List.of(), List.of(), null, null, false, List.of()));
    } else {
      List<FieldReader> rs = spec.objects("rules", 16);
      if (rs.isEmpty()) {
        spec.error("rules", "must have at least 1 item");
      }
      for (FieldReader r : rs) {
        if (r != null) {
          rules.add(readRule(r));
        }
      }
    }
    Set<String> names = new HashSet<>();
    int totalMatches = 0;
    for (Rule r : rules) {
      if (r.name() != null && !names.add(r.name())) {
        spec.error("rules", "Rule name must be unique within the route");
      }
      totalMatches += r.matches().size();
    }
    if (totalMatches > 128) {
      spec.error(
          "rules",
          "While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128");
    }
    spec.finish();
    return new HttpRouteSpec(linkerd, parents, hostnames, rules);
  }

  private ParentRef readParentRef(FieldReader p) {
    String group = p.string("group");
    String kind = p.string("kind");
    if (kind == null) {
      kind = "Gateway";
    } else {
      ApiFormats.kind(errors, p.pathOf("kind"), kind);
    }
    if (group == null) {
      // Linkerd's controller reads an unset group of a Service parent as the core group.
      group = !linkerd ? GATEWAY_GROUP : kind.equalsIgnoreCase("Service") ? "" : LINKERD_GROUP;
    } else {
      ApiFormats.group(errors, p.pathOf("group"), group);
    }
    String namespace = p.string("namespace");
    if (namespace != null) {
      ApiFormats.namespace(errors, p.pathOf("namespace"), namespace);
    }
    String name = p.requiredString("name");
    if (name != null) {
      ApiFormats.refName(errors, p.pathOf("name"), name);
    }
    String section = p.string("sectionName");
    if (section != null) {
      ApiFormats.sectionName(errors, p.pathOf("sectionName"), section);
    }
    Long port = p.integer("port", 1, 65535);
    p.finish();
    // The parent as the API server would echo it in status: with its defaults filled in.
    com.fasterxml.jackson.databind.node.ObjectNode echo = Json.object();
    echo.put("group", group);
    echo.put("kind", kind);
    if (namespace != null) {
      echo.put("namespace", namespace);
    }
    echo.put("name", name == null ? "" : name);
    if (section != null) {
      echo.put("sectionName", section);
    }
    if (port != null) {
      echo.put("port", port.intValue());
    }
    return new ParentRef(group, kind, namespace, name == null ? "" : name, section, port == null ? null : port.intValue(), echo);
  }

  /** The CEL rules on parentRefs that refer to the same parent more than once. */
  private void checkParentRefs(FieldReader spec, List<ParentRef> parents) {
    boolean presence = true;
    boolean unique = true;
    for (int i = 0; i < parents.size(); i++) {
      for (int j = i + 1; j < parents.size(); j++) {
        ParentRef a = parents.get(i);
        ParentRef b = parents.get(j);
        boolean same =
            a.group().equals(b.group()) && a.kind().equals(b.kind()) && a.name().equals(b.name())
                && nullToEmpty(a.namespace()).equals(nullToEmpty(b.namespace()));
        if (!same) {
          continue;
        }
        boolean aSection = a.sectionName() != null && !a.sectionName().isEmpty();
        boolean bSection = b.sectionName() != null && !b.sectionName().isEmpty();
        boolean aPort = a.port() != null;
        boolean bPort = b.port() != null;
        if (aSection != bSection || aPort != bPort) {
          presence = false;
        }
        if (nullToEmpty(a.sectionName()).equals(nullToEmpty(b.sectionName())) && Objects.equals(a.port(), b.port())) {
          unique = false;
        }
      }
    }
    if (!presence) {
      spec.error("parentRefs", "sectionName or port must be specified when parentRefs includes 2 or more references to the same parent");
    }
    if (!unique) {
      spec.error("parentRefs", "sectionName or port must be unique when parentRefs includes 2 or more references to the same parent");
    }
  }

  private Rule readRule(FieldReader r) {
    String name = null;
    if (!linkerd) {
      name = r.string("name");
      if (name != null) {
        ApiFormats.sectionName(errors, r.pathOf("name"), name);
      }
    }
    List<Match> matches = new ArrayList<>();
    List<FieldReader> ms = r.objects("matches", 64);
    for (FieldReader m : ms) {
      if (m != null) {
        matches.add(readMatch(m));
      }
    }
    if (ms.isEmpty()) {
      matches.add(defaultMatch());
    }
    List<String> unsupported = new ArrayList<>();
    List<Filter> filters = readFilters(r, "filters", unsupported);
    List<BackendRef> backends = new ArrayList<>();
    if (backendsAllowed) {
      for (FieldReader b : r.objects("backendRefs", 16)) {
        if (b != null) {
          backends.add(readBackendRef(b, true, unsupported));
        }
      }
    }
    Duration request = null;
    Duration backendRequest = null;
    if (timeoutsAllowed) {
      FieldReader t = r.object("timeouts");
      if (t != null) {
        request = duration(t, "request");
        backendRequest = duration(t, "backendRequest");
        t.finish();
        if (request != null && backendRequest != null && !request.isZero() && backendRequest.compareTo(request) > 0) {
          r.error("timeouts", "backendRequest timeout cannot be longer than request timeout");
        }
      }
    }
    boolean retried = false;
    if (!linkerd) {
      FieldReader retry = r.object("retry");
      retried = retry != null;
      if (retry != null) {
        retry.integers("codes", 400, 599);
        retry.integer("attempts", 0, Integer.MAX_VALUE);
        String backoff = retry.string("backoff");
        if (backoff != null) {
          ApiFormats.gatewayDuration(errors, retry.pathOf("backoff"), backoff);
        }
        retry.finish();
      }
      r.skip("sessionPersistence");
    }
    checkRuleCel(r, matches, filters, backends);
    r.finish();
    return new Rule(name, matches, filters, backends, request, backendRequest, retried, unsupported);
  }

  private Duration duration(FieldReader t, String field) {
    String s = t.string(field);
    if (s == null) {
      return null;
    }
    return linkerd ? ApiFormats.goDuration(errors, t.pathOf(field), s) : ApiFormats.gatewayDuration(errors, t.pathOf(field), s);
  }

  private void checkRuleCel(FieldReader r, List<Match> matches, List<Filter> filters, List<BackendRef> backends) {
    boolean redirect = filters.stream().anyMatch(f -> f instanceof Redirect);
    if (!backends.isEmpty() && redirect) {
      r.error(null, "RequestRedirect filter must not be used together with backendRefs");
    }
    boolean onePrefix = matches.size() == 1 && matches.get(0).pathType() == PathType.PATH_PREFIX;
    if (!onePrefix) {
      for (Filter f : filters) {
        if (f instanceof Redirect rd && rd.path() != null && !rd.path().fullPath()) {
          r.error(null, "When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified");
        }
        if (f instanceof UrlRewrite rw && rw.path() != null && !rw.path().fullPath()) {
          r.error(null, "When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified");
        }
      }
      for (BackendRef b : backends) {
        for (Filter f : b.filters()) {
          if (f instanceof Redirect rd && rd.path() != null && !rd.path().fullPath()) {
            r.error(null, "Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified");
          }
          if (f instanceof UrlRewrite rw && rw.path() != null && !rw.path().fullPath()) {
            r.error(null, "Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified");
          }
        }
      }
    }
  }

  private static Match defaultMatch() {
    return new Match(PathType.PATH_PREFIX, "/", List.of(), List.of(), null);
  }

  private Match readMatch(FieldReader m) {
    PathType type = PathType.PATH_PREFIX;
    String value = "/";
    FieldReader p = m.object("path");
    if (p != null) {
      String t = p.string("type");
      if (t != null) {
        switch (t) {
          case "Exact" -> type = PathType.EXACT;
          case "PathPrefix" -> type = PathType.PATH_PREFIX;
          case "RegularExpression" -> type = PathType.REGULAR_EXPRESSION;
          default -> p.error("type", "type must be one of ['Exact', 'PathPrefix', 'RegularExpression'], got \"" + t + "\"");
        }
      }
      String v = p.string("value");
      if (v != null) {
        value = v;
      }
      if (value.length() > 1024) {
        p.error("value", "must be at most 1024 characters, got " + value.length());
      } else if (type == PathType.REGULAR_EXPRESSION) {
        regex(p, "value", value);
      } else {
        ApiFormats.matchPath(errors, p.pathOf("value"), value);
      }
      p.finish();
    }
    List<ValueMatch> headers = valueMatches(m, "headers", 4096, true);
    List<ValueMatch> query = valueMatches(m, "queryParams", 1024, false);
    String method = m.string("method");
    if (method != null && !METHODS.contains(method)) {
      m.error("method", unsupportedValue(method, METHODS));
      method = null;
    }
    m.finish();
    return new Match(type, value, headers, query, method);
  }

  /**
   * Header or query parameter conditions. Byte-identical names are rejected (the list is a map
   * keyed by name); of names equal but for case, headers keep the first (names are
   * case-insensitive), query parameters keep all (names are case-sensitive).
   */
  private List<ValueMatch> valueMatches(FieldReader m, String field, int maxValue, boolean caseInsensitive) {
    List<ValueMatch> out = new ArrayList<>();
    Set<String> exact = new HashSet<>();
    Set<String> folded = new HashSet<>();
    List<FieldReader> items = m.objects(field, 16);
    for (FieldReader h : items) {
      if (h == null) {
        continue;
      }
      String t = h.string("type");
      boolean regex = false;
      if (t != null) {
        if (t.equals("RegularExpression")) {
          regex = true;
        } else if (!t.equals("Exact")) {
          h.error("type", unsupportedValue(t, List.of("Exact", "RegularExpression")));
        }
      }
      String name = h.requiredString("name");
      if (name != null) {
        ApiFormats.headerName(errors, h.pathOf("name"), name);
      }
      String value = h.requiredString("value");
      if (value != null) {
        if (value.length() > maxValue) {
          h.error("value", "must be at most " + maxValue + " characters, got " + value.length());
        } else if (regex) {
          regex(h, "value", value);
        }
      }
      h.finish();
      if (name == null || value == null) {
        continue;
      }
      if (!exact.add(name)) {
        h.error("name", "Duplicate value: \"" + name + "\"");
        continue;
      }
      String key = caseInsensitive ? name.toLowerCase(Locale.ROOT) : name;
      if (folded.add(key)) {
        out.add(new ValueMatch(name, regex, value));
      }
    }
    return out;
  }

  private void regex(FieldReader r, String field, String value) {
    try {
      Pattern.compile(value);
    } catch (PatternSyntaxException e) {
      r.error(field, "invalid regular expression \"" + value + "\": " + e.getDescription() + " (RE2 syntax)");
    }
  }

  private List<Filter> readFilters(FieldReader owner, String field, List<String> unsupported) {
    List<Filter> out = new ArrayList<>();
    Map<String, Integer> counts = new HashMap<>();
    for (FieldReader f : owner.objects(field, 16)) {
      if (f == null) {
        continue;
      }
      Filter filter = readFilter(f, unsupported);
      String type = f.string("type");
      if (type != null) {
        counts.merge(type, 1, Integer::sum);
      }
      if (filter != null) {
        out.add(filter);
      }
    }
    if (counts.containsKey("RequestRedirect") && counts.containsKey("URLRewrite")) {
      owner.error(field, "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both");
    }
    for (String once : List.of("CORS", "RequestHeaderModifier", "ResponseHeaderModifier", "RequestRedirect", "URLRewrite")) {
      if (counts.getOrDefault(once, 0) > 1) {
        owner.error(field, once + " filter cannot be repeated");
      }
    }
    return out;
  }

  private Filter readFilter(FieldReader f, List<String> unsupported) {
    List<String> allowed = linkerd ? LINKERD_FILTERS : GATEWAY_FILTERS;
    boolean typeGiven = f.has("type");
    String type = f.string("type");
    if (!typeGiven) {
      f.error("type", "required");
    } else if (type != null && !allowed.contains(type)) {
      f.error("type", unsupportedValue(type, allowed));
      type = null;
    }
    // The union: each config field only with its own type, and its own type needs it.
    for (Map.Entry<String, String> e : FILTER_FIELDS.entrySet()) {
      String t = e.getKey();
      String cfg = e.getValue();
      if (!allowed.contains(t)) {
        continue;
      }
      if (f.has(cfg) && type != null && !type.equals(t)) {
        f.error(cfg, "filter." + cfg + " must be nil if the filter.type is not " + t);
      }
      if (!f.has(cfg) && t.equals(type)) {
        f.error(null, "filter." + cfg + " must be specified for " + t + " filter.type");
      }
    }
    Filter out = null;
    if (type != null) {
      String cfg = FILTER_FIELDS.get(type);
      FieldReader c = f.object(cfg);
      if (c != null) {
        out = switch (type) {
          case "RequestHeaderModifier" -> readHeaderModifier(c, false, unsupported);
          case "ResponseHeaderModifier" -> readHeaderModifier(c, true, unsupported);
          case "RequestRedirect" -> readRedirect(c);
          case "URLRewrite" -> readRewrite(c);
          case "RequestMirror" -> readMirror(c);
          case "ExtensionRef" -> readExtensionRef(c);
          default -> {
            c.skip("allowOrigins", "allowCredentials", "allowMethods", "allowHeaders", "exposeHeaders", "maxAge");
            c.finish();
            yield new Unsupported(type);
          }
        };
      }
    }
    // Config fields of the other types were reported above; mark them read.
    for (String cfg : FILTER_FIELDS.values()) {
      f.skip(cfg);
    }
    f.finish();
    return out;
  }

  private Filter readHeaderModifier(FieldReader c, boolean response, List<String> unsupported) {
    List<Header> set = headers(c, "set");
    List<Header> add = headers(c, "add");
    List<String> remove = c.strings("remove", 16);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < remove.size(); i++) {
      ApiFormats.headerName(errors, c.pathOf("remove") + "[" + i + "]", remove.get(i));
      if (!seen.add(remove.get(i))) {
        errors.error(c.pathOf("remove") + "[" + i + "]", "Duplicate value: \"" + remove.get(i) + "\"");
      }
    }
    c.finish();
    // "Only one action for a given header name is permitted": names are case-insensitive, and
    // within one list the first of equivalent names wins.
    Map<String, String> action = new HashMap<>();
    List<Header> setOut = firstOfEach(set);
    List<Header> addOut = firstOfEach(add);
    List<String> removeOut = new ArrayList<>();
    for (Header h : setOut) {
      action.put(h.name().toLowerCase(Locale.ROOT), "set");
    }
    for (Header h : addOut) {
      if (action.putIfAbsent(h.name().toLowerCase(Locale.ROOT), "add") != null) {
        unsupported.add("header " + h.name() + " is changed by more than one action of " + kind(response));
      }
    }
    Set<String> removed = new HashSet<>();
    for (String r : remove) {
      String key = r.toLowerCase(Locale.ROOT);
      if (!removed.add(key)) {
        continue;
      }
      if (action.containsKey(key)) {
        unsupported.add("header " + r + " is changed by more than one action of " + kind(response));
      }
      removeOut.add(r);
    }
    return new HeaderModifier(response, setOut, addOut, removeOut);
  }

  private static String kind(boolean response) {
    return response ? "ResponseHeaderModifier" : "RequestHeaderModifier";
  }

  private static List<Header> firstOfEach(List<Header> headers) {
    List<Header> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Header h : headers) {
      if (seen.add(h.name().toLowerCase(Locale.ROOT))) {
        out.add(h);
      }
    }
    return out;
  }

  private List<Header> headers(FieldReader c, String field) {
    List<Header> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (FieldReader h : c.objects(field, 16)) {
      if (h == null) {
        continue;
      }
      String name = h.requiredString("name");
      if (name != null) {
        ApiFormats.headerName(errors, h.pathOf("name"), name);
      }
      String value = h.requiredString("value");
      if (value != null && value.length() > 4096) {
        h.error("value", "must be at most 4096 characters, got " + value.length());
      }
      h.finish();
      if (name != null && !names.add(name)) {
        h.error("name", "Duplicate value: \"" + name + "\"");
        continue;
      }
      if (name != null && value != null) {
        out.add(new Header(name, value));
      }
    }
    return out;
  }

  private Filter readRedirect(FieldReader c) {
    String scheme = c.string("scheme");
    if (scheme != null && !scheme.equals("http") && !scheme.equals("https")) {
      c.error("scheme", unsupportedValue(scheme, List.of("http", "https")));
      scheme = null;
    }
    String hostname = c.string("hostname");
    if (hostname != null) {
      ApiFormats.preciseHostname(errors, c.pathOf("hostname"), hostname);
    }
    PathModifier path = pathModifier(c);
    Long port = c.integer("port", 1, 65535);
    Long code = 302L;
    if (c.has("statusCode")) {
      code = c.integer("statusCode", Long.MIN_VALUE, Long.MAX_VALUE);
      if (code != null && !List.of(301L, 302L, 303L, 307L, 308L).contains(code)) {
        c.error("statusCode", "unsupported value " + code + ": must be one of 301, 302, 303, 307, 308");
        code = 302L;
      }
    }
    c.finish();
    return new Redirect(scheme, hostname, path, port == null ? null : port.intValue(), code == null ? 302 : code.intValue());
  }

  private Filter readRewrite(FieldReader c) {
    String hostname = c.string("hostname");
    if (hostname != null) {
      ApiFormats.preciseHostname(errors, c.pathOf("hostname"), hostname);
    }
    PathModifier path = pathModifier(c);
    c.finish();
    return new UrlRewrite(hostname, path);
  }

  private PathModifier pathModifier(FieldReader c) {
    FieldReader p = c.object("path");
    if (p == null) {
      return null;
    }
    boolean typeGiven = p.has("type");
    String type = p.string("type");
    String full = p.string("replaceFullPath");
    String prefix = p.string("replacePrefixMatch");
    PathModifier out = null;
    if (!typeGiven) {
      p.error("type", "required");
    } else if (type != null && !type.equals("ReplaceFullPath") && !type.equals("ReplacePrefixMatch")) {
      p.error("type", unsupportedValue(type, List.of("ReplaceFullPath", "ReplacePrefixMatch")));
    }
    if (full != null && full.length() > 1024) {
      p.error("replaceFullPath", "must be at most 1024 characters, got " + full.length());
    }
    if (prefix != null && prefix.length() > 1024) {
      p.error("replacePrefixMatch", "must be at most 1024 characters, got " + prefix.length());
    }
    if ("ReplaceFullPath".equals(type) && full == null) {
      p.error(null, "replaceFullPath must be specified when type is set to 'ReplaceFullPath'");
    }
    if (full != null && !"ReplaceFullPath".equals(type)) {
      p.error(null, "type must be 'ReplaceFullPath' when replaceFullPath is set");
    }
    if ("ReplacePrefixMatch".equals(type) && prefix == null) {
      p.error(null, "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'");
    }
    if (prefix != null && !"ReplacePrefixMatch".equals(type)) {
      p.error(null, "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set");
    }
    if ("ReplaceFullPath".equals(type) && full != null) {
      out = new PathModifier(true, full);
    } else if ("ReplacePrefixMatch".equals(type) && prefix != null) {
      out = new PathModifier(false, prefix);
    }
    p.finish();
    return out;
  }

  private Filter readMirror(FieldReader c) {
    FieldReader b = c.object("backendRef");
    BackendRef backend = null;
    if (b == null) {
      if (!c.has("backendRef")) {
        c.error("backendRef", "required");
      }
    } else {
      backend = readBackendRef(b, false, new ArrayList<>());
    }
    Long percent = c.integer("percent", 0, 100);
    long millionths = 1_000_000;
    if (percent != null) {
      millionths = percent * 10_000;
    }
    FieldReader f = c.object("fraction");
    if (f != null) {
      boolean given = f.has("numerator");
      Long num = f.integer("numerator", 0, Integer.MAX_VALUE);
      Long den = f.integer("denominator", 1, Integer.MAX_VALUE);
      if (!given) {
        f.error("numerator", "required");
      }
      long d = den == null ? 100 : den;
      if (num != null && num > d) {
        f.error(null, "numerator must be less than or equal to denominator");
      } else if (num != null) {
        // n/d in millionths, rounded to nearest: the share Envoy's FractionalPercent can express.
        millionths = (num * 1_000_000 + d / 2) / d;
      }
      f.finish();
    }
    if (c.has("percent") && c.has("fraction")) {
      c.error(null, "Only one of percent or fraction may be specified in HTTPRequestMirrorFilter");
    }
    c.finish();
    return backend == null ? null : new Mirror(backend, millionths);
  }

  private Filter readExtensionRef(FieldReader c) {
    String group = c.string("group");
    if (group != null) {
      ApiFormats.group(errors, c.pathOf("group"), group);
    }
    String kind = c.requiredString("kind");
    if (kind != null) {
      ApiFormats.kind(errors, c.pathOf("kind"), kind);
    }
    String name = c.requiredString("name");
    if (name != null) {
      ApiFormats.refName(errors, c.pathOf("name"), name);
    }
    c.finish();
    return new Unsupported("ExtensionRef");
  }

  /**
   * A backend reference. {@code http} is true for an {@code HTTPBackendRef} (weight and filters),
   * false for a mirror's {@code BackendObjectReference}.
   */
  private BackendRef readBackendRef(FieldReader b, boolean http, List<String> unsupported) {
    String group = b.string("group");
    if (group == null) {
      group = "";
    } else {
      ApiFormats.group(errors, b.pathOf("group"), group);
    }
    String kind = b.string("kind");
    if (kind == null) {
      kind = "Service";
    } else {
      ApiFormats.kind(errors, b.pathOf("kind"), kind);
    }
    String name = b.requiredString("name");
    if (name != null) {
      ApiFormats.refName(errors, b.pathOf("name"), name);
    }
    String namespace = b.string("namespace");
    if (namespace != null) {
      ApiFormats.namespace(errors, b.pathOf("namespace"), namespace);
    }
    Long port = b.integer("port", 1, 65535);
    if (!b.has("port") && group.isEmpty() && kind.equals("Service") && !linkerd) {
      b.error(null, "Must have port for Service reference");
    }
    long weight = 1;
    List<Filter> filters = List.of();
    if (http) {
      Long w = b.integer("weight", 0, 1_000_000);
      if (w != null) {
        weight = w;
      }
      filters = readFilters(b, "filters", unsupported);
      for (Filter f : filters) {
        if (!(f instanceof HeaderModifier) && !(f instanceof UrlRewrite rw && rw.path() == null)) {
          unsupported.add(describe(f) + " filter on a backend (backendRefs " + (name == null ? "" : name) + ")");
        }
      }
    }
    b.finish();
    return new BackendRef(group, kind, namespace, name == null ? "" : name, port == null ? null : port.intValue(), weight, filters);
  }

  private static String describe(Filter f) {
    if (f instanceof HeaderModifier h) {
      return h.response() ? "ResponseHeaderModifier" : "RequestHeaderModifier";
    } else if (f instanceof Redirect) {
      return "RequestRedirect";
    } else if (f instanceof UrlRewrite) {
      return "URLRewrite with a path";
    } else if (f instanceof Mirror) {
      return "RequestMirror";
    }
    return ((Unsupported) f).type();
  }

  static String unsupportedValue(String value, List<String> allowed) {
    return "unsupported value \"" + value + "\": must be one of " + String.join(", ", allowed.stream().map(a -> "\"" + a + "\"").toList());
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
