package io.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.ConfigException;
import io.sluice.config.Documents;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every validation rule, with its message and the path it names. */
class ValidationTest {

  private static String route(String action) {
    return "virtual_hosts:\n- name: v\n  domains: ['*']\n  routes:\n  - match: {prefix: /}\n    " + action + "\n";
  }

  @Test
  void weightMissing() {
    assertThat(Tables.errors(route("route: {weighted_clusters: {clusters: [{name: a, weight: 1}, {name: b}]}}")))
        .containsExactly(
            "virtual_hosts[0].routes[0].route.weighted_clusters.clusters[1].weight: Field 'weight' is missing in: name: \"b\"");
  }

  @Test
  void weightsSummingToZero() {
    assertThat(Tables.errors(route("route: {weighted_clusters: {clusters: [{name: a, weight: 0}, {name: b, weight: 0}]}}")))
        .containsExactly(
            "virtual_hosts[0].routes[0].route.weighted_clusters.clusters: Sum of weights in the weighted_cluster must be greater than 0.");
  }

  @Test
  void weightsOverflowingUint32() {
    assertThat(
            Tables.errors(
                "virtual_hosts:\n- name: v\n  domains: ['*']\n  routes:\n  - name: big\n    match: {prefix: /}\n"
                    + "    route: {weighted_clusters: {clusters: [{name: a, weight: 4294967295}, {name: b, weight: 1}]}}\n"))
        .containsExactly(
            "virtual_hosts[0].routes[0].route.weighted_clusters.clusters: The sum of weights of all weighted clusters of route big exceeds 4294967295");
  }

  @Test
  void weightOutOfRange() {
    assertThat(Tables.errors(route("route: {weighted_clusters: {clusters: [{name: a, weight: -5}]}}")))
        .containsExactly(
            "virtual_hosts[0].routes[0].route.weighted_clusters.clusters[0].weight: value -5 is out of range for uint32");
  }

  @Test
  void nameAndClusterHeader() {
    assertThat(
            Tables.errors(
                route("route: {weighted_clusters: {clusters: [{name: a, cluster_header: x-c, weight: 1}, {weight: 1}]}}")))
        .containsExactly(
            "virtual_hosts[0].routes[0].route.weighted_clusters.clusters[0]: Only one of name or cluster_header can be specified",
            "virtual_hosts[0].routes[0].route.weighted_clusters.clusters[1]: At least one of name or cluster_header need to be specified");
  }

  @Test
  void emptyWeightedClusters() {
    assertThat(Tables.errors(route("route: {weighted_clusters: {clusters: []}}")))
        .containsExactly(
            "virtual_hosts[0].routes[0].route.weighted_clusters.clusters: value must contain at least 1 item(s)");
  }

  @Test
  void totalWeightIsAcceptedAndIgnored() {
    RouteTable t = Tables.table(route("route: {weighted_clusters: {total_weight: 1000, clusters: [{name: a, weight: 1}, {name: b, weight: 3}]}}"));
    RouteRequest req = HeaderMapRequest.of("GET", "x", "/");
    assertThat(t.route(req, 3, io.sluice.runtime.RuntimeSnapshot.EMPTY).clusterName(req)).isEqualTo("b");
  }

  @Test
  void clusterWithWeightedClusters() {
    assertThat(Tables.errors(route("route: {cluster: a, weighted_clusters: {clusters: [{name: a, weight: 1}]}}")))
        .containsExactly(
            "virtual_hosts[0].routes[0].route: only one of cluster, cluster_header, weighted_clusters, cluster_specifier_plugin, inline_cluster_specifier_plugin may be set (cluster_specifier), found both cluster and weighted_clusters");
  }

  @Test
  void unknownClustersWhenValidating() {
    RouteConfigReader.Options known = new RouteConfigReader.Options(true, Set.of("a")::contains);
    assertThat(
            Tables.errors(
                """
                virtual_hosts:
                - name: v
                  domains: ['*']
                  routes:
                  - {match: {prefix: /x}, route: {cluster: nope}}
                  - {match: {prefix: /y}, route: {weighted_clusters: {clusters: [{name: a, weight: 1}, {name: gone, weight: 1}]}}}
                  - {match: {prefix: /z}, route: {cluster_header: x-cluster}}
                """,
                known))
        .containsExactly(
            "virtual_hosts[0].routes[0].route.cluster: route: unknown cluster 'nope'",
            "virtual_hosts[0].routes[1].route.weighted_clusters.clusters[1].name: route: unknown weighted cluster 'gone'");
    // validate_clusters: false turns the check off.
    assertThat(
            RouteConfigReader.read(
                Documents.readOne(
                    "validate_clusters: false\nvirtual_hosts:\n- {name: v, domains: ['*'], routes: [{match: {prefix: /}, route: {cluster: nope}}]}\n",
                    "t.yaml",
                    Documents.Format.YAML),
                "t.yaml",
                known))
        .isNotNull();
  }

