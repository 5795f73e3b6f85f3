package io.sluice.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteCheckToolTest {
  private static final String CONFIG = """
      virtual_hosts:
      - name: localhost
        domains: [example.com]
        routes:
        - name: new_endpoint
          match: {prefix: /new_endpoint}
          route: {cluster: www2, prefix_rewrite: /api/new_endpoint}
        - name: new_endpoint2
          match: {path: /new_endpoint2}
          route: {cluster: root_www2}
        - match: {prefix: /root}
          route: {cluster: www2}
        - match: {prefix: /no_name, case_sensitive: false}
          route: {cluster: www3}
      """;
  private static final String PASSING = """
      tests:
      - test_name: first
        input: {authority: example.com, path: /new_endpoint, method: GET}
        validate: {cluster_name: www2, path_rewrite: /api/new_endpoint}
      - test_name: second
        input: {authority: example.com, path: /root, method: GET}
        validate: {cluster_name: www2}
      """;
  private static final String FAILING = """
      tests:
      - test_name: good
        input: {authority: example.com, path: /root, method: GET}
        validate: {cluster_name: www2}
      - test_name: bad
        input: {authority: example.com, path: /root, method: GET}
        validate: {cluster_name: nope, code_redirect: 0}
      """;

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String config, String tests, String... flags) throws IOException {
    Path c = dir.resolve("config.yaml");
    Path t = dir.resolve("tests.yaml");
    Files.writeString(c, config);
    Files.writeString(t, tests);
    boolean details = false;
    boolean failures = false;
    float failUnder = 0;
    boolean covall = false;
    boolean detailed = false;
    boolean noDeprecation = false;
    Path output = null;
    for (int i = 0; i < flags.length; i++) {
      switch (flags[i]) {
        case "-d" -> details = true;
        case "--only-show-failures" -> failures = true;
        case "-f" -> failUnder = Float.parseFloat(flags[++i]);
        case "--covall" -> covall = true;
        case "--detailed-coverage" -> detailed = true;
        case "--disable-deprecation-check" -> noDeprecation = true;
        case "-o" -> output = dir.resolve(flags[++i]);
        default -> throw new IllegalArgumentException(flags[i]);
      }
    }
    AtomicInteger ids = new AtomicInteger();
    RouteCheckTool tool = new RouteCheckTool(
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        () -> "id" + ids.incrementAndGet());
    return tool.run(new RouteCheckOptions(c, t, details, failures, failUnder, covall, detailed, noDeprecation, output));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void passingRunPrintsNamesOnStdoutThenCoverage() throws IOException {
    assertThat(run(CONFIG, PASSING, "-d")).isZero();
    assertThat(out()).isEqualTo("first\nsecond\nCurrent route coverage: 50%\n");
    assertThat(err()).isEmpty();
  }

  @Test
  void withoutDetailsOnlyCoverageIsPrinted() throws IOException {
    assertThat(run(CONFIG, PASSING)).isZero();
    assertThat(out()).isEqualTo("Current route coverage: 50%\n");
  }

  @Test
  void detailedCoverageNamesRenamedRoutesInConfigOrder() throws IOException {
    assertThat(run(CONFIG, PASSING, "--detailed-coverage")).isZero();
    assertThat(out()).isEqualTo(
        "Missing test for host: localhost, route name: new_endpoint2-id2\n"
            + "Missing test for host: localhost, route name: -id4\n"
            + "Current route coverage: 50%\n");
  }

  @Test
  void covallPrintsMatchesInTextFormatEachFollowedByABlankLine() throws IOException {
    assertThat(run(CONFIG, PASSING, "--covall", "--detailed-coverage")).isZero();
    // first: 2 of 5 fields; second: 1 of 5; over 4 routes: 100 * 0.6 / 4 = 15.
    assertThat(out()).isEqualTo(
        "Missing test for host: localhost, route: path: \"/new_endpoint2\"\n\n"
            + "Missing test for host: localhost, route: prefix: \"/no_name\"\ncase_sensitive {\n}\n\n"
            + "Current route coverage: 15%\n");
  }

  @Test
  void failUnderComparesTheFloatFigures() throws IOException {
    assertThat(run(CONFIG, PASSING, "-f", "50")).isZero();
    assertThat(run(CONFIG, PASSING, "-f", "50.5")).isEqualTo(1);
    assertThat(err()).isEqualTo("Failed to meet coverage requirement: 50.5%\n");
    assertThat(run(CONFIG, PASSING, "-f", "-1")).isZero();
  }

  @Test
  void failingRunPrintsFailuresOnStderrAndNoCoverage() throws IOException {
    assertThat(run(CONFIG, FAILING, "-d")).isEqualTo(1);
    assertThat(out()).isEqualTo("good\n");
    assertThat(err()).isEqualTo("bad\nexpected: [nope], actual: [www2], test type: cluster_name\n");
  }

  @Test
  void failingRunIsSilentWithoutFlags() throws IOException {
    assertThat(run(CONFIG, FAILING)).isEqualTo(1);
    assertThat(out()).isEmpty();
    assertThat(err()).isEmpty();
  }

  @Test
  void onlyShowFailuresHidesPassingTestsEvenWithDetails() throws IOException {
    assertThat(run(CONFIG, FAILING, "-d", "--only-show-failures")).isEqualTo(1);
    assertThat(out()).isEmpty();
    assertThat(err()).startsWith("bad\n");
  }

  @Test
  void outputFileIsWrittenEvenWhenTestsFail() throws IOException {
    assertThat(run(CONFIG, FAILING, "-o", "out.pb")).isEqualTo(1);
    var results = WireDecoder.decode(Files.readAllBytes(dir.resolve("out.pb")));
    assertThat(results).hasSize(2);
    assertThat(results.get(0).message().get(0).string()).isEqualTo("good");
    var bad = results.get(1).message();
    assertThat(bad.get(0).string()).isEqualTo("bad");
    assertThat(bad.get(1).message()).extracting(WireDecoder.WireField::number).containsExactly(1, 2);
  }

  @Test
  void outputFileIsEmptyWithOnlyFailuresWhenAllPass() throws IOException {
    assertThat(run(CONFIG, PASSING, "--only-show-failures", "-o", "out.pb")).isZero();
    assertThat(Files.size(dir.resolve("out.pb"))).isZero();
  }

  @Test
  void configErrorsAreAllPrintedOneLineEachWithTheirPaths() throws IOException {
    String bad = """
        virtual_hosts:
        - name: v
          domains: ['*']
          routes:
          - match: {prefix: /}
            route: {cluster: ''}
          - match: {prefix: /, bogus: 1}
            route: {cluster: c}
        tests: []
        """;
    assertThat(run(bad, PASSING)).isEqualTo(1);
    Path c = dir.resolve("config.yaml");
    assertThat(err()).isEqualTo(
        c + ": virtual_hosts[0].routes[0].route.cluster: value length must be at least 1 characters\n"
            + c + ": virtual_hosts[0].routes[1].match.bogus: unknown field (INVALID_ARGUMENT: "
            + "envoy.config.route.v3.RouteMatch has no field named \"bogus\")\n"
            + c + ": tests: unknown field (INVALID_ARGUMENT: envoy.config.route.v3.RouteConfiguration has no field named \"tests\")\n");
    assertThat(out()).isEmpty();
  }

  @Test
  void testFileViolationIsOneMessage() throws IOException {
    assertThat(run(CONFIG, "tests: []")).isEqualTo(1);
    assertThat(err()).isEqualTo("Proto constraint validation failed (ValidationValidationError.Tests: "
        + "value must contain at least 1 item(s)): \n");
  }

  @Test
  void deprecatedFieldsWarnUnlessDisabled() throws IOException {
    String config = """
        virtual_hosts:
        - name: v
          domains: ['*']
          routes:
          - match: {prefix: /, headers: [{name: x, exact_match: y}]}
            route: {cluster: c}
            response_headers_to_add: [{header: {key: a, value: b}, append: false}]
        """;
    String tests = "tests: [{test_name: t, input: {authority: a, path: /, method: GET, "
        + "additional_request_headers: [{key: x, value: y}]}, validate: {cluster_name: c}}]";
    assertThat(run(config, tests)).isZero();
    Path c = dir.resolve("config.yaml");
    assertThat(err()).isEqualTo(
        "warning: " + c + ": virtual_hosts[0].routes[0].match.headers[0].exact_match: Using deprecated option "
            + "'envoy.config.route.v3.HeaderMatcher.exact_match' from file route_components.proto\n"
            + "warning: " + c + ": virtual_hosts[0].routes[0].response_headers_to_add[0].append: Using deprecated "
            + "option 'envoy.config.core.v3.HeaderValueOption.append' from file base.proto\n");
    err.reset();
    assertThat(run(config, tests, "--disable-deprecation-check")).isZero();
    assertThat(err()).isEmpty();
  }

  @Test
  void bootstrapUsesTheFirstInlineRouteConfig() throws IOException {
    String bootstrap = """
        static_resources:
          listeners:
          - name: main
            filter_chains:
            - filters:
              - name: envoy.filters.network.tcp_proxy
                typed_config: {stat_prefix: t}
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  '@type': type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  routeConfig:
                    virtual_hosts:
                    - {name: v, domains: ['*'], routes: [{match: {prefix: /}, route: {cluster: first}}]}
          - name: admin
            default_filter_chain:
              filters:
              - typed_config:
                  '@type': type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  route_config:
                    virtual_hosts:
                    - {name: v, domains: ['*'], routes: [{match: {prefix: /}, route: {cluster: second}}]}
        """;
    String tests = "tests: [{test_name: t, input: {authority: a, path: /, method: GET}, validate: {cluster_name: first}}]";
    assertThat(run(bootstrap, tests)).isZero();
    assertThat(err()).isEqualTo("note: " + dir.resolve("config.yaml") + " has 2 envoy.filters.network.http_connection_manager"
        + " route configurations; checking the first, at static_resources.listeners[0].filter_chains[0].filters[1]"
        + ".typed_config.route_config\n");
  }

  @Test
  void bootstrapErrorsNameTheirPathInTheBootstrap() throws IOException {
    String bootstrap = """
        static_resources:
          listeners:
          - filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  route_config:
                    virtual_hosts: [{name: v, domains: ['*'], routes: [{match: {prefix: /}, route: {}}]}]
        """;
    assertThat(run(bootstrap, PASSING)).isEqualTo(1);
    assertThat(err()).contains("static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config"
        + ".virtual_hosts[0].routes[0].route: cluster_specifier: value is required");
  }

  @Test
  void bootstrapWithoutInlineRoutesIsRejected() throws IOException {
    assertThat(run("static_resources: {listeners: []}", PASSING)).isEqualTo(1);
    assertThat(err()).contains("static_resources: no envoy.filters.network.http_connection_manager filter with an inline route_config");
  }

  @Test
  void zeroRuntimeFractionIsRaisedToOne() throws IOException {
    String config = """
        virtual_hosts:
        - name: v
          domains: ['*']
          routes:
          - match: {prefix: /, runtime_fraction: {runtime_key: k, default_value: {numerator: 0}}}
            route: {cluster: zero}
          - match: {prefix: /, runtime_fraction: {runtime_key: k}}
            route: {cluster: absent}
          - match: {prefix: /}
            route: {cluster: fallback}
        """;
    String tests = """
        tests:
        - {test_name: a, input: {authority: a, path: /, method: GET, runtime: k, random_value: 0}, validate: {cluster_name: zero}}
        - {test_name: b, input: {authority: a, path: /, method: GET, runtime: k, random_value: 1}, validate: {cluster_name: fallback}}
        - {test_name: c, input: {authority: a, path: /, method: GET, random_value: 0}, validate: {cluster_name: fallback}}
        """;
    assertThat(run(config, tests, "-d", "--covall")).isZero();
    assertThat(out()).contains("route: prefix: \"/\"\nruntime_fraction {\n  default_value {\n    numerator: 1\n  }\n"
        + "  runtime_key: \"k\"\n}\n");
  }
}
