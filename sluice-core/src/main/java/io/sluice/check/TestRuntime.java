package io.sluice.check;

import io.sluice.runtime.FractionalPercent;
import io.sluice.runtime.Runtime;

/**
 * The runtime Envoy's route checker routes with: a {@code runtime_fraction} is enabled only when
 * the test names its key in {@code input.runtime} and the random value falls inside the route's
 * default fraction; every other lookup returns its default. So a fraction-guarded route never
 * matches in a test that does not name its key, even at 100%.
 */
public final class TestRuntime implements Runtime {
  private final String activeKey;

  /** A runtime in which only {@code activeKey} can be enabled ({@code ""}: none). */
  public TestRuntime(String activeKey) {
    this.activeKey = activeKey == null ? "" : activeKey;
  }

  @Override
  public boolean featureEnabled(String key, FractionalPercent defaultValue, long randomValue) {
    return !activeKey.isEmpty() && activeKey.equals(key) && defaultValue.matches(randomValue);
  }

  @Override
  public long getInteger(String key, long defaultValue) {
    return defaultValue;
  }
}
