package io.sluice.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class StripedLongTest {
  /**
   * More threads than stripes add at once, each with its own stripe (the first ones own theirs,
   * the rest share the atomic slot) and through the shared slot: no addition is lost.
   */
  @Test
  void concurrentWritersBeyondTheStripesAddUpExactly() throws Exception {
    StripedLong sum = new StripedLong();
    int threads = StripedHistogram.STRIPES * 2 + 1;
    int each = 100_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      boolean viaShared = t % 3 == 0;
      Thread w = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        int stripe = viaShared ? StripedLong.ANY : StripedHistogram.stripe();
        for (int i = 0; i < each; i++) {
          sum.add(stripe, 1);
        }
      });
      w.start();
      writers.add(w);
    }
    start.countDown();
    for (Thread w : writers) {
      w.join();
    }
    assertThat(sum.sum()).isEqualTo((long) threads * each);
  }

  @Test
  void resetCountsFromZeroAgainWithoutTouchingTheSlots() {
    StripedLong sum = new StripedLong();
    int stripe = StripedHistogram.stripe();
    sum.add(stripe, 5);
    sum.add(StripedLong.ANY, 7);
    assertThat(sum.sum()).isEqualTo(12);
    sum.reset();
    assertThat(sum.sum()).isZero();
    sum.add(stripe, 3);
    assertThat(sum.sum()).isEqualTo(3);
  }
}
