package io.sluice.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sluice.cluster.UpstreamCluster;
import io.sluice.cluster.UpstreamEndpoint;
import io.sluice.config.ListenerSpec;
import io.sluice.proxy.ProxyServer;
import io.sluice.runtime.RuntimeEntry;
import io.sluice.runtime.RuntimeLayer;
import io.sluice.runtime.RuntimeSnapshot;
import io.sluice.store.ResourceStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Answers the admin paths. Mutations are POST only. */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String RUNTIME_MODIFY_USAGE =
      "usage: /runtime_modify?key1=value1&key2=value2&keyN=valueN\n"
          + "       or send the parameters as form values\n"
          + "       use an empty value to remove a previously added override\n";
  private static final String INDEX =
      "admin commands are:\n"
          + "  /clusters: upstream cluster status (?format=json)\n"
          + "  /config_dump: dump current Sluice configs\n"
          + "  /listeners: print listener addresses\n"
          + "  /quitquitquit (POST): drain and exit the server\n"
          + "  /ready: print server state, return 200 if LIVE, otherwise return 503\n"
          + "  /route?authority=&path=&method=&header=name:value: explain how a request is routed\n"
          + "  /runtime: print runtime values\n"
          + "  /runtime_modify (POST): add or remove runtime overrides\n"
          + "  /reset_counters (POST): reset all counters and histograms to zero\n"
          + "  /stats: print server stats (?filter=REGEX, ?usedonly, ?format=json|prometheus)\n"
          + "  /stats/prometheus: print server stats in Prometheus text format\n"
          + "  /stats/window?span=1m: requests, success, latency and share per route and backend over a window\n"
          + "  /apis/apply (POST): apply Kubernetes-style resources (the body: YAML or JSON documents)\n"
          + "  /apis/delete (POST): delete the resources the body names, or ?kind=&name=&namespace=\n"
          + "  /apis/resources?kind=&namespace=&all=true&name=: the applied resources with their status\n";

  private final ProxyServer proxy;
  private final Runnable onQuit;
  private final RouteExplainer explainer;
  private final ResourceStore store;
  private final ResourceApi resources;
  private final StatsPages stats;
  private final WindowReport window;

  AdminHandler(ProxyServer proxy, ResourceStore store, Runnable onQuit) {
    this.proxy = proxy;
    this.onQuit = onQuit;
    this.explainer = new RouteExplainer(proxy);
    this.store = store;
    this.resources = store == null ? null : new ResourceApi(store);
    this.stats = new StatsPages(proxy.stats().registry());
    this.window = new WindowReport(proxy);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    FullHttpResponse response;
    try {
      response = handle(req);
    } catch (IllegalArgumentException e) {
      // A malformed query or form (a bad %-escape).
      response = text(HttpResponseStatus.BAD_REQUEST, "bad request: " + e.getMessage() + "\n");
    } catch (RuntimeException | IOException e) {
      response = text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "error: " + e.getMessage() + "\n");
    }
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    var f = ctx.writeAndFlush(response);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private FullHttpResponse handle(FullHttpRequest req) throws IOException {
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    Map<String, List<String>> params = FormParameters.ofQuery(req.uri());
    boolean post = req.method().equals(HttpMethod.POST);
    return switch (uri.path()) {
      case "/" -> text(HttpResponseStatus.OK, INDEX);
      case "/ready" -> proxy.draining()
          ? text(HttpResponseStatus.SERVICE_UNAVAILABLE, "DRAINING\n")
          : text(HttpResponseStatus.OK, "LIVE\n");
      case "/runtime" -> json(runtime());
      case "/runtime_modify" -> runtimeModify(req, params, post);
      case "/config_dump" -> json(ConfigDump.of(proxy, store));
      case "/apis/apply", "/apis/delete", "/apis/resources" -> {
        if (resources == null) {
          yield text(HttpResponseStatus.NOT_FOUND, "this proxy keeps no resources\n");
        }
        yield switch (uri.path()) {
          case "/apis/apply" -> resources.apply(req, params, post);
          case "/apis/delete" -> resources.delete(req, params, post);
          default -> resources.list(params);
        };
      }
      case "/clusters" -> "json".equals(first(params, "format")) ? json(clustersJson()) : text(HttpResponseStatus.OK, clustersText());
      case "/listeners" -> "json".equals(first(params, "format")) ? json(listenersJson()) : text(HttpResponseStatus.OK, listenersText());
      case "/route" -> explainer.explain(params);
      case "/stats" -> stats.stats(params);
      case "/stats/prometheus" -> stats.prometheus();
      case "/stats/window" -> window.answer(params);
      case "/reset_counters" -> stats.resetCounters(post);
      case "/quitquitquit" -> {
        if (!post) {
          yield text(HttpResponseStatus.METHOD_NOT_ALLOWED, "This endpoint requires POST\n");
        }
        Thread t = new Thread(onQuit, "sluice-quit");
        t.setDaemon(false);
        t.start();
        yield text(HttpResponseStatus.OK, "OK\n");
      }
      default -> text(HttpResponseStatus.NOT_FOUND, "invalid path: " + uri.path() + "\n" + INDEX);
    };
  }

  private FullHttpResponse runtimeModify(FullHttpRequest req, Map<String, List<String>> params, boolean post)
      throws IOException {
    if (post) {
      CharSequence type = HttpUtil.getMimeType(req);
      if (type != null && HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED.contentEqualsIgnoreCase(type)
          && req.content().isReadable()) {
        String body = req.content().toString(StandardCharsets.UTF_8);
        FormParameters.parse(body).forEach((k, v) -> params.merge(k, v, (a, b) -> b));
      }
    }
    if (!post || params.isEmpty()) {
      return text(HttpResponseStatus.BAD_REQUEST, RUNTIME_MODIFY_USAGE);
    }
    if (params.containsKey("")) {
      return text(HttpResponseStatus.BAD_REQUEST, "a runtime key cannot be empty\n" + RUNTIME_MODIFY_USAGE);
    }
    Map<String, String> changes = new LinkedHashMap<>();
    params.forEach((k, v) -> changes.put(k, v.get(v.size() - 1)));
    try {
      proxy.modifyRuntime(changes);
    } catch (IllegalStateException e) {
      return text(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage() + "\n");
    }
    return text(HttpResponseStatus.OK, "OK\n");
  }

  /** Envoy's {@code /runtime} shape: the layer names, and per key its final value and each layer's. */
  private JsonNode runtime() {
    RuntimeSnapshot rt = proxy.state().runtime();
    ObjectNode root = JSON.createObjectNode();
    ArrayNode layers = root.putArray("layers");
    TreeSet<String> keys = new TreeSet<>();
    for (RuntimeLayer l : rt.layers()) {
      layers.add(l.name());
      keys.addAll(l.values().keySet());
    }
    ObjectNode entries = root.putObject("entries");
    for (String key : keys) {
      ObjectNode e = entries.putObject(key);
      RuntimeEntry merged = rt.get(key);
      e.put("final_value", merged == null ? "" : merged.raw());
      ArrayNode lv = e.putArray("layer_values");
      for (RuntimeLayer l : rt.layers()) {
        RuntimeEntry v = l.values().get(key);
        lv.add(v == null ? "" : v.raw());
      }
    }
    return root;
  }

  private String clustersText() {
    StringBuilder sb = new StringBuilder();
    long now = System.nanoTime();
    for (UpstreamCluster c : proxy.state().clusters().values()) {
      String n = c.name();
      var cb = c.spec().circuitBreakers();
      sb.append(n).append("::default_priority::max_connections::").append(cb.maxConnections()).append('\n');
      sb.append(n).append("::default_priority::max_pending_requests::").append(cb.maxPendingRequests()).append('\n');
      sb.append(n).append("::default_priority::max_requests::").append(cb.maxRequests()).append('\n');
      sb.append(n).append("::default_priority::max_retries::").append(cb.maxRetries()).append('\n');
      sb.append(n).append("::upstream_rq_active::").append(c.activeRequests()).append('\n');
      sb.append(n).append("::upstream_cx_active::").append(c.activeConnections()).append('\n');
      sb.append(n).append("::upstream_rq_pending_overflow::").append(c.overflows()).append('\n');
      for (UpstreamEndpoint e : c.endpoints()) {
        String h = n + "::" + e + "::";
        sb.append(h).append("hostname::").append(e.hostname() == null ? "" : e.hostname()).append('\n');
        sb.append(h).append("cx_active::").append(e.activeConnections()).append('\n');
        sb.append(h).append("cx_connect_fail::").append(e.connectFailures()).append('\n');
        sb.append(h).append("rq_active::").append(e.activeRequests()).append('\n');
        sb.append(h).append("rq_error::").append(e.failuresTotal()).append('\n');
        sb.append(h).append("rq_total::").append(e.requestsTotal()).append('\n');
        sb.append(h).append("ejections::").append(e.ejectionCount()).append('\n');
        sb.append(h).append("health_flags::").append(e.ejected(now) ? "/failed_outlier_check" : "healthy").append('\n');
        sb.append(h).append("weight::").append(e.weight()).append('\n');
      }
    }
    return sb.toString();
  }

  private JsonNode clustersJson() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode statuses = root.putArray("cluster_statuses");
    long now = System.nanoTime();
    for (UpstreamCluster c : proxy.state().clusters().values()) {
      ObjectNode cs = statuses.addObject();
      cs.put("name", c.name());
      cs.put("upstream_rq_active", c.activeRequests());
      cs.put("upstream_cx_active", c.activeConnections());
      ArrayNode hosts = cs.putArray("host_statuses");
      for (UpstreamEndpoint e : c.endpoints()) {
        ObjectNode h = hosts.addObject();
        ObjectNode sa = h.putObject("address").putObject("socket_address");
        sa.put("address", e.address().getAddress().getHostAddress());
        sa.put("port_value", e.address().getPort());
        if (e.hostname() != null) {
          h.put("hostname", e.hostname());
        }
        ArrayNode stats = h.putArray("stats");
        stat(stats, "cx_active", e.activeConnections());
        stat(stats, "cx_connect_fail", e.connectFailures());
        stat(stats, "rq_active", e.activeRequests());
        stat(stats, "rq_error", e.failuresTotal());
        stat(stats, "rq_total", e.requestsTotal());
        ObjectNode health = h.putObject("health_status");
        health.put("eds_health_status", "HEALTHY");
        if (e.ejected(now)) {
          health.put("failed_outlier_check", true);
        }
        h.put("ejections", e.ejectionCount());
        h.put("weight", e.weight());
      }
    }
    return root;
  }

  private static void stat(ArrayNode stats, String name, long value) {
    ObjectNode s = stats.addObject();
    s.put("name", name);
    s.put("value", Long.toString(value));
  }

  private String listenersText() {
    StringBuilder sb = new StringBuilder();
    proxy.listenerAddresses().forEach((name, a) -> sb.append(name).append("::").append(hostPort(a)).append('\n'));
    return sb.toString();
  }

  private JsonNode listenersJson() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode statuses = root.putArray("listener_statuses");
    proxy.listenerAddresses().forEach((name, a) -> {
      ObjectNode l = statuses.addObject();
      l.put("name", name);
      ObjectNode sa = l.putObject("local_address").putObject("socket_address");
      sa.put("address", a.getAddress().getHostAddress());
      sa.put("port_value", a.getPort());
      ListenerSpec spec = proxy.bootstrap().listener(name);
      if (spec != null) {
        l.put("stat_prefix", spec.statPrefix());
      }
    });
    return root;
  }

  private static String hostPort(InetSocketAddress a) {
    String h = a.getAddress().getHostAddress();
    return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
  }

  static String first(Map<String, List<String>> params, String name) {
    List<String> v = params.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  static FullHttpResponse text(HttpResponseStatus status, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    return r;
  }

  static FullHttpResponse json(JsonNode node) throws IOException {
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(bytes));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    return r;
  }
}
