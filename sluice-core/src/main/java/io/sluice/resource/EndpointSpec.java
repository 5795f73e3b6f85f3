package io.sluice.resource;

import java.util.List;

/**
 * The addresses behind a Service, from an EndpointSlice or an Endpoints object, flattened: each
 * subset (an Endpoints subset, or the whole slice) lists addresses and the named ports they serve.
 *
 * @param serviceName the Service these addresses belong to (an EndpointSlice's {@code
 *     kubernetes.io/service-name} label, an Endpoints object's own name), or null
 */
record EndpointSpec(String serviceName, boolean fqdn, List<Subset> subsets) {
  EndpointSpec {
    subsets = List.copyOf(subsets);
  }

  /** An address and whether it is ready (a nil condition counts as ready). */
  record Address(String address, boolean ready) {}

  /** A port: its name ({@code ""} when unnamed) and number (null: the Service's target port). */
  record Port(String name, Integer port, String protocol) {}

  /** Addresses and the ports each of them serves. */
  record Subset(List<Address> addresses, List<Port> ports) {
    Subset {
      addresses = List.copyOf(addresses);
      ports = List.copyOf(ports);
    }
  }
}
