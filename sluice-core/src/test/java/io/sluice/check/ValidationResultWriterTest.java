package io.sluice.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.check.ValidationFailure.HeaderMatchFailure;
import io.sluice.check.ValidationFailure.Scalar;
import io.sluice.check.ValidationFailure.ScalarMismatch;
import io.sluice.check.WireDecoder.WireField;
import io.sluice.config.Documents;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationResultWriterTest {

  private static JsonNode yaml(String text) {
    return Documents.readOne(text, "t", Documents.Format.YAML);
  }

  @Test
  void passingTestIsNamePlusPassedFlag() {
    byte[] bytes = ValidationResultWriter.encode(List.of(new TestResult("Test_1", List.of(), null)), false);
    // test_results (1, LEN) { test_name (1, LEN) "Test_1", test_passed (2, VARINT) 1 }
    assertThat(bytes).containsExactly(0x0A, 0x0A, 0x0A, 0x06, 'T', 'e', 's', 't', '_', '1', 0x10, 0x01);
  }

  @Test
  void onlyFailuresLeavesPassingTestsOut() {
    assertThat(ValidationResultWriter.encode(List.of(new TestResult("a", List.of(), null)), true)).isEmpty();
  }

  @Test
  void failureCarriesBothWrappersInFieldOrderAndEmptyWrappersForDefaults() {
    ValidationFailure f = new ValidationFailure(
        List.of(
            new ScalarMismatch(Scalar.PATH_REWRITE, "/a", "/b"),
            new ScalarMismatch(Scalar.CLUSTER_NAME, "c1", ""),
            new ScalarMismatch(Scalar.CODE_REDIRECT, "302", "0")),
        List.of(),
        List.of());
    byte[] bytes = ValidationResultWriter.encode(List.of(new TestResult("t", List.of("x"), f)), false);

    List<WireField> results = WireDecoder.decode(bytes);
    assertThat(results).hasSize(1);
    List<WireField> item = results.get(0).message();
    // test_passed=false is not serialized: name, then the failure.
    assertThat(item).extracting(WireField::number).containsExactly(1, 3);
    List<WireField> failure = item.get(1).message();
    assertThat(failure).extracting(WireField::number).containsExactly(1, 2, 9, 10, 13, 14);
    assertThat(failure.get(0).message().get(0).string()).isEqualTo("c1");
    assertThat(failure.get(1).bytes()).isEmpty(); // actual_cluster_name = "" is an empty StringValue
    assertThat(failure.get(2).message().get(0).string()).isEqualTo("/a");
    assertThat(failure.get(3).message().get(0).string()).isEqualTo("/b");
    assertThat(failure.get(4).message().get(0).value()).isEqualTo(302);
    assertThat(failure.get(5).bytes()).isEmpty(); // actual_code_redirect = 0
  }

  @Test
  void headerMatchFailuresReencodeTheMatcher() {
    JsonNode matcher = yaml("{name: x-pong-response, present_match: true, invert_match: false}");
    JsonNode range = yaml("{name: content-length, range_match: {start: -1, end: 1000}}");
    ValidationFailure f = new ValidationFailure(
        List.of(),
        List.of(new HeaderMatchFailure(range, "25")),
        List.of(new HeaderMatchFailure(matcher, "")));
    byte[] bytes = ValidationResultWriter.encode(List.of(new TestResult("t", List.of("x"), f)), false);
    byte[] failureBytes = WireDecoder.decode(bytes).get(0).message().get(1).bytes();

    // response_header_match_failures is field 16: its tag needs two bytes, 0x82 0x01.
    assertThat(failureBytes).startsWith(0x7A);
    List<WireField> failure = WireDecoder.decode(failureBytes);
    assertThat(failure).extracting(WireField::number).containsExactly(15, 16);

    List<WireField> rangeFailure = failure.get(0).message();
    List<WireField> rangeMatcher = rangeFailure.get(0).message();
    assertThat(rangeMatcher).extracting(WireField::number).containsExactly(1, 6);
    List<WireField> bounds = rangeMatcher.get(1).message();
    assertThat(bounds.get(0).value()).isEqualTo(-1L); // int64 -1: a ten-byte varint
    assertThat(rangeMatcher.get(1).bytes()).hasSize(1 + 10 + 1 + 2);
    assertThat(rangeFailure.get(1).message().get(0).string()).isEqualTo("25");

    List<WireField> presence = failure.get(1).message();
    assertThat(presence.get(0).message()).extracting(WireField::number, WireField::value)
        .containsExactly(tuple(1, 0L), tuple(7, 1L));
    assertThat(presence.get(1).bytes()).isEmpty(); // absent header: actual_header_value = ""
  }

  @Test
  void oneofDefaultsAreWrittenAndPlainDefaultsAreNot() {
    byte[] m = ProtoBinaryEncoder.encode(
            yaml("{name: x, present_match: false, invert_match: false}"), ProtoDescriptors.HEADER_MATCHER)
        .toByteArray();
    assertThat(m).containsExactly(0x0A, 0x01, 'x', 0x38, 0x00);
    byte[] exact = ProtoBinaryEncoder.encode(yaml("{name: x, stringMatch: {exact: ''}}"), ProtoDescriptors.HEADER_MATCHER)
        .toByteArray();
    assertThat(exact).containsExactly(0x0A, 0x01, 'x', 0x6A, 0x02, 0x0A, 0x00);
  }

  @Test
  void failedTestWithoutRecordedFieldsHasAnEmptyFailure() {
    ValidationFailure empty = new ValidationFailure(List.of(), List.of(), List.of());
    byte[] bytes = ValidationResultWriter.encode(List.of(new TestResult("t", List.of("line"), empty)), true);
    assertThat(bytes).containsExactly(0x0A, 0x05, 0x0A, 0x01, 't', 0x1A, 0x00);
  }
}
