package io.sluice.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StripedHistogramTest {
  /** Threads recording at once, each into its own stripe: nothing is lost, the sum is exact. */
  @Test
  void concurrentWritersAddUpExactly() throws Exception {
    StripedHistogram h = new StripedHistogram();
    int threads = 4;
    int each = 50_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long value = 1000L * (t + 1);
      Thread w = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        int stripe = StripedHistogram.stripe();
        for (int i = 0; i < each; i++) {
          h.record(stripe, value);
        }
      });
      w.start();
      writers.add(w);
    }
    start.countDown();
    for (Thread w : writers) {
      w.join();
    }
    Histogram sum = h.snapshot();
    assertThat(sum.getTotalCount()).isEqualTo((long) threads * each);
    for (int t = 0; t < threads; t++) {
      assertThat(sum.getCountAtValue(1000L * (t + 1))).isEqualTo(each);
    }
    assertThat(h.isEmpty()).isFalse();
    assertThat(new StripedHistogram().isEmpty()).isTrue();
  }

  @Test
  void stripesAreAPowerOfTwoOfAtLeastTwiceTheCores() {
    int s = StripedHistogram.STRIPES;
    assertThat(Integer.bitCount(s)).isEqualTo(1);
    assertThat(s).isGreaterThanOrEqualTo(2 * Runtime.getRuntime().availableProcessors());
    assertThat(s).isLessThan(4 * Runtime.getRuntime().availableProcessors());
  }
}
