package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.store.StateDirectory;
import io.sluice.testing.BootstrapYaml;
import io.sluice.testing.HttpConnection;
import io.sluice.testing.NamedBackend;
import io.sluice.testing.RunningProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /runtime_modify} takes effect on the very next request, and outlives a restart. */
class RuntimeModifyTest {
  @TempDir Path dir;

  private static String split(NamedBackend a, NamedBackend b) {
    return new BootstrapYaml()
        .routes("""
            - match: {prefix: /}
              route:
                weighted_clusters:
                  runtime_key_prefix: split
                  clusters: [{name: a, weight: 50}, {name: b, weight: 50}]
            """)
        .cluster(a).cluster(b).toString();
  }

  @Test
  void aKeepAliveClientFollowsEachWeightChangeOnItsNextRequest() throws Exception {
    try (NamedBackend a = new NamedBackend("a");
        NamedBackend b = new NamedBackend("b");
        RunningProxy p = RunningProxy.start(dir, split(a, b));
        HttpConnection c = new HttpConnection(p.port())) {
      for (int i = 0; i < 20; i++) {
        String to = i % 2 == 0 ? "a" : "b";
        String other = i % 2 == 0 ? "b" : "a";
        assertThat(p.adminPost("/runtime_modify?split." + to + "=100&split." + other + "=0").statusCode())
            .isEqualTo(200);
        // The same connection, the very next request: the split is chosen per request.
        for (int j = 0; j < 3; j++) {
          HttpConnection.Response r = c.get("/");
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.header("x-backend")).as("change %d, request %d", i, j).isEqualTo(to);
        }
      }
      assertThat(c.closedByPeer()).isFalse();
      assertThat(p.proxy.openConnections()).isEqualTo(1);
    }
  }

  @Test
  void theSplitIsDrawnPerRequestNotPerConnection() throws Exception {
    // Random values 0, 1, 2, ...: with weights 50/50 (total 100), value v goes to a when v mod 100 < 50.
    AtomicLong counter = new AtomicLong();
    try (NamedBackend a = new NamedBackend("a");
        NamedBackend b = new NamedBackend("b");
        RunningProxy p = RunningProxy.start(dir, split(a, b), counter::getAndIncrement, null, null);
        HttpConnection c = new HttpConnection(p.port())) {
      Map<String, Integer> counts = new HashMap<>();
      for (int i = 0; i < 100; i++) {
        counts.merge(c.get("/").header("x-backend"), 1, Integer::sum);
      }
      assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("a", 50, "b", 50));
      p.adminPost("/runtime_modify?split.a=1&split.b=3");
      counts.clear();
      for (int i = 0; i < 100; i++) {
        counts.merge(c.get("/").header("x-backend"), 1, Integer::sum);
      }
      assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("a", 25, "b", 75));
    }
  }

  @Test
  void overridesAreKeptInTheStateDirectoryAndRestored() throws Exception {
    Path stateDir = dir.resolve("state");
    Path config = dir.resolve("config");
    Files.createDirectories(config);
    try (NamedBackend a = new NamedBackend("a");
        NamedBackend b = new NamedBackend("b")) {
      try (RunningProxy p = RunningProxy.start(config, split(a, b), null, new StateDirectory(stateDir), null)) {
        assertThat(p.adminPost("/runtime_modify?split.a=0&split.b=7&other=x").statusCode()).isEqualTo(200);
        assertThat(p.adminPost("/runtime_modify?other=").statusCode()).isEqualTo(200);
      }
      assertThat(Files.readString(stateDir.resolve("runtime-overrides.json")))
          .contains("\"split.a\" : \"0\"").contains("\"split.b\" : \"7\"").doesNotContain("other");

      try (RunningProxy p = RunningProxy.start(config, split(a, b), null, new StateDirectory(stateDir), null);
          HttpConnection c = new HttpConnection(p.port())) {
        assertThat(p.proxy.runtimeOverrides()).containsOnly(Map.entry("split.a", "0"), Map.entry("split.b", "7"));
        for (int i = 0; i < 20; i++) {
          assertThat(c.get("/").header("x-backend")).isEqualTo("b");
        }
      }
    }
  }

  @Test
  void aChangeThatCannotBeSavedIsNotApplied() throws Exception {
    Path stateDir = dir.resolve("state");
    try (NamedBackend a = new NamedBackend("a");
        NamedBackend b = new NamedBackend("b");
        RunningProxy p = RunningProxy.start(dir, split(a, b), null, new StateDirectory(stateDir), null)) {
      assertThat(p.adminPost("/runtime_modify?split.a=100&split.b=0").statusCode()).isEqualTo(200);
      // The state directory disappears and a file takes its place: nothing can be written there.
      try (var files = Files.list(stateDir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(stateDir);
      Files.writeString(stateDir, "not a directory");

      assertThat(p.adminPost("/runtime_modify?split.a=0&split.b=100").statusCode()).isEqualTo(500);
      assertThat(p.proxy.runtimeOverrides()).containsEntry("split.a", "100");
      try (HttpConnection c = new HttpConnection(p.port())) {
        assertThat(c.get("/").header("x-backend")).isEqualTo("a");
      }
    }
  }
}
