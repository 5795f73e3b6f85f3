package io.sluice.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sluice.resource.Resource;
import io.sluice.resource.ResourceException;
import io.sluice.resource.ResourceKind;
import io.sluice.store.ResourceStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The resource paths of the admin interface, what {@code sluice apply|get|delete} talk to:
 *
 * <ul>
 *   <li>{@code POST /apis/apply[?source=NAME][&dryRun=true]}, body a YAML/JSON stream: 200 with one
 *       line per document as kubectl prints them, or 422 with every error, one per line.
 *   <li>{@code POST /apis/delete[?ignoreNotFound=true]}, body a stream (as {@code delete -f}), or
 *       {@code ?kind=K&name=N[&name=N2][&namespace=NS]} without a body.
 *   <li>{@code GET /apis/resources?kind=K[,K2][&namespace=NS|&all=true][&name=N]} ({@code kind=all}:
 *       every kind): a kubectl-style
 *       {@code List} of the resources with their server fields and status; 404 when a name was
 *       given and matches nothing.
 * </ul>
 */
final class ResourceApi {
  static final String DEFAULT_NAMESPACE = "default";

  private final ResourceStore store;

  ResourceApi(ResourceStore store) {
    this.store = store;
  }

  FullHttpResponse apply(FullHttpRequest req, Map<String, List<String>> params, boolean post) throws IOException {
    if (!post) {
      return AdminHandler.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "This endpoint requires POST\n");
    }
    String text = req.content().toString(StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return AdminHandler.text(HttpResponseStatus.BAD_REQUEST,
          "usage: POST /apis/apply[?source=NAME][&dryRun=true] with the YAML or JSON resources as the body\n");
    }
    String source = orDefault(AdminHandler.first(params, "source"), "request body");
    try {
      return lines(store.apply(text, source, flag(params, "dryRun")));
    } catch (ResourceException e) {
      return errors(e);
    }
  }

  FullHttpResponse delete(FullHttpRequest req, Map<String, List<String>> params, boolean post) throws IOException {
    if (!post) {
      return AdminHandler.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "This endpoint requires POST\n");
    }
    boolean ignoreNotFound = flag(params, "ignoreNotFound");
    String text = req.content().toString(StandardCharsets.UTF_8);
    String kind = AdminHandler.first(params, "kind");
    try {
      if (!text.isBlank()) {
        String source = orDefault(AdminHandler.first(params, "source"), "request body");
        return lines(store.delete(text, source, ignoreNotFound));
      }
      List<String> names = params.getOrDefault("name", List.of());
      if (kind == null || names.isEmpty()) {
        return AdminHandler.text(HttpResponseStatus.BAD_REQUEST,
            "usage: POST /apis/delete with the resources as the body, "
                + "or POST /apis/delete?kind=KIND&name=NAME[&name=NAME2][&namespace=NS][&ignoreNotFound=true]\n");
      }
      List<ResourceKind> kinds = ResourceKind.byName(kind);
      if (kinds.isEmpty()) {
        return unknownKind(kind);
      }
      String namespace = orDefault(AdminHandler.first(params, "namespace"), DEFAULT_NAMESPACE);
      return lines(store.delete(kinds, kind, namespace, names, ignoreNotFound));
    } catch (ResourceException e) {
      return errors(e);
    }
  }

  FullHttpResponse list(Map<String, List<String>> params) throws IOException {
    String kindParam = AdminHandler.first(params, "kind");
    if (kindParam == null || kindParam.isBlank()) {
      return AdminHandler.text(HttpResponseStatus.BAD_REQUEST,
          "usage: /apis/resources?kind=KIND[,KIND...][&namespace=NS|&all=true][&name=NAME]\n");
    }
    Set<ResourceKind> kinds = new LinkedHashSet<>();
    for (String k : kindParam.split(",")) {
      List<ResourceKind> named = k.strip().equals("all") ? List.of(ResourceKind.values()) : ResourceKind.byName(k.strip());
      if (named.isEmpty()) {
        return unknownKind(k.strip());
      }
      kinds.addAll(named);
    }
    boolean all = flag(params, "all");
    String namespace = all ? null : orDefault(AdminHandler.first(params, "namespace"), DEFAULT_NAMESPACE);
    String name = AdminHandler.first(params, "name");
    ResourceStore.Snapshot snapshot = store.snapshot();
    List<Resource> found = snapshot.set().list(List.copyOf(kinds), namespace, name);
    if (name != null && found.isEmpty()) {
      return AdminHandler.text(HttpResponseStatus.NOT_FOUND,
          kindParam + "/" + name + " not found" + (namespace == null ? "" : " in namespace " + namespace) + "\n");
    }
    ObjectNode list = AdminHandler.JSON.createObjectNode();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    list.putObject("metadata").put("resourceVersion", Long.toString(snapshot.set().version()));
    ArrayNode items = list.putArray("items");
    found.forEach(r -> items.add(r.toJson()));
    return AdminHandler.json(list);
  }

  /** The kinds the store keeps, for the message about one it does not. */
  static String knownKinds() {
    Set<String> names = new LinkedHashSet<>();
    for (ResourceKind k : ResourceKind.values()) {
      names.add(k.kind().toLowerCase(java.util.Locale.ROOT));
    }
    return String.join(", ", names);
  }

  private static FullHttpResponse unknownKind(String kind) {
    return AdminHandler.text(HttpResponseStatus.BAD_REQUEST,
        "unknown kind \"" + kind + "\"; Sluice keeps " + knownKinds() + "\n");
  }

  private static FullHttpResponse lines(List<String> lines) {
    StringBuilder sb = new StringBuilder();
    lines.forEach(l -> sb.append(l).append('\n'));
    return AdminHandler.text(HttpResponseStatus.OK, sb.toString());
  }

  private static FullHttpResponse errors(ResourceException e) {
    List<String> lines = new ArrayList<>();
    for (String error : e.errors()) {
      // One error per line, even when a message itself spans lines.
      lines.addAll(Arrays.asList(error.split("\n")));
    }
    return AdminHandler.text(HttpResponseStatus.UNPROCESSABLE_ENTITY, String.join("\n", lines) + "\n");
  }

  private static boolean flag(Map<String, List<String>> params, String name) {
    String v = AdminHandler.first(params, name);
    return v != null && (v.isEmpty() || v.equalsIgnoreCase("true") || v.equals("1"));
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }
}
