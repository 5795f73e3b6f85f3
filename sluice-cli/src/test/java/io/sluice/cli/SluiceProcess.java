package io.sluice.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the built {@code sluice.jar} as a separate process, as a user would, and collects what it printed. */
final class SluiceProcess {
  /** What one run printed, and how it exited. */
  record Result(int exitCode, String stdout, String stderr) {}

  private SluiceProcess() {}

  /** The repository root (the directory holding the {@code sluice} launcher). */
  static Path root() {
    String configured = System.getProperty("sluice.root");
    Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
    for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("sluice")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository root above " + start);
  }

  /** The runnable jar built by this module. */
  static Path jar() {
    String configured = System.getProperty("sluice.jar");
    Path jar = configured != null ? Path.of(configured) : root().resolve("sluice-cli/target/sluice.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("the runnable jar is missing: " + jar + " (run mvn package first)");
    }
    return jar;
  }

  /** Runs {@code java -jar sluice.jar args...} in the repository root and waits up to a minute. */
  static Result run(String... args) throws IOException, InterruptedException {
    return runWithInput(null, args);
  }

  /** {@link #run}, with {@code stdin} as the standard input (none when null). */
  static Result runWithInput(String stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(jar().toString());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("sluice-out", ".txt");
    Path err = Files.createTempFile("sluice-err", ".txt");
    Path in = Files.createTempFile("sluice-in", ".txt");
    try {
      Files.writeString(in, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
      Process p =
          new ProcessBuilder(cmd)
              .directory(root().toFile())
              .redirectInput(in.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError("sluice " + String.join(" ", args) + " did not finish within 60 s");
      }
      return new Result(
          p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(in);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
