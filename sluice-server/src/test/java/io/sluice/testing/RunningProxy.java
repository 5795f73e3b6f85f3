package io.sluice.testing;

import io.sluice.admin.AdminServer;
import io.sluice.config.BootstrapReader;
import io.sluice.config.HostPort;
import io.sluice.proxy.ConfigFileWatcher;
import io.sluice.proxy.ProxyServer;
import io.sluice.route.RandomSource;
import io.sluice.store.StateDirectory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A proxy assembled as {@code sluice proxy} assembles it, in the test's JVM: the data plane for a
 * bootstrap file, the admin interface on 127.0.0.1:0, and optionally the file watcher. Everything
 * is on loopback port 0 and released by {@link #close}.
 */
public final class RunningProxy implements AutoCloseable {
  public final Path configFile;
  public final ProxyServer proxy;
  public final AdminServer admin;
  public final ConfigFileWatcher watcher;
  /** How many times {@code POST /quitquitquit} asked to quit. */
  public final AtomicInteger quitRequests = new AtomicInteger();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private RunningProxy(Path configFile, RandomSource random, StateDirectory state, Duration watchInterval)
      throws IOException {
    this.configFile = configFile;
    ProxyServer p = new ProxyServer(BootstrapReader.read(configFile), new ProxyServer.Options(2, random, null, state));
    AdminServer a = null;
    ConfigFileWatcher w = null;
    try {
      p.start();
      a = new AdminServer(new HostPort("127.0.0.1", 0), p, quitRequests::incrementAndGet);
      if (watchInterval != null) {
        w = new ConfigFileWatcher(configFile, BootstrapReader::read, p, watchInterval);
      }
    } catch (IOException | RuntimeException e) {
      if (a != null) {
        a.close();
      }
      p.close();
      throw e;
    }
    this.proxy = p;
    this.admin = a;
    this.watcher = w;
  }

  /** Writes {@code yaml} to {@code dir}/envoy.yaml and starts a proxy for it. */
  public static RunningProxy start(Path dir, String yaml, RandomSource random, StateDirectory state,
      Duration watchInterval) throws IOException {
    Path file = dir.resolve("envoy.yaml");
    Files.writeString(file, yaml);
    return new RunningProxy(file, random == null ? RandomSource.threadLocal() : random, state, watchInterval);
  }

  /** A proxy for {@code yaml} with random values from the thread, no state directory, no watcher. */
  public static RunningProxy start(Path dir, String yaml) throws IOException {
    return start(dir, yaml, null, null, null);
  }

  /** The port of the (first) listener. */
  public int port() {
    return proxy.listenerAddresses().values().iterator().next().getPort();
  }

  public int adminPort() {
    return admin.address().getPort();
  }

  /** Replaces the config file's content (in place, as many editors do). */
  public void rewriteConfig(String yaml) throws IOException {
    Files.writeString(configFile, yaml);
  }

  /** An admin GET. */
  public HttpResponse<String> adminGet(String pathAndQuery) throws IOException {
    return admin(HttpRequest.newBuilder(adminUri(pathAndQuery)).GET());
  }

  /** An admin POST with no body. */
  public HttpResponse<String> adminPost(String pathAndQuery) throws IOException {
    return admin(HttpRequest.newBuilder(adminUri(pathAndQuery)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** An admin POST of a form ({@code application/x-www-form-urlencoded}). */
  public HttpResponse<String> adminPostForm(String path, String form) throws IOException {
    return admin(
        HttpRequest.newBuilder(adminUri(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)));
  }

  private URI adminUri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + adminPort() + pathAndQuery);
  }

  private HttpResponse<String> admin(HttpRequest.Builder b) throws IOException {
    try {
      return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
    admin.close();
    proxy.close();
  }
}
