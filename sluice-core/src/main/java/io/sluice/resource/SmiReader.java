package io.sluice.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.sluice.config.MessageReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates SMI resources: a {@code split.smi-spec.io} TrafficSplit (v1alpha1 weights are
 * Quantities, later ones integers; {@code matches} from v1alpha3) and a {@code specs.smi-spec.io}
 * HTTPRouteGroup (top-level {@code matches} before v1alpha3, {@code spec.matches} after).
 */
final class SmiReader {
  private static final List<String> METHODS =
      List.of("*", "GET", "HEAD", "PUT", "POST", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
  /** The largest sum of weights a route's weighted clusters can hold. */
  static final long MAX_TOTAL_WEIGHT = 0xFFFF_FFFFL;

  private SmiReader() {}

  static TrafficSplitSpec readTrafficSplit(FieldReader spec, String version) {
    String service = spec.requiredString("service");
    List<TrafficSplitSpec.Backend> backends = new ArrayList<>();
    List<FieldReader> bs = spec.objects("backends", Integer.MAX_VALUE);
    if (bs.isEmpty()) {
      spec.error("backends", spec.has("backends") ? "must have at least 1 item" : "required");
    }
    long total = 0;
    for (FieldReader b : bs) {
      if (b == null) {
        continue;
      }
      String name = b.requiredString("service");
      Long weight = version.equals("v1alpha1") ? quantityWeight(b) : integerWeight(b, version);
      b.finish();
      if (weight != null) {
        total += weight;
      }
      if (name != null && weight != null) {
        backends.add(new TrafficSplitSpec.Backend(name, weight));
      }
    }
    if (total > MAX_TOTAL_WEIGHT) {
      spec.error("backends", "the weights must sum to at most " + MAX_TOTAL_WEIGHT + (version.equals("v1alpha1") ? " thousandths" : "") + ", got " + total);
    }
    List<String> matches = new ArrayList<>();
    if (version.equals("v1alpha3") || version.equals("v1alpha4")) {
      for (FieldReader m : spec.objects("matches", Integer.MAX_VALUE)) {
        if (m == null) {
          continue;
        }
        String kind = m.requiredString("kind");
        if (kind != null && !kind.equals("HTTPRouteGroup")) {
          m.error("kind", HttpRouteReader.unsupportedValue(kind, List.of("HTTPRouteGroup")));
        }
        String group = m.string("apiGroup");
        if (group != null && !group.equals("specs.smi-spec.io")) {
          m.error("apiGroup", HttpRouteReader.unsupportedValue(group, List.of("specs.smi-spec.io")));
        }
        String name = m.requiredString("name");
        m.finish();
        if (name != null) {
          matches.add(name);
        }
      }
    }
    spec.finish();
    return new TrafficSplitSpec(service, backends, matches);
  }

  /** A v1alpha1 weight: a Quantity ({@code 900m}, {@code 1}), in thousandths. */
  private static Long quantityWeight(FieldReader b) {
    boolean given = b.has("weight");
    JsonNode n = b.raw("weight");
    if (!given) {
      b.error("weight", "required");
      return null;
    }
    BigDecimal q = n.isNumber() ? n.decimalValue() : n.isTextual() ? ApiFormats.quantity(n.asText()) : null;
    if (q == null) {
      b.error("weight", "expected a quantity such as \"900m\" or 1, got " + MessageReader.describe(n));
      return null;
    }
    BigDecimal milli = q.movePointRight(3);
    if (milli.signum() < 0) {
      b.error("weight", "must not be negative, got " + n.asText());
      return null;
    }
    if (milli.compareTo(BigDecimal.valueOf(MAX_TOTAL_WEIGHT)) > 0) {
      b.error("weight", "must be at most 4294967.295, got " + n.asText());
      return null;
    }
    if (milli.stripTrailingZeros().scale() > 0) {
      b.error("weight", "must be a whole number of thousandths (m), got " + n.asText());
      return null;
    }
    return milli.longValueExact();
  }

  private static Long integerWeight(FieldReader b, String version) {
    boolean given = b.has("weight");
    JsonNode n = b.has("weight") ? b.raw("weight") : null;
    b.skip("weight");
    if (!given) {
      b.error("weight", "required");
      return null;
    }
    if (!n.isIntegralNumber()) {
      b.error("weight", "must be a whole number in " + version + " (Quantities such as \"900m\" are v1alpha1 only), got " + MessageReader.describe(n));
      return null;
    }
    if (!n.canConvertToLong() || n.longValue() < 0 || n.longValue() > Integer.MAX_VALUE) {
      b.error("weight", "must be between 0 and " + Integer.MAX_VALUE + ", got " + n.asText());
      return null;
    }
    return n.longValue();
  }

  /** An HTTPRouteGroup; {@code holder} is the document (v1alpha1/2) or its {@code spec} (v1alpha3+). */
  static RouteGroupSpec readRouteGroup(FieldReader holder, String version) {
    List<RouteGroupSpec.Match> out = new ArrayList<>();
    boolean headersAllowed = !version.equals("v1alpha1");
    for (FieldReader m : holder.objects("matches", Integer.MAX_VALUE)) {
      if (m == null) {
        continue;
      }
      String name = m.requiredString("name");
      List<String> methods = m.strings("methods", Integer.MAX_VALUE);
      for (int i = 0; i < methods.size(); i++) {
        if (!METHODS.contains(methods.get(i))) {
          m.errors().error(m.pathOf("methods") + "[" + i + "]", HttpRouteReader.unsupportedValue(methods.get(i), METHODS));
        }
      }
      String pathRegex = m.string("pathRegex");
      if (pathRegex != null) {
        regex(m, m.pathOf("pathRegex"), pathRegex);
      }
      Map<String, String> headers = new LinkedHashMap<>();
      if (headersAllowed) {
        JsonNode h = m.raw("headers");
        if (h != null) {
          readHeaders(m, h, headers);
        }
      }
      m.finish();
      if (name != null) {
        out.add(new RouteGroupSpec.Match(name, methods, pathRegex, headers));
      }
    }
    return new RouteGroupSpec(out);
  }

  /** Headers as a map, or (as the v1alpha2 document shows them) a list of one-entry maps. */
  private static void readHeaders(FieldReader m, JsonNode h, Map<String, String> out) {
    String path = m.pathOf("headers");
    if (h.isObject()) {
      addHeaders(m, h, path, out);
    } else if (h.isArray()) {
      for (int i = 0; i < h.size(); i++) {
        if (!h.get(i).isObject()) {
          m.errors().error(path + "[" + i + "]", "expected an object of header name to regex, got " + MessageReader.describe(h.get(i)));
        } else {
          addHeaders(m, h.get(i), path + "[" + i + "]", out);
        }
      }
    } else {
      m.errors().error(path, "expected an object of header name to regex, got " + MessageReader.describe(h));
    }
  }

  private static void addHeaders(FieldReader m, JsonNode h, String path, Map<String, String> out) {
    Iterator<Map.Entry<String, JsonNode>> it = h.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String at = path + "." + e.getKey();
      if (!e.getValue().isTextual()) {
        m.errors().error(at, "expected a string (a regex), got " + MessageReader.describe(e.getValue()));
        continue;
      }
      ApiFormats.headerName(m.errors(), at, e.getKey());
      regex(m, at, e.getValue().asText());
      out.put(e.getKey(), e.getValue().asText());
    }
  }

  private static void regex(FieldReader m, String path, String value) {
    try {
      Pattern.compile(value);
    } catch (PatternSyntaxException e) {
      m.errors().error(path, "invalid regular expression \"" + value + "\": " + e.getDescription() + " (RE2 syntax)");
    }
  }
}
