package io.sluice.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatNamesTest {
  @Test
  void kubernetesNamesShowTheirNameAndNamespace() {
    assertThat(StatNames.display("traffic-shift-demo/bb:8080")).isEqualTo("bb");
    assertThat(StatNames.namespace("traffic-shift-demo/bb:8080")).isEqualTo("traffic-shift-demo");
    assertThat(StatNames.display("demo/bb-route")).isEqualTo("bb-route");
    assertThat(StatNames.namespace("demo/bb-route")).isEqualTo("demo");
  }

  @Test
  void envoyNamesStayAsTheyAre() {
    assertThat(StatNames.display("helloworld_v1")).isEqualTo("helloworld_v1");
    assertThat(StatNames.namespace("helloworld_v1")).isNull();
    assertThat(StatNames.display("sluice:invalid-backend:BackendNotFound:demo/x:80"))
        .isEqualTo("sluice:invalid-backend:BackendNotFound:demo/x:80");
    assertThat(StatNames.namespace("sluice:invalid-backend:BackendNotFound:demo/x:80")).isNull();
  }
}
