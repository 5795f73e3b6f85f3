package io.sluice.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small values the tools are configured with: durations, latencies, body labels, echo header asks. */
class ToolValuesTest {
  @Test
  void durationsAreADecimalNumberAndAUnit() {
    assertThat(DurationText.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(DurationText.parse("5ms")).isEqualTo(Duration.ofMillis(5));
    assertThat(DurationText.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DurationText.parse(".5s")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationText.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationText.parse(" 1h ")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationText.parse("0s")).isEqualTo(Duration.ZERO);
    for (String bad : List.of("", "5", "ms", "-1s", "1d", "1 s", "1e3ms", "9000h")) {
      assertThatThrownBy(() -> DurationText.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> DurationText.parse("soon"))
        .hasMessage("expected a duration such as 500ms, 1.5s or 2m, got 'soon'");
    assertThat(DurationText.format(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(DurationText.format(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(DurationText.format(Duration.ofMinutes(2))).isEqualTo("2m");
    assertThat(DurationText.format(Duration.ofNanos(40_500))).isEqualTo("40.5us");
  }

  @Test
  void latenciesHaveAnOptionalJitter() {
    assertThat(Latency.parse("5ms")).isEqualTo(new Latency(Duration.ofMillis(5), Duration.ZERO));
    assertThat(Latency.parse("5ms±2ms")).isEqualTo(new Latency(Duration.ofMillis(5), Duration.ofMillis(2)));
    assertThat(Latency.parse("1s+-250ms")).isEqualTo(new Latency(Duration.ofSeconds(1), Duration.ofMillis(250)));
    assertThat(Latency.parse("5ms±2ms").toString()).isEqualTo("5ms±2ms");
    assertThatThrownBy(() -> Latency.parse("5ms±")).hasMessage("expected a latency such as 5ms or 5ms±2ms, got '5ms±'");
    assertThatThrownBy(() -> Latency.parse("fast")).hasMessage("expected a latency such as 5ms or 5ms±2ms, got 'fast'");
    assertThat(Latency.NONE.isZero()).isTrue();
  }

  @Test
  void theJitterIsUniformFromBaseMinusJitterToBasePlusJitter() {
    Latency l = Latency.parse("5ms±2ms");
    assertThat(l.nanos(0L)).as("fraction 0").isEqualTo(3_000_000);
    assertThat(l.nanos(1L << 62)).as("fraction 0.5 (top bits 01...)").isEqualTo(4_000_000);
    assertThat(l.nanos(Long.MIN_VALUE)).as("fraction 0.5 (top bit 1)").isEqualTo(5_000_000);
    assertThat(l.nanos(-1L)).as("fraction just below 1").isBetween(6_999_999L, 7_000_000L);
    assertThat(Latency.parse("1ms±5ms").nanos(0L)).as("never below zero").isZero();
    assertThat(Latency.parse("5ms").nanos(-1L)).isEqualTo(5_000_000);
  }

  @Test
  void bodyLabelsAreShortAndHaveNoWhiteSpace() {
    assertThat(BodyLabel.of("v1")).isEqualTo("v1");
    assertThat(BodyLabel.of("v1\n")).isEqualTo("v1");
    assertThat(BodyLabel.of("  v1 8080\r\n")).isEqualTo("v1_8080");
    assertThat(BodyLabel.of("hello \t\n world")).isEqualTo("hello_world");
    assertThat(BodyLabel.of("")).isEqualTo("(empty)");
    assertThat(BodyLabel.of(" \n")).isEqualTo("(empty)");
    assertThat(BodyLabel.of("a".repeat(24))).isEqualTo("a".repeat(24));
    assertThat(BodyLabel.of("a".repeat(25))).isEqualTo("a".repeat(21) + "...");
    assertThat(BodyLabel.of("v1" + " ".repeat(100))).as("only the first 64 bytes are read").isEqualTo("v1...");
    assertThat(BodyLabel.of("grüße")).isEqualTo("grüße");
    assertThat(BodyLabel.of("a=b")).isEqualTo("a=b");
  }

  @Test
  void echoSetHeaderAsksAreNameColonValueItemsSeparatedByCommas() {
    assertThat(EchoAnswer.headersToSet(List.of("A:1,B : two ", "c:")))
        .containsExactly(Map.entry("A", "1"), Map.entry("B", "two"), Map.entry("c", ""));
    assertThat(EchoAnswer.headersToSet(List.of("X: a:b"))).containsExactly(Map.entry("X", "a:b"));
    assertThat(EchoAnswer.headersToSet(List.of(" , "))).isEmpty();
    assertThatThrownBy(() -> EchoAnswer.headersToSet(List.of("A:1,oops")))
        .hasMessage("X-Echo-Set-Header: expected Name:value items separated by commas, got 'oops'");
    assertThatThrownBy(() -> EchoAnswer.headersToSet(List.of("a b:1"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EchoAnswer.headersToSet(List.of("a:x\u0001y")))
        .hasMessage("X-Echo-Set-Header: the value of a has a control character");
  }
}
