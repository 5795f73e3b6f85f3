package io.sluice.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem found while reading one configuration, so that all of them can be
 * reported at once instead of stopping at the first.
 */
public final class Problems {
  private final List<ConfigProblem> problems = new ArrayList<>();

  /** Records an error at {@code path}. */
  public void error(String path, String message) {
    problems.add(new ConfigProblem(ConfigProblem.Severity.ERROR, path, message));
  }

  /** Records a warning at {@code path}; warnings never reject a configuration. */
  public void warn(String path, String message) {
    problems.add(new ConfigProblem(ConfigProblem.Severity.WARNING, path, message));
  }

  /** Whether at least one error was recorded. */
  public boolean hasErrors() {
    return problems.stream().anyMatch(p -> p.severity() == ConfigProblem.Severity.ERROR);
  }

  /** Number of problems recorded so far, errors and warnings alike. */
  public int size() {
    return problems.size();
  }

  /** Every error, in the order found. */
  public List<ConfigProblem> errors() {
    return problems.stream().filter(p -> p.severity() == ConfigProblem.Severity.ERROR).toList();
  }

  /** Every warning, in the order found. */
  public List<ConfigProblem> warnings() {
    return problems.stream().filter(p -> p.severity() == ConfigProblem.Severity.WARNING).toList();
  }

  /** Throws a {@link ConfigException} carrying every problem when any error was recorded. */
  public void throwIfErrors(String source) {
    if (hasErrors()) {
      throw new ConfigException(source, List.copyOf(problems));
    }
  }
}
