package io.sluice.tools;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a load saw in one interval, or over the whole run (the summary).
 *
 * @param summary whether this covers the whole run
 * @param time when the interval (or the run) ended
 * @param elapsed how long it lasted
 * @param good answers with status 200 to 499
 * @param bad answers with any other status
 * @param failed requests without an answer (connection refused or lost, timeout, not HTTP)
 * @param goal the requests the timetable meant to send in it, or -1 for a closed-loop load
 * @param latency the answers' latencies from their intended send times, null when there was none
 * @param bodies the answers counted by body label, most frequent first
 * @param unsent requests that were due but never sent because every connection stayed busy until
 *     the load stopped (only in the summary)
 */
public record LoadReport(
    boolean summary, Instant time, Duration elapsed, long good, long bad, long failed, long goal, Latencies latency,
    List<BodyCount> bodies, long unsent) {

  public LoadReport {
    bodies = List.copyOf(bodies);
  }

  /** Latencies in nanoseconds: exact minimum and maximum; percentiles to three significant digits. */
  public record Latencies(long min, long p50, long p95, long p99, long p999, long max) {}

  /** How many answers had a body with this label. */
  public record BodyCount(String label, long count) {}

  /** Answers received: good and bad. */
  public long answered() {
    return good + bad;
  }

  /** Answers received as a percentage of the goal; NaN for a closed-loop load or a goal of 0. */
  public double reachedPercent() {
    return goal > 0 ? 100.0 * answered() / goal : Double.NaN;
  }

  /** The count for {@code label}, 0 when none. */
  public long count(String label) {
    for (BodyCount b : bodies) {
      if (b.label().equals(label)) {
        return b.count();
      }
    }
    return 0;
  }
}
