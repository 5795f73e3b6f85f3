package io.sluice.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.check.TestExpectations.ExpectedHeaderMatch;
import io.sluice.config.Documents;
import io.sluice.config.MessageReader;
import io.sluice.config.Problems;
import io.sluice.route.HeaderMap;
import io.sluice.route.HeaderMatcher;
import org.junit.jupiter.api.Test;

class FailureLinesTest {
  private static final String K = "request_header_matches";

  private static ExpectedHeaderMatch matcher(String yaml) {
    JsonNode n = Documents.readOne(yaml, "t", Documents.Format.YAML);
    Problems problems = new Problems();
    HeaderMatcher m = HeaderMatcher.read(MessageReader.of(n, "", "envoy.config.route.v3.HeaderMatcher", problems));
    assertThat(problems.errors()).isEmpty();
    return new ExpectedHeaderMatch(m, n);
  }

  private static HeaderMap headers(String... nameValues) {
    HeaderMap h = new HeaderMap();
    for (int i = 0; i < nameValues.length; i += 2) {
      h.add(nameValues[i], nameValues[i + 1]);
    }
    return h;
  }

  @Test
  void scalarMismatch() {
    assertThat(FailureLines.mismatch("cluster1", "instant-server", "cluster_name"))
        .isEqualTo("expected: [cluster1], actual: [instant-server], test type: cluster_name");
    assertThat(FailureLines.mismatch("302", "0", "code_redirect"))
        .isEqualTo("expected: [302], actual: [0], test type: code_redirect");
  }

  @Test
  void presenceDependsOnlyOnInvert() {
    assertThat(FailureLines.headerMatch(K, matcher("{name: X-Pong, present_match: true}"), headers()))
        .isEqualTo("expected: [has(X-Pong):true], actual: [has(X-Pong):false], test type: request_header_matches.present_match");
    assertThat(FailureLines.headerMatch(K, matcher("{name: x, present_match: true, invert_match: true}"), headers("x", "1")))
        .isEqualTo("expected: [has(x):false], actual: [has(x):true], test type: request_header_matches.present_match");
    // No specifier is a presence test too; present_match: false still prints "true" expected (as Envoy does).
    assertThat(FailureLines.headerMatch(K, matcher("{name: x}"), headers()))
        .isEqualTo("expected: [has(x):true], actual: [has(x):false], test type: request_header_matches.present_match");
    assertThat(FailureLines.headerMatch(K, matcher("{name: x, present_match: false}"), headers("x", "1")))
        .isEqualTo("expected: [has(x):true], actual: [has(x):false], test type: request_header_matches.present_match");
  }

  @Test
  void exactStringMatchShowsBothValuesAndNotWhenInverted() {
    assertThat(FailureLines.headerMatch(K, matcher("{name: x-ping, string_match: {exact: pong}}"), headers("x-ping", "yes", "x-ping", "2")))
        .isEqualTo("expected: [x-ping: pong], actual: [x-ping: yes], test type: request_header_matches.string_match.exact");
    assertThat(FailureLines.headerMatch(K, matcher("{name: ct, string_match: {exact: a}, invert_match: true}"), headers("ct", "a")))
        .isEqualTo("expected: [ct: a], actual: NOT [ct: a], test type: request_header_matches.string_match.exact");
    assertThat(FailureLines.headerMatch(K, matcher("{name: x, string_match: {exact: Pong, ignore_case: true}}"), headers()))
        .isEqualTo("expected: [x: Pong], actual: [x: NULL], test type: request_header_matches.string_match.exact");
  }

  @Test
  void otherKindsShowOnlyTheActualValue() {
    assertThat(FailureLines.headerMatch(K, matcher("{name: content-length, range_match: {start: 100, end: 1000}}"), headers("content-length", "25")))
        .isEqualTo("actual: [content-length: 25], test type: request_header_matches.range_match");
    assertThat(FailureLines.headerMatch(K, matcher("{name: x-foo, string_match: {prefix: a}}"), headers()))
        .isEqualTo("actual: [x-foo: NULL], test type: request_header_matches.string_match.prefix");
    assertThat(FailureLines.headerMatch(K, matcher("{name: x-foo, string_match: {safe_regex: {regex: 'a+'}}}"), headers("x-foo", "b")))
        .isEqualTo("actual: [x-foo: b], test type: request_header_matches.string_match.safe_regex");
    assertThat(FailureLines.headerMatch(K, matcher("{name: x-foo, exact_match: v}"), headers("x-foo", "other")))
        .isEqualTo("actual: [x-foo: other], test type: request_header_matches.exact_match");
    assertThat(FailureLines.headerMatch(K, matcher("{name: x-foo, contains_match: v}"), headers("x-foo", "o")))
        .isEqualTo("actual: [x-foo: o], test type: request_header_matches.contains_match");
  }
}
