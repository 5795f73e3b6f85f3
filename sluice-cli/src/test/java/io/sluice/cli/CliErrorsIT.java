package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the built jar fails: a broken bootstrap exits 1 listing every error with its path; a bad
 * command line exits 2 saying what is wrong; an unreachable admin interface exits 1 with one line.
 * Never a stack trace.
 */
class CliErrorsIT {
  private static final String HCM =
      "static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].";

  @TempDir Path dir;

  @Test
  void aBootstrapWithErrorsExitsOneListingEveryErrorWithItsPath() throws Exception {
    String example = Files.readString(SluiceProcess.root().resolve("examples/envoy-traffic-split/envoy.yaml"));
    String broken =
        example
            .replace("weight: 34", "weight: -34")
            .replace("- name: helloworld_v2\n                             weight: 33",
                "- name: helloworld_v9\n                             weight: 33")
            .replace("connect_timeout: 0.25s\n    type: STATIC\n    lb_policy: ROUND_ROBIN\n    load_assignment:\n      cluster_name: helloworld_v3",
                "connect_timeout: 0.25s\n    type: STATIK\n    lb_policy: ROUND_ROBIN\n    load_assignment:\n      cluster_name: helloworld_v3");
    assertThat(broken).contains("weight: -34", "helloworld_v9", "STATIK");
    Path config = dir.resolve("broken.yaml");
    Files.writeString(config, broken);

    SluiceProcess.Result r = SluiceProcess.run("proxy", "-c", config.toString(), "--admin", "127.0.0.1:0",
        "--state-dir", dir.resolve("state").toString());
    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
    assertThat(r.stderr())
        .contains(config + ": static_resources.clusters[2].type: ")
        .contains(config + ": " + HCM + "routes[0].route.weighted_clusters.clusters[2].weight: ")
        .contains(config + ": " + HCM + "routes[0].route.weighted_clusters.clusters[1].name: route: unknown weighted cluster 'helloworld_v9'")
        .containsPattern("sluice: \\d+ error\\(s\\); not starting")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(r.stderr().lines().filter(l -> l.startsWith(config.toString())).count()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void aMissingConfigFileExitsOneWithOneLine() throws Exception {
    SluiceProcess.Result r = SluiceProcess.run("proxy", "-c", dir.resolve("nope.yaml").toString(),
        "--admin", "127.0.0.1:0", "--state-dir", dir.resolve("state").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains(dir.resolve("nope.yaml") + ": no such file").doesNotContain("\tat ");
  }

  @Test
  void badFlagsExitTwoWithAClearMessage() throws Exception {
    Path config = dir.resolve("envoy.yaml");
    Files.writeString(config, "{}");
    String c = config.toString();
    expectUsageError(new String[] {"proxy"}, "Missing required option: '--config=FILE'");
    expectUsageError(new String[] {"proxy", "-c", c, "--drain-time", "soon"},
        "--drain-time: expected a duration such as 500ms, 10s, 2m or 1h, got 'soon'");
    expectUsageError(new String[] {"proxy", "-c", c, "--admin", "nohost"}, "--admin: expected HOST:PORT, got 'nohost'");
    expectUsageError(new String[] {"proxy", "-c", c, "--window", "5s"}, "--window: must be between 10s and 10m, got '5s'");
    expectUsageError(new String[] {"proxy", "-c", c, "--concurrency", "zero"},
        "Invalid value for option '--concurrency': 'zero' is not an int");
    expectUsageError(new String[] {"proxy", "-c", c, "--bogus"}, "Unknown option: '--bogus'");
    expectUsageError(new String[] {"runtime", "set", "novalue"}, "expected KEY=VALUE, got 'novalue'");
    expectUsageError(new String[] {"runtime", "get", "--admin", "ftp://127.0.0.1:9901"},
        "--admin: expected HOST:PORT or http://HOST:PORT, got 'ftp://127.0.0.1:9901'");
    expectUsageError(new String[] {"runtime"}, "Missing required subcommand");
  }

  @Test
  void anUnreachableAdminInterfaceExitsOneWithOneLine() throws Exception {
    int port = closedPort();
    for (String[] args : new String[][] {
        {"runtime", "get", "--admin", "127.0.0.1:" + port},
        {"runtime", "set", "--admin", "http://127.0.0.1:" + port + "/", "k=v"}}) {
      SluiceProcess.Result r = SluiceProcess.run(args);
      assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
      assertThat(r.stderr()).isEqualTo("error: cannot reach the admin interface at http://127.0.0.1:" + port
          + " (is `sluice proxy` running? use --admin)\n");
      assertThat(r.stdout()).isEmpty();
    }
  }

  @Test
  void aListenerThatCannotBeBoundExitsOneWithOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      Path config = dir.resolve("envoy.yaml");
      Files.writeString(config,
          Files.readString(SluiceProcess.root().resolve("examples/envoy-traffic-shift/envoy.yaml"))
              .replace("address: 0.0.0.0, port_value: 10000", "address: 127.0.0.1, port_value: " + taken.getLocalPort()));
      SluiceProcess.Result r = SluiceProcess.run("proxy", "-c", config.toString(), "--admin", "127.0.0.1:0",
          "--state-dir", dir.resolve("state").toString());
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.stderr()).contains("sluice: cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (listener listener_0)")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void anUnusableStateDirectoryExitsOneWithOneLine() throws Exception {
    Path config = dir.resolve("envoy.yaml");
    Files.writeString(config, Files.readString(SluiceProcess.root().resolve("examples/envoy-traffic-shift/envoy.yaml"))
        .replace("port_value: 10000", "port_value: 0"));
    Path inTheWay = Files.writeString(dir.resolve("state"), "not a directory");
    SluiceProcess.Result r = SluiceProcess.run("proxy", "-c", config.toString(), "--admin", "127.0.0.1:0",
        "--state-dir", inTheWay.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).isEqualTo("error: cannot use the state directory " + inTheWay
        + ": a file is in the way (" + inTheWay + ")\n");
  }

  private static void expectUsageError(String[] args, String message) throws Exception {
    SluiceProcess.Result r = SluiceProcess.run(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.stderr()).isEqualTo(2);
    assertThat(r.stderr().lines().findFirst().orElse("")).as(String.join(" ", args)).startsWith(message);
    assertThat(r.stderr()).doesNotContain("\tat ");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }
}
