package io.sluice.route;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.runtime.Runtime;
import java.util.List;

/**
 * One compiled route of a virtual host. Its possible outcomes are built once, when the table is
 * compiled: one {@link RouteResult} per weighted cluster (or a single one), so routing a request
 * allocates nothing.
 */
public final class Route {
  private final RouteSpec spec;
  private final VirtualHost virtualHost;
  private final int index;
  private final List<MirrorPolicy> mirrorPolicies;
  private final RouteResult result;
  private final RouteResult[] weightedResults;

  Route(RouteSpec spec, VirtualHost virtualHost, int index, HeaderLevels levels) {
    this.spec = spec;
    this.virtualHost = virtualHost;
    this.index = index;
    HeaderMutations[] requestChain =
        levels.chain(spec.requestHeaders(), virtualHost.requestHeaders(), levels.request());
    HeaderMutations[] responseChain =
        levels.chain(spec.responseHeaders(), virtualHost.responseHeaders(), levels.response());
    ForwardAction forward = spec.forward();
    this.mirrorPolicies =
        forward != null && !forward.mirrorPolicies().isEmpty() ? forward.mirrorPolicies() : virtualHost.mirrorPolicies();
    if (forward != null && forward.weighted() != null) {
      var entries = forward.weighted().entries();
      this.weightedResults = new RouteResult[entries.size()];
      for (int i = 0; i < entries.size(); i++) {
        weightedResults[i] = RouteResult.forward(this, entries.get(i), requestChain, responseChain);
      }
      this.result = null;
    } else {
      this.weightedResults = null;
      if (forward != null) {
        this.result = RouteResult.forward(this, null, requestChain, responseChain);
      } else if (spec.redirect() != null) {
        this.result = RouteResult.redirect(this, spec.redirect(), responseChain);
      } else {
        this.result = RouteResult.directResponse(this, spec.directResponse(), responseChain);
      }
    }
  }

  /**
   * The outcome for this request when the route matches, else null. A weighted route whose runtime
   * weights sum to 0 does not match, and routing goes on to the next route, as in Envoy.
   */
  RouteResult select(RouteRequest request, long randomValue, Runtime runtime) {
    if (!spec.match().matches(request, randomValue, runtime)) {
      return null;
    }
    if (weightedResults == null) {
      return result;
    }
    int i = spec.forward().weighted().pick(request, randomValue, runtime);
    return i < 0 ? null : weightedResults[i];
  }

  /** The route's name ({@code ""} when unnamed). */
  public String name() {
    return spec.name();
  }

  /** The position of the route in its virtual host. */
  public int index() {
    return index;
  }

  /** The virtual host holding this route. */
  public VirtualHost virtualHost() {
    return virtualHost;
  }

  /** What the route matches. */
  public RouteMatch match() {
    return spec.match();
  }

  /** The {@code match} object as written. */
  public JsonNode matchConfig() {
    return spec.matchConfig();
  }

  /** The forward action, or null. */
  public ForwardAction forward() {
    return spec.forward();
  }

  /** The redirect action, or null. */
  public RedirectAction redirect() {
    return spec.redirect();
  }

  /** The direct response, or null. */
  public DirectResponseAction directResponse() {
    return spec.directResponse();
  }

  /**
   * The mirror policies in force for this route: its own {@code request_mirror_policies}, else the
   * virtual host's, else the route configuration's (the most specific non-empty list, never a
   * merge). Only forwarded requests are mirrored.
   */
  public List<MirrorPolicy> mirrorPolicies() {
    return mirrorPolicies;
  }

  /** The route's {@code metadata} as written, or null. */
  public JsonNode metadata() {
    return spec.metadata();
  }

  /** Every outcome this route can produce: one per weighted cluster, or one. */
  public RouteResult[] results() {
    return weightedResults != null ? weightedResults.clone() : new RouteResult[] {result};
  }

  @Override
  public String toString() {
    return "route " + (spec.name().isEmpty() ? "#" + index : spec.name()) + " (" + spec.match().path() + ")";
  }
}