  @Test
  void unknownFieldsNameTheirPathAndType() {
    assertThat(
            Tables.errors(
                """
                tests: []
                virtual_hosts:
                - name: v
                  domain: ['*']
                  domains: ['*']
                  routes:
                  - match: {prefix: /, prefixx: /}
                    route: {cluster: a, clustr: b}
                """))
        .containsExactly(
            "virtual_hosts[0].routes[0].match.prefixx: unknown field (INVALID_ARGUMENT: envoy.config.route.v3.RouteMatch has no field named \"prefixx\")",
            "virtual_hosts[0].routes[0].route.clustr: unknown field (INVALID_ARGUMENT: envoy.config.route.v3.RouteAction has no field named \"clustr\")",
            "virtual_hosts[0].domain: unknown field (INVALID_ARGUMENT: envoy.config.route.v3.VirtualHost has no field named \"domain\")",
            "tests: unknown field (INVALID_ARGUMENT: envoy.config.route.v3.RouteConfiguration has no field named \"tests\")");
  }

  @Test
  void lowerCamelCaseNamesAreAccepted() {
    RouteTable t =
        Tables.table(
            """
            virtualHosts:
            - name: v
              domains: ['*']
              requireTls: ALL
              routes:
              - match: {pathSeparatedPrefix: /api, caseSensitive: false}
                route: {weightedClusters: {runtimeKeyPrefix: k, clusters: [{name: a, weight: 1}]}, prefixRewrite: /v2}
            """);
    assertThat(t.virtualHosts().get(0).requireTls()).isEqualTo(VirtualHost.TlsRequirement.ALL);
  }

  @Test
  void missingMatchActionAndPathSpecifier() {
    assertThat(
            Tables.errors(
                """
                virtual_hosts:
                - name: ''
                  domains: []
                  routes:
                  - route: {cluster: a}
                  - match: {headers: [{name: x}]}
                    route: {cluster: a}
                  - match: {prefix: /}
                  - match: {prefix: /}
                    route: {}
                """))
        .containsExactly(
            "virtual_hosts[0].name: value length must be at least 1 characters",
            "virtual_hosts[0].domains: value must contain at least 1 item(s)",
            "virtual_hosts[0].routes[0].match: value is required",
            "virtual_hosts[0].routes[1].match: path_specifier: value is required (one of prefix, path, safe_regex, path_separated_prefix, connect_matcher)",
            "virtual_hosts[0].routes[2]: action: value is required (one of route, redirect, direct_response)",
            "virtual_hosts[0].routes[3].route: cluster_specifier: value is required (one of cluster, cluster_header, weighted_clusters)");
  }

  @Test
  void regexesAreCheckedWithRe2Syntax() {
    assertThat(Tables.errors(route("route: {cluster: a}\n  - match: {safe_regex: {regex: '(?<=a)b'}}\n    route: {cluster: b}")))
        .singleElement()
        .asString()
        .startsWith("virtual_hosts[0].routes[1].match.safe_regex.regex: Invalid regex '(?<=a)b': ");
  }

  @Test
  void regexIgnoreCaseAndRewriteChecks() {
    assertThat(
            Tables.errors(
                route("route: {cluster: a, prefix_rewrite: /x, regex_rewrite: {pattern: {regex: '(a)'}, substitution: '\\2'}}")))
        .containsExactly(
            "virtual_hosts[0].routes[0].route.regex_rewrite: Specify only one of prefix_rewrite, regex_rewrite or path_rewrite_policy",
            "virtual_hosts[0].routes[0].route.regex_rewrite.substitution: Rewrite schema requests 2 matches, but the regexp only has 1 parenthesized subexpressions.");
  }

