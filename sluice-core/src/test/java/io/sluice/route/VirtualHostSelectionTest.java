package io.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class VirtualHostSelectionTest {
  private static final String HOSTS =
      """
      virtual_hosts:
      - {name: exact, domains: [www.foo.com, 'api.foo.com:8080'], routes: [{match: {prefix: /}, route: {cluster: c}}]}
      - {name: suffix-short, domains: ['*.foo.com'], routes: [{match: {prefix: /}, route: {cluster: c}}]}
      - {name: suffix-long, domains: ['*-bar.foo.com'], routes: [{match: {prefix: /}, route: {cluster: c}}]}
      - {name: prefix-short, domains: ['foo.*'], routes: [{match: {prefix: /}, route: {cluster: c}}]}
      - {name: prefix-long, domains: ['foo.bar.*'], routes: [{match: {prefix: /}, route: {cluster: c}}]}
      - {name: catch-all, domains: ['*'], routes: [{match: {prefix: /}, route: {cluster: c}}]}
      """;

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "www.foo.com, exact",
    "WWW.Foo.COM, exact",
    "api.foo.com:8080, exact",
    // the port is part of the authority: no exact match, so the suffix wildcard is next
    "api.foo.com, suffix-short",
    "www.foo.com:80, catch-all",
    "a.foo.com, suffix-short",
    "baz-bar.foo.com, suffix-long",
    // a wildcard stands for at least one character
    "-bar.foo.com, suffix-short",
    ".foo.com, catch-all",
    "foo.com, prefix-short",
    "foo.bar.baz, prefix-long",
    "foo.baz, prefix-short",
    "foo., catch-all",
    // suffix wildcards before prefix wildcards, whatever their length
    "foo.x.foo.com, suffix-short",
    "example.org, catch-all"
  })
  void precedence(String authority, String expected) {
    assertThat(Tables.table(HOSTS).findVirtualHost(authority).name()).isEqualTo(expected);
  }

  @Test
  void noCatchAllMeansNoRoute() {
    RouteTable t =
        Tables.table(
            "virtual_hosts:\n- {name: only, domains: [a.com], routes: [{match: {prefix: /}, route: {cluster: c}}]}\n");
    RouteRequest req = HeaderMapRequest.of("GET", "b.com", "/");
    assertThat(t.route(req, 0, io.sluice.runtime.RuntimeSnapshot.EMPTY).kind()).isEqualTo(RouteResult.Kind.NO_ROUTE);
    assertThat(t.route(req, 0, io.sluice.runtime.RuntimeSnapshot.EMPTY).responseFlag()).isEqualTo("NR");
  }

  @Test
  void onlyACatchAllMatchesEvenWithoutAnAuthority() {
    RouteTable t =
        Tables.table("virtual_hosts:\n- {name: all, domains: ['*'], routes: [{match: {prefix: /}, route: {cluster: c}}]}\n");
    assertThat(t.findVirtualHost(null).name()).isEqualTo("all");
  }

  @ParameterizedTest(name = "ignore_port_in_host_matching: {0} -> {1}")
  @CsvSource({
    "www.foo.com:8443, exact",
    "a.foo.com:1, suffix-short",
    "'[::1]:80', v6",
    "'[::1]', v6",
    "other:80, catch-all"
  })
  void ignorePortInHostMatching(String authority, String expected) {
    RouteTable t =
        Tables.table(
            """
            ignore_port_in_host_matching: true
            virtual_hosts:
            - {name: exact, domains: [www.foo.com], routes: [{match: {prefix: /}, route: {cluster: c}}]}
            - {name: suffix-short, domains: ['*.foo.com'], routes: [{match: {prefix: /}, route: {cluster: c}}]}
            - {name: v6, domains: ['[::1]'], routes: [{match: {prefix: /}, route: {cluster: c}}]}
            - {name: catch-all, domains: ['*'], routes: [{match: {prefix: /}, route: {cluster: c}}]}
            """);
    assertThat(t.findVirtualHost(authority).name()).isEqualTo(expected);
  }

  @Test
  void duplicateDomainsAndASecondWildcardAreRejectedWithEnvoysMessages() {
    assertThat(
            Tables.errors(
                """
                name: local_route
                virtual_hosts:
                - {name: a, domains: ['*', 'X.com'], routes: []}
                - {name: b, domains: ['x.COM', '*.y.com'], routes: []}
                - {name: c, domains: ['*', '*.Y.com', 'z.*', 'Z.*'], routes: []}
                """))
        .containsExactly(
            "virtual_hosts[1].domains[0]: Only unique values for domains are permitted. Duplicate entry of domain x.com in route local_route",
            "virtual_hosts[2].domains[0]: Only a single wildcard domain is permitted in route local_route",
            "virtual_hosts[2].domains[1]: Only unique values for domains are permitted. Duplicate entry of domain *.y.com in route local_route",
            "virtual_hosts[2].domains[3]: Only unique values for domains are permitted. Duplicate entry of domain z.* in route local_route");
  }
}
