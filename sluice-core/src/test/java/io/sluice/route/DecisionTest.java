package io.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.runtime.RuntimeSnapshot;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a decision does to a request: actions, rewrites, redirects, header changes. */
class DecisionTest {
  private static final FormatContext CTX = context(new HeaderMap());

  private static FormatContext context(HeaderMap request) {
    return new FormatContext() {
        @Override
        public String downstreamRemoteAddress() {
          return "10.1.2.3:5555";
        }

        @Override
        public String downstreamLocalAddress() {
          return "127.0.0.1:10000";
        }

        @Override
        public String protocol() {
          return "HTTP/1.1";
        }

        @Override
        public Headers requestHeaders() {
          return request;
        }
      };
  }

  /** The reference's traffic-shift configuration, unchanged. */
  private static final String SHIFT =
      """
      virtual_hosts:
         - name: www2
           domains:
           - '*'
           routes:
             - match:
                 prefix: /
                 runtime_fraction:
                   default_value:
                     numerator: 50
                     denominator: HUNDRED
                   runtime_key: routing.traffic_shift.helloworld
               route:
                 cluster: helloworld_v1
             - match:
                 prefix: /
               route:
                 cluster: helloworld_v2
      """;

  private static String cluster(RouteTable t, long random, RuntimeSnapshot rt) {
    RouteRequest req = HeaderMapRequest.of("GET", "helloworld", "/");
    return t.route(req, random, rt).clusterName(req);
  }

  @ParameterizedTest(name = "shift key {0}: random {1} -> {2}")
  @CsvSource({
    ", 49, helloworld_v1",
    ", 50, helloworld_v2",
    "100, 99, helloworld_v1",
    "90, 89, helloworld_v1",
    "90, 90, helloworld_v2",
    "90, 199, helloworld_v2",
    "0, 0, helloworld_v2",
    "0, 99, helloworld_v2"
  })
  void trafficShiftFollowsTheRuntimeKey(String value, long random, String expected) {
    RuntimeSnapshot rt =
        value == null ? RuntimeSnapshot.EMPTY : WeightedPickTest.runtime(Map.of("routing.traffic_shift.helloworld", value));
    assertThat(cluster(Tables.table(SHIFT), random, rt)).isEqualTo(expected);
  }

  @Test
  void referenceSplitGivesThirtyThreeThirtyThreeThirtyFour() {
    RouteTable t =
        Tables.table(
            """
            virtual_hosts:
               - name: www2
                 domains:
                 - '*'
                 routes:
                   - match: { prefix: / }
                     route:
                       weighted_clusters:
                         runtime_key_prefix: routing.traffic_split.helloworld
                         clusters:
                           - name: helloworld_v1
                             weight: 33
                           - name: helloworld_v2
                             weight: 33
                           - name: helloworld_v3
                             weight: 34
            """);
    assertThat(cluster(t, 32, RuntimeSnapshot.EMPTY)).isEqualTo("helloworld_v1");
    assertThat(cluster(t, 33, RuntimeSnapshot.EMPTY)).isEqualTo("helloworld_v2");
    assertThat(cluster(t, 66, RuntimeSnapshot.EMPTY)).isEqualTo("helloworld_v3");
    RuntimeSnapshot allOnV3 =
        WeightedPickTest.runtime(
            Map.of(
                "routing.traffic_split.helloworld.helloworld_v1", "0",
                "routing.traffic_split.helloworld.helloworld_v2", "0",
                "routing.traffic_split.helloworld.helloworld_v3", "100"));
    assertThat(cluster(t, 5, allOnV3)).isEqualTo("helloworld_v3");
  }

