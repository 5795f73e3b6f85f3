package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ProxySmokeTest {
  @Test
  void forwardsToTheRoutedCluster() throws Exception {
    try (TestBackend v1 = new TestBackend("v1");
        ProxyFixture f =
            ProxyFixture.start(
                ProxyFixture.bootstrap(
                    "- {match: {prefix: /}, route: {cluster: v1}}", v1))) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> r =
            client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.port() + "/x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("v1");
      }
      assertThat(v1.connections.get()).isEqualTo(1);
    }
  }
}
