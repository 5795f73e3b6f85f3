package io.sluice.config;

/**
 * One thing wrong (or worth a warning) in a configuration, with the path of the field it concerns,
 * such as {@code virtual_hosts[0].routes[2].route.weighted_clusters}.
 */
public record ConfigProblem(Severity severity, String path, String message) {

  /** Whether a problem rejects the configuration or is only reported. */
  public enum Severity {
    ERROR,
    WARNING
  }

  /** The problem as one line: {@code path: message}, or just the message for the document root. */
  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
