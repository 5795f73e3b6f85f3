package io.sluice.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * How {@code sluice load} prints its reports: text lines in columns, or one JSON object per line.
 * The README's "Output" section describes both; the demo parses them.
 *
 * <p>A text line is, separated by white space: the time ({@code 2026-11-22T01:02:03Z}, UTC, to the
 * second) or {@code total}; the interval's length ({@code 10.0s}); {@code good/bad/failed}; the
 * goal (requests the timetable meant to send) and the percentage of it answered, {@code -} for a
 * closed loop; min, p50, p95, p99, p99.9 and max latency in milliseconds, {@code -} without answers;
 * then {@code LABEL=COUNT} for the most frequent bodies and {@code +N more} when N labels were left out.
 */
public final class LoadReportFormat {
  private static final JsonFactory JSON = new JsonFactory();
  private static final String COLUMNS = "%-20s %8s %15s %7s %7s %9s %9s %9s %9s %9s %9s";

  private LoadReportFormat() {}

  /** The two comment lines that start a text report: what is sent, and the column names. */
  public static List<String> header(LoadOptions o) {
    StringBuilder sb = new StringBuilder("# sluice load: ");
    sb.append(o.method()).append(' ').append(o.url());
    if (o.proxy() != null) {
      sb.append(" via proxy ").append(o.proxy());
    }
    sb.append(", ").append(o.closedLoop() ? "closed loop (as fast as answers come)" : number(o.qps()) + " requests/s");
    sb.append(", ").append(o.concurrency()).append(o.concurrency() == 1 ? " connection" : " connections");
    sb.append(", a line every ").append(DurationText.format(o.interval()));
    if (o.total() > 0) {
      sb.append(", ").append(o.total()).append(" requests");
    }
    if (o.duration() != null) {
      sb.append(", for ").append(DurationText.format(o.duration()));
    }
    String columns = String.format(Locale.ROOT, COLUMNS, "# time", "interval", "good/bad/failed", "goal", "reached",
        "min_ms", "p50_ms", "p95_ms", "p99_ms", "p999_ms", "max_ms") + "  bodies";
    return List.of(sb.toString(), columns);
  }

  /** One text line; at most {@code maxBodies} labels are listed, the rest said as {@code +N more}. */
  public static String text(LoadReport r, int maxBodies) {
    String time = r.summary() ? "total" : DateTimeFormatter.ISO_INSTANT.format(r.time().truncatedTo(ChronoUnit.SECONDS));
    LoadReport.Latencies l = r.latency();
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, COLUMNS,
        time,
        String.format(Locale.ROOT, "%.1fs", r.elapsed().toNanos() / 1e9),
        r.good() + "/" + r.bad() + "/" + r.failed(),
        r.goal() < 0 ? "-" : Long.toString(r.goal()),
        Double.isNaN(r.reachedPercent()) ? "-" : String.format(Locale.ROOT, "%.1f%%", r.reachedPercent()),
        ms(l == null ? -1 : l.min()), ms(l == null ? -1 : l.p50()), ms(l == null ? -1 : l.p95()),
        ms(l == null ? -1 : l.p99()), ms(l == null ? -1 : l.p999()), ms(l == null ? -1 : l.max())));
    sb.append(' ');
    List<LoadReport.BodyCount> bodies = r.bodies();
    for (int i = 0; i < bodies.size() && i < maxBodies; i++) {
      sb.append(' ').append(bodies.get(i).label()).append('=').append(bodies.get(i).count());
    }
    if (bodies.size() > maxBodies) {
      sb.append(" +").append(bodies.size() - maxBodies).append(" more");
    }
    return sb.toString().stripTrailing();
  }

  /** The comment line after the summary: answers per second over the run, and requests never sent. */
  public static String footer(LoadReport summary) {
    double seconds = summary.elapsed().toNanos() / 1e9;
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "# %d answers and %d failures in %.1fs (%.1f answers/s)",
        summary.answered(), summary.failed(), seconds, seconds > 0 ? summary.answered() / seconds : 0.0));
    if (summary.unsent() > 0) {
      sb.append("; ").append(summary.unsent()).append(" requests were due but never sent (every connection was busy)");
    }
    return sb.toString();
  }

  /** One JSON object, on one line, with every label. */
  public static String json(LoadReport r) {
    StringWriter w = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("type", r.summary() ? "summary" : "interval");
      g.writeStringField("time", DateTimeFormatter.ISO_INSTANT.format(r.time().truncatedTo(ChronoUnit.MILLIS)));
      g.writeNumberField("seconds", Math.round(r.elapsed().toNanos() / 1e6) / 1e3);
      g.writeNumberField("good", r.good());
      g.writeNumberField("bad", r.bad());
      g.writeNumberField("failed", r.failed());
      if (r.goal() < 0) {
        g.writeNullField("goal");
        g.writeNullField("reached");
      } else {
        g.writeNumberField("goal", r.goal());
        if (Double.isNaN(r.reachedPercent())) {
          g.writeNullField("reached");
        } else {
          g.writeNumberField("reached", Math.round(r.reachedPercent() * 10) / 10.0);
        }
      }
      LoadReport.Latencies l = r.latency();
      if (l == null) {
        g.writeNullField("latencyMs");
      } else {
        g.writeObjectFieldStart("latencyMs");
        g.writeNumberField("min", msValue(l.min()));
        g.writeNumberField("p50", msValue(l.p50()));
        g.writeNumberField("p95", msValue(l.p95()));
        g.writeNumberField("p99", msValue(l.p99()));
        g.writeNumberField("p999", msValue(l.p999()));
        g.writeNumberField("max", msValue(l.max()));
        g.writeEndObject();
      }
      g.writeObjectFieldStart("bodies");
      for (LoadReport.BodyCount b : r.bodies()) {
        g.writeNumberField(b.label(), b.count());
      }
      g.writeEndObject();
      if (r.summary()) {
        g.writeNumberField("unsent", r.unsent());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  private static String ms(long nanos) {
    return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }

  private static double msValue(long nanos) {
    return nanos / 1000 / 1e3;
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
