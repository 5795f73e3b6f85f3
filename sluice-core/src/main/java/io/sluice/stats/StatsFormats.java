package io.sluice.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Renders statistics as Envoy's admin does: {@code /stats} text ({@code name: value}, histograms
 * as quantiles), {@code /stats?format=json}, and {@code /stats/prometheus} (text exposition format
 * 0.0.4, every family with HELP and TYPE, counters ending in {@code _total}).
 */
public final class StatsFormats {
  /** The quantiles Envoy prints for histograms, in percent. */
  static final double[] QUANTILES = {0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100};

  private static final ObjectMapper JSON = new ObjectMapper();

  private StatsFormats() {}

  /** Whether a statistic passes {@code ?filter} (an RE2 regex searched in the name) and {@code ?usedonly}. */
  static boolean selected(Metric m, Pattern filter, boolean usedOnly) {
    return (filter == null || filter.matcher(m.name()).find()) && (!usedOnly || m.used());
  }

  /** {@code /stats}: one {@code name: value} line per statistic, sorted by name. */
  public static String envoyText(StatsRegistry registry, Pattern filter, boolean usedOnly) {
    StringBuilder sb = new StringBuilder();
    for (Metric m : registry.metrics()) {
      if (!selected(m, filter, usedOnly)) {
        continue;
      }
      sb.append(m.name()).append(": ");
      if (m instanceof Counter c) {
        sb.append(c.value());
      } else if (m instanceof Gauge g) {
        sb.append(g.value());
      } else if (m instanceof LatencyHistogram h) {
        Histogram s = h.snapshot();
        if (s.getTotalCount() == 0) {
          sb.append("No recorded values");
        } else {
          for (int i = 0; i < QUANTILES.length; i++) {
            if (i > 0) {
              sb.append(' ');
            }
            sb.append('P').append(number(QUANTILES[i])).append("(nan,")
                .append(number(s.getValueAtPercentile(QUANTILES[i]) / 1000.0)).append(')');
          }
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** {@code /stats?format=json}, in Envoy's shape. */
  public static ObjectNode json(StatsRegistry registry, Pattern filter, boolean usedOnly) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode stats = root.putArray("stats");
    ObjectNode histograms = null;
    ArrayNode computed = null;
    for (Metric m : registry.metrics()) {
      if (!selected(m, filter, usedOnly)) {
        continue;
      }
      if (m instanceof LatencyHistogram h) {
        if (histograms == null) {
          histograms = JSON.createObjectNode();
          ArrayNode q = histograms.putArray("supported_quantiles");
          for (double v : QUANTILES) {
            q.add(v);
          }
          computed = histograms.putArray("computed_quantiles");
        }
        ObjectNode one = computed.addObject();
        one.put("name", m.name());
        ArrayNode values = one.putArray("values");
        Histogram s = h.snapshot();
        for (double q : QUANTILES) {
          ObjectNode v = values.addObject();
          v.putNull("interval");
          if (s.getTotalCount() == 0) {
            v.putNull("cumulative");
          } else {
            v.put("cumulative", s.getValueAtPercentile(q) / 1000.0);
          }
        }
      } else {
        ObjectNode s = stats.addObject();
        s.put("name", m.name());
        s.put("value", m instanceof Counter c ? c.value() : ((Gauge) m).value());
      }
    }
    if (histograms != null) {
      stats.addObject().set("histograms", histograms);
    }
    return root;
  }

  /** {@code /stats/prometheus}: the text exposition format, version 0.0.4. */
  public static String prometheus(StatsRegistry registry) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<Metric>> family : registry.byFamily().entrySet()) {
      List<Metric> members = family.getValue();
      Metric first = members.get(0);
      String type = first instanceof Counter ? "counter" : first instanceof Gauge ? "gauge" : "histogram";
      sb.append("# HELP ").append(family.getKey()).append(' ').append(escapeHelp(first.help())).append('\n');
      sb.append("# TYPE ").append(family.getKey()).append(' ').append(type).append('\n');
      for (Metric m : members) {
        if (m instanceof Counter c) {
          sample(sb, family.getKey(), m.labels(), null, Long.toString(c.value()));
        } else if (m instanceof Gauge g) {
          sample(sb, family.getKey(), m.labels(), null, Long.toString(g.value()));
        } else if (m instanceof LatencyHistogram h) {
          Histogram s = h.snapshot();
          for (double le : LatencyHistogram.BUCKETS_MS) {
            long micros = (long) (le * 1000);
            long count = s.getTotalCount() == 0 ? 0 : s.getCountBetweenValues(0, micros);
            sample(sb, family.getKey() + "_bucket", m.labels(), number(le), Long.toString(count));
          }
          sample(sb, family.getKey() + "_bucket", m.labels(), "+Inf", Long.toString(s.getTotalCount()));
          sample(sb, family.getKey() + "_sum", m.labels(), null, number(LatencyHistogram.sumMillis(s)));
          sample(sb, family.getKey() + "_count", m.labels(), null, Long.toString(s.getTotalCount()));
        }
      }
    }
    return sb.toString();
  }

  private static void sample(StringBuilder sb, String name, Map<String, String> labels, String le, String value) {
    sb.append(name);
    if (!labels.isEmpty() || le != null) {
      sb.append('{');
      boolean firstLabel = true;
      for (Map.Entry<String, String> l : labels.entrySet()) {
        if (!firstLabel) {
          sb.append(',');
        }
        firstLabel = false;
        sb.append(l.getKey()).append("=\"").append(escapeLabel(l.getValue())).append('"');
      }
      if (le != null) {
        if (!firstLabel) {
          sb.append(',');
        }
        sb.append("le=\"").append(le).append('"');
      }
      sb.append('}');
    }
    sb.append(' ').append(value).append('\n');
  }

  static String escapeLabel(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  static String escapeHelp(String v) {
    return v.replace("\\", "\\\\").replace("\n", "\\n");
  }

  /** A number the way Envoy and Prometheus print it: no trailing {@code .0}. */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%s", v);
  }
}
