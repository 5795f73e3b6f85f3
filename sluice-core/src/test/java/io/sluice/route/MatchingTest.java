package io.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.runtime.RuntimeSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Route matching: each case is one route under test and a fallback route to {@code miss}. */
class MatchingTest {

  private static boolean matches(String match, String method, String path, String... headers) {
    RouteTable t =
        Tables.table(
            "virtual_hosts:\n- name: v\n  domains: ['*']\n  routes:\n  - match: "
                + match
                + "\n    route: {cluster: hit}\n  - match: {prefix: ''}\n    route: {cluster: miss}\n");
    RouteRequest req = HeaderMapRequest.of(method, "x", path, headers);
    return "hit".equals(t.route(req, 0, RuntimeSnapshot.EMPTY).clusterName(req));
  }

  private static boolean matchesGet(String match, String path, String... headers) {
    return matches(match, "GET", path, headers);
  }

  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{prefix: /foo}                                    | /foo           | true",
        "{prefix: /foo}                                    | /foobar        | true",
        "{prefix: /foo}                                    | /fo            | false",
        "{prefix: /foo}                                    | /FOO           | false",
        "{prefix: /foo, case_sensitive: false}             | /FOObar        | true",
        "{path: /foo}                                      | /foo           | true",
        "{path: /foo}                                      | /foo?x=1       | true",
        "{path: /foo}                                      | /foo#frag      | true",
        "{path: /foo}                                      | /foo/          | false",
        "{path: /foo}                                      | /Foo           | false",
        "{path: /foo, case_sensitive: false}               | /Foo?q         | true",
        "{path: /exact}                                    | /exacz?/exact  | false",
        "{safe_regex: {regex: '/users/\\d+'}}              | /users/12      | true",
        "{safe_regex: {regex: '/users/\\d+'}}              | /users/12?a=b  | true",
        "{safe_regex: {regex: '/users/\\d+'}}              | /users/12/x    | false",
        "{safe_regex: {regex: '/users/\\d+'}}              | /x/users/12    | false",
        "{path_separated_prefix: /api}                     | /api           | true",
        "{path_separated_prefix: /api}                     | /api/v1        | true",
        "{path_separated_prefix: /api}                     | /api?x         | true",
        "{path_separated_prefix: /api}                     | /apiv1         | false",
        "{path_separated_prefix: /api, case_sensitive: false} | /API/x      | true",
      })
  void paths(String match, String path, boolean expected) {
    assertThat(matchesGet(match, path)).isEqualTo(expected);
  }

  @Test
  void connectMatcherMatchesOnlyConnect() {
    assertThat(matches("{connect_matcher: {}}", "CONNECT", "/")).isTrue();
    assertThat(matches("{connect_matcher: {}}", "GET", "/")).isFalse();
  }

  @ParameterizedTest(name = "{0} with {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // presence
        "{name: x-a}                                              |              | false",
        "{name: x-a}                                              | x-a=         | true",
        "{name: x-a, present_match: true}                         | x-a=1        | true",
        "{name: x-a, present_match: false}                        |              | true",
        "{name: x-a, present_match: false}                        | x-a=1        | false",
        "{name: x-a, present_match: true, invert_match: true}     |              | true",
        "{name: x-a, present_match: true, invert_match: true}     | x-a=1        | false",
        // string_match
        "{name: x-a, string_match: {exact: v}}                    | x-a=v        | true",
        "{name: x-a, string_match: {exact: v}}                    | x-a=V        | false",
        "{name: x-a, string_match: {exact: v, ignore_case: true}} | x-a=V        | true",
        "{name: x-a, string_match: {prefix: ab}}                  | x-a=abc      | true",
        "{name: x-a, string_match: {prefix: ab, ignore_case: true}} | x-a=ABC    | true",
        "{name: x-a, string_match: {suffix: bc}}                  | x-a=abc      | true",
        "{name: x-a, string_match: {suffix: bc}}                  | x-a=abC      | false",
        "{name: x-a, string_match: {contains: b}}                 | x-a=abc      | true",
        "{name: x-a, string_match: {contains: B, ignore_case: true}} | x-a=abc   | true",
        "{name: x-a, string_match: {safe_regex: {regex: 'a.c'}}}  | x-a=abc      | true",
        "{name: x-a, string_match: {safe_regex: {regex: 'a.c'}}}  | x-a=xabc     | false",
        // names are case-insensitive
        "{name: X-A, string_match: {exact: v}}                    | x-a=v        | true",
        // inversion never rescues an absent header...
        "{name: x-a, string_match: {exact: v}, invert_match: true} |             | false",
        "{name: x-a, string_match: {exact: v}, invert_match: true} | x-a=w       | true",
        "{name: x-a, string_match: {exact: v}, invert_match: true} | x-a=v       | false",
        // ...unless a missing header is treated as empty
        "{name: x-a, string_match: {exact: v}, invert_match: true, treat_missing_header_as_empty: true} | | true",
        "{name: x-a, string_match: {exact: ''}, treat_missing_header_as_empty: true} |       | true",
        // repeated headers are matched joined with ','
        "{name: x-a, string_match: {exact: 'a,b'}}                | x-a=a;x-a=b  | true",
        "{name: x-a, string_match: {exact: a}}                    | x-a=a;x-a=b  | false",
        // range [start, end)
        "{name: x-n, range_match: {start: 10, end: 20}}           | x-n=10       | true",
        "{name: x-n, range_match: {start: 10, end: 20}}           | x-n=19       | true",
        "{name: x-n, range_match: {start: 10, end: 20}}           | x-n=20       | false",
        "{name: x-n, range_match: {start: -10, end: 0}}           | x-n=-3       | true",
        "{name: x-n, range_match: {start: 10, end: 20}}           | x-n=1x       | false",
        // the deprecated forms
        "{name: x-a, exact_match: v}                              | x-a=v        | true",
        "{name: x-a, exact_match: ''}                             | x-a=anything | true",
        "{name: x-a, prefix_match: ab}                            | x-a=abc      | true",
        "{name: x-a, suffix_match: bc}                            | x-a=abc      | true",
        "{name: x-a, contains_match: b}                           | x-a=abc      | true",
        "{name: x-a, safe_regex_match: {regex: '[a-c]+'}}         | x-a=abc      | true",
        // pseudo-headers
        "{name: ':method', string_match: {exact: GET}}            |              | true",
        "{name: ':authority', string_match: {exact: x}}           |              | true",
      })
  void headers(String matcher, String headers, boolean expected) {
    List<String> hs = new ArrayList<>();
    if (headers != null) {
      for (String kv : headers.split(";")) {
        int eq = kv.indexOf('=');
        hs.add(kv.substring(0, eq));
        hs.add(kv.substring(eq + 1));
      }
    }
    assertThat(matchesGet("{prefix: /, headers: [" + matcher + "]}", "/", hs.toArray(String[]::new))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{name: debug}                                     | /?debug          | true",
        "{name: debug}                                     | /?debug=1        | true",
        "{name: debug}                                     | /?other=1        | false",
        "{name: debug}                                     | /                | false",
        "{name: debug, present_match: true}                | /?x=1&debug=0    | true",
        "{name: debug, present_match: false}               | /?x=1            | true",
        "{name: debug, present_match: false}               | /?debug          | false",
        "{name: v, string_match: {exact: '2'}}             | /?v=2            | true",
        "{name: v, string_match: {exact: '2'}}             | /?v=1&v=2        | false",
        "{name: v, string_match: {exact: '2'}}             | /?v=2&v=1        | true",
        "{name: v, string_match: {exact: 'a%20b'}}         | /?v=a%20b        | true",
        "{name: v, string_match: {prefix: be}}             | /?v=beta         | true",
        "{name: V, string_match: {exact: '1'}}             | /?v=1            | false",
      })
  void queryParameters(String matcher, String path, boolean expected) {
    assertThat(matchesGet("{prefix: /, query_parameters: [" + matcher + "]}", path)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "content-type {0} -> {1}")
  @CsvSource({
    "application/grpc, true",
    "application/grpc+proto, true",
    "application/grpc-web, false",
    "application/grpc;charset=utf8, false",
    "application/json, false"
  })
  void grpc(String contentType, boolean expected) {
    assertThat(matches("{prefix: /, grpc: {}}", "POST", "/svc/Method", "content-type", contentType))
        .isEqualTo(expected);
  }

  @Test
  void grpcNeedsAContentType() {
    assertThat(matchesGet("{prefix: /, grpc: {}}", "/")).isFalse();
  }

  @Test
  void tlsContextOnAPlaintextRequest() {
    assertThat(matchesGet("{prefix: /, tls_context: {presented: false}}", "/")).isTrue();
    assertThat(matchesGet("{prefix: /, tls_context: {presented: true}}", "/")).isFalse();
    assertThat(matchesGet("{prefix: /, tls_context: {validated: true}}", "/")).isFalse();
  }

  @Test
  void firstMatchingRouteWins() {
    RouteTable t =
        Tables.table(
            """
            virtual_hosts:
            - name: v
              domains: ['*']
              routes:
              - {match: {prefix: /}, route: {cluster: first}}
              - {match: {prefix: /specific}, route: {cluster: never}}
            """);
    RouteRequest req = HeaderMapRequest.of("GET", "x", "/specific");
    assertThat(t.route(req, 0, RuntimeSnapshot.EMPTY).clusterName(req)).isEqualTo("first");
  }
}