  @Test
  void clusterHeaderTakesTheFirstValueAndAnAbsentHeaderIsNotFound() {
    RouteTable t =
        Tables.table(
            "virtual_hosts:\n- {name: v, domains: ['*'], routes: [{match: {prefix: /}, route: {cluster_header: X-Cluster, cluster_not_found_response_code: NOT_FOUND}}]}\n");
    RouteRequest with = HeaderMapRequest.of("GET", "x", "/", "x-cluster", "blue", "x-cluster", "green");
    RouteResult r = t.route(with, 0, RuntimeSnapshot.EMPTY);
    assertThat(r.clusterName(with)).isEqualTo("blue");
    RouteRequest without = HeaderMapRequest.of("GET", "x", "/");
    assertThat(r.clusterName(without)).isEmpty();
    assertThat(r.clusterNotFoundCode()).isEqualTo(404);
  }

  @Test
  void timeoutDefaultsToFifteenSecondsAndZeroDisables() {
    RouteTable t =
        Tables.table(
            """
            virtual_hosts:
            - name: v
              domains: ['*']
              routes:
              - {match: {prefix: /slow}, route: {cluster: a, timeout: 120s}}
              - {match: {prefix: /none}, route: {cluster: a, timeout: {nanos: 0}}}
              - {match: {prefix: /half}, route: {cluster: a, timeout: 0.5s}}
              - {match: {prefix: /}, route: {cluster: a}}
            """);
    assertThat(decide(t, "/slow").timeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(decide(t, "/none").timeout()).isEqualTo(Duration.ZERO);
    assertThat(decide(t, "/half").timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(decide(t, "/").timeout()).isEqualTo(Duration.ofSeconds(15));
  }

  private static RouteResult decide(RouteTable t, String path) {
    return t.route(HeaderMapRequest.of("GET", "x", path), 0, RuntimeSnapshot.EMPTY);
  }

  /** Finalizes a request and returns its headers. */
  private static HeaderMapRequest finalized(RouteTable t, HeaderMapRequest req) {
    RouteResult r = t.route(req, 0, RuntimeSnapshot.EMPTY);
    r.finalizeRequestHeaders(req.headers(), context(req.headers()), true);
    return req;
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{prefix: /api, case_sensitive: false}  | prefix_rewrite: /v2   | /API/users?x=1    | /v2/users?x=1",
        "{prefix: /api/}                         | prefix_rewrite: /     | /api/users        | /users",
        "{path: /old}                            | prefix_rewrite: /new  | /old?q#f          | /new?q#f",
        "{safe_regex: {regex: '/u/\\d+'}}        | prefix_rewrite: /user | /u/42?z           | /user?z",
        "{path_separated_prefix: /a}             | prefix_rewrite: /b    | /a/c              | /b/c",
        "{prefix: /}                             | 'regex_rewrite: {pattern: {regex: ''^/service/([^/]+)(/.*)$''}, substitution: ''\\2/instance/\\1''}' | /service/foo/v1/api?x | /v1/api/instance/foo?x",
        "{prefix: /}                             | 'regex_rewrite: {pattern: {regex: ''o''}, substitution: ''0''}' | /foo/boo | /f00/b00",
      })
  void pathRewrites(String match, String rewrite, String path, String expected) {
    RouteTable t =
        Tables.table(
            "virtual_hosts:\n- {name: v, domains: ['*'], routes: [{match: " + match + ", route: {cluster: a, " + rewrite + "}}]}\n");
    HeaderMapRequest req = finalized(t, HeaderMapRequest.of("GET", "x", path));
    assertThat(req.path()).isEqualTo(expected);
    assertThat(req.first("x-envoy-original-path")).isEqualTo(path);
  }

  @Test
  void hostRewrites() {
    RouteTable t =
        Tables.table(
            """
            virtual_hosts:
            - name: v
              domains: ['*']
              routes:
              - {match: {prefix: /lit}, route: {cluster: a, host_rewrite_literal: new.example, append_x_forwarded_host: true}}
              - {match: {prefix: /hdr}, route: {cluster: a, host_rewrite_header: x-host}}
              - {match: {prefix: /re}, route: {cluster: a, host_rewrite_path_regex: {pattern: {regex: '^/re/([^/]+).*'}, substitution: '\\1.internal'}}}
            """);
    HeaderMapRequest lit = finalized(t, HeaderMapRequest.of("GET", "old.example", "/lit"));
    assertThat(lit.authority()).isEqualTo("new.example");
    assertThat(lit.first("x-forwarded-host")).isEqualTo("old.example");
    assertThat(finalized(t, HeaderMapRequest.of("GET", "o", "/hdr", "x-host", "h.example")).authority()).isEqualTo("h.example");
    assertThat(finalized(t, HeaderMapRequest.of("GET", "o", "/hdr")).authority()).isEqualTo("o");
    assertThat(finalized(t, HeaderMapRequest.of("GET", "o", "/re/svc/x?q")).authority()).isEqualTo("svc.internal");
  }

  @Test
  void headerLevelsApplyRouteThenVirtualHostThenConfigSoTheOutermostWins() {
    String yaml =
        """
        %s
        request_headers_to_add: [{header: {key: x-level, value: config}, append_action: OVERWRITE_IF_EXISTS_OR_ADD}]
        virtual_hosts:
        - name: v
          domains: ['*']
          request_headers_to_add: [{header: {key: x-level, value: vhost}, append_action: OVERWRITE_IF_EXISTS_OR_ADD}]
          routes:
          - match: {prefix: /}
            route:
              weighted_clusters:
                clusters:
                - name: a
                  weight: 1
                  request_headers_to_add: [{header: {key: x-level, value: entry}, append_action: OVERWRITE_IF_EXISTS_OR_ADD}]
            request_headers_to_add: [{header: {key: x-level, value: route}, append_action: OVERWRITE_IF_EXISTS_OR_ADD}]
        """;
    assertThat(finalized(Tables.table(yaml.formatted("")), HeaderMapRequest.of("GET", "x", "/")).get("x-level"))
        .isEqualTo("config");
    assertThat(
            finalized(
                    Tables.table(yaml.formatted("most_specific_header_mutations_wins: true")),
                    HeaderMapRequest.of("GET", "x", "/"))
                .get("x-level"))
        .isEqualTo("route");
  }

  @Test
  void appendActions() {
    RouteTable t =
        Tables.table(
            """
            virtual_hosts:
            - name: v
              domains: ['*']
              routes:
              - match: {prefix: /}
                route: {cluster: a}
                request_headers_to_remove: [x-remove]
                request_headers_to_add:
                - {header: {key: x-append, value: b}}
                - {header: {key: x-append-false, value: b}, append: false}
                - {header: {key: x-if-absent, value: b}, append_action: ADD_IF_ABSENT}
                - {header: {key: x-if-absent-new, value: b}, append_action: ADD_IF_ABSENT}
                - {header: {key: x-if-exists, value: b}, append_action: OVERWRITE_IF_EXISTS}
                - {header: {key: x-if-exists-new, value: b}, append_action: OVERWRITE_IF_EXISTS}
                - {header: {key: x-remove, value: added-after-remove}}
                - {header: {key: x-empty, value: '%REQ(x-nothing)%'}}
                - {header: {key: x-empty-kept, value: '%REQ(x-nothing)%'}, keep_empty_value: true}
                - {header: {key: x-client, value: '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT% via %PROTOCOL% 100%%'}}
                - {header: {key: x-copy, value: '%REQ(x-append):1%'}}
            """);
    HeaderMapRequest req =
        finalized(
            t,
            HeaderMapRequest.of(
                "GET", "x", "/", "x-append", "a", "x-append-false", "a", "x-if-absent", "a", "x-if-exists", "a",
                "x-remove", "old"));
    HeaderMap h = req.headers();
    assertThat(h.all("x-append")).containsExactly("a", "b");
    assertThat(h.all("x-append-false")).containsExactly("b");
    assertThat(h.all("x-if-absent")).containsExactly("a");
    assertThat(h.all("x-if-absent-new")).containsExactly("b");
    assertThat(h.all("x-if-exists")).containsExactly("b");
    assertThat(h.all("x-if-exists-new")).isEmpty();
    assertThat(h.all("x-remove")).containsExactly("added-after-remove");
    assertThat(h.all("x-empty")).isEmpty();
    assertThat(h.all("x-empty-kept")).containsExactly("");
    assertThat(h.first("x-client")).isEqualTo("10.1.2.3 via HTTP/1.1 100%");
    assertThat(h.first("x-copy")).isEqualTo("a");
  }

  @ParameterizedTest(name = "{0} on {1}://{2}{3} -> {5}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{host_redirect: new.example}                   | http  | old.example     | /a?b  | 301 | http://new.example/a?b",
        "{path_redirect: /new}                          | https | h               | /a?b  | 301 | https://h/new?b",
        "{path_redirect: '/new?c=d'}                    | http  | h               | /a?b  | 301 | http://h/new?c=d",
        "{path_redirect: /new, strip_query: true}       | http  | h               | /a?b  | 301 | http://h/new",
        "{prefix_rewrite: /v2, response_code: FOUND}    | http  | h               | /v1/x?q | 302 | http://h/v2/x?q",
        "{https_redirect: true}                         | http  | h:80            | /a    | 301 | https://h/a",
        "{https_redirect: true}                         | http  | h:8080          | /a    | 301 | https://h:8080/a",
        "{scheme_redirect: http}                        | https | h:443           | /a    | 301 | http://h/a",
        "{port_redirect: 8443, response_code: TEMPORARY_REDIRECT} | http | h:8080   | /a    | 307 | http://h:8443/a",
        "{host_redirect: n, port_redirect: 81, response_code: PERMANENT_REDIRECT} | http | h:80 | /a | 308 | http://n:81/a",
        "{'regex_rewrite': {pattern: {regex: '^/v1/(.*)'}, substitution: '/v3/\\1'}, response_code: SEE_OTHER} | http | h | /v1/a?q | 303 | http://h/v3/a?q",
        "{host_redirect: '[::1]:9'}                     | http  | '[::2]:80'      | /     | 301 | http://[::1]:9/",
      })
  void redirects(String redirect, String scheme, String authority, String path, int code, String location) {
    RouteTable t =
        Tables.table(
            "virtual_hosts:\n- {name: v, domains: ['*'], routes: [{match: {prefix: /v1}, redirect: "
                + redirect.replace("{prefix_rewrite", "{prefix_rewrite")
                + "}, {match: {prefix: /}, redirect: "
                + redirect
                + "}]}\n");
    HeaderMapRequest req = HeaderMapRequest.of("GET", authority, path, "x-forwarded-proto", scheme, ":scheme", scheme);
    RouteResult r = t.route(req, 0, RuntimeSnapshot.EMPTY);
    r.finalizeRequestHeaders(req.headers(), CTX, true);
    assertThat(r.kind()).isEqualTo(RouteResult.Kind.REDIRECT);
    assertThat(r.responseCode()).isEqualTo(code);
    assertThat(r.location(req)).isEqualTo(location);
    assertThat(r.sendsLocation()).isTrue();
  }

