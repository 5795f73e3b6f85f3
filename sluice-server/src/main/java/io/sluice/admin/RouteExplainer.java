package io.sluice.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sluice.config.Durations;
import io.sluice.config.ListenerSpec;
import io.sluice.proxy.DataPlaneState;
import io.sluice.proxy.ForwardedHeaders;
import io.sluice.proxy.ProxyServer;
import io.sluice.route.FormatContext;
import io.sluice.route.ForwardAction;
import io.sluice.route.HeaderMap;
import io.sluice.route.HeaderMapRequest;
import io.sluice.route.Headers;
import io.sluice.route.Route;
import io.sluice.route.RouteResult;
import io.sluice.route.WeightedClusters;
import io.sluice.runtime.RuntimeSnapshot;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code /route?authority=…&path=…&method=…&header=name:value&random=N&listener=name&client=IP}:
 * routes a described request through the table in effect, with the runtime in effect, by the same
 * code the data plane runs (its forwarded headers prepared by {@link ForwardedHeaders} first), and
 * says what it would do: virtual host, route, action, cluster (and for a split, every entry's
 * effective weight and the range of random values it owns), rewrites, redirect or direct response,
 * timeout.
 */
final class RouteExplainer {
  private final ProxyServer proxy;

  RouteExplainer(ProxyServer proxy) {
    this.proxy = proxy;
  }

