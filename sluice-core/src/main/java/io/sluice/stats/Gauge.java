package io.sluice.stats;

import java.util.Map;
import java.util.function.LongSupplier;

/** A value read when asked for (connections open, requests in flight, ejected endpoints). */
public final class Gauge implements Metric {
  private final String name;
  private final String family;
  private final Map<String, String> labels;
  private final String help;
  private final LongSupplier value;

  Gauge(String name, String family, Map<String, String> labels, String help, LongSupplier value) {
    this.name = name;
    this.family = family;
    this.labels = labels;
    this.help = help;
    this.value = value;
  }

  /** The value now. */
  public long value() {
    return value.getAsLong();
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
    return value.getAsLong() != 0;
  }
}