  @Test
  void requireTls() {
    RouteTable t =
        Tables.table(
            """
            virtual_hosts:
            - {name: all, domains: [all.example, 'all.example:8080'], require_tls: ALL, routes: [{match: {prefix: /}, route: {cluster: a}}]}
            - {name: ext, domains: [ext.example], require_tls: EXTERNAL_ONLY, routes: [{match: {prefix: /}, route: {cluster: a}}]}
            """);
    HeaderMapRequest plain = HeaderMapRequest.of("GET", "all.example:8080", "/p?q");
    RouteResult r = t.route(plain, 0, RuntimeSnapshot.EMPTY);
    assertThat(r.kind()).isEqualTo(RouteResult.Kind.REDIRECT);
    assertThat(r.responseCode()).isEqualTo(301);
    assertThat(r.location(plain)).isEqualTo("https://all.example:8080/p?q");
    HeaderMapRequest secure = HeaderMapRequest.of("GET", "all.example", "/", "x-forwarded-proto", "https");
    assertThat(t.route(secure, 0, RuntimeSnapshot.EMPTY).kind()).isEqualTo(RouteResult.Kind.FORWARD);
    HeaderMapRequest internal = HeaderMapRequest.of("GET", "ext.example", "/", "x-envoy-internal", "true");
    assertThat(t.route(internal, 0, RuntimeSnapshot.EMPTY).kind()).isEqualTo(RouteResult.Kind.FORWARD);
    HeaderMapRequest external = HeaderMapRequest.of("GET", "ext.example", "/");
    assertThat(t.route(external, 0, RuntimeSnapshot.EMPTY).kind()).isEqualTo(RouteResult.Kind.REDIRECT);
  }

