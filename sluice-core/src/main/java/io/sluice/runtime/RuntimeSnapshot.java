package io.sluice.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable view of the runtime: every layer merged in order, later layers winning, as Envoy's
 * {@code layered_runtime} does. A request reads one snapshot and keeps it, so a change made while
 * it is being routed never mixes old and new values.
 */
public final class RuntimeSnapshot implements Runtime {
  /** A snapshot with no values: every lookup returns its default. */
  public static final RuntimeSnapshot EMPTY = new RuntimeSnapshot(List.of());

  private final List<RuntimeLayer> layers;
  private final Map<String, RuntimeEntry> values;

  /** Merges {@code layers}, first to last; a key in a later layer replaces the earlier value. */
  public RuntimeSnapshot(List<RuntimeLayer> layers) {
    this.layers = List.copyOf(layers);
    Map<String, RuntimeEntry> merged = new LinkedHashMap<>();
    for (RuntimeLayer layer : layers) {
      merged.putAll(layer.values());
    }
    this.values = Collections.unmodifiableMap(merged);
  }

  /** The layers this snapshot merges, in order. */
  public List<RuntimeLayer> layers() {
    return layers;
  }

  /** The merged value of every key, sorted by key. */
  public Map<String, RuntimeEntry> values() {
    return Collections.unmodifiableMap(new TreeMap<>(values));
  }

  /** The merged value of a key, or null. */
  public RuntimeEntry get(String key) {
    return key == null || key.isEmpty() ? null : values.get(key);
  }

  /**
   * Envoy's rule, in order: a fraction stored under the key is used as is; an integer N above 100
   * always matches; an integer 0..100 means N/100 (whatever the default's denominator); anything
   * else (absent, negative, a boolean, unparsable text) falls back to {@code defaultValue}.
   */
  @Override
  public boolean featureEnabled(String key, FractionalPercent defaultValue, long randomValue) {
    RuntimeEntry e = get(key);
    if (e != null) {
      if (e.fraction() != null) {
        return e.fraction().matches(randomValue);
      }
      if (e.hasInteger()) {
        long n = e.integer();
        // N above 100 always matches; otherwise N/100, compared without building a fraction.
        return Long.compareUnsigned(n, 100) > 0 || Long.remainderUnsigned(randomValue, 100) < n;
      }
    }
    return defaultValue.matches(randomValue);
  }

  @Override
  public long getInteger(String key, long defaultValue) {
    RuntimeEntry e = get(key);
    return e != null && e.hasInteger() ? e.integer() : defaultValue;
  }

  /** The value of a key as text, or {@code defaultValue}. */
  public String getString(String key, String defaultValue) {
    RuntimeEntry e = get(key);
    return e == null ? defaultValue : e.raw();
  }
}
