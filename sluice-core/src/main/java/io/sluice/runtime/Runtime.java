package io.sluice.runtime;

/**
 * What routing reads from Envoy's runtime: fraction checks for {@code runtime_fraction} and integer
 * lookups for per-cluster weights. Implementations are immutable snapshots, read once per request.
 */
public interface Runtime {

  /**
   * Envoy's {@code featureEnabled(key, default_value, random_value)}: the fraction stored under
   * {@code key} (or {@code defaultValue} when the key holds no usable number) evaluated against the
   * request's random value.
   */
  boolean featureEnabled(String key, FractionalPercent defaultValue, long randomValue);

  /** Envoy's {@code getInteger(key, default)}: the key's non-negative integer value, else the default. */
  long getInteger(String key, long defaultValue);
}
