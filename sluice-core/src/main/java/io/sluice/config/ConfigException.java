package io.sluice.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration was rejected. Carries every problem found, each with the path of its field; the
 * message lists the errors one per line.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final transient List<ConfigProblem> problems;

  public ConfigException(String source, List<ConfigProblem> problems) {
    super(describe(source, problems), null, false, false);
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  /** A rejection with a single error at {@code path}. */
  public static ConfigException of(String source, String path, String message) {
    return new ConfigException(
        source, List.of(new ConfigProblem(ConfigProblem.Severity.ERROR, path, message)));
  }

  /** The file or stream the configuration came from, as the user named it. */
  public String source() {
    return source;
  }

  /** Every problem found, errors and warnings. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  /** Only the errors. */
  public List<ConfigProblem> errors() {
    return problems.stream().filter(p -> p.severity() == ConfigProblem.Severity.ERROR).toList();
  }

  private static String describe(String source, List<ConfigProblem> problems) {
    String errors =
        problems.stream()
            .filter(p -> p.severity() == ConfigProblem.Severity.ERROR)
            .map(ConfigProblem::toString)
            .collect(Collectors.joining("\n"));
    String prefix = source == null || source.isEmpty() ? "" : source + ": ";
    return prefix + "invalid configuration:\n" + errors;
  }
}
