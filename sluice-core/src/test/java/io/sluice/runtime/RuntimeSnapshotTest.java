package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.Documents;
import io.sluice.config.Problems;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuntimeSnapshotTest {
  private static final FractionalPercent HALF = FractionalPercent.ofHundred(50);

  private static RuntimeSnapshot admin(String key, String value) {
    return new RuntimeSnapshot(List.of(RuntimeLayer.admin("admin").with(key, value)));
  }

  @Test
  void defaultFractionEdges() {
    FractionalPercent zero = FractionalPercent.ofHundred(0);
    FractionalPercent all = FractionalPercent.ofHundred(100);
    for (long r = 0; r < 1000; r++) {
      assertThat(RuntimeSnapshot.EMPTY.featureEnabled("k", zero, r)).isFalse();
      assertThat(RuntimeSnapshot.EMPTY.featureEnabled("k", all, r)).isTrue();
    }
    FractionalPercent oneInMillion = new FractionalPercent(1, FractionalPercent.Denominator.MILLION);
    assertThat(RuntimeSnapshot.EMPTY.featureEnabled("k", oneInMillion, 0)).isTrue();
    assertThat(RuntimeSnapshot.EMPTY.featureEnabled("k", oneInMillion, 1)).isFalse();
    assertThat(RuntimeSnapshot.EMPTY.featureEnabled("k", oneInMillion, 1_000_000)).isTrue();
    // A numerator above the denominator always matches.
    assertThat(RuntimeSnapshot.EMPTY.featureEnabled("k", FractionalPercent.ofHundred(250), 99)).isTrue();
  }

  @ParameterizedTest(name = "runtime {0} at random {1} -> {2}")
  @CsvSource({
    "0, 0, false",
    "0, 99, false",
    "100, 99, true",
    "100, 0, true",
    "101, 12345, true",
    "90, 89, true",
    "90, 90, false",
    "90, 189, true",
    "90.7, 90, false",
    "90.7, 89, true",
    "1e2, 99, true",
    // unusable values fall back to the default of 50/100
    "abc, 49, true",
    "abc, 50, false",
    "-5, 49, true",
    "-5, 50, false",
    "true, 50, false",
    "false, 49, true",
    "'', 49, true"
  })
  void integerRuntimeValuesArePercentagesOutOfHundred(String value, long random, boolean enabled) {
    RuntimeSnapshot rt = admin("routing.k", value);
    assertThat(rt.featureEnabled("routing.k", HALF, random)).isEqualTo(enabled);
  }

  @Test
  void integerRuntimeValueUsesHundredEvenWhenTheDefaultHasAnotherDenominator() {
    FractionalPercent defaultInMillion = new FractionalPercent(500_000, FractionalPercent.Denominator.MILLION);
    RuntimeSnapshot rt = admin("k", "10");
    assertThat(rt.featureEnabled("k", defaultInMillion, 9)).isTrue();
    assertThat(rt.featureEnabled("k", defaultInMillion, 10)).isFalse();
    assertThat(rt.featureEnabled("k", defaultInMillion, 109)).isTrue();
  }

  @Test
  void fractionValuesKeepTheirDenominator() {
    RuntimeSnapshot rt = admin("k", "{\"numerator\": 5, \"denominator\": \"TEN_THOUSAND\"}");
    assertThat(rt.featureEnabled("k", HALF, 4)).isTrue();
    assertThat(rt.featureEnabled("k", HALF, 5)).isFalse();
    assertThat(rt.featureEnabled("k", HALF, 10_004)).isTrue();
    RuntimeSnapshot noDenominator = admin("k", "{numerator: 30}");
    assertThat(noDenominator.featureEnabled("k", HALF, 29)).isTrue();
    assertThat(noDenominator.featureEnabled("k", HALF, 30)).isFalse();
  }

  @Test
  void malformedFractionFallsBackToDefault() {
    RuntimeSnapshot rt = admin("k", "{\"numerator\": 5, \"denominator\": \"THOUSAND\"}");
    assertThat(rt.featureEnabled("k", HALF, 49)).isTrue();
    assertThat(rt.featureEnabled("k", HALF, 50)).isFalse();
  }

  @Test
  void getIntegerFloorsAndIgnoresNonNumbers() {
    RuntimeSnapshot rt =
        new RuntimeSnapshot(
            List.of(RuntimeLayer.admin("a").with("x", "42.9").with("b", "true").with("s", "ten").with("n", "-1")));
    assertThat(rt.getInteger("x", 7)).isEqualTo(42);
    assertThat(rt.getInteger("b", 7)).isEqualTo(7);
    assertThat(rt.getInteger("s", 7)).isEqualTo(7);
    assertThat(rt.getInteger("n", 7)).isEqualTo(7);
    assertThat(rt.getInteger("missing", 7)).isEqualTo(7);
  }

  @Test
  void laterLayersWinAndEmptyAdminValueDeletes() {
    Problems p = new Problems();
    RuntimeLayer base =
        RuntimeLayer.fromTree(
            "static",
            Documents.readOne("routing: {traffic_shift: {helloworld: 100}}\nflag: true\n", "t", Documents.Format.YAML),
            "layered_runtime.layers[0].static_layer",
            p);
    assertThat(p.hasErrors()).isFalse();
    assertThat(base.values()).containsOnlyKeys("routing.traffic_shift.helloworld", "flag");
    RuntimeLayer admin = RuntimeLayer.admin("admin").with("routing.traffic_shift.helloworld", "90");
    RuntimeSnapshot rt = new RuntimeSnapshot(List.of(base, admin));
    assertThat(rt.getInteger("routing.traffic_shift.helloworld", 0)).isEqualTo(90);
    RuntimeSnapshot deleted = new RuntimeSnapshot(List.of(base, admin.with("routing.traffic_shift.helloworld", "")));
    assertThat(deleted.getInteger("routing.traffic_shift.helloworld", 0)).isEqualTo(100);
  }

  @Test
  void staticLayerKeepsFractionObjectsWholeAndRejectsLists() {
    Problems p = new Problems();
    RuntimeLayer layer =
        RuntimeLayer.fromTree(
            "static",
            Documents.readOne(
                "a: {b: {numerator: 3, denominator: TEN_THOUSAND}}\nbad: [1, 2]\n", "t", Documents.Format.YAML),
            "static_layer",
            p);
    assertThat(layer.values().get("a.b").fraction())
        .isEqualTo(new FractionalPercent(3, FractionalPercent.Denominator.TEN_THOUSAND));
    assertThat(p.errors()).extracting(Object::toString).containsExactly("static_layer.bad: Invalid runtime entry value for bad");
  }

  @Test
  void entryParsing() {
    assertThat(RuntimeEntry.parse("3.7").integer()).isEqualTo(3);
    assertThat(RuntimeEntry.parse("3.7").doubleValue()).isEqualTo(3.7);
    assertThat(RuntimeEntry.parse("true").bool()).isTrue();
    assertThat(RuntimeEntry.parse("true").hasInteger()).isFalse();
    assertThat(RuntimeEntry.parse("0x10").hasInteger()).isFalse();
    assertThat(RuntimeEntry.parse("18446744073709551615").hasInteger()).isTrue();
    assertThat(RuntimeEntry.parse("1e30").hasInteger()).isFalse();
    assertThat(Map.of("k", RuntimeEntry.parse("x")).get("k").raw()).isEqualTo("x");
  }
}
