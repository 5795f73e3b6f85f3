package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.config.BootstrapReader;
import io.sluice.config.Documents;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The examples the demo runs: the repository's files, byte for byte, with only their ports moved
 * to the demo's.
 */
class DemoExamplesTest {
  private static final Map<Integer, Integer> PORTS = Map.of(8081, 41001, 8082, 41002, 8083, 41003);

  @Test
  void theBundledExamplesAreTheRepositorysFiles() throws IOException {
    for (String path : List.of(DemoExamples.LINKERD_DEMO, DemoExamples.LINKERD_ENDPOINTS, DemoExamples.LINKERD_EMPTY,
        DemoExamples.LINKERD_90_10, DemoExamples.LINKERD_V2, DemoExamples.ENVOY_SHIFT, DemoExamples.ENVOY_SPLIT)) {
      assertThat(DemoExamples.read(path)).as(path).isEqualTo(Files.readString(SluiceProcess.root().resolve(path)));
    }
  }

  @Test
  void aBootstrapListensOnAFreeLoopbackPortAndSendsToTheDemosBackends() throws IOException {
    JsonNode root = DemoExamples.bootstrap(DemoExamples.ENVOY_SPLIT, PORTS);

    JsonNode listener = root.at("/static_resources/listeners/0/address/socket_address");
    assertThat(listener.get("address").asText()).isEqualTo("127.0.0.1");
    assertThat(listener.get("port_value").asInt()).isZero();
    JsonNode clusters = root.at("/static_resources/clusters");
    for (int i = 0; i < 3; i++) {
      assertThat(clusters.get(i).at("/load_assignment/endpoints/0/lb_endpoints/0/endpoint/address/socket_address"
          + "/port_value").asInt()).isEqualTo(41001 + i);
    }
    // Everything else as shipped: the route configuration is the reference's.
    JsonNode shipped = Documents.readOne(DemoExamples.read(DemoExamples.ENVOY_SPLIT), "", Documents.Format.YAML);
    assertThat(root.at("/static_resources/listeners/0/filter_chains"))
        .isEqualTo(shipped.at("/static_resources/listeners/0/filter_chains"));
    assertThat(BootstrapReader.read(root, DemoExamples.ENVOY_SPLIT).clusters()).hasSize(3);
  }

  @Test
  void anEndpointOnAPortTheDemoDoesNotServeIsAnError() {
    assertThatThrownBy(() -> DemoExamples.bootstrap(DemoExamples.ENVOY_SPLIT, Map.of(8081, 41001, 8082, 41002)))
        .isInstanceOf(IOException.class)
        .hasMessage("examples/envoy-traffic-split/envoy.yaml: static_resources.clusters[2] (helloworld_v3) endpoint 0"
            + " is on port 8083, where the demo starts no backend (it starts them in place of [8081, 8082])");
  }

  @Test
  void theEndpointSlicesPointAtTheDemosBackends() throws IOException {
    List<JsonNode> docs = Documents.readAll(DemoExamples.endpoints(PORTS), "", Documents.Format.YAML);
    assertThat(docs).extracting(d -> d.at("/metadata/name").asText()).containsExactly("bb-1", "bb-v2-1");
    assertThat(docs).extracting(d -> d.at("/ports/0/port").asInt()).containsExactly(41001, 41002);
    assertThat(docs).extracting(d -> d.at("/endpoints/0/addresses/0").asText()).containsExactly("127.0.0.1", "127.0.0.1");
  }
}
