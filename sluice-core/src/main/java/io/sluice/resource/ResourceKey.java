package io.sluice.resource;

import java.util.Objects;

/** Which resource: its kind, namespace and name. */
public record ResourceKey(ResourceKind kind, String namespace, String name) implements Comparable<ResourceKey> {
  public ResourceKey {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** kubectl's form: {@code httproute.policy.linkerd.io/bb-route}, {@code service/bb}. */
  public String display() {
    return kind.qualifiedName() + "/" + name;
  }

  @Override
  public int compareTo(ResourceKey o) {
    int c = kind.compareTo(o.kind);
    if (c == 0) {
      c = namespace.compareTo(o.namespace);
    }
    return c != 0 ? c : name.compareTo(o.name);
  }

  @Override
  public String toString() {
    return kind.qualifiedName() + "/" + namespace + "/" + name;
  }
}
