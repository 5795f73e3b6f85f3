package io.sluice.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CoverageTrackerTest {
  private static final String CONFIG = """
      virtual_hosts:
      - name: www
        domains: [www.example.com]
        require_tls: EXTERNAL_ONLY
        routes:
        - name: split
          match: {prefix: /split}
          route:
            weighted_clusters:
              clusters:
              - {name: a, weight: 30}
              - {name: b, weight: 70}
        - match: {prefix: /moved}
          redirect: {path_redirect: /new}
        - match: {prefix: /}
          route: {cluster: root}
      - name: other
        domains: ['*']
        require_tls: ALL
        routes:
        - match: {prefix: /}
          route: {cluster: other}
      """;

  private static String test(String name, String input, String validate) {
    return "- test_name: " + name + "\n  input: " + input + "\n  validate: " + validate + "\n";
  }

  @Test
  void weightedRoutesCountOncePerCluster() {
    RouteCheckRun run = RouteChecks.run(CONFIG, "tests:\n" + test("t", "{authority: x, path: /, method: GET}", "{}"));
    // split (2 clusters) + moved + www's / + other's / = 5.
    assertThat(run.coverage().routeCount()).isEqualTo(5);
    assertThat(run.coverage().coverage()).isZero();
  }

  @Test
  void defaultCoverageCountsDistinctTargetsReachedByPassingChecks() {
    String tests = "tests:\n"
        + test("a", "{authority: www.example.com, path: /split, method: GET, internal: true, random_value: 10}", "{cluster_name: a}")
        + test("a again", "{authority: www.example.com, path: /split, method: GET, internal: true, random_value: 20}", "{cluster_name: a}")
        + test("b fails", "{authority: www.example.com, path: /split, method: GET, internal: true, random_value: 50}", "{cluster_name: a}")
        + test("redirect", "{authority: www.example.com, path: /moved, method: GET, internal: true}", "{path_redirect: 'http://www.example.com/new'}")
        + test("not a redirect", "{authority: www.example.com, path: /, method: GET, internal: true}", "{path_redirect: ''}");
    RouteCheckRun run = RouteChecks.run(CONFIG, tests);
    // Targets: cluster a of split, and the redirect. The failing check on b and the passing
    // path_redirect: "" on a forwarding route mark nothing.
    assertThat(run.coverage().coverage()).isEqualTo(100.0 * 2 / 5);
    assertThat(run.coverage().missingRoutes())
        .extracting(m -> m.virtualHost() + " " + m.route().name())
        .containsExactly("www -uuid-3", "other -uuid-4");
  }

  @Test
  void allTlsRedirectsAreOneUnnamedTarget() {
    String tests = "tests:\n"
        + test("www", "{authority: www.example.com, path: /, method: GET}", "{path_redirect: 'https://www.example.com/'}")
        + test("other", "{authority: o.example.com, path: /x, method: GET}", "{path_redirect: 'https://o.example.com/x', code_redirect: 301}");
    RouteCheckRun run = RouteChecks.run(CONFIG, tests);
    assertThat(run.results()).allMatch(TestResult::passed);
    assertThat(run.coverage().coverage()).isEqualTo(100.0 / 5);
    // Its empty name matches no configured route, so every route is still missing.
    assertThat(run.coverage().missingRoutes()).hasSize(4);
    assertThat(run.coverage().comprehensiveCoverage()).isEqualTo(100.0 * (2.0 / 2) / 5);
  }

  @Test
  void comprehensiveCoverageIsTheShareOfFieldsChecked() {
    String tests = "tests:\n"
        + test("root", "{authority: www.example.com, path: /, method: GET, internal: true}",
            "{cluster_name: root, virtual_host_name: www}")
        + test("root more", "{authority: www.example.com, path: /x, method: GET, internal: true}",
            "{cluster_name: root, virtual_cluster_name: '', path_rewrite: /x}")
        + test("redirect", "{authority: www.example.com, path: /moved, method: GET, internal: true}", "{code_redirect: 301}");
    RouteCheckRun run = RouteChecks.run(CONFIG, tests);
    assertThat(run.results()).allMatch(TestResult::passed);
    // root: 4 of 5 fields (cluster, virtual cluster, virtual host, path rewrite); redirect: 1 of 2.
    assertThat(run.coverage().comprehensiveCoverage()).isEqualTo(100.0 * (4.0 / 5 + 1.0 / 2) / 5);
    assertThat(run.coverage().coverage()).isEqualTo(100.0 * 2 / 5);
  }

  @Test
  void weightedRouteIsNotMissingOnceAnyClusterIsCovered() {
    String tests = "tests:\n"
        + test("b", "{authority: www.example.com, path: /split, method: GET, internal: true, random_value: 99}", "{cluster_name: b}");
    RouteCheckRun run = RouteChecks.run(CONFIG, tests);
    assertThat(run.coverage().missingRoutes()).extracting(m -> m.route().name()).doesNotContain("split-uuid-1");
    assertThat(run.coverage().coverage()).isEqualTo(20.0);
  }
}
