package io.sluice.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TestChecksTest {
  private static final String CONFIG = """
      virtual_hosts:
      - name: v
        domains: [v.example.com]
        virtual_clusters:
        - name: rewritten
          headers: [{name: ':path', string_match: {prefix: /new}}]
        routes:
        - match: {prefix: /old}
          route: {cluster: c, prefix_rewrite: /new, timeout: 0s}
          request_headers_to_add: [{header: {key: pick, value: overwritten}, append_action: OVERWRITE_IF_EXISTS_OR_ADD}]
        - match: {prefix: /by-header}
          route: {cluster_header: pick}
          request_headers_to_add: [{header: {key: pick, value: overwritten}, append_action: OVERWRITE_IF_EXISTS_OR_ADD}]
        - match: {prefix: /meta}
          route: {cluster: c}
          metadata: {filter_metadata: {ns: {s: text, n: 5, o: {a: true}}}}
        - match: {prefix: /}
          route: {cluster: c}
      """;

  private static List<String> failures(String input, String validate) {
    RouteCheckRun run = RouteChecks.run(CONFIG,
        "tests: [{test_name: t, input: " + input + ", validate: " + validate + "}]");
    return run.results().get(0).failures();
  }

  @Test
  void noRouteGivesEmptyValuesAndCodeZero() {
    assertThat(failures("{authority: elsewhere, path: /, method: GET}",
        "{cluster_name: '', virtual_cluster_name: '', virtual_host_name: '', path_rewrite: '', host_rewrite: '', "
            + "path_redirect: '', code_redirect: 0, timeout: 0s}"))
        .isEmpty();
    assertThat(failures("{authority: elsewhere, path: /, method: GET}", "{cluster_name: c, code_redirect: 302}"))
        .containsExactly(
            "expected: [c], actual: [], test type: cluster_name",
            "expected: [302], actual: [0], test type: code_redirect");
  }

  @Test
  void rewritesAreSeenByLaterChecks() {
    assertThat(failures("{authority: v.example.com, path: /old/x, method: GET}",
        "{path_rewrite: /new/x, virtual_cluster_name: rewritten, request_header_matches: "
            + "[{name: x-envoy-original-path, string_match: {exact: /old/x}}]}"))
        .isEmpty();
  }

  @Test
  void clusterHeaderIsReadBeforeHeadersAreFinalized() {
    assertThat(failures("{authority: v.example.com, path: /by-header, method: GET, "
            + "additional_request_headers: [{key: pick, value: chosen}]}",
        "{cluster_name: chosen, request_header_matches: [{name: pick, string_match: {exact: overwritten}}]}"))
        .isEmpty();
  }

  @Test
  void timeoutIsComparedInMilliseconds() {
    assertThat(failures("{authority: v.example.com, path: /old, method: GET}", "{timeout: 0s}")).isEmpty();
    assertThat(failures("{authority: v.example.com, path: /, method: GET}", "{timeout: 15s}")).isEmpty();
    assertThat(failures("{authority: v.example.com, path: /, method: GET}", "{timeout: 1.5s}"))
        .containsExactly("expected: [1500], actual: [15000], test type: timeout");
  }

  @Test
  void routeMetadataComparesTextAndReportsMissingEntries() {
    String input = "{authority: v.example.com, path: /meta, method: GET}";
    assertThat(failures(input, "{route_metadata: [{namespace: ns, key: s, value: text}, {namespace: ns, key: n, value: '5'},"
        + " {namespace: ns, key: o, value: '{\"a\":true}'}]}"))
        .isEmpty();
    assertThat(failures(input, "{route_metadata: [{namespace: ns, key: s, value: other}, {namespace: ns, key: x, value: y},"
        + " {namespace: nope, key: s, value: text}]}"))
        .containsExactly(
            "expected: [ns/s: other], actual: [ns/s: text], test type: route_metadata",
            "expected: [ns/x: y], actual: [ns/x: NULL], test type: route_metadata",
            "expected: [nope/s: text], actual: [nope/s: NULL], test type: route_metadata");
  }

  @Test
  void deprecatedHeaderFieldsCompareTheFirstValue() {
    assertThat(failures("{authority: v.example.com, path: /, method: GET, "
            + "additional_request_headers: [{key: x, value: '1'}, {key: x, value: '2'}]}",
        "{request_header_fields: [{key: X, value: '1'}, {key: absent, value: v}]}"))
        .containsExactly("expected: [v], actual: [], test type: request_header_fields");
  }

  @Test
  void everyCheckRunsAndReportsInOrder() {
    assertThat(failures("{authority: v.example.com, path: /old, method: GET}",
        "{host_rewrite: h, path_rewrite: p, virtual_host_name: w, virtual_cluster_name: vc, cluster_name: cl}"))
        .containsExactly(
            "expected: [cl], actual: [c], test type: cluster_name",
            "expected: [vc], actual: [rewritten], test type: virtual_cluster_name",
            "expected: [w], actual: [v], test type: virtual_host_name",
            "expected: [p], actual: [/new], test type: path_rewrite",
            "expected: [h], actual: [v.example.com], test type: host_rewrite");
  }
}
