package io.sluice.route;

import io.sluice.config.MessageReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One level's {@code *_headers_to_add} and {@code *_headers_to_remove}, applied as Envoy's {@code
 * HeaderParser::evaluateHeaders} does: removals first; then every value is formatted and its
 * append action decided against the headers as they are after the removals; overwrites are applied
 * before additions.
 */
public final class HeaderMutations {
  /** No change. */
  public static final HeaderMutations NONE = new HeaderMutations(List.of(), List.of());

  static final String HEADER_VALUE_OPTION = "envoy.config.core.v3.HeaderValueOption";

  /** Envoy's {@code HeaderValueOption.HeaderAppendAction}, in protobuf number order. */
  public enum AppendAction {
    APPEND_IF_EXISTS_OR_ADD,
    ADD_IF_ABSENT,
    OVERWRITE_IF_EXISTS_OR_ADD,
    OVERWRITE_IF_EXISTS
  }

  /** One header to add. */
  public record Addition(String name, HeaderFormatter value, AppendAction action, boolean keepEmptyValue) {}

  private final List<Addition> additions;
  private final List<String> removals;

  private HeaderMutations(List<Addition> additions, List<String> removals) {
    this.additions = List.copyOf(additions);
    this.removals = List.copyOf(removals);
  }

  /** Mutations built from parts (names are lower-cased). */
  public static HeaderMutations of(List<Addition> additions, List<String> removals) {
    if (additions.isEmpty() && removals.isEmpty()) {
      return NONE;
    }
    List<String> lower = new ArrayList<>();
    for (String r : removals) {
      lower.add(r.toLowerCase(Locale.ROOT));
    }
    return new HeaderMutations(additions, lower);
  }

  /**
   * Reads {@code <addField>} (a list of {@code HeaderValueOption}) and {@code <removeField>} (a
   * list of names) from {@code m}.
   */
  public static HeaderMutations read(MessageReader m, String addField, String removeField) {
    List<Addition> adds = new ArrayList<>();
    List<MessageReader> options = m.messages(addField, HEADER_VALUE_OPTION);
    if (options.size() > 1000) {
      m.error(addField, "value must contain no more than 1000 item(s)");
    }
    for (MessageReader o : options) {
      Addition a = readOption(o);
      if (a != null) {
        adds.add(a);
      }
    }
    List<String> removes = m.strings(removeField);
    for (int i = 0; i < removes.size(); i++) {
      String name = removes.get(i);
      if (name.isEmpty()) {
        m.problems().error(m.pathOf(removeField) + "[" + i + "]", "value length must be at least 1 characters");
      } else if (!modifiable(name)) {
        m.problems().error(m.pathOf(removeField) + "[" + i + "]", ":-prefixed or host headers may not be removed");
      }
    }
    return of(adds, removes);
  }

  private static Addition readOption(MessageReader o) {
    MessageReader header = o.message("header", "envoy.config.core.v3.HeaderValue");
    Boolean append = o.optBool("append");
    boolean hasAction = o.has("append_action");
    AppendAction action = o.enumValue("append_action", AppendAction.values(), AppendAction.APPEND_IF_EXISTS_OR_ADD);
    boolean keepEmpty = o.bool("keep_empty_value", false);
    o.finish();
    if (append != null && hasAction && action != AppendAction.APPEND_IF_EXISTS_OR_ADD) {
      o.error(null, "Both append and append_action are set and it's not allowed");
      return null;
    }
    if (append != null) {
      action = append ? AppendAction.APPEND_IF_EXISTS_OR_ADD : AppendAction.OVERWRITE_IF_EXISTS_OR_ADD;
    }
    if (header == null) {
      o.error("header", "value is required");
      return null;
    }
    String key = header.string("key", "");
    String value = header.string("value");
    String raw = header.string("raw_value");
    header.finish();
    if (value != null && raw != null) {
      header.error(null, "only one of value and raw_value may be set");
    }
    if (raw != null) {
      try {
        value = new String(java.util.Base64.getDecoder().decode(raw), java.nio.charset.StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        header.error("raw_value", "not valid base64: " + e.getMessage());
        return null;
      }
    }
    if (key.isEmpty()) {
      header.error("key", "value length must be at least 1 characters");
      return null;
    }
    if (!modifiable(key)) {
      header.error("key", ":-prefixed or host headers may not be modified");
      return null;
    }
    try {
      return new Addition(
          key.toLowerCase(Locale.ROOT), HeaderFormatter.compile(value == null ? "" : value), action, keepEmpty);
    } catch (IllegalArgumentException e) {
      header.error("value", e.getMessage());
      return null;
    }
  }

  /** Envoy's {@code isModifiableHeader}: not a pseudo-header, not {@code host}. */
  static boolean modifiable(String name) {
    return !name.startsWith(":") && !name.equalsIgnoreCase("host");
  }

  /** Applies these mutations to {@code headers}. */
  public void apply(MutableHeaders headers, FormatContext ctx) {
    if (this == NONE) {
      return;
    }
    for (String r : removals) {
      headers.remove(r);
    }
    if (additions.isEmpty()) {
      return;
    }
    int n = additions.size();
    String[] values = new String[n];
    boolean[] overwrite = new boolean[n];
    boolean[] apply = new boolean[n];
    for (int i = 0; i < n; i++) {
      Addition a = additions.get(i);
      String v = a.value().format(ctx);
      if (v.isEmpty() && !a.keepEmptyValue()) {
        continue;
      }
      values[i] = v;
      switch (a.action()) {
        case APPEND_IF_EXISTS_OR_ADD -> apply[i] = true;
        case ADD_IF_ABSENT -> apply[i] = !headers.contains(a.name());
        case OVERWRITE_IF_EXISTS -> {
          apply[i] = headers.contains(a.name());
          overwrite[i] = true;
        }
        case OVERWRITE_IF_EXISTS_OR_ADD -> {
          apply[i] = true;
          overwrite[i] = true;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      if (apply[i] && overwrite[i]) {
        headers.set(additions.get(i).name(), values[i]);
      }
    }
    for (int i = 0; i < n; i++) {
      if (apply[i] && !overwrite[i]) {
        headers.add(additions.get(i).name(), values[i]);
      }
    }
  }

  /** Whether there is nothing to do. */
  public boolean isEmpty() {
    return additions.isEmpty() && removals.isEmpty();
  }

  /** The headers to add, in order. */
  public List<Addition> additions() {
    return additions;
  }

  /** The headers to remove, lower-cased. */
  public List<String> removals() {
    return removals;
  }

  /** Fields of a message that hold header mutations, for readers that handle them elsewhere. */
  static final Set<String> FIELDS =
      Set.of("request_headers_to_add", "request_headers_to_remove", "response_headers_to_add", "response_headers_to_remove");
}
