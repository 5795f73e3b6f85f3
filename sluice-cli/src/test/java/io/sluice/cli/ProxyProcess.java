package io.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sluice proxy} running from the built jar as a separate process, as an operator runs it:
 * the admin interface on 127.0.0.1:0 (its port read from the "admin on HOST:PORT" log line), the
 * listeners wherever the bootstrap says (port 0 in these tests; found through {@code /listeners}).
 * {@link #close} kills whatever is still running.
 */
final class ProxyProcess implements AutoCloseable {
  private static final Pattern ADMIN_LINE = Pattern.compile("admin on (\\S+):(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  final Process process;
  private final Path stdout;
  private final Path stderr;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private String admin;

  private ProxyProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts {@code sluice proxy -c config --admin 127.0.0.1:0 --state-dir stateDir args...} and waits until it is ready. */
  static ProxyProcess start(Path config, Path stateDir, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("--admin", "127.0.0.1:0"));
    all.addAll(List.of(args));
    return startWithoutAdminFlag(config, stateDir, all.toArray(String[]::new));
  }

  /** Starts {@code sluice proxy -c config --state-dir stateDir args...}: the admin address is the bootstrap's. */
  static ProxyProcess startWithoutAdminFlag(Path config, Path stateDir, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(SluiceProcess.jar().toString());
    cmd.addAll(List.of("proxy", "-c", config.toString(), "--state-dir", stateDir.toString(), "--concurrency", "1"));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("sluice-proxy-out", ".txt");
    Path err = Files.createTempFile("sluice-proxy-err", ".txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    ProxyProcess pp = new ProxyProcess(p, out, err);
    try {
      pp.awaitStarted();
    } catch (RuntimeException | Error e) {
      pp.close();
      throw e;
    }
    return pp;
  }

  private void awaitStarted() throws IOException {
    await("the 'admin on HOST:PORT' line", Duration.ofSeconds(30), () -> {
      if (!process.isAlive()) {
        throw new AssertionError("sluice proxy exited with " + process.exitValue() + ":\n" + stderr());
      }
      Matcher m = ADMIN_LINE.matcher(stderr());
      if (m.find()) {
        admin = "http://" + m.group(1) + ":" + m.group(2);
        return true;
      }
      return false;
    });
    await("/ready to answer 200", Duration.ofSeconds(10), () -> {
      try {
        return get("/ready").statusCode() == 200;
      } catch (IOException e) {
        return false;
      }
    });
  }

  /** The admin interface's base URL, {@code http://127.0.0.1:PORT}. */
  String admin() {
    return admin;
  }

  /** The port of the first listener, from {@code /listeners?format=json}. */
  int listenerPort() throws IOException {
    JsonNode l = JSON.readTree(get("/listeners?format=json").body()).get("listener_statuses").get(0);
    return l.get("local_address").get("socket_address").get("port_value").asInt();
  }

  /** The port a listener is bound to, by name, from {@code /listeners?format=json}; -1 when it has none. */
  int listenerPort(String name) throws IOException {
    for (JsonNode l : JSON.readTree(get("/listeners?format=json").body()).get("listener_statuses")) {
      if (l.get("name").asText().equals(name)) {
        return l.get("local_address").get("socket_address").get("port_value").asInt();
      }
    }
    return -1;
  }

  HttpResponse<String> get(String adminPath) throws IOException {
    return send(HttpRequest.newBuilder(URI.create(admin + adminPath)).GET());
  }

  HttpResponse<String> post(String adminPath) throws IOException {
    return send(HttpRequest.newBuilder(URI.create(admin + adminPath)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws IOException {
    try {
      return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** Sends SIGTERM (what {@link Process#destroy} does on Linux and macOS). */
  void terminate() {
    process.destroy();
  }

  /** Waits for the process to exit and returns its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("sluice proxy still running after " + timeout.toMillis() + " ms:\n" + stderr());
    }
    return process.exitValue();
  }

  String stderr() {
    try {
      return Files.readString(stderr, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read stderr: " + e + ")";
    }
  }

  String stdout() {
    try {
      return Files.readString(stdout, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read stdout: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    } catch (IOException e) {
      // temporary files; nothing to do
    }
  }

  /** Returns as soon as {@code condition} holds; fails naming {@code what} after {@code timeout}. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
      }
      LockSupport.parkNanos(5_000_000);
    }
  }
}
