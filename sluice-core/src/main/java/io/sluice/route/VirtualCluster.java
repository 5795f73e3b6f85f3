package io.sluice.route;

import java.util.List;

/** A {@code virtual_clusters} entry: a name for requests whose headers all match, for statistics. */
public record VirtualCluster(String name, List<HeaderMatcher> headers) {

  public VirtualCluster {
    headers = List.copyOf(headers);
  }

  /** Whether every header matcher matches. */
  public boolean matches(Headers request) {
    for (HeaderMatcher m : headers) {
      if (!m.matches(request)) {
        return false;
      }
    }
    return true;
  }
}
