package io.sluice.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shipped Envoy examples, made runnable in a test: the listener on port 0 and the upstream
 * ports of the test's servers. Nothing else is changed, so the tests run what users run.
 */
final class ShippedExamples {
  private ShippedExamples() {}

  /** {@code examples/envoy-traffic-shift/envoy.yaml}, written to {@code dir}. */
  static Path trafficShift(Path dir, int v1Port, int v2Port) throws IOException {
    String yaml = Files.readString(SluiceProcess.root().resolve("examples/envoy-traffic-shift/envoy.yaml"));
    yaml = replace(yaml, "port_value: 10000", "port_value: 0");
    yaml = replace(yaml, "port_value: 8081", "port_value: " + v1Port);
    yaml = replace(yaml, "port_value: 8082", "port_value: " + v2Port);
    Path file = dir.resolve("envoy.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static String replace(String text, String what, String with) {
    if (!text.contains(what)) {
      throw new IllegalStateException("the example no longer contains '" + what + "'");
    }
    return text.replace(what, with);
  }
}
