package io.sluice.cli;

import io.sluice.stats.WindowSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The requests of one step of {@code sluice demo} as {@code sluice stat} rows: the proxy's window
 * as it was when the step began, subtracted from the window when it ended.
 *
 * <p>Why a difference rather than a short span: the admin's shortest span is 10 s, longer than a
 * step of {@code --fast}, so a span would mix the step with the one before. The proxy's window
 * only adds requests to its buckets until the oldest bucket rolls off, so while the window is
 * longer than the proxy has run, the two answers' counts and latency histograms differ by exactly
 * the requests in between. A row whose counts went down shows that something rolled off; then
 * there is no exact difference, and {@link #between} says so.
 */
final class StepTraffic {
  private StepTraffic() {}

  /**
   * The rows of the requests recorded between {@code start} and {@code end} (two answers of the
   * same proxy, {@code end} the later), over {@code seconds}; the weights and connections are
   * {@code end}'s. Null when {@code start} is no longer contained in {@code end} (the window
   * rolled off in between).
   */
  static List<StatRow> between(WindowAnswer start, WindowAnswer end, double seconds) {
    Map<String, StatRow> before = new HashMap<>();
    start.rows().forEach(r -> before.put(r.key(), r));
    List<StatRow> out = new ArrayList<>();
    for (StatRow r : end.rows()) {
      StatRow b = before.remove(r.key());
      WindowSnapshot t = b == null ? r.traffic() : minus(r.traffic(), b.traffic());
      if (t == null) {
        return null;
      }
      out.add(new StatRow(r.route(), r.backend(), r.name(), r.namespace(), r.weight(), r.tcpConnections(),
          new WindowSnapshot(t.requests(), t.failures(), t.classes(), t.bytesIn(), t.bytesOut(), t.latency(), seconds)));
    }
    // A row gone from the later answer was pruned: it carried nothing since the earlier one.
    return out;
  }

  /** {@code end - start}, or null when some count of {@code start} is larger. */
  private static WindowSnapshot minus(WindowSnapshot end, WindowSnapshot start) {
    long[] classes = new long[end.classes().length];
    for (int i = 0; i < classes.length; i++) {
      classes[i] = end.classes()[i] - (i < start.classes().length ? start.classes()[i] : 0);
      if (classes[i] < 0) {
        return null;
      }
    }
    long requests = end.requests() - start.requests();
    long failures = end.failures() - start.failures();
    long bytesIn = end.bytesIn() - start.bytesIn();
    long bytesOut = end.bytesOut() - start.bytesOut();
    if (requests < 0 || failures < 0 || bytesIn < 0 || bytesOut < 0) {
      return null;
    }
    Histogram latency = end.latency().copy();
    latency.setAutoResize(true);
    try {
      latency.subtract(start.latency());
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      // A bucket of the earlier histogram holds more than the later one's: it rolled off.
      return null;
    }
    return new WindowSnapshot(requests, failures, classes, bytesIn, bytesOut, latency, end.seconds());
  }
}