  @Test
  void directResponses() {
    RouteTable t =
        Tables.table(
            """
            virtual_hosts:
            - name: v
              domains: ['*']
              routes:
              - match: {path: /ping}
                direct_response: {status: 200, body: {inline_string: pong}}
                response_headers_to_add: [{header: {key: content-type, value: application/json}, append: false}]
              - match: {path: /created}
                direct_response: {status: 201}
              - match: {path: /bytes}
                direct_response: {status: 503, body: {inline_bytes: 'aGk='}}
            """);
    HeaderMapRequest ping = HeaderMapRequest.of("GET", "x", "/ping");
    RouteResult r = t.route(ping, 0, RuntimeSnapshot.EMPTY);
    assertThat(r.kind()).isEqualTo(RouteResult.Kind.DIRECT_RESPONSE);
    assertThat(r.responseCode()).isEqualTo(200);
    assertThat(r.directResponse().bodyText()).isEqualTo("pong");
    assertThat(r.sendsLocation()).isFalse();
    HeaderMap resp = new HeaderMap();
    resp.add("content-type", "text/plain");
    r.finalizeResponseHeaders(resp, CTX);
    assertThat(resp.all("content-type")).containsExactly("application/json");
    HeaderMapRequest created = HeaderMapRequest.of("GET", "x", "/created");
    RouteResult c = t.route(created, 0, RuntimeSnapshot.EMPTY);
    assertThat(c.sendsLocation()).isTrue();
    assertThat(c.location(created)).isEqualTo("http://x/created");
    assertThat(t.route(HeaderMapRequest.of("GET", "x", "/bytes"), 0, RuntimeSnapshot.EMPTY).directResponse().bodyText())
        .isEqualTo("hi");
  }

  @Test
  void virtualClusters() {
    RouteTable t =
        Tables.table(
            """
            virtual_hosts:
            - name: v
              domains: ['*']
              routes: [{match: {prefix: /}, route: {cluster: a}}]
              virtual_clusters:
              - name: update_user
                headers:
                - {name: ':path', string_match: {safe_regex: {regex: '^/users/\\d+$'}}}
                - {name: ':method', string_match: {exact: PUT}}
            - name: w
              domains: [w]
              routes: [{match: {prefix: /}, route: {cluster: a}}]
            """);
    HeaderMapRequest put = HeaderMapRequest.of("PUT", "x", "/users/12");
    assertThat(t.route(put, 0, RuntimeSnapshot.EMPTY).virtualClusterName(put)).isEqualTo("update_user");
    HeaderMapRequest get = HeaderMapRequest.of("GET", "x", "/users/12");
    assertThat(t.route(get, 0, RuntimeSnapshot.EMPTY).virtualClusterName(get)).isEqualTo("other");
    HeaderMapRequest w = HeaderMapRequest.of("GET", "w", "/");
    assertThat(t.route(w, 0, RuntimeSnapshot.EMPTY).virtualClusterName(w)).isNull();
  }
}
