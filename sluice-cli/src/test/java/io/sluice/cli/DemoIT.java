package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice demo --fast} from the built jar, as the README tells a newcomer to run it: every
 * step passes and prints its commands, the load's counts, its table and its verdict; and Ctrl-C
 * in the middle stops it at once with every port it printed free again.
 */
class DemoIT {
  private static final Pattern HERE = Pattern.compile("# here: .*");
  private static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern LINKERD_ADMIN = Pattern.compile("# here: mesh \\S+, admin (\\S+)");

  @Test
  void theFastDemoPassesEveryStepShowingItsTableAndVerdict() throws Exception {
    // --step with nothing to read (standard input is /dev/null): the first pause meets the end of
    // the input and the demo goes on without pausing again.
    SluiceProcess.Result r = ToolProcess.run(Map.of(), "demo", "--fast", "--step");

    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
    assertThat(r.stderr()).as("nothing went wrong on the way").isEmpty();
    String[] steps = r.stdout().split("\n-- Step ");
    assertThat(steps).as(r.stdout()).hasSize(DemoWalkthrough.STEPS + 1);
    for (int n = 1; n <= DemoWalkthrough.STEPS; n++) {
      String step = steps[n];
      assertThat(step).as(step).startsWith(n + "/" + DemoWalkthrough.STEPS + ": ")
          .containsPattern("\n\\$ (HTTP_PROXY=http://127.0.0.1:4140 )?\\./sluice load --qps 500 --concurrency 4 --duration 2s ")
          .containsPattern("\ntotal +\\S+ +\\d+/0/0 ")
          .containsPattern("\n\\$ \\./sluice stat (-n traffic-shift-demo )?--window 10s\nNAME +WEIGHT +SUCCESS +RPS ")
          .containsPattern("\nPASS  .*; none failed\n");
    }
    assertThat(steps[1]).contains("$ cat examples/linkerd-traffic-shift/demo.yaml examples/linkerd-traffic-shift/endpoints.yaml"
            + " | ./sluice apply -f -\n")
        .contains("\nservice/bb created\n").contains("\nendpointslice.discovery.k8s.io/bb-v2-1 created\n")
        .containsPattern("\nbb +100% +100.00% ").contains("\nPASS  all 1000 answers from v1; none failed\n");
    assertThat(steps[2]).contains("$ ./sluice apply -f examples/linkerd-traffic-shift/bb-route-90-10.yaml\n"
            + "httproute.policy.linkerd.io/bb-route created\n")
        .containsPattern("\nbb +90% +100.00% ").containsPattern("\nbb-v2 +10% +100.00% ")
        .containsPattern("\nPASS  v1=\\d+ v2=\\d+ of 1000 answers: v1 \\S+ \\(expected 90% ± 4.3 points\\), ");
    assertThat(steps[3]).contains("httproute.policy.linkerd.io/bb-route configured\n")
        .containsPattern("\nbb-v2 +100% +100.00% ").contains("\nPASS  all 1000 answers from v2; none failed\n");
    assertThat(steps[4]).contains("$ ./sluice runtime set routing.traffic_shift.helloworld=100\nOK\n")
        .containsPattern("\nhelloworld_v1 +100% +100.00% ").contains("PASS  all 1000 answers from v1");
    assertThat(steps[5]).contains("$ ./sluice runtime set routing.traffic_shift.helloworld=90\nOK\n")
        .containsPattern("\nhelloworld_v1 .*\nhelloworld_v2 ").contains("(expected 90% ± 4.3 points)");
    assertThat(steps[6]).contains("$ ./sluice runtime set routing.traffic_shift.helloworld=0\nOK\n")
        .contains("PASS  all 1000 answers from v2");
    assertThat(steps[7]).containsPattern("\nhelloworld_v1 +33% .*\nhelloworld_v2 +33% .*\nhelloworld_v3 +34% ")
        .contains("(expected 34% ± 6.7 points)");
    assertThat(r.stdout()).containsPattern("\nsluice demo: all 7 steps passed in \\d+\\.\\ds\n$");
    Matcher linkerd = LINKERD_ADMIN.matcher(r.stdout());
    assertThat(linkerd.find()).isTrue();
    assertThat(r.stdout().lines().filter(l -> l.startsWith("-- Press Enter"))).containsExactly(
        "-- Press Enter for step 2/7. Meanwhile, in another terminal: ./sluice stat -n traffic-shift-demo --admin "
            + linkerd.group(1));
  }

  @Test
  void ctrlCStopsEverythingAtOnceAndFreesEveryPortItPrinted() throws Exception {
    try (ToolProcess demo = ToolProcess.start(Map.of(), "demo", "--fast")) {
      demo.awaitStdout("step 2", s -> s.contains("\n-- Step 2/7: "));
      List<Integer> ports = printedPorts(demo.stdout());
      assertThat(ports).as(demo.stdout()).hasSize(4); // v1, v2, the mesh listener, the admin interface

      long signalled = System.nanoTime();
      demo.signal("INT");
      int code = demo.awaitExit(Duration.ofSeconds(15));
      Duration took = Duration.ofNanos(System.nanoTime() - signalled);

      assertThat(code).as("128 + SIGINT\n" + demo.stderr()).isEqualTo(130);
      assertThat(took).as("stopped promptly").isLessThan(Duration.ofSeconds(5));
      // Newest first; the step's load too, unless Ctrl-C came between two loads.
      assertThat(demo.stderr())
          .matches("sluice demo: interrupted; stopped (the load, )?the Linkerd proxy, backend v2 and backend v1\n");
      assertThat(demo.stdout()).as("no verdict on a step cut short").doesNotContain("FAIL");
      for (int port : ports) {
        assertThat(canBind(port)).as("port " + port + " is free").isTrue();
      }
    }
  }

  @Test
  void badFlagsExitTwoBeforeAnythingStarts() throws Exception {
    BackendCommandIT.expectUsageError(
        "--qps: expected 10 requests per second or more (the reference's slow_cooker sends 10), got 5.0",
        "demo", "--qps", "5");
    BackendCommandIT.expectUsageError("Unknown option: '--slow'", "demo", "--slow");
  }

  /** The ports of the servers the demo said it started ({@code # here: v1 on 127.0.0.1:PORT}). */
  private static List<Integer> printedPorts(String stdout) {
    List<Integer> ports = new ArrayList<>();
    Matcher here = HERE.matcher(stdout);
    while (here.find()) {
      Matcher port = PORT.matcher(here.group());
      while (port.find()) {
        ports.add(Integer.parseInt(port.group(1)));
      }
    }
    return ports;
  }

  private static boolean canBind(int port) {
    // SO_REUSEADDR (Java's default for a ServerSocket on Linux): connections the demo closed may
    // linger in TIME_WAIT on the port, which binding again allows; a listener would not.
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
