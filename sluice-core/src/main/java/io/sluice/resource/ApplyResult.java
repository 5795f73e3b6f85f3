package io.sluice.resource;

import java.util.List;

/**
 * The outcome of an apply or delete: the new set, and one line per resource as kubectl prints it
 * ({@code httproute.policy.linkerd.io/bb-route created}).
 */
public record ApplyResult(ResourceSet set, List<String> lines) {
  public ApplyResult {
    lines = List.copyOf(lines);
  }
}
