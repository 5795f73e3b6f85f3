package io.sluice.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.config.Documents;
import io.sluice.route.RouteConfigReader;
import io.sluice.route.RouteTable;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds route tables and test files from YAML text for the tests of this package. */
final class RouteChecks {
  private RouteChecks() {}

  /** A table from a RouteConfiguration, adjusted as the tool adjusts it; routes get suffixes uuid-1, uuid-2, ... */
  static RouteTable table(String yaml) {
    JsonNode n = Documents.readOne(yaml, "config", Documents.Format.YAML);
    AtomicInteger i = new AtomicInteger();
    ConfigUnderTest.prepare(n, () -> "uuid-" + i.incrementAndGet());
    return RouteConfigReader.read(n, "config", RouteConfigReader.Options.NO_CLUSTER_VALIDATION);
  }

  static RouteCheckTestFile tests(String yaml) {
    return RouteCheckTestFile.parse(Documents.readOne(yaml, "tests", Documents.Format.YAML), "tests");
  }

  static RouteCheckRun run(String config, String tests) {
    return RouteCheckRun.run(table(config), tests(tests));
  }
}
