package io.sluice.resource;

import io.sluice.config.HostPort;

/**
 * Where compiled resources listen.
 *
 * @param meshListener the mesh listener's address, or null for none
 * @param gatewayHost the address Gateway listeners bind, e.g. {@code 0.0.0.0}
 * @param clientNamespace the namespace whose Services a bare name means when it is ambiguous
 */
public record MeshOptions(HostPort meshListener, String gatewayHost, String clientNamespace) {}
