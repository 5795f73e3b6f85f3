package io.sluice.route;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Where each request's one 64-bit random value comes from. The data plane draws it once per
 * request and passes it to {@link RouteTable#route}; tests inject a fixed or seeded source so
 * every pick is exact.
 */
@FunctionalInterface
public interface RandomSource {

  /** The next random value; every bit pattern is possible. */
  long nextLong();

  /** The production source: the calling thread's {@link ThreadLocalRandom}, no contention, no allocation. */
  static RandomSource threadLocal() {
    return () -> ThreadLocalRandom.current().nextLong();
  }

  /** A source that always returns {@code value}, for tests and the route checker. */
  static RandomSource fixed(long value) {
    return () -> value;
  }
}
