package io.sluice.proxy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ProxyProcessMain} running in a child JVM with the given options (such as {@code
 * -Xmx64m}), on the test's class path; {@link #close} ends it and waits for it.
 */
final class ProxyProcess implements AutoCloseable {
  private final Process process;
  private final BufferedReader out;
  private final Writer in;
  private final int port;

  ProxyProcess(Path config, Path stderr, String... jvmOptions) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(jvmOptions));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ProxyProcessMain.class.getName());
    cmd.add(config.toString());
    process = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
    out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    String first = out.readLine();
    if (first == null || !first.startsWith("port ")) {
      close();
      throw new IOException("the proxy process did not start: " + first + "\n" + Files.readString(stderr));
    }
    port = Integer.parseInt(first.substring(5));
  }

  int port() {
    return port;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** The most direct memory Netty held in the child at any moment since it started. */
  long peakDirectMemory() throws IOException {
    in.write("peak\n");
    in.flush();
    String line = out.readLine();
    if (line == null || !line.startsWith("peak ")) {
      throw new IOException("no answer from the proxy process: " + line);
    }
    return Long.parseLong(line.substring(5));
  }

  @Override
  public void close() throws IOException {
    try {
      in.close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
