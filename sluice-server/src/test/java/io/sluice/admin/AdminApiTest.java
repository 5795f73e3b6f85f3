package io.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.Await;
import io.sluice.testing.BootstrapYaml;
import io.sluice.testing.HttpConnection;
import io.sluice.testing.NamedBackend;
import io.sluice.testing.RunningProxy;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin interface over a real socket, against a running data plane. */
class AdminApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void readyIndexAndUnknownPaths() throws Exception {
    try (RunningProxy p = RunningProxy.start(dir, new BootstrapYaml().toString())) {
      HttpResponse<String> ready = p.adminGet("/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("LIVE\n");
      assertThat(p.adminGet("/").body()).contains("/runtime_modify (POST)").contains("/route?");
      HttpResponse<String> missing = p.adminGet("/no_such_page");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).startsWith("invalid path: /no_such_page");
    }
  }

  @Test
  void runtimeHasEnvoysShapeWithEveryLayersValue() throws Exception {
    String yaml = new BootstrapYaml().staticLayer("{shift: 10, only_static: abc, nested: {key: 7}}").toString();
    try (RunningProxy p = RunningProxy.start(dir, yaml)) {
      assertThat(p.adminPost("/runtime_modify?shift=90&only_admin=x").statusCode()).isEqualTo(200);

      JsonNode rt = JSON.readTree(p.adminGet("/runtime").body());
      assertThat(rt.get("layers").toString()).isEqualTo("[\"static\",\"admin\"]");
      JsonNode e = rt.get("entries");
      assertThat(fieldNames(e)).containsExactly("nested.key", "only_admin", "only_static", "shift");
      assertThat(e.get("shift").get("final_value").asText()).isEqualTo("90");
      assertThat(e.get("shift").get("layer_values").toString()).isEqualTo("[\"10\",\"90\"]");
      assertThat(e.get("only_static").get("final_value").asText()).isEqualTo("abc");
      assertThat(e.get("only_static").get("layer_values").toString()).isEqualTo("[\"abc\",\"\"]");
      assertThat(e.get("only_admin").get("layer_values").toString()).isEqualTo("[\"\",\"x\"]");
      assertThat(e.get("nested.key").get("final_value").asText()).isEqualTo("7");
    }
  }

  @Test
  void runtimeModifyTakesQueryOrFormParametersAndAnEmptyValueDeletes() throws Exception {
    try (RunningProxy p = RunningProxy.start(dir, new BootstrapYaml().staticLayer("{k3: static}").toString())) {
      HttpResponse<String> q = p.adminPost("/runtime_modify?k1=a%20b&k2=2");
      assertThat(q.statusCode()).isEqualTo(200);
      assertThat(q.body()).isEqualTo("OK\n");
      HttpResponse<String> form = p.adminPostForm("/runtime_modify", "k3=from+form&k4=%26");
      assertThat(form.statusCode()).isEqualTo(200);
      assertThat(p.proxy.runtimeOverrides()).containsOnly(
          java.util.Map.entry("k1", "a b"), java.util.Map.entry("k2", "2"),
          java.util.Map.entry("k3", "from form"), java.util.Map.entry("k4", "&"));
      assertThat(p.proxy.runtime().getString("k3", null)).isEqualTo("from form");

      // An empty value removes the override; the static layer's value shows again.
      assertThat(p.adminPostForm("/runtime_modify", "k3=&k1=").statusCode()).isEqualTo(200);
      assertThat(p.adminPost("/runtime_modify?k2=").statusCode()).isEqualTo(200);
      assertThat(p.proxy.runtimeOverrides()).containsOnlyKeys("k4");
      JsonNode entries = JSON.readTree(p.adminGet("/runtime").body()).get("entries");
      assertThat(fieldNames(entries)).containsExactly("k3", "k4");
      assertThat(entries.get("k3").get("final_value").asText()).isEqualTo("static");
    }
  }

  @Test
  void runtimeModifyRefusesGetAndEmptyRequestsWithUsage() throws Exception {
    try (RunningProxy p = RunningProxy.start(dir, new BootstrapYaml().toString())) {
      HttpResponse<String> get = p.adminGet("/runtime_modify?k=v");
      assertThat(get.statusCode()).isEqualTo(400);
      assertThat(get.body()).startsWith("usage: /runtime_modify?key1=value1");
      HttpResponse<String> none = p.adminPost("/runtime_modify");
      assertThat(none.statusCode()).isEqualTo(400);
      assertThat(none.body()).contains("use an empty value to remove");
      assertThat(p.proxy.runtimeOverrides()).isEmpty();
      assertThat(p.proxy.runtime().get("k")).isNull();
    }
  }

  @Test
  void runtimeModifyReadsFormsWhateverTheContentTypeCaseAndRefusesAnEmptyKey() throws Exception {
    try (RunningProxy p = RunningProxy.start(dir, new BootstrapYaml().toString());
        HttpConnection admin = new HttpConnection(p.adminPort())) {
      HttpConnection.Response r = admin.send("POST", "/runtime_modify", "k=v",
          "content-type: Application/X-WWW-Form-Urlencoded; charset=UTF-8");
      assertThat(r.status()).isEqualTo(200);
      assertThat(p.proxy.runtimeOverrides()).containsOnly(java.util.Map.entry("k", "v"));
      HttpConnection.Response empty = admin.send("POST", "/runtime_modify?=5", null);
      assertThat(empty.status()).isEqualTo(400);
      assertThat(empty.body()).startsWith("a runtime key cannot be empty");
      assertThat(admin.send("POST", "/runtime_modify?k=%zz", null).status()).isEqualTo(400);
      assertThat(p.proxy.runtimeOverrides()).containsOnlyKeys("k");
      // A name alone removes the key, as an empty value does.
      assertThat(admin.send("POST", "/runtime_modify?k", null).status()).isEqualTo(200);
      assertThat(p.proxy.runtimeOverrides()).isEmpty();
    }
  }

  @Test
  void runtimeModifyWithoutAnAdminLayerIs503() throws Exception {
    try (RunningProxy p = RunningProxy.start(dir, new BootstrapYaml().withoutAdminLayer().toString())) {
      HttpResponse<String> r = p.adminPost("/runtime_modify?k=v");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("No admin layer specified\n");
      assertThat(p.proxy.runtime().get("k")).isNull();
    }
  }

  @Test
  void quitIsPostOnly() throws Exception {
    try (RunningProxy p = RunningProxy.start(dir, new BootstrapYaml().toString())) {
      HttpResponse<String> get = p.adminGet("/quitquitquit");
      assertThat(get.statusCode()).isEqualTo(405);
      assertThat(p.quitRequests.get()).isZero();
      assertThat(p.adminPost("/quitquitquit").statusCode()).isEqualTo(200);
      Await.until("the quit action to run", () -> p.quitRequests.get() == 1);
    }
  }

  @Test
  void configDumpShowsTheConfigurationInEffectAfterAReload() throws Exception {
    try (NamedBackend v1 = new NamedBackend("v1");
        NamedBackend v2 = new NamedBackend("v2")) {
      String before = new BootstrapYaml().routes("- {match: {prefix: /}, route: {cluster: v1}}").cluster(v1).toString();
      String after =
          new BootstrapYaml().routes("- {name: to-v2, match: {prefix: /new}, route: {cluster: v2}}").cluster(v2).toString();
      try (RunningProxy p = RunningProxy.start(dir, before, null, null, Duration.ofMillis(10))) {
        JsonNode dump = JSON.readTree(p.adminGet("/config_dump").body());
        assertThat(clusterNames(dump)).containsExactly("v1");

        p.rewriteConfig(after);
        Await.until("the reload", () -> p.watcher.applied() == 1);
        p.adminPost("/runtime_modify?routing.x=5");
        dump = JSON.readTree(p.adminGet("/config_dump").body());
        JsonNode configs = dump.get("configs");
        assertThat(configs.get(0).get("@type").asText()).isEqualTo("type.googleapis.com/envoy.admin.v3.BootstrapConfigDump");
        assertThat(clusterNames(dump)).containsExactly("v2");
        assertThat(configs.get(2).get("static_listeners").get(0).get("listener").get("name").asText()).isEqualTo("test");
        JsonNode route = configs.get(3).get("static_route_configs").get(0).get("route_config")
            .get("virtual_hosts").get(0).get("routes").get(0);
        assertThat(route.get("name").asText()).isEqualTo("to-v2");
        assertThat(configs.get(4).get("overrides").get("routing.x").asText()).isEqualTo("5");
      }
    }
  }

  @Test
  void clustersShowEndpointsCountersHealthAndEjectionsAsTextAndJson() throws Exception {
    try (NamedBackend flaky = new NamedBackend("flaky");
        NamedBackend fine = new NamedBackend("fine")) {
      String yaml =
          new BootstrapYaml()
              .routes("""
                  - match: {prefix: /, headers: [{name: x-to, string_match: {exact: flaky}}]}
                    route: {cluster: flaky}
                  - {match: {prefix: /}, route: {cluster: fine}}
                  """)
              .cluster(flaky, "outlier_detection: {consecutive_5xx: 2, base_ejection_time: 300s, max_ejection_percent: 100}")
              .cluster(fine)
              .toString();
      try (RunningProxy p = RunningProxy.start(dir, yaml);
          HttpConnection c = new HttpConnection(p.port())) {
        assertThat(c.get("/status/500", "x-to: flaky").status()).isEqualTo(500);
        assertThat(c.get("/status/500", "x-to: flaky").status()).isEqualTo(500);
        assertThat(c.get("/").header("x-backend")).isEqualTo("fine");
        // Ejected, but as the cluster's only endpoint it still serves: Envoy's panic threshold.
        assertThat(c.get("/", "x-to: flaky").status()).isEqualTo(200);

        String text = p.adminGet("/clusters").body();
        String f = "flaky::127.0.0.1:" + flaky.port() + "::";
        String g = "fine::127.0.0.1:" + fine.port() + "::";
        assertThat(text).contains(
            f + "health_flags::/failed_outlier_check\n", f + "ejections::1\n", f + "rq_total::3\n",
            f + "rq_error::2\n", g + "health_flags::healthy\n", g + "rq_total::1\n", g + "ejections::0\n",
            "flaky::default_priority::max_connections::1024\n");

        JsonNode json = JSON.readTree(p.adminGet("/clusters?format=json").body());
        JsonNode statuses = json.get("cluster_statuses");
        assertThat(statuses).hasSize(2);
        JsonNode flakyHost = statuses.get(0).get("host_statuses").get(0);
        assertThat(statuses.get(0).get("name").asText()).isEqualTo("flaky");
        assertThat(flakyHost.get("address").get("socket_address").get("port_value").asInt()).isEqualTo(flaky.port());
        assertThat(flakyHost.get("health_status").get("failed_outlier_check").asBoolean()).isTrue();
        assertThat(flakyHost.get("ejections").asInt()).isEqualTo(1);
        assertThat(stat(flakyHost, "rq_total")).isEqualTo("3");
        JsonNode fineHost = statuses.get(1).get("host_statuses").get(0);
        assertThat(fineHost.get("health_status").has("failed_outlier_check")).isFalse();
        assertThat(fineHost.get("health_status").get("eds_health_status").asText()).isEqualTo("HEALTHY");
      }
    }
  }

  @Test
  void listenersGiveTheRealPortOfAPortZeroListener() throws Exception {
    try (RunningProxy p = RunningProxy.start(dir, new BootstrapYaml().toString())) {
      assertThat(p.adminGet("/listeners").body()).isEqualTo("test::127.0.0.1:" + p.port() + "\n");
      JsonNode l = JSON.readTree(p.adminGet("/listeners?format=json").body()).get("listener_statuses").get(0);
      assertThat(l.get("name").asText()).isEqualTo("test");
      assertThat(l.get("local_address").get("socket_address").get("port_value").asInt()).isEqualTo(p.port());
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static List<String> clusterNames(JsonNode dump) {
    List<String> out = new ArrayList<>();
    dump.get("configs").get(1).get("static_clusters").forEach(c -> out.add(c.get("cluster").get("name").asText()));
    return out;
  }

  private static String stat(JsonNode host, String name) {
    for (JsonNode s : host.get("stats")) {
      if (s.get("name").asText().equals(name)) {
        return s.get("value").asText();
      }
    }
    return null;
  }
}
