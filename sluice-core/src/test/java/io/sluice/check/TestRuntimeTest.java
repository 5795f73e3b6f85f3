package io.sluice.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.runtime.FractionalPercent;
import org.junit.jupiter.api.Test;

class TestRuntimeTest {

  @Test
  void runtimeStubEnablesOnlyTheNamedKeyWithinTheFraction() {
    TestRuntime none = new TestRuntime("");
    TestRuntime k = new TestRuntime("k");
    FractionalPercent thirty = FractionalPercent.ofHundred(30);
    FractionalPercent all = FractionalPercent.ofHundred(100);
    assertThat(none.featureEnabled("", all, 0)).isFalse();
    assertThat(none.featureEnabled("k", all, 0)).isFalse();
    assertThat(k.featureEnabled("other", all, 0)).isFalse();
    assertThat(k.featureEnabled("k", thirty, 20)).isTrue();
    assertThat(k.featureEnabled("k", thirty, 70)).isFalse();
    assertThat(k.featureEnabled("k", thirty, 129)).isTrue();
    assertThat(k.getInteger("www2_weights.cluster1", 30)).isEqualTo(30);
  }
}
