package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice route-check} run from the built jar, on the shipped examples and on broken input. */
class RouteCheckJarIT {

  @Test
  void shippedExamplesPassWithFullCoverage() throws Exception {
    for (String name : new String[] {"traffic-shift", "traffic-split"}) {
      SluiceProcess.Result r =
          SluiceProcess.run(
              "route-check",
              "-c", "examples/route-check/" + name + ".yaml",
              "-t", "examples/route-check/" + name + ".test.yaml",
              "--details");
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      assertThat(r.stdout()).contains("Current route coverage: 100%");
    }
  }

  @Test
  void aFailingTestExitsOneAndNamesTheMismatch(@TempDir Path dir) throws Exception {
    Path tests = dir.resolve("wrong.yaml");
    Files.writeString(
        tests,
        """
        tests:
        - test_name: expects the wrong cluster
          input: {authority: helloworld, path: /, method: GET, random_value: 32}
          validate: {cluster_name: helloworld_v3}
        """);
    SluiceProcess.Result r =
        SluiceProcess.run("route-check", "-c", "examples/route-check/traffic-split.yaml", "-t", tests.toString(), "--details");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .contains("expects the wrong cluster")
        .contains("expected: [helloworld_v3], actual: [helloworld_v1], test type: cluster_name");
    assertThat(r.stdout()).doesNotContain("Current route coverage");
  }

  @Test
  void aBrokenConfigurationListsEveryErrorWithItsPathAndNoStackTrace(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("broken.yaml");
    Files.writeString(
        config,
        """
        virtual_hosts:
        - name: www
          domains: ['*']
          routes:
          - match: {prefix: /}
            route:
              weighted_clusters:
                clusters:
                - {name: v1, weight: 90}
                - {name: v2}
          - match: {prefx: /}
            route: {cluster: v1}
        """);
    SluiceProcess.Result r =
        SluiceProcess.run(
            "route-check", "-c", config.toString(), "-t", "examples/route-check/traffic-split.test.yaml");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .contains("virtual_hosts[0].routes[0].route.weighted_clusters.clusters[1].weight: Field 'weight' is missing")
        .contains("virtual_hosts[0].routes[1].match.prefx: unknown field")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void missingFlagsAreReportedAsEnvoysToolDoes() throws Exception {
    SluiceProcess.Result r = SluiceProcess.run("route-check", "-c", "examples/route-check/traffic-split.yaml");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("error: Both --config-path/c and --test-path/t are mandatory");
  }

  @Test
  void unknownCommandIsAUsageError() throws Exception {
    SluiceProcess.Result r = SluiceProcess.run("no-such-command");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("no-such-command");
  }
}
