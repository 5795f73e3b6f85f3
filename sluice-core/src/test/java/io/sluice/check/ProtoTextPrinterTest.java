package io.sluice.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.config.Documents;
import org.junit.jupiter.api.Test;

class ProtoTextPrinterTest {

  private static String routeMatch(String yaml) {
    JsonNode n = Documents.readOne(yaml, "test", Documents.Format.YAML);
    return ProtoTextPrinter.print(n, ProtoDescriptors.ROUTE_MATCH);
  }

  @Test
  void singleStringField() {
    assertThat(routeMatch("prefix: /")).isEqualTo("prefix: \"/\"\n");
  }

  @Test
  void oneofMembersArePrintedEvenWhenEmpty() {
    assertThat(routeMatch("prefix: ''")).isEqualTo("prefix: \"\"\n");
  }

  @Test
  void wrappersPrintTheirValueOnlyWhenNotDefault() {
    assertThat(routeMatch("{path: /foo, case_sensitive: false}")).isEqualTo("path: \"/foo\"\ncase_sensitive {\n}\n");
    assertThat(routeMatch("{path: /foo, case_sensitive: true}"))
        .isEqualTo("path: \"/foo\"\ncase_sensitive {\n  value: true\n}\n");
  }

  @Test
  void fieldsComeInFieldNumberOrderWhateverTheWrittenOrder() {
    String yaml = "{grpc: {}, headers: [{string_match: {exact: bar}, name: x-foo}], prefix: /}";
    assertThat(routeMatch(yaml))
        .isEqualTo(
            "prefix: \"/\"\n"
                + "headers {\n"
                + "  name: \"x-foo\"\n"
                + "  string_match {\n"
                + "    exact: \"bar\"\n"
                + "  }\n"
                + "}\n"
                + "grpc {\n"
                + "}\n");
  }

  @Test
  void stringsAreCEscaped() {
    assertThat(routeMatch("safe_regex: {regex: \"^/api/v[0-9]/\\\\d+\\\"x'$\"}"))
        .isEqualTo("safe_regex {\n  regex: \"^/api/v[0-9]/\\\\d+\\\"x\\'$\"\n}\n");
    // Non-ASCII bytes become octal escapes in PrintToString ("é" is C3 A9).
    assertThat(routeMatch("prefix: /caf\u00e9")).isEqualTo("prefix: \"/caf\\303\\251\"\n");
  }

  @Test
  void debugStringKeepsUtf8() {
    JsonNode n = Documents.readOne("prefix: /caf\u00e9", "t", Documents.Format.YAML);
    assertThat(ProtoTextPrinter.debugString(n, ProtoDescriptors.ROUTE_MATCH)).isEqualTo("prefix: \"/caf\u00e9\"\n");
  }

  @Test
  void enumsByNameAndDefaultEnumLeftOut() {
    assertThat(routeMatch(
            "{prefix: /disabled, runtime_fraction: {runtime_key: k, default_value: {numerator: 1, denominator: HUNDRED}}}"))
        .isEqualTo(
            "prefix: \"/disabled\"\n"
                + "runtime_fraction {\n"
                + "  default_value {\n"
                + "    numerator: 1\n"
                + "  }\n"
                + "  runtime_key: \"k\"\n"
                + "}\n");
    assertThat(routeMatch("{prefix: /, runtimeFraction: {defaultValue: {numerator: '5', denominator: 1}}}"))
        .isEqualTo(
            "prefix: \"/\"\n"
                + "runtime_fraction {\n"
                + "  default_value {\n"
                + "    numerator: 5\n"
                + "    denominator: TEN_THOUSAND\n"
                + "  }\n"
                + "}\n");
  }

  @Test
  void presenceAndRangeMatchers() {
    assertThat(routeMatch("{prefix: /, headers: [{name: x, present_match: false}, {name: y, range_match: {start: -5, end: '10'}}]}"))
        .isEqualTo(
            "prefix: \"/\"\n"
                + "headers {\n"
                + "  name: \"x\"\n"
                + "  present_match: false\n"
                + "}\n"
                + "headers {\n"
                + "  name: \"y\"\n"
                + "  range_match {\n"
                + "    start: -5\n"
                + "    end: 10\n"
                + "  }\n"
                + "}\n");
  }

  @Test
  void dynamicMetadataMatchers() {
    assertThat(routeMatch(
            "{path: /e, dynamic_metadata: [{filter: f, path: [{key: a}], value: {string_match: {exact: b}}, invert: true}]}"))
        .isEqualTo(
            "path: \"/e\"\n"
                + "dynamic_metadata {\n"
                + "  filter: \"f\"\n"
                + "  path {\n"
                + "    key: \"a\"\n"
                + "  }\n"
                + "  value {\n"
                + "    string_match {\n"
                + "      exact: \"b\"\n"
                + "    }\n"
                + "  }\n"
                + "  invert: true\n"
                + "}\n");
  }

  @Test
  void structsPrintSortedMapEntries() {
    JsonNode n = Documents.readOne(
        "{tests: [], runtime: {b: 1.5, a: [true, null]}}", "t", Documents.Format.YAML);
    assertThat(ProtoTextPrinter.debugString(n, ProtoDescriptors.VALIDATION))
        .isEqualTo(
            "runtime {\n"
                + "  fields {\n"
                + "    key: \"a\"\n"
                + "    value {\n"
                + "      list_value {\n"
                + "        values {\n"
                + "          bool_value: true\n"
                + "        }\n"
                + "        values {\n"
                + "          null_value: NULL_VALUE\n"
                + "        }\n"
                + "      }\n"
                + "    }\n"
                + "  }\n"
                + "  fields {\n"
                + "    key: \"b\"\n"
                + "    value {\n"
                + "      number_value: 1.5\n"
                + "    }\n"
                + "  }\n"
                + "}\n");
  }
}
