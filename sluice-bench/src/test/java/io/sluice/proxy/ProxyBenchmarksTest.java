package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpRequest;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The proxy-package benchmarks still drive what they name: their setup checks the work (a 200 from
 * the right upstream, the forwarded headers), and an operation repeated gives the same output. A
 * change in the proxy that breaks a benchmark fails here, not in the middle of a JMH run.
 */
class ProxyBenchmarksTest {

  @Test
  void forwardingBenchmarkSendsEachRequestThroughAndBack() throws Exception {
    ForwardingBenchmark b = new ForwardingBenchmark();
    b.setUp();
    try {
      Set<Long> getBytes = new HashSet<>();
      Set<Long> postBytes = new HashSet<>();
      for (int i = 0; i < 1000; i++) {
        getBytes.add(b.forwardGet());
        postBytes.add(b.forwardPost1k());
      }
      // Every answer is the upstream's 200 with the same headers, but for the digits of
      // x-envoy-upstream-service-time (a slow first call may take 10 ms or more).
      long min = getBytes.stream().mapToLong(Long::longValue).min().orElseThrow();
      assertThat(min).isGreaterThan(100);
      assertThat(getBytes).allMatch(n -> n >= min && n <= min + 3);
      assertThat(postBytes).allMatch(n -> n >= min && n <= min + 3);
    } finally {
      b.tearDown();
    }
  }

  @Test
  void headerHandlingBenchmarkDoesTheProxysHeaderWork() {
    HeaderHandlingBenchmark b = new HeaderHandlingBenchmark();
    b.setUp();
    HttpRequest r = b.requestHeadersBeforeRouting();
    assertThat(r.headers().get("x-forwarded-for")).isEqualTo("203.0.113.7, 192.0.2.10");
    assertThat(r.headers().get("x-forwarded-proto")).isEqualTo("http");
    assertThat(r.headers().get("x-request-id")).hasSize(36);
    assertThat(r.headers().contains("connection")).isFalse();
    assertThat(b.hopByHopNamedHeaders().headers().names())
        .doesNotContain("Connection", "Keep-Alive", "TE", "X-Debug-Token")
        .contains("Host", "Cookie");
    assertThat(b.responseHopByHop().headers().contains("connection")).isFalse();
  }
}
