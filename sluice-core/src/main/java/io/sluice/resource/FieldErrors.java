package io.sluice.resource;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the errors of a whole apply, each as one line naming the resource and the field: {@code
 * httproute/bb-route: spec.rules[0].backendRefs[1].weight: must be between 0 and 1000000, got -5}.
 * Readers go on after an error so that every error is reported at once.
 */
final class FieldErrors {
  private final List<String> lines = new ArrayList<>();
  private String resource = "";

  /** Names the resource that later errors belong to ({@code httproute/bb-route}). */
  void resource(String display) {
    this.resource = display == null || display.isEmpty() ? "" : display + ": ";
  }

  /** Records an error at a field path ({@code ""} for the document itself). */
  void error(String path, String message) {
    lines.add(resource + (path == null || path.isEmpty() ? "" : path + ": ") + message);
  }

  boolean isEmpty() {
    return lines.isEmpty();
  }

  int size() {
    return lines.size();
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  /** Throws a {@link ResourceException} with every error when there is any. */
  void throwIfAny() {
    if (!lines.isEmpty()) {
      throw new ResourceException(lines);
    }
  }
}
