package io.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.runtime.FractionalPercent;
import io.sluice.runtime.RuntimeSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code request_mirror_policies}: where they are read (route action, virtual host, route
 * configuration; the most specific non-empty list wins), Envoy's validation and messages, and which
 * requests a policy mirrors.
 */
class MirrorPolicyTest {
  private static final RouteRequest GET = HeaderMapRequest.of("GET", "api", "/");

  private static RouteResult decide(RouteTable t, RouteRequest request) {
    return t.route(request, 0, RuntimeSnapshot.EMPTY);
  }

  private static RouteResult decide(RouteTable t, String authority, String path) {
    return decide(t, HeaderMapRequest.of("GET", authority, path));
  }

  private static String route(String action) {
    return "virtual_hosts:\n- name: v\n  domains: ['*']\n  routes:\n  - match: {prefix: /}\n    " + action + "\n";
  }

  @Test
  void routeActionPoliciesAreReadInOrder() {
    RouteTable t = Tables.table(route("""
        route:
              cluster: primary
              request_mirror_policies:
              - {cluster: shadow}
              - cluster_header: X-Mirror-To
                runtime_fraction: {default_value: {numerator: 25, denominator: TEN_THOUSAND}, runtime_key: mirror.pct}
                trace_sampled: false
                disable_shadow_host_suffix_append: true
        """));
    assertThat(decide(t, GET).mirrorPolicies())
        .containsExactly(
            MirrorPolicy.toCluster("shadow"),
            new MirrorPolicy(
                null, "x-mirror-to", "mirror.pct", new FractionalPercent(25, FractionalPercent.Denominator.TEN_THOUSAND),
                true));
  }

