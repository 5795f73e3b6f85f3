package io.sluice.resource;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * The validated {@code spec} of an HTTPRoute, Gateway API's or Linkerd's, with every default
 * applied (a rule without matches has {@code PathPrefix /}, a backend without weight has 1).
 *
 * @param linkerd whether it is a {@code policy.linkerd.io} route (a rule without backends goes to
 *     the parent Service)
 */
record HttpRouteSpec(boolean linkerd, List<ParentRef> parentRefs, List<String> hostnames, List<Rule> rules) {
  HttpRouteSpec {
    parentRefs = List.copyOf(parentRefs);
    hostnames = List.copyOf(hostnames);
    rules = List.copyOf(rules);
  }

  /** A parent: a Gateway (or one of its listeners) or a Service (mesh). {@code asWritten} is echoed in status. */
  record ParentRef(String group, String kind, String namespace, String name, String sectionName, Integer port, JsonNode asWritten) {
    /** Whether it names a core-group Service ({@code group: ""} or Linkerd's {@code core}). */
    boolean isService() {
      return isCoreGroup(group) && kind.equalsIgnoreCase("Service");
    }

    boolean isGateway() {
      return group.equals("gateway.networking.k8s.io") && kind.equals("Gateway");
    }
  }

  /** Whether a group names the core group: {@code ""} or, as Linkerd accepts, {@code core}. */
  static boolean isCoreGroup(String group) {
    return group == null || group.isEmpty() || group.equalsIgnoreCase("core");
  }

  /**
   * One rule. {@code unsupported} lists what Sluice cannot implement in it (a CORS filter, a
   * header changed twice); such a rule is dropped and the route's status says why. {@code retry}
   * tells that the rule asks for retries, which Sluice does not make (a warning).
   */
  record Rule(
      String name,
      List<Match> matches,
      List<Filter> filters,
      List<BackendRef> backendRefs,
      Duration requestTimeout,
      Duration backendRequestTimeout,
      boolean retry,
      List<String> unsupported) {
    Rule {
      matches = List.copyOf(matches);
      filters = List.copyOf(filters);
      backendRefs = List.copyOf(backendRefs);
      unsupported = List.copyOf(unsupported);
    }
  }

  /** Path type of a match. */
  enum PathType {
    EXACT,
    PATH_PREFIX,
    REGULAR_EXPRESSION
  }

  /** One match: all present conditions must hold. */
  record Match(PathType pathType, String path, List<ValueMatch> headers, List<ValueMatch> queryParams, String method) {
    Match {
      headers = List.copyOf(headers);
      queryParams = List.copyOf(queryParams);
    }
  }

  /** A header or query parameter condition (the first of equivalent names only). */
  record ValueMatch(String name, boolean regex, String value) {}

  /** A header to set or add. */
  record Header(String name, String value) {}

  /** A filter of a rule or of a backend. */
  sealed interface Filter permits HeaderModifier, Redirect, UrlRewrite, Mirror, Unsupported {}

  /** {@code RequestHeaderModifier} ({@code response} false) or {@code ResponseHeaderModifier}. */
  record HeaderModifier(boolean response, List<Header> set, List<Header> add, List<String> remove) implements Filter {
    HeaderModifier {
      set = List.copyOf(set);
      add = List.copyOf(add);
      remove = List.copyOf(remove);
    }
  }

  /** A path change of a redirect or rewrite: the whole path, or the matched prefix. */
  record PathModifier(boolean fullPath, String value) {}

  /** {@code RequestRedirect}; null fields keep the request's value. */
  record Redirect(String scheme, String hostname, PathModifier path, Integer port, int statusCode) implements Filter {}

  /** {@code URLRewrite}; null fields keep the request's value. */
  record UrlRewrite(String hostname, PathModifier path) implements Filter {}

  /** {@code RequestMirror} of a share of requests, in millionths. */
  record Mirror(BackendRef backend, long millionths) implements Filter {}

  /** A filter Sluice does not implement ({@code CORS}, {@code ExtensionRef}). */
  record Unsupported(String type) implements Filter {}

  /** A backend: a Service port (or an invalid reference), its weight and its own filters. */
  record BackendRef(String group, String kind, String namespace, String name, Integer port, long weight, List<Filter> filters) {
    BackendRef {
      filters = List.copyOf(filters);
    }

  }
}
