package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.BootstrapReader;
import io.sluice.testing.BootstrapYaml;
import io.sluice.testing.HttpConnection;
import io.sluice.testing.LogCapture;
import io.sluice.testing.NamedBackend;
import io.sluice.testing.RunningProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the watcher acts on a changed file, with its polls driven by the test one at a time. */
class ConfigFileWatcherTest {
  @TempDir Path dir;

  private static String routeTo(String cluster, NamedBackend a, NamedBackend b) {
    return new BootstrapYaml().routes("- {match: {prefix: /}, route: {cluster: " + cluster + "}}").cluster(a).cluster(b).toString();
  }

  @Test
  void aNewContentIsAppliedWhenTwoPollsInARowReadIt() throws Exception {
    try (NamedBackend a = new NamedBackend("a");
        NamedBackend b = new NamedBackend("b");
        RunningProxy p = RunningProxy.start(dir, routeTo("a", a, b));
        ConfigFileWatcher w = new ConfigFileWatcher(p.configFile, BootstrapReader::read, p.proxy, null);
        HttpConnection c = new HttpConnection(p.port())) {
      w.poll();
      assertThat(w.applied()).isZero();
      Files.setLastModifiedTime(p.configFile, java.nio.file.attribute.FileTime.fromMillis(0));
      w.poll();
      w.poll();
      assertThat(w.applied()).as("a touch is no change").isZero();

      p.rewriteConfig(routeTo("b", a, b));
      w.poll();
      assertThat(w.applied()).isZero();
      assertThat(c.get("/").header("x-backend")).isEqualTo("a");
      w.poll();
      assertThat(w.applied()).isEqualTo(1);
      assertThat(c.get("/").header("x-backend")).isEqualTo("b");
      w.poll();
      assertThat(w.applied()).isEqualTo(1);
    }
  }

  @Test
  void aFileCaughtHalfWrittenIsNotAppliedEvenWhenThePartIsValid() throws Exception {
    try (LogCapture log = new LogCapture();
        NamedBackend a = new NamedBackend("a");
        NamedBackend b = new NamedBackend("b");
        RunningProxy p = RunningProxy.start(dir, routeTo("a", a, b));
        ConfigFileWatcher w = new ConfigFileWatcher(p.configFile, BootstrapReader::read, p.proxy, null)) {
      assertThat(p.adminPost("/runtime_modify?k=v").statusCode()).isEqualTo(200);
      String full = routeTo("b", a, b);
      // Cut just before the runtime layers: a valid bootstrap without the admin layer.
      String part = full.substring(0, full.indexOf("layered_runtime:"));
      BootstrapReader.read(Files.writeString(dir.resolve("part.yaml"), part));

      p.rewriteConfig(part);
      w.poll();
      p.rewriteConfig(full);
      w.poll();
      assertThat(w.applied()).isZero();
      assertThat(p.proxy.runtime().getString("k", null)).isEqualTo("v");
      w.poll();
      assertThat(w.applied()).isEqualTo(1);
      assertThat(w.rejected()).isZero();
      assertThat(p.proxy.runtime().getString("k", null)).isEqualTo("v");
      assertThat(log.text()).doesNotContain("rejected");
    }
  }

  @Test
  void anEditMadeWhileTheProxyStartedIsSeenAsAChange() throws Exception {
    try (NamedBackend a = new NamedBackend("a");
        NamedBackend b = new NamedBackend("b");
        RunningProxy p = RunningProxy.start(dir, routeTo("a", a, b))) {
      // The proxy runs the "a" file, whose fingerprint was taken before it was read; then the file changed.
      byte[] running = ConfigFileWatcher.fingerprint(p.configFile);
      p.rewriteConfig(routeTo("b", a, b));
      try (ConfigFileWatcher w = new ConfigFileWatcher(p.configFile, running, BootstrapReader::read, p.proxy, null);
          HttpConnection c = new HttpConnection(p.port())) {
        w.poll();
        w.poll();
        assertThat(w.applied()).isEqualTo(1);
        assertThat(c.get("/").header("x-backend")).isEqualTo("b");
      }
    }
  }

  @Test
  void reloadNowAppliesAtOnceAndOnlyAChange() throws Exception {
    try (NamedBackend a = new NamedBackend("a");
        NamedBackend b = new NamedBackend("b");
        RunningProxy p = RunningProxy.start(dir, routeTo("a", a, b));
        ConfigFileWatcher w = new ConfigFileWatcher(p.configFile, BootstrapReader::read, p.proxy, null);
        HttpConnection c = new HttpConnection(p.port())) {
      w.reloadNow();
      assertThat(w.applied()).isZero();
      p.rewriteConfig(routeTo("b", a, b));
      w.reloadNow();
      assertThat(w.applied()).isEqualTo(1);
      assertThat(c.get("/").header("x-backend")).isEqualTo("b");
      w.close();
      p.rewriteConfig(routeTo("a", a, b));
      w.reloadNow();
      w.poll();
      w.poll();
      assertThat(w.applied()).as("closed").isEqualTo(1);
    }
  }
}
