package io.sluice.admin;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes {@code name=value&...} (a query string or an {@code application/x-www-form-urlencoded}
 * body) exactly as written: {@code =5} is an empty name, {@code k} is {@code k} with an empty value.
 * Netty's decoder reads {@code =5} as a name {@code 5} without a value, which would turn a mistyped
 * {@code /runtime_modify} into a deletion of key {@code 5}.
 */
final class FormParameters {
  private FormParameters() {}

  /** The parameters of {@code text}, in order; repeated names keep every value. */
  static Map<String, List<String>> parse(String text) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    for (String pair : text.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  /** The parameters of a request target's query, empty when it has none. */
  static Map<String, List<String>> ofQuery(String uri) {
    int q = uri.indexOf('?');
    return parse(q < 0 ? "" : uri.substring(q + 1));
  }

  private static String decode(String s) {
    return QueryStringDecoder.decodeComponent(s, StandardCharsets.UTF_8);
  }
}
