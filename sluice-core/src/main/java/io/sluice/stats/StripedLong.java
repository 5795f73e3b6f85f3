package io.sluice.stats;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A sum written by several threads, each into a slot of its own on its own cache line. A thread
 * whose {@link StripedHistogram#stripe() stripe} is its alone (the first {@link
 * StripedHistogram#STRIPES} recording threads: the event loops) adds to its slot with a plain
 * read and an ordered write, no atomic instruction and no fence; any other thread adds atomically
 * to one shared slot. Readers sum the slots: each slot's value is whole (a 64-bit opaque write),
 * possibly a moment old.
 *
 * <p>Why not {@link java.util.concurrent.atomic.LongAdder}: it starts with one shared base that
 * event loops CAS in turn, and once it has cells it picks one by a per-thread random probe, the
 * same for every adder, so two event loops whose probes fall on the same cell (one chance in two
 * with two cells) share that cell in every counter they write and move its cache line between
 * cores on each increment. Every LongAdder increment is also a locked instruction. Measured
 * through the proxy with two event loops, recording with LongAdders cost 4 to 6% of throughput.
 *
 * <p>{@link #reset} never writes a slot (a write racing with an owner's add would be lost, or
 * undo the reset): it moves a baseline that {@link #sum} subtracts.
 */
final class StripedLong {
  /** Longs per 64-byte cache line: each slot is alone on its line. */
  private static final int SPACING = 8;
  private static final int SHARED = StripedHistogram.STRIPES;
  /** A stripe for {@link #add} from any thread: the shared slot. */
  static final int ANY = Integer.MAX_VALUE;

  /** Slot i at (i + 1) * SPACING, the shared slot last; the first line is padding. */
  private final AtomicLongArray slots = new AtomicLongArray((StripedHistogram.STRIPES + 2) * SPACING);
  private volatile long baseline;

  /** Adds {@code n} for the calling thread, whose {@link StripedHistogram#stripe()} is {@code stripe}. */
  void add(int stripe, long n) {
    if (stripe < SHARED) {
      int i = (stripe + 1) * SPACING;
      slots.setOpaque(i, slots.getPlain(i) + n);
    } else {
      slots.getAndAdd((SHARED + 1) * SPACING, n);
    }
  }

  /** The sum of every slot since the last reset. */
  long sum() {
    return raw() - baseline;
  }

  private long raw() {
    long s = 0;
    for (int i = 1; i <= SHARED + 1; i++) {
      s += slots.getOpaque(i * SPACING);
    }
    return s;
  }

  /** Back to zero: what was added until now no longer counts. */
  synchronized void reset() {
    baseline = raw();
  }
}
