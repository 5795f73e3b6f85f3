package io.sluice.check;

import java.util.List;

/**
 * The outcome of one test: its failure lines in check order (none when it passed) and, when it
 * failed, what {@code -o} records.
 */
public record TestResult(String name, List<String> failures, ValidationFailure failure) {

  public TestResult {
    failures = List.copyOf(failures);
  }

  /** Whether every check passed. */
  public boolean passed() {
    return failures.isEmpty();
  }
}
