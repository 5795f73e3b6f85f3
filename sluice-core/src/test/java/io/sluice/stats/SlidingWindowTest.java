package io.sluice.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A 10 s window (60 buckets of 1/6 s) on a clock the test moves. */
class SlidingWindowTest {
  private static final long BUCKET = Duration.ofSeconds(10).toNanos() / 60;

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final SlidingWindow window = new SlidingWindow(Duration.ofSeconds(10), clock::get);

  @Test
  void countsRequestsFailuresClassesBytesAndLatency() {
    window.record(200, false, 1_000, 10, 100);
    window.record(404, false, 2_000, 0, 50);
    window.record(503, false, 3_000, 0, 20);
    // A reset after a 200 head: the status counts as 2xx, the request as a failure.
    window.record(200, true, 4_000, 0, 5);
    clock.addAndGet(Duration.ofSeconds(2).toNanos());

    WindowSnapshot s = window.snapshot(Duration.ofSeconds(10));
    assertThat(s.requests()).isEqualTo(4);
    assertThat(s.failures()).isEqualTo(2);
    assertThat(s.successRate()).isEqualTo(0.5);
    assertThat(s.classes()).containsExactly(0, 0, 2, 0, 1, 1);
    assertThat(s.bytesIn()).isEqualTo(10);
    assertThat(s.bytesOut()).isEqualTo(175);
    assertThat(s.latency().getTotalCount()).isEqualTo(4);
    assertThat(s.latencyMillis(0.5)).isCloseTo(2.0, within(0.02));
    assertThat(s.latencyMillis(1.0)).isCloseTo(4.0, within(0.04));
    // Young: the numbers cover the 2 s the window has run, not 10.
    assertThat(s.seconds()).isEqualTo(2.0);
    assertThat(s.requestsPerSecond()).isEqualTo(2.0);
  }

  @Test
  void oldBucketsRollOffOneAtATime() {
    window.record(200, false, 1_000, 0, 0); // bucket 0
    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    window.record(500, false, 1_000, 0, 0); // bucket 30
    window.record(200, false, 1_000, 0, 0);

    assertThat(window.snapshot(Duration.ofSeconds(10)).requests()).isEqualTo(3);
    // The last 5 s (30 buckets: 1 to 30) no longer hold bucket 0.
    assertThat(window.snapshot(Duration.ofSeconds(5)).requests()).isEqualTo(2);

    // At the start of bucket 59 the whole window still holds bucket 0 ...
    clock.set(1_000_000_000L + 59 * BUCKET);
    assertThat(window.snapshot(Duration.ofSeconds(10)).requests()).isEqualTo(3);
    // ... and one bucket later it has rolled off; bucket 30 stays until bucket 90.
    clock.addAndGet(BUCKET);
    WindowSnapshot s = window.snapshot(Duration.ofSeconds(10));
    assertThat(s.requests()).isEqualTo(2);
    assertThat(s.failures()).isEqualTo(1);
    assertThat(s.seconds()).isCloseTo(10.0, within(1e-6));
    assertThat(window.active()).isTrue();

    clock.set(1_000_000_000L + 90 * BUCKET);
    assertThat(window.snapshot(Duration.ofSeconds(10)).requests()).isZero();
    assertThat(window.snapshot(Duration.ofSeconds(10)).successRate()).isNaN();
    assertThat(window.active()).isFalse();
  }

  @Test
  void aSlotIsReusedWhenItsBucketComesRoundAgain() {
    window.record(200, false, 1_000, 0, 0);
    clock.addAndGet(60 * BUCKET); // the same slot, one window later
    window.record(503, false, 1_000, 0, 0);
    WindowSnapshot s = window.snapshot(Duration.ofSeconds(10));
    assertThat(s.requests()).isEqualTo(1);
    assertThat(s.classes()[5]).isEqualTo(1);
  }

  @Test
  void spansAreRoundedUpToWholeBucketsWithinTheWindow() {
    assertThat(window.roundSpan(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
    assertThat(window.roundSpan(Duration.ofMillis(1))).isEqualTo(Duration.ofNanos(166_666_666));
    assertThat(window.roundSpan(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
    assertThat(window.roundSpan(Duration.ofMillis(1100))).isEqualTo(Duration.ofNanos(7 * 10_000_000_000L / 60));
    assertThat(window.roundSpan(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void snapshotsOfTwoProxiesAddUpExactly() {
    SlidingWindow other = new SlidingWindow(Duration.ofSeconds(10), clock::get);
    window.record(200, false, 1_000, 1, 2);
    other.record(503, false, 9_000, 3, 4);
    clock.addAndGet(Duration.ofSeconds(1).toNanos());
    WindowSnapshot sum = window.snapshot(Duration.ofSeconds(10)).plus(other.snapshot(Duration.ofSeconds(10)));
    assertThat(sum.requests()).isEqualTo(2);
    assertThat(sum.failures()).isEqualTo(1);
    assertThat(sum.bytesIn()).isEqualTo(4);
    assertThat(sum.bytesOut()).isEqualTo(6);
    assertThat(sum.latency().getTotalCount()).isEqualTo(2);
    WindowSnapshot decoded = new WindowSnapshot(0, 0, new long[6], 0, 0,
        WindowSnapshot.decodeLatency(sum.encodedLatency()), 0);
    assertThat(decoded.latencyMillis(1.0)).isEqualTo(sum.latencyMillis(1.0));
  }
}
