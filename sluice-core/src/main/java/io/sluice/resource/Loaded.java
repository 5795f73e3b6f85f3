package io.sluice.resource;

/** A stored resource with its manifest read into its model. */
record Loaded<T>(Resource resource, T spec) {
  String namespace() {
    return resource.key().namespace();
  }

  String name() {
    return resource.key().name();
  }
}
