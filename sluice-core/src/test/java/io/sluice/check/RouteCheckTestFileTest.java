package io.sluice.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConfigException;
import io.sluice.config.ConfigProblem;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RouteCheckTestFileTest {
  private static final String PREFIX = "Proto constraint validation failed (";

  private static String violation(String yaml) {
    try {
      RouteChecks.tests(yaml);
    } catch (TestFileConstraintException e) {
      assertThat(e.getMessage()).startsWith(PREFIX);
      return e.getMessage().substring(PREFIX.length(), e.getMessage().indexOf("): "));
    }
    throw new AssertionError("no violation for " + yaml);
  }

  @Test
  void readsEveryFieldInEitherNameStyle() {
    RouteCheckTestFile f = RouteChecks.tests("""
        runtime: {re2.max_program_size.error_level: 32768}
        tests:
        - testName: t
          input:
            authority: a
            path: /p?q
            method: GET
            randomValue: '18446744073709551615'
            ssl: true
            internal: true
            runtime: k
            additionalRequestHeaders: [{key: X-A, value: '1'}]
            additional_response_headers: [{key: x-b, value: '2'}]
            dynamic_metadata: [{metadata_namespace: ns, value: {a: 1}, allow_overwrite: true}]
          validate:
            cluster_name: ''
            virtualClusterName: vc
            code_redirect: 302
            timeout: 1.5s
            request_header_matches: [{name: x, present_match: true}]
            response_header_fields: [{key: k, value: v}]
            route_metadata: [{namespace: n, key: k, value: v}]
        """);
    assertThat(f.runtime().get("re2.max_program_size.error_level").asInt()).isEqualTo(32768);
    RouteCheckTest t = f.tests().get(0);
    assertThat(t.name()).isEqualTo("t");
    assertThat(t.input().randomValue()).isEqualTo(-1L);
    assertThat(t.input().ssl()).isTrue();
    assertThat(t.input().additionalRequestHeaders()).containsExactly(new TestInput.HeaderEntry("X-A", "1"));
    assertThat(t.input().dynamicMetadata().get(0).allowOverwrite()).isTrue();
    assertThat(t.expect().clusterName()).isEmpty();
    assertThat(t.expect().virtualHostName()).isNull();
    assertThat(t.expect().virtualClusterName()).isEqualTo("vc");
    assertThat(t.expect().codeRedirect()).isEqualTo(302L);
    assertThat(t.expect().timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(t.expect().requestHeaderMatches()).hasSize(1);
    assertThat(t.expect().routeMetadata()).containsExactly(new TestExpectations.ExpectedMetadata("n", "k", "v"));
  }

  @Test
  void unknownAndRemovedFieldsAreErrorsNamingTheirPath() {
    assertThatThrownBy(() -> RouteChecks.tests("""
        tests:
        - test_name: t
          input: {authority: a, path: /, method: GET, additional_headers: []}
          validate: {header_fields: [], request_header_matches: [{name: x, bogus: 1}]}
        virtual_hosts: []
        """))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).errors()).extracting(ConfigProblem::toString).containsExactly(
            "tests[0].input.additional_headers: unknown field (INVALID_ARGUMENT: envoy.RouterCheckToolSchema.ValidationInput has no field named \"additional_headers\")",
            "tests[0].validate.request_header_matches[0].bogus: unknown field (INVALID_ARGUMENT: envoy.config.route.v3.HeaderMatcher has no field named \"bogus\")",
            "tests[0].validate.header_fields: unknown field (INVALID_ARGUMENT: envoy.RouterCheckToolSchema.ValidationAssert has no field named \"header_fields\")",
            "virtual_hosts: unknown field (INVALID_ARGUMENT: envoy.RouterCheckToolSchema.Validation has no field named \"virtual_hosts\")"));
  }

  @Test
  void schemaRulesReportTheFirstViolationAsPgvDoes() {
    assertThat(violation("tests: []"))
        .isEqualTo("ValidationValidationError.Tests: value must contain at least 1 item(s)");
    assertThat(violation("{}"))
        .isEqualTo("ValidationValidationError.Tests: value must contain at least 1 item(s)");
    assertThat(violation("tests: [{test_name: a, validate: {}}]"))
        .isEqualTo("ValidationValidationError.Tests[0]: embedded message failed validation | caused by "
            + "ValidationItemValidationError.Input: value is required");
    assertThat(violation("tests: [{test_name: '', input: {authority: a, path: /, method: GET}, validate: {}}]"))
        .isEqualTo("ValidationValidationError.Tests[0]: embedded message failed validation | caused by "
            + "ValidationItemValidationError.TestName: value length must be at least 1 characters");
    assertThat(violation("""
        tests:
        - {test_name: ok, input: {authority: a, path: /, method: GET}, validate: {}}
        - {test_name: ok, input: {authority: a, path: /, method: GET}, validate: {}}
        - {test_name: short, input: {authority: a, path: /, method: GE}, validate: {}}
        """))
        .isEqualTo("ValidationValidationError.Tests[2]: embedded message failed validation | caused by "
            + "ValidationItemValidationError.Input: embedded message failed validation | caused by "
            + "ValidationInputValidationError.Method: value length must be at least 3 characters");
    assertThat(violation("tests: [{test_name: a, input: {authority: a, path: /, method: GET}}]"))
        .endsWith("ValidationItemValidationError.Validate: value is required");
    assertThat(violation("tests: [{test_name: a, input: {path: /, method: GET}, validate: {}}]"))
        .endsWith("ValidationInputValidationError.Authority: value length must be at least 1 characters");
    assertThat(violation("tests: [{test_name: a, input: {authority: a, path: /, method: GET, "
            + "additional_request_headers: [{key: '', value: v}]}, validate: {}}]"))
        .endsWith("ValidationInputValidationError.AdditionalRequestHeaders[0]: embedded message failed validation"
            + " | caused by HeaderValueValidationError.Key: value length must be at least 1 characters");
    assertThat(violation("tests: [{test_name: a, input: {authority: a, path: /, method: GET, "
            + "dynamic_metadata: [{value: {a: 1}}]}, validate: {}}]"))
        .endsWith("MetadataValidationError.MetadataNamespace: value length must be at least 1 characters");
  }

  @Test
  void violationMessageEndsWithTheFileInTextFormat() {
    assertThatThrownBy(() -> RouteChecks.tests("tests: [{test_name: a, input: {authority: h, path: /, method: GE}, validate: {}}]"))
        .hasMessageEndingWith("): tests {\n  test_name: \"a\"\n  input {\n    authority: \"h\"\n    path: \"/\"\n"
            + "    method: \"GE\"\n  }\n  validate {\n  }\n}");
  }

  @Test
  void methodLengthCountsCodePoints() {
    // Three code points, six UTF-8 bytes: valid.
    RouteChecks.tests("tests: [{test_name: a, input: {authority: h, path: /, method: \"\u00e9\u00e9\u00e9\"}, validate: {}}]");
  }
}
