package io.sluice.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sluice backend} or {@code sluice load} running from the built jar, with the environment
 * the test gives it (and no proxy variables inherited from the build's), its output in files the
 * test can watch while it runs. {@link #close} kills whatever still runs.
 */
final class ToolProcess implements AutoCloseable {
  private static final Pattern BACKEND_LINE = Pattern.compile("backend (\\S+) on (\\S+):(\\d+) ");

  final Process process;
  private final Path stdout;
  private final Path stderr;

  private ToolProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts {@code java -jar sluice.jar args...} with {@code env} added to a proxy-free environment. */
  static ToolProcess start(Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(SluiceProcess.jar().toString());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("sluice-tool-out", ".txt");
    Path err = Files.createTempFile("sluice-tool-err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(SluiceProcess.root().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    for (String v : List.of("http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY")) {
      pb.environment().remove(v);
    }
    pb.environment().putAll(env);
    return new ToolProcess(pb.start(), out, err);
  }

  /** Runs it to the end (at most a minute). */
  static SluiceProcess.Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    try (ToolProcess p = start(env, args)) {
      int code = p.awaitExit(Duration.ofSeconds(60));
      return new SluiceProcess.Result(code, p.stdout(), p.stderr());
    }
  }

  static SluiceProcess.Result run(String... args) throws IOException, InterruptedException {
    return run(Map.of(), args);
  }

  /** {@code sluice backend args...}, once it has said where it listens: the ports, in order. */
  static ToolProcess backend(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("backend"));
    all.addAll(List.of(args));
    ToolProcess p = start(Map.of(), all.toArray(String[]::new));
    long expected = all.stream().filter("--port"::equals).count();
    try {
      p.awaitStderr("a line per port", s -> BACKEND_LINE.matcher(s).results().count() >= expected);
    } catch (RuntimeException | Error e) {
      p.close();
      throw e;
    }
    return p;
  }

  /** The ports a backend said it listens on. */
  List<Integer> ports() {
    List<Integer> ports = new ArrayList<>();
    Matcher m = BACKEND_LINE.matcher(stderr());
    while (m.find()) {
      ports.add(Integer.parseInt(m.group(3)));
    }
    return ports;
  }

  void awaitStdout(String what, Predicate<String> condition) {
    ProxyProcess.await(what + " in standard output", Duration.ofSeconds(30), () -> {
      if (!process.isAlive() && !condition.test(stdout())) {
        throw new AssertionError("exited with " + process.exitValue() + " before " + what + ":\n" + stdout() + stderr());
      }
      return condition.test(stdout());
    });
  }

  void awaitStderr(String what, Predicate<String> condition) {
    ProxyProcess.await(what + " in standard error", Duration.ofSeconds(30), () -> {
      if (!process.isAlive() && !condition.test(stderr())) {
        throw new AssertionError("exited with " + process.exitValue() + " before " + what + ":\n" + stderr());
      }
      return condition.test(stderr());
    });
  }

  /** Sends a signal ({@code INT}, {@code TERM}) as a user's Ctrl-C or kill would. */
  void signal(String name) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout.toMillis() + " ms:\n" + stdout() + stderr());
    }
    return process.exitValue();
  }

  String stdout() {
    return read(stdout);
  }

  String stderr() {
    return read(stderr);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + p + ": " + e + ")";
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
}