  FullHttpResponse explain(Map<String, List<String>> params) throws IOException {
    String authority = AdminHandler.first(params, "authority");
    String path = AdminHandler.first(params, "path");
    if (authority == null || path == null) {
      return AdminHandler.text(HttpResponseStatus.BAD_REQUEST,
          "usage: /route?authority=HOST&path=PATH[&method=GET][&header=name:value]...[&random=N][&listener=NAME]"
              + "[&scheme=http][&client=IP]\n");
    }
    // One read: the routes, runtime and clusters of the same configuration.
    DataPlaneState state = proxy.state();
    ListenerSpec listener = listener(state, AdminHandler.first(params, "listener"));
    if (listener == null) {
      return AdminHandler.text(HttpResponseStatus.NOT_FOUND, "no such listener\n");
    }
    String method = AdminHandler.first(params, "method");
    String scheme = AdminHandler.first(params, "scheme");
    HeaderMap headers = new HeaderMap();
    headers.add(":authority", authority);
    headers.add(":path", path);
    headers.add(":method", method == null ? "GET" : method);
    headers.add(":scheme", scheme == null ? "http" : scheme);
    for (String h : params.getOrDefault("header", List.of())) {
      int colon = h.indexOf(':', 1);
      if (colon < 0) {
        return AdminHandler.text(HttpResponseStatus.BAD_REQUEST, "header must be name:value, got " + h + "\n");
      }
      // Header names are case-insensitive; the header maps hold them in lower case, as the data plane's do.
      headers.add(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
    }
    if (scheme != null && headers.first("x-forwarded-proto") == null) {
      headers.set("x-forwarded-proto", scheme);
    }
    String clientParam = AdminHandler.first(params, "client");
    String client = clientParam == null ? "127.0.0.1" : clientParam;
    ForwardedHeaders.prepare(headers, listener, client);
    String randomParam = AdminHandler.first(params, "random");
    long random;
    try {
      random = randomParam == null ? ThreadLocalRandom.current().nextLong() : Long.parseUnsignedLong(randomParam);
    } catch (NumberFormatException e) {
      return AdminHandler.text(HttpResponseStatus.BAD_REQUEST, "random must be an unsigned 64-bit integer\n");
    }
    RuntimeSnapshot runtime = state.runtime();
    HeaderMapRequest request = new HeaderMapRequest(headers);
    RouteResult result = listener.routes().route(request, random, runtime);

    ObjectNode out = AdminHandler.JSON.createObjectNode();
    out.put("listener", listener.name());
    out.put("random_value", Long.toUnsignedString(random));
    out.put("decision", result.kind().name().toLowerCase());
    if (result.virtualHost() != null) {
      out.put("virtual_host", result.virtualHost().name());
    }
    Route route = result.route();
    if (route != null) {
      ObjectNode r = out.putObject("route");
      r.put("name", route.name());
      r.put("index", route.index());
      r.set("match", route.matchConfig());
    }
    switch (result.kind()) {
      case NO_ROUTE -> {
        out.put("status", 404);
        out.put("response_flags", result.responseFlag());
      }
      case REDIRECT, DIRECT_RESPONSE -> {
        result.finalizeRequestHeaders(headers, context(headers, client), false);
        out.put("status", result.responseCode());
        if (result.kind() == RouteResult.Kind.REDIRECT || result.sendsLocation()) {
          out.put("location", result.location(request));
        }
        if (result.directResponse() != null) {
          out.put("body", result.directResponse().bodyText());
        }
      }
      case FORWARD -> forward(out, result, request, headers, state, client);
    }
    return AdminHandler.json(out);
  }

  private void forward(ObjectNode out, RouteResult result, HeaderMapRequest request, HeaderMap headers,
      DataPlaneState state, String client) {
    RuntimeSnapshot runtime = state.runtime();
    String cluster = result.clusterName(request);
    out.put("cluster", cluster);
    out.put("cluster_exists", cluster != null && state.cluster(cluster) != null);
    ForwardAction f = result.forward();
    if (f.weighted() != null) {
      WeightedClusters w = f.weighted();
      ArrayNode split = out.putArray("weighted_clusters");
      long total = 0;
      for (int i = 0; i < w.entries().size(); i++) {
        total += w.effectiveWeight(i, runtime);
      }
      long lower = 0;
      for (int i = 0; i < w.entries().size(); i++) {
        long weight = w.effectiveWeight(i, runtime);
        ObjectNode e = split.addObject();
        var entry = w.entries().get(i);
        e.put("name", entry.name() != null ? entry.name() : "header:" + entry.clusterHeader());
        e.put("configured_weight", entry.weight());
        e.put("weight", weight);
        if (w.runtimeKey(i) != null) {
          e.put("runtime_key", w.runtimeKey(i));
        }
        e.put("share", total == 0 ? 0.0 : (double) weight / total);
        e.put("owns", "[" + lower + ", " + (lower + weight) + ")");
        lower += weight;
      }
      out.put("total_weight", total);
      out.put("picked_by", total == 0 ? "none" : "random_value mod " + total + " = "
          + Long.remainderUnsigned(Long.parseUnsignedLong(out.get("random_value").asText()), total));
    }
    result.finalizeRequestHeaders(headers, context(headers, client), true);
    out.put("path_after_rewrite", headers.first(":path"));
    out.put("host_after_rewrite", headers.first(":authority"));
    out.put("timeout", Durations.format(result.timeout()));
    String vc = result.virtualClusterName(request);
    if (vc != null) {
      out.put("virtual_cluster", vc);
    }
    ObjectNode forwarded = out.putObject("request_headers");
    for (int i = 0; i < headers.size(); i++) {
      forwarded.put(headers.nameAt(i), headers.valueAt(i));
    }
  }

  private static ListenerSpec listener(DataPlaneState state, String name) {
    List<ListenerSpec> all = state.bootstrap().listeners();
    if (name == null) {
      return all.isEmpty() ? null : all.get(0);
    }
    return state.listener(name);
  }

  private static FormatContext context(HeaderMap headers, String client) {
    return new FormatContext() {
      @Override
      public String downstreamRemoteAddress() {
        return (client.indexOf(':') >= 0 ? "[" + client + "]" : client) + ":0";
      }

      @Override
      public String downstreamLocalAddress() {
        return "127.0.0.1:0";
      }

      @Override
      public String protocol() {
        return "HTTP/1.1";
      }

      @Override
      public Headers requestHeaders() {
        return headers;
      }
    };
  }
}
