package io.sluice.stats;

import java.util.Map;

/**
 * A monotonic count, striped by recording thread ({@link StripedLong}) so event loops never write
 * the same cache line. The hot path ({@link RequestRecorder}) adds with the recording thread's
 * stripe; {@link #inc()} and {@link #add(long)}, for anything counted less often than once per
 * request, add atomically to a slot any thread may share. {@link #reset} exists for {@code POST
 * /reset_counters}.
 */
public final class Counter implements Metric {
  private final String name;
  private final String family;
  private final Map<String, String> labels;
  private final String help;
  private final StripedLong value = new StripedLong();
  private volatile boolean used;

  Counter(String name, String family, Map<String, String> labels, String help) {
    this.name = name;
    this.family = family;
    this.labels = labels;
    this.help = help;
  }

  /** Adds one. */
  public void inc() {
    add(StripedLong.ANY, 1);
  }

  /** Adds {@code n}. */
  public void add(long n) {
    add(StripedLong.ANY, n);
  }

  /** Adds one, from a thread whose {@link StripedHistogram#stripe() stripe} is {@code stripe}. */
  void inc(int stripe) {
    add(stripe, 1);
  }

  /** Adds {@code n}, from a thread whose {@link StripedHistogram#stripe() stripe} is {@code stripe}. */
  void add(int stripe, long n) {
    value.add(stripe, n);
    markUsed();
  }

  private void markUsed() {
    if (!used) {
      used = true;
    }
  }

  /** The count. */
  public long value() {
    return value.sum();
  }

  /** Back to zero. */
  public void reset() {
    value.reset();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String family() {
    return family;
  }

  @Override
  public Map<String, String> labels() {
    return labels;
  }

  @Override
  public String help() {
    return help;
  }

  @Override
  public boolean used() {
    return used;
  }
}
