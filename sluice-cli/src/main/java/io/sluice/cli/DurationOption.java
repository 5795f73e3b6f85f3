package io.sluice.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parses durations written the way operators write them: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
final class DurationOption {
  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  private DurationOption() {}

  static Duration parse(CommandLine.Model.CommandSpec spec, String option, String text) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          option + ": expected a duration such as 500ms, 10s, 2m or 1h, got '" + text + "'");
    }
    double v = Double.parseDouble(m.group(1));
    double millis = switch (m.group(2)) {
      case "ms" -> v;
      case "s" -> v * 1000;
      case "m" -> v * 60_000;
      default -> v * 3_600_000;
    };
    return Duration.ofNanos((long) (millis * 1_000_000));
  }
}