  @Test
  void aPolicyWithoutRuntimeFractionMirrorsEverything() {
    MirrorPolicy p = Tables.table(route("route: {cluster: a, request_mirror_policies: [{cluster: m}]}"))
        .route(GET, 0, RuntimeSnapshot.EMPTY).mirrorPolicies().get(0);
    assertThat(p.defaultValue()).isEqualTo(FractionalPercent.ofHundred(100));
    assertThat(p.runtimeKey()).isEmpty();
    for (long random : new long[] {0, 1, 99, 100, 12345, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
      assertThat(p.fires(random, RuntimeSnapshot.EMPTY)).as("random %d", random).isTrue();
    }
  }

  @Test
  void theMostSpecificNonEmptyListWinsWithoutMerging() {
    RouteTable t = Tables.table("""
        request_mirror_policies: [{cluster: from-config}]
        virtual_hosts:
        - name: inherits
          domains: [a]
          routes:
          - {match: {prefix: /}, route: {cluster: p}}
        - name: own
          domains: [b]
          request_mirror_policies: [{cluster: from-vhost-1}, {cluster: from-vhost-2}]
          routes:
          - {match: {prefix: /route}, route: {cluster: p, request_mirror_policies: [{cluster: from-route}]}}
          - {match: {prefix: /empty-list}, route: {cluster: p, request_mirror_policies: []}}
          - {match: {prefix: /}, route: {cluster: p}}
        """);
    assertThat(decide(t, "a", "/").mirrorPolicies()).containsExactly(MirrorPolicy.toCluster("from-config"));
    assertThat(decide(t, "b", "/route").mirrorPolicies()).containsExactly(MirrorPolicy.toCluster("from-route"));
    assertThat(decide(t, "b", "/empty-list").mirrorPolicies())
        .containsExactly(MirrorPolicy.toCluster("from-vhost-1"), MirrorPolicy.toCluster("from-vhost-2"));
    assertThat(decide(t, "b", "/").mirrorPolicies())
        .containsExactly(MirrorPolicy.toCluster("from-vhost-1"), MirrorPolicy.toCluster("from-vhost-2"));
    assertThat(t.findVirtualHost("a").mirrorPolicies()).containsExactly(MirrorPolicy.toCluster("from-config"));
  }

  @Test
  void onlyForwardedRequestsAreMirrored() {
    RouteTable t = Tables.table("""
        request_mirror_policies: [{cluster: m}]
        virtual_hosts:
        - name: v
          domains: [api]
          routes:
          - {match: {prefix: /old}, redirect: {path_redirect: /new}}
          - {match: {prefix: /ping}, direct_response: {status: 200}}
          - {match: {prefix: /}, route: {cluster: p}}
        """);
    assertThat(decide(t, "api", "/old").mirrorPolicies()).isEmpty();
    assertThat(decide(t, "api", "/ping").mirrorPolicies()).isEmpty();
    assertThat(decide(t, "elsewhere", "/").mirrorPolicies()).isEmpty();
    assertThat(decide(t, "api", "/x").mirrorPolicies()).containsExactly(MirrorPolicy.toCluster("m"));
  }

  @Test
  void theListsAreImmutable() {
    RouteTable t = Tables.table(route("route: {cluster: a, request_mirror_policies: [{cluster: m}]}"));
    List<MirrorPolicy> policies = decide(t, GET).mirrorPolicies();
    assertThatThrownBy(() -> policies.add(MirrorPolicy.toCluster("x"))).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> decide(t, GET).route().forward().mirrorPolicies().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aWholePolicyIsReadWithoutWarnings() {
    assertThat(Tables.warnings("""
        request_mirror_policies: [{cluster: c, trace_sampled: true}]
        virtual_hosts:
        - name: v
          domains: ['*']
          request_mirror_policies: [{cluster: v}]
          routes:
          - match: {prefix: /}
            route:
              cluster: a
              request_mirror_policies:
              - cluster: m
                runtime_fraction: {default_value: {numerator: 5}}
                traceSampled: {value: false}
                disableShadowHostSuffixAppend: true
        """)).isEmpty();
  }

  // ---- validation

  @Test
  void clusterAndClusterHeaderTogether() {
    assertThat(Tables.errors(route("route: {cluster: a, request_mirror_policies: [{cluster: m, cluster_header: x-m}]}")))
        .containsExactly(
            "virtual_hosts[0].routes[0].route.request_mirror_policies[0]: Only one of cluster 'm' or cluster_header 'x-m' in request mirror policy can be specified");
  }

  @Test
  void neitherClusterNorClusterHeader() {
    assertThat(Tables.errors("""
        request_mirror_policies: [{runtime_fraction: {default_value: {numerator: 5}}}]
        virtual_hosts:
        - name: v
          domains: ['*']
          request_mirror_policies: [{cluster: ''}]
          routes: [{match: {prefix: /}, route: {cluster: a}}]
        """))
        .containsExactly(
            "request_mirror_policies[0]: Exactly one of cluster or cluster_header in request mirror policy need to be specified",
            "virtual_hosts[0].request_mirror_policies[0]: Exactly one of cluster or cluster_header in request mirror policy need to be specified");
  }

  @Test
  void runtimeFractionNeedsADefaultValue() {
    assertThat(Tables.errors(route("route: {cluster: a, request_mirror_policies: [{cluster: m, runtime_fraction: {runtime_key: k}}]}")))
        .containsExactly(
            "virtual_hosts[0].routes[0].route.request_mirror_policies[0].runtime_fraction.default_value: value is required");
  }

  @Test
  void unknownFieldsAndBadValuesNameTheirPath() {
    assertThat(Tables.errors(route(
            "route: {cluster: a, request_mirror_policies: [{cluster: m, percent: 5, runtime_fraction: {default_value: {numerator: 5, denominator: THOUSAND}}}]}")))
        .containsExactly(
            "virtual_hosts[0].routes[0].route.request_mirror_policies[0].runtime_fraction.default_value.denominator: unknown value \"THOUSAND\"; expected one of HUNDRED, TEN_THOUSAND, MILLION",
            "virtual_hosts[0].routes[0].route.request_mirror_policies[0].percent: unknown field (INVALID_ARGUMENT: envoy.config.route.v3.RouteAction.RequestMirrorPolicy has no field named \"percent\")");
  }

  @Test
  void fieldsChangingWhatTheMirrorReceivesAreRejected() {
    assertThat(Tables.errors(route("route: {cluster: a, request_mirror_policies: [{cluster: m, host_rewrite_literal: shadow.internal}]}")))
        .containsExactly(
            "virtual_hosts[0].routes[0].route.request_mirror_policies[0].host_rewrite_literal: not supported by Sluice: a mirror policy's host rewrite");
  }

  @Test
  void unknownShadowClustersWhenValidating() {
    RouteConfigReader.Options known = new RouteConfigReader.Options(true, Set.of("a", "m")::contains);
    assertThat(Tables.errors("""
        request_mirror_policies: [{cluster: config-gone}]
        virtual_hosts:
        - name: inherits-config
          domains: [one]
          routes:
          - {match: {prefix: /}, direct_response: {status: 200}}
        - name: own
          domains: [two]
          request_mirror_policies: [{cluster: m}, {cluster: vhost-gone}, {cluster_header: x-m}]
          routes:
          - {match: {prefix: /x}, route: {cluster: a, request_mirror_policies: [{cluster: route-gone}]}}
          - {match: {prefix: /y}, route: {cluster: a}}
          - {match: {prefix: /z}, route: {cluster: a}}
        """, known))
        .containsExactly(
            "request_mirror_policies[0].cluster: route: unknown shadow cluster 'config-gone'",
            "virtual_hosts[1].routes[0].route.request_mirror_policies[0].cluster: route: unknown shadow cluster 'route-gone'",
            "virtual_hosts[1].request_mirror_policies[1].cluster: route: unknown shadow cluster 'vhost-gone'");
  }

  @Test
  void aListNoRouteInheritsIsNotValidated() {
    // As in Envoy, which checks each route's own policies: a virtual host list every route
    // overrides, and a configuration list under virtual hosts that all have their own, name no
    // cluster any request could be mirrored to.
    RouteConfigReader.Options known = new RouteConfigReader.Options(true, Set.of("a", "m")::contains);
    assertThat(RouteConfigReader.read(
            io.sluice.config.Documents.readOne("""
                request_mirror_policies: [{cluster: config-gone}]
                virtual_hosts:
                - name: v
                  domains: ['*']
                  request_mirror_policies: [{cluster: vhost-gone}]
                  routes:
                  - {match: {prefix: /}, route: {cluster: a, request_mirror_policies: [{cluster: m}]}}
                - name: empty
                  domains: [none]
                  request_mirror_policies: [{cluster: also-gone}]
                  routes: []
                """, "t.yaml", io.sluice.config.Documents.Format.YAML),
            "t.yaml", known))
        .isNotNull();
  }

  // ---- which requests are mirrored

  @Test
  void theFractionIsTheRequestsRandomValueModuloTheDenominator() {
    MirrorPolicy quarter = new MirrorPolicy("m", null, "", FractionalPercent.ofHundred(25), false);
    assertThat(quarter.fires(0, RuntimeSnapshot.EMPTY)).isTrue();
    assertThat(quarter.fires(24, RuntimeSnapshot.EMPTY)).isTrue();
    assertThat(quarter.fires(25, RuntimeSnapshot.EMPTY)).isFalse();
    assertThat(quarter.fires(99, RuntimeSnapshot.EMPTY)).isFalse();
    assertThat(quarter.fires(124, RuntimeSnapshot.EMPTY)).isTrue();
    // The random value is unsigned: -1 is 2^64-1, and 18446744073709551615 mod 100 = 15.
    assertThat(quarter.fires(-1, RuntimeSnapshot.EMPTY)).isTrue();

    MirrorPolicy perMillion = new MirrorPolicy("m", null, "", new FractionalPercent(1, FractionalPercent.Denominator.MILLION), false);
    assertThat(perMillion.fires(2_000_000, RuntimeSnapshot.EMPTY)).isTrue();
    assertThat(perMillion.fires(2_000_001, RuntimeSnapshot.EMPTY)).isFalse();

    MirrorPolicy none = new MirrorPolicy("m", null, "", FractionalPercent.ofHundred(0), false);
    assertThat(none.fires(0, RuntimeSnapshot.EMPTY)).isFalse();
  }

  @Test
  void theRuntimeKeyOverridesTheDefault() {
    MirrorPolicy p = new MirrorPolicy("m", null, "mirror.pct", FractionalPercent.ofHundred(100), false);
    RuntimeSnapshot off = WeightedPickTest.runtime(Map.of("mirror.pct", "0"));
    RuntimeSnapshot tenth = WeightedPickTest.runtime(Map.of("mirror.pct", "10"));
    RuntimeSnapshot garbage = WeightedPickTest.runtime(Map.of("mirror.pct", "lots"));
    assertThat(p.fires(5, off)).isFalse();
    assertThat(p.fires(9, tenth)).isTrue();
    assertThat(p.fires(10, tenth)).isFalse();
    assertThat(p.fires(10, garbage)).as("unusable value: the default").isTrue();
  }

  @Test
  void policiesOfOneRequestShareItsRandomValue() {
    // Envoy passes the stream id to every policy, so equal fractions fire together and a
    // fraction is correlated with the weighted pick made from the same value.
    RouteTable t = Tables.table(route("""
        route:
              weighted_clusters: {clusters: [{name: v1, weight: 90}, {name: v2, weight: 10}]}
              request_mirror_policies:
              - {cluster: m1, runtime_fraction: {default_value: {numerator: 10}}}
              - {cluster: m2, runtime_fraction: {default_value: {numerator: 10}}}
        """));
    for (long random = 0; random < 200; random++) {
      RouteResult r = t.route(GET, random, RuntimeSnapshot.EMPTY);
      boolean first = r.mirrorPolicies().get(0).fires(random, RuntimeSnapshot.EMPTY);
      boolean second = r.mirrorPolicies().get(1).fires(random, RuntimeSnapshot.EMPTY);
      assertThat(second).isEqualTo(first);
      assertThat(first).isEqualTo(random % 100 < 10);
      // random mod 100 below 10 is also the v1 range of the pick: only v1 traffic is mirrored.
      if (first) {
        assertThat(r.clusterName(GET)).isEqualTo("v1");
      }
    }
  }

  @Test
  void theMirrorClusterFromAHeader() {
    MirrorPolicy p = new MirrorPolicy(null, "x-mirror-to", "", MirrorPolicy.ALL, false);
    assertThat(p.clusterName(HeaderMapRequest.of("GET", "a", "/", "x-mirror-to", "canary", "x-mirror-to", "other")))
        .isEqualTo("canary");
    assertThat(p.clusterName(HeaderMapRequest.of("GET", "a", "/"))).isNull();
    assertThat(p.clusterName(HeaderMapRequest.of("GET", "a", "/", "x-mirror-to", ""))).isNull();
    assertThat(MirrorPolicy.toCluster("m").clusterName(HeaderMapRequest.of("GET", "a", "/", "x-mirror-to", "x")))
        .isEqualTo("m");
  }

  @Test
  void theShadowSuffixGoesBeforeThePort() {
    assertThat(MirrorPolicy.shadowHost("api")).isEqualTo("api-shadow");
    assertThat(MirrorPolicy.shadowHost("api.example.com:8080")).isEqualTo("api.example.com-shadow:8080");
    assertThat(MirrorPolicy.shadowHost("[::1]:80")).isEqualTo("[::1]-shadow:80");
    assertThat(MirrorPolicy.shadowHost("[::1]")).isEqualTo("[::1]-shadow");
    assertThat(MirrorPolicy.toCluster("m").mirrorHost("api:80")).isEqualTo("api-shadow:80");
    assertThat(new MirrorPolicy("m", null, "", MirrorPolicy.ALL, true).mirrorHost("api:80")).isEqualTo("api:80");
  }

  @Test
  void thePolicyRecordChecksItsTarget() {
    assertThatThrownBy(() -> new MirrorPolicy("m", "x-m", "", MirrorPolicy.ALL, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MirrorPolicy(null, "", "", MirrorPolicy.ALL, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MirrorPolicy("m", null, "", null, false)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new MirrorPolicy("m", null, null, MirrorPolicy.ALL, false).runtimeKey()).isEmpty();
  }
}