  @Test
  void headerMutationsCannotTouchPseudoHeadersOrHost() {
    assertThat(
            Tables.errors(
                route(
                    "route: {cluster: a}\n    request_headers_to_add: [{header: {key: ':path', value: /x}}, {header: {key: Host, value: h}}, {header: {key: x, value: '%BOGUS%'}}, {header: {key: y, value: '100%'}}]\n    response_headers_to_remove: [':status']")))
        .containsExactly(
            "virtual_hosts[0].routes[0].request_headers_to_add[0].header.key: :-prefixed or host headers may not be modified",
            "virtual_hosts[0].routes[0].request_headers_to_add[1].header.key: :-prefixed or host headers may not be modified",
            "virtual_hosts[0].routes[0].request_headers_to_add[2].header.value: Not supported field in StreamInfo: BOGUS",
            "virtual_hosts[0].routes[0].request_headers_to_add[3].header.value: Incorrect configuration: 100%. Couldn't find valid command at position 3",
            "virtual_hosts[0].routes[0].response_headers_to_remove[0]: :-prefixed or host headers may not be removed");
  }

  @Test
  void appendAndAppendActionTogether() {
    assertThat(
            Tables.errors(
                route(
                    "route: {cluster: a}\n    request_headers_to_add: [{header: {key: x, value: v}, append: true, append_action: OVERWRITE_IF_EXISTS}]")))
        .containsExactly(
            "virtual_hosts[0].routes[0].request_headers_to_add[0]: Both append and append_action are set and it's not allowed");
  }

  @Test
  void directResponseStatusAndBodyLimits() {
    assertThat(
            Tables.errors(
                "max_direct_response_body_size_bytes: 4\n"
                    + route("direct_response: {status: 100}\n  - match: {prefix: /b}\n    direct_response: {status: 200, body: {inline_string: hello}}")))
        .containsExactly(
            "virtual_hosts[0].routes[0].direct_response.status: value must be inside range [200, 600), got 100",
            "virtual_hosts[0].routes[1].direct_response.body: response body size is 5 bytes; maximum is 4");
  }

  @Test
  void pathSeparatedPrefixRules() {
    assertThat(Tables.errors(route("route: {cluster: a}\n  - match: {path_separated_prefix: /api/}\n    route: {cluster: a}")))
        .containsExactly(
            "virtual_hosts[0].routes[1].match.path_separated_prefix: value does not match regex pattern \"^[^?#]+[^?#/]$\" (no ? or #, and no trailing /)");
  }

  @Test
  void negativeTimeout() {
    assertThat(Tables.errors(route("route: {cluster: a, timeout: -1s}")))
        .containsExactly("virtual_hosts[0].routes[0].route.timeout: Invalid duration: Expected positive duration: PT-1S");
  }

  @Test
  void routingChangingExtensionsAreRejectedOthersWarn() {
    assertThat(Tables.errors(route("route: {cluster_specifier_plugin: p}")))
        .containsExactly(
            "virtual_hosts[0].routes[0].route.cluster_specifier_plugin: not supported by Sluice: cluster specifier plugins");
    assertThat(Tables.warnings(route("route: {cluster: a, retry_policy: {retry_on: 5xx}}\n    decorator: {operation: op}")))
        .containsExactly(
            "virtual_hosts[0].routes[0].route.retry_policy: not supported by Sluice yet; ignored",
            "virtual_hosts[0].routes[0].decorator: not supported by Sluice yet; ignored");
  }

  @Test
  void syntaxErrorsNameLineAndColumn() {
    try {
      Documents.readOne("virtual_hosts:\n  - name: [unclosed\n", "bad.yaml", Documents.Format.YAML);
      throw new AssertionError("expected a syntax error");
    } catch (ConfigException e) {
      assertThat(e.getMessage()).startsWith("bad.yaml: invalid configuration:\ninvalid YAML at line");
    }
  }

  @Test
  void allErrorsOfAFileAreReportedTogether() {
    assertThat(
            Tables.errors(
                """
                virtual_hosts:
                - name: a
                  domains: ['*']
                  routes:
                  - {match: {prefix: /}, route: {weighted_clusters: {clusters: [{name: x}]}}}
                  - {match: {prefix: /}, route: {cluster: ''}}
                - name: b
                  domains: ['*']
                """))
        .hasSize(3);
  }
}
