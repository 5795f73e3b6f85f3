package io.sluice.route;

import io.sluice.config.ConfigException;
import io.sluice.config.ConfigProblem;
import io.sluice.config.Documents;
import io.sluice.config.Problems;
import java.util.List;

/** Builds route tables from YAML text for tests. */
final class Tables {
  private Tables() {}

  /** A table from a RouteConfiguration in YAML; fails the test on any error. */
  static RouteTable table(String yaml) {
    return RouteConfigReader.read(
        Documents.readOne(yaml, "test.yaml", Documents.Format.YAML),
        "test.yaml",
        RouteConfigReader.Options.NO_CLUSTER_VALIDATION);
  }

  /** The errors (as {@code path: message} lines) of a RouteConfiguration that must be rejected. */
  static List<String> errors(String yaml, RouteConfigReader.Options options) {
    try {
      RouteConfigReader.read(Documents.readOne(yaml, "test.yaml", Documents.Format.YAML), "test.yaml", options);
    } catch (ConfigException e) {
      return e.errors().stream().map(ConfigProblem::toString).toList();
    }
    throw new AssertionError("expected the configuration to be rejected:\n" + yaml);
  }

  static List<String> errors(String yaml) {
    return errors(yaml, RouteConfigReader.Options.NO_CLUSTER_VALIDATION);
  }

  /** The warnings of a RouteConfiguration that must be accepted. */
  static List<String> warnings(String yaml) {
    Problems p = new Problems();
    RouteConfigReader.read(
        Documents.readOne(yaml, "test.yaml", Documents.Format.YAML), "", p, RouteConfigReader.Options.NO_CLUSTER_VALIDATION);
    p.throwIfErrors("test.yaml");
    return p.warnings().stream().map(ConfigProblem::toString).toList();
  }
}
