package io.sluice.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.config.ConfigException;
import io.sluice.config.Documents;
import io.sluice.config.Problems;
import java.nio.file.Path;
import java.util.List;

/**
 * A route-check test file: the tests in file order and the optional top-level {@code runtime}.
 *
 * <p>The {@code runtime} is accepted and kept but changes nothing: Envoy uses it for
 * configuration-time settings, in practice {@code re2.max_program_size.*}, and RE2/J has no program
 * size limit to raise, so a regex Envoy would reject without it is accepted with or without it.
 *
 * @param document the file's tree as read
 * @param runtime the top-level {@code runtime} struct, or null
 * @param tests the tests in file order
 */
public record RouteCheckTestFile(JsonNode document, JsonNode runtime, List<RouteCheckTest> tests) {

  public RouteCheckTestFile {
    tests = List.copyOf(tests);
  }

  /**
   * Reads and validates a test file (JSON when it ends in {@code .json}, else YAML).
   *
   * @throws ConfigException when the file cannot be read or has fields the schema does not have
   * @throws TestFileConstraintException when it breaks a schema rule
   */
  public static RouteCheckTestFile load(Path file) {
    return parse(Documents.readOne(file), file.toString());
  }

  /** Reads and validates a test file's tree; {@code source} names it in errors. */
  public static RouteCheckTestFile parse(JsonNode document, String source) {
    Problems problems = new Problems();
    RouteCheckTestFile file = TestFileReader.read(document, problems);
    problems.throwIfErrors(source);
    String violation = TestFileConstraints.firstViolation(file);
    if (violation != null) {
      String dump = ProtoTextPrinter.debugString(document, ProtoDescriptors.VALIDATION).stripTrailing();
      throw new TestFileConstraintException("Proto constraint validation failed (" + violation + "): " + dump);
    }
    return file;
  }
}
