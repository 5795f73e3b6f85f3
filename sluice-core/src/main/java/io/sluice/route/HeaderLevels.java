package io.sluice.route;

/**
 * The route-configuration-level header changes and the order rule for all levels. By default the
 * levels are applied route, then virtual host, then route configuration, so the outermost level
 * wins a conflict; {@code most_specific_header_mutations_wins} reverses that.
 */
record HeaderLevels(HeaderMutations request, HeaderMutations response, boolean mostSpecificWins) {

  static final HeaderLevels NONE = new HeaderLevels(HeaderMutations.NONE, HeaderMutations.NONE, false);

  /** The levels in application order, empty levels left out. */
  HeaderMutations[] chain(HeaderMutations route, HeaderMutations virtualHost, HeaderMutations config) {
    HeaderMutations[] ordered =
        mostSpecificWins
            ? new HeaderMutations[] {config, virtualHost, route}
            : new HeaderMutations[] {route, virtualHost, config};
    int n = 0;
    for (HeaderMutations m : ordered) {
      if (!m.isEmpty()) {
        n++;
      }
    }
    HeaderMutations[] out = new HeaderMutations[n];
    int i = 0;
    for (HeaderMutations m : ordered) {
      if (!m.isEmpty()) {
        out[i++] = m;
      }
    }
    return out;
  }
}
