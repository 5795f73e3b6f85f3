package io.sluice.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DynamicMetadataTest {

  @Test
  void dynamicMetadataMergesOnlyWhenOverwriteIsAllowed() {
    RouteCheckTestFile f = RouteChecks.tests("""
        tests:
        - test_name: t
          input:
            authority: a
            path: /
            method: GET
            dynamic_metadata:
            - {metadata_namespace: ns, value: {a: 1, list: [1], s: {x: 1}}}
            - {metadata_namespace: ns, value: {a: 2}}
            - {metadata_namespace: ns, value: {list: [2], s: {y: 2}, b: 3}, allow_overwrite: true}
            - {metadata_namespace: t, typed_value: {'@type': type.googleapis.com/x.Y, v: 1}}
          validate: {}
        """);
    DynamicMetadata md = DynamicMetadata.of(f.tests().get(0).input().dynamicMetadata());
    assertThat(md.namespace("ns").toString()).isEqualTo("{\"a\":1,\"list\":[1,2],\"s\":{\"x\":1,\"y\":2},\"b\":3}");
    assertThat(md.namespace("t")).isNull();
    assertThat(md.typedNamespace("t").get("v").asInt()).isEqualTo(1);
  }

  @Test
  void typedValueIsReplacedWholeWhenOverwriteIsAllowed() {
    RouteCheckTestFile f = RouteChecks.tests("""
        tests:
        - test_name: t
          input:
            authority: a
            path: /
            method: GET
            dynamic_metadata:
            - {metadata_namespace: t, typed_value: {'@type': type.googleapis.com/x.Y, v: 1, w: 1}}
            - {metadata_namespace: t, typed_value: {'@type': type.googleapis.com/x.Y, v: 2}}
            - {metadata_namespace: u, typed_value: {'@type': type.googleapis.com/x.Y, v: 1, w: 1}}
            - {metadata_namespace: u, typed_value: {'@type': type.googleapis.com/x.Y, v: 2}, allow_overwrite: true}
          validate: {}
        """);
    DynamicMetadata md = DynamicMetadata.of(f.tests().get(0).input().dynamicMetadata());
    assertThat(md.typedNamespace("t").get("v").asInt()).isEqualTo(1);
    assertThat(md.typedNamespace("u").has("w")).isFalse();
    assertThat(md.typedNamespace("u").get("v").asInt()).isEqualTo(2);
  }
}
