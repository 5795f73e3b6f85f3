package io.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.runtime.RuntimeSnapshot;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The first-segment index only skips routes that cannot match: routing with it must give exactly
 * what trying every route in order gives. Random tables and paths from a fixed seed, mixing every
 * path specifier, case sensitivity, queries, fragments, path parameters and header conditions.
 */
class FirstSegmentIndexTest {
  private static final String[] SEGMENTS = {"svc", "SVC", "api", "a", "", "x;y", "n\u00e9", "v1"};
  private static final String[] TAILS = {"", "/", "/x", "/x/y", "?q=/a", "#f", ";p", "/X?z"};

  @Test
  void indexedRoutingEqualsAPlainScan() {
    SplittableRandom random = new SplittableRandom(42);
    for (int table = 0; table < 200; table++) {
      StringBuilder yaml = new StringBuilder();
      yaml.append(random.nextBoolean() ? "ignore_path_parameters_in_path_matching: true\n" : "");
      yaml.append("virtual_hosts:\n- name: v\n  domains: ['*']\n  routes:\n");
      int routes = 4 + random.nextInt(20);
      for (int i = 0; i < routes; i++) {
        yaml.append("  - match: {").append(randomMatch(random)).append("}\n");
        yaml.append("    route: {cluster: c").append(i).append("}\n");
      }
      VirtualHost vh = Tables.table(yaml.toString()).virtualHosts().get(0);
      for (int r = 0; r < 200; r++) {
        String path = randomPath(random);
        RouteRequest req =
            random.nextBoolean()
                ? HeaderMapRequest.of("GET", "x", path, "x-h", "1")
                : HeaderMapRequest.of(random.nextBoolean() ? "CONNECT" : "GET", "x", path);
        RouteResult indexed = vh.route(req, 0, RuntimeSnapshot.EMPTY);
        RouteResult scanned = null;
        for (Route route : vh.routes()) {
          scanned = route.select(req, 0, RuntimeSnapshot.EMPTY);
          if (scanned != null) {
            break;
          }
        }
        assertThat(indexed).as("%s on\n%s", path, yaml).isSameAs(scanned);
      }
    }
  }

  private static String randomMatch(SplittableRandom random) {
    String value = "/" + pick(random, SEGMENTS) + pick(random, TAILS);
    String cs = random.nextInt(3) == 0 ? ", case_sensitive: false" : "";
    String headers = random.nextInt(4) == 0 ? ", headers: [{name: x-h}]" : "";
    return switch (random.nextInt(6)) {
      case 0 -> "prefix: '" + value + "'" + cs + headers;
      case 1 -> "path: '" + value + "'" + cs + headers;
      case 2 -> "safe_regex: {regex: '/[a-z]*/.*'}" + headers;
      case 3 -> "connect_matcher: {}";
      case 4 -> "prefix: '/'" + cs + headers;
      default -> "path_separated_prefix: '/" + pick(random, SEGMENTS).replace(";", "") + "/z'" + cs;
    };
  }

  private static String randomPath(SplittableRandom random) {
    if (random.nextInt(50) == 0) {
      return "";
    }
    return "/" + pick(random, SEGMENTS) + pick(random, TAILS) + pick(random, TAILS);
  }

  private static String pick(SplittableRandom random, String[] from) {
    return from[random.nextInt(from.length)];
  }
}
