package io.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.conformance.ConformanceHarness.Answer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SMI TrafficSplit in every version over real sockets through the mesh listener: requests for the
 * root Service spread over the backends by weight (Quantity weights in v1alpha1), and from
 * v1alpha3 on only requests matching an HTTPRouteGroup are split, the rest going to the root
 * Service's own endpoints.
 */
class TrafficSplitConformanceTest {
  private static final String ROOT = "website";
  private static final String V1 = "website-v1";
  private static final String V2 = "website-v2";

  private static ConformanceHarness start() throws Exception {
    return ConformanceHarness.start(ROOT, V1, V2);
  }

  /** Services website, website-v1, website-v2 (port 80) in namespace shop, each with its own echo backend. */
  private static String services(ConformanceHarness h) {
    return h.service("shop", ROOT, "http=80", ROOT) + h.service("shop", V1, "http=80", V1)
        + h.service("shop", V2, "http=80", V2);
  }

  /**
   * v1alpha1 weights are Quantities: 900m and 100m are 90/10. 500 requests: sqrt(0.9 * 0.1 / 500)
   * = 0.0134, so 0.07 is 5.2 standard deviations.
   */
  @Test
  void v1alpha1QuantityWeights() throws Exception {
    try (ConformanceHarness h = start()) {
      h.apply(services(h) + """
          apiVersion: split.smi-spec.io/v1alpha1
          kind: TrafficSplit
          metadata: {name: website, namespace: shop}
          spec:
            service: website.shop.svc.cluster.local
            backends:
            - {service: website-v1, weight: 900m}
            - {service: website-v2, weight: 100m}
          """);
      int mesh = h.meshPort();
      WeightedShares.assertShares(500, 0.07, Map.of(V1, 0.9, V2, 0.1, ROOT, 0.0), () -> h.answerer(mesh, "website", "/"));
    }
  }

  /**
   * Integer weights from v1alpha2 on; weight 0 (the root listed as a backend) gets nothing. 300
   * requests at 3:1: sqrt(0.75 * 0.25 / 300) = 0.025, so 0.125 is 5 standard deviations.
   */
  @ParameterizedTest
  @ValueSource(strings = {"v1alpha2", "v1alpha3", "v1alpha4"})
  void integerWeights(String version) throws Exception {
    try (ConformanceHarness h = start()) {
      h.apply(services(h) + """
          apiVersion: split.smi-spec.io/%s
          kind: TrafficSplit
          metadata: {name: website, namespace: shop}
          spec:
            service: website
            backends:
            - {service: website-v1, weight: 75}
            - {service: website-v2, weight: 25}
            - {service: website, weight: 0}
          """.formatted(version));
      int mesh = h.meshPort();
      WeightedShares.assertShares(300, 0.125, Map.of(V1, 0.75, V2, 0.25, ROOT, 0.0),
          () -> h.answerer(mesh, "website.shop", "/"));
    }
  }

  /** v1alpha3 and v1alpha4: matches through HTTPRouteGroups (headers, pathRegex, methods); unmatched requests go to the root Service. */
  @ParameterizedTest
  @ValueSource(strings = {"v1alpha3", "v1alpha4"})
  void matchesThroughRouteGroupsAndUnmatchedToTheRoot(String version) throws Exception {
    try (ConformanceHarness h = start()) {
      h.apply(services(h) + """
          apiVersion: specs.smi-spec.io/%1$s
          kind: HTTPRouteGroup
          metadata: {name: ab-test, namespace: shop}
          spec:
            matches:
            - name: firefox-users
              headers: {user-agent: ".*Firefox.*"}
            - name: api
              pathRegex: /api
              methods: [GET, POST]
          ---
          apiVersion: split.smi-spec.io/%1$s
          kind: TrafficSplit
          metadata: {name: ab-test, namespace: shop}
          spec:
            service: website
            matches:
            - {kind: HTTPRouteGroup, name: ab-test}
            backends:
            - {service: website-v1, weight: 0}
            - {service: website-v2, weight: 100}
          """.formatted(version));
      int mesh = h.meshPort();
      for (int i = 0; i < 10; i++) {
        assertThat(h.answerer(mesh, "website", "/", "User-Agent: Mozilla/5.0 Firefox/120.0")).isEqualTo(V2);
        assertThat(h.answerer(mesh, "website", "/", "User-Agent: Chrome/120.0")).isEqualTo(ROOT);
        assertThat(h.answerer(mesh, "website", "/api/users")).isEqualTo(V2);
        assertThat(h.answerer(mesh, "website", "/x/api")).isEqualTo(ROOT);
      }
      Answer post = h.send(mesh, "POST", "website", "/api");
      assertThat(post.backend()).isEqualTo(V2);
      assertThat(post.echo().method()).isEqualTo("POST");
      assertThat(h.send(mesh, "DELETE", "website", "/api").backend()).isEqualTo(ROOT);
      assertThat(h.backend(V1).count()).isZero();
    }
  }

  /** An HTTPRouteGroup v1alpha2 (top-level matches, headers as a list of maps) used by a v1alpha3 TrafficSplit. */
  @Test
  void v1alpha2RouteGroup() throws Exception {
    try (ConformanceHarness h = start()) {
      h.apply(services(h) + """
          apiVersion: specs.smi-spec.io/v1alpha2
          kind: HTTPRouteGroup
          metadata: {name: ab-test, namespace: shop}
          matches:
          - name: firefox-users
            headers:
            - user-agent: ".*Firefox.*"
          ---
          apiVersion: split.smi-spec.io/v1alpha3
          kind: TrafficSplit
          metadata: {name: ab-test, namespace: shop}
          spec:
            service: website
            matches: [{kind: HTTPRouteGroup, name: ab-test}]
            backends: [{service: website-v2, weight: 1}]
          """);
      int mesh = h.meshPort();
      assertThat(h.answerer(mesh, "website", "/", "User-Agent: Firefox")).isEqualTo(V2);
      assertThat(h.answerer(mesh, "website", "/")).isEqualTo(ROOT);
    }
  }

  /** A backend that does not exist keeps its weight and answers 500; all weights 0 answers 503 saying why. */
  @Test
  void missingBackendAndAllWeightsZero() throws Exception {
    try (ConformanceHarness h = start()) {
      h.apply(services(h) + """
          apiVersion: split.smi-spec.io/v1alpha4
          kind: TrafficSplit
          metadata: {name: website, namespace: shop}
          spec:
            service: website
            backends:
            - {service: website-v1, weight: 1}
            - {service: missing, weight: 1}
          """);
      int mesh = h.meshPort();
      // 300 requests at 1:1: 0.15 is 5.2 standard deviations.
      WeightedShares.assertShares(300, 0.15, Map.of(V1, 0.5, "500", 0.5), () -> {
        Answer a = h.get(mesh, "website", "/");
        if (a.status() == 500) {
          assertThat(a.body()).isEqualTo("invalid backend: BackendNotFound:shop/missing:80\n");
        }
        return a.backend();
      });

      h.apply("""
          apiVersion: split.smi-spec.io/v1alpha4
          kind: TrafficSplit
          metadata: {name: website, namespace: shop}
          spec:
            service: website
            backends: [{service: website-v1, weight: 0}]
          """);
      Answer zero = h.get(mesh, "website", "/");
      assertThat(zero.status()).isEqualTo(503);
      assertThat(zero.body()).contains("have weight 0");
    }
  }
}
