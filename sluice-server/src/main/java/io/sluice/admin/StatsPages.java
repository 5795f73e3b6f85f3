package io.sluice.admin;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.stats.StatsFormats;
import io.sluice.stats.StatsRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Envoy's statistics pages: {@code /stats} ({@code name: value} lines, {@code ?filter=REGEX},
 * {@code ?usedonly}, {@code ?format=json|prometheus}), {@code /stats/prometheus} and {@code POST
 * /reset_counters}.
 */
final class StatsPages {
  /** The content type of the Prometheus text exposition format, version 0.0.4. */
  static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StatsRegistry registry;

  StatsPages(StatsRegistry registry) {
    this.registry = registry;
  }

  /** {@code /stats}. */
  FullHttpResponse stats(Map<String, List<String>> params) throws IOException {
    String format = AdminHandler.first(params, "format");
    if ("prometheus".equals(format)) {
      return prometheus();
    }
    if (format != null && !format.equals("json")) {
      return AdminHandler.text(HttpResponseStatus.BAD_REQUEST, "usage: /stats?format=json|prometheus\n");
    }
    Pattern filter = null;
    String regex = AdminHandler.first(params, "filter");
    if (regex != null && !regex.isEmpty()) {
      try {
        filter = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        return AdminHandler.text(HttpResponseStatus.BAD_REQUEST, "Invalid regex: " + e.getMessage() + "\n");
      }
    }
    boolean usedOnly = params.containsKey("usedonly");
    if ("json".equals(format)) {
      return AdminHandler.json(StatsFormats.json(registry, filter, usedOnly));
    }
    return AdminHandler.text(HttpResponseStatus.OK, StatsFormats.envoyText(registry, filter, usedOnly));
  }

  /** {@code /stats/prometheus}. */
  FullHttpResponse prometheus() {
    byte[] bytes = StatsFormats.prometheus(registry).getBytes(StandardCharsets.UTF_8);
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(bytes));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, PROMETHEUS_TYPE);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    return r;
  }

  /** {@code POST /reset_counters}: counters and histograms back to zero (gauges and windows stay). */
  FullHttpResponse resetCounters(boolean post) {
    if (!post) {
      return AdminHandler.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "This endpoint requires POST\n");
    }
    registry.resetCounters();
    return AdminHandler.text(HttpResponseStatus.OK, "OK\n");
  }
}
