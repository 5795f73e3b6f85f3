package io.sluice.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.route.RouteTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutedTestTest {
  private static final RouteTable WEIGHTED = RouteChecks.table("""
      virtual_hosts:
      - name: w
        domains: ['*']
        routes:
        - match: {prefix: /}
          route:
            weighted_clusters:
              clusters: [{name: c1, weight: 30}, {name: c2, weight: 30}, {name: c3, weight: 40}]
      """);

  private static String cluster(String randomValue) {
    RouteCheckTestFile f = RouteChecks.tests(
        "tests: [{test_name: t, input: {authority: a, path: /, method: GET, random_value: " + randomValue + "}, validate: {}}]");
    return RoutedTest.route(WEIGHTED, f.tests().get(0).input()).clusterName();
  }

  @Test
  void randomValueGoesThroughA32BitSignedInt() {
    assertThat(new TestInput("a", "/", "GET", 4_294_967_296L, false, false, "", List.of(),
        List.of(), List.of()).routingRandomValue()).isZero();
    long wrapped = new TestInput("a", "/", "GET", 3_000_000_000L, false, false, "", List.of(),
        List.of(), List.of()).routingRandomValue();
    assertThat(Long.toUnsignedString(wrapped)).isEqualTo("18446744072414584320");
  }

  @Test
  void weightedPickUsesTheWrappedValue() {
    assertThat(cluster("115")).isEqualTo("c1");
    assertThat(cluster("445")).isEqualTo("c2");
    assertThat(cluster("560")).isEqualTo("c3");
    assertThat(cluster("30")).isEqualTo("c2");
    // 2^32 + 30 keeps only its low 32 bits: 30 (c2); unwrapped it would be 26 mod 100 (c1).
    assertThat(cluster("4294967326")).isEqualTo("c2");
    // 2^31 + 102 is sign-extended to 2^64 - 2^31 + 102, which is 70 mod 100 (c3); unwrapped, 50 (c2).
    assertThat(cluster("2147483750")).isEqualTo("c3");
  }

  @Test
  void requestHeadersAreBuiltInEnvoysOrder() {
    RouteCheckTestFile f = RouteChecks.tests("""
        tests:
        - test_name: t
          input:
            authority: a
            path: /
            method: GET
            ssl: true
            internal: true
            additional_request_headers: [{key: X-Extra, value: '1'}, {key: x-extra, value: '2'}]
          validate: {}
        """);
    RoutedTest routed = RoutedTest.route(WEIGHTED, f.tests().get(0).input());
    assertThat(routed.request().headers().toString()).isEqualTo(
        "{:authority: a, :path: /, :method: GET, x-forwarded-proto: https, :scheme: https, x-envoy-internal: true, "
            + "x-extra: 1, x-extra: 2}");
  }

  @Test
  void directResponseHeadersAreSynthesized() {
    RouteTable table = RouteChecks.table("""
        virtual_hosts:
        - name: v
          domains: ['*']
          routes:
          - match: {path: /ping}
            direct_response: {status: 200, body: {inline_string: pong}}
            response_headers_to_add: [{header: {key: content-type, value: application/json}}]
          - match: {path: /empty}
            direct_response: {status: 204}
        """);
    RouteCheckTestFile f = RouteChecks.tests("""
        tests:
        - {test_name: a, input: {authority: h, path: /ping, method: GET}, validate: {}}
        - {test_name: b, input: {authority: h, path: /empty, method: GET}, validate: {}}
        """);
    RoutedTest ping = RoutedTest.route(table, f.tests().get(0).input());
    assertThat(ping.responseHeaders().toString())
        .isEqualTo("{:status: 200, content-length: 4, content-type: text/plain, content-type: application/json}");
    assertThat(ping.location()).isEqualTo("http://h/ping");
    RoutedTest empty = RoutedTest.route(table, f.tests().get(1).input());
    assertThat(empty.responseHeaders().toString()).isEqualTo("{:status: 204}");
  }
}
