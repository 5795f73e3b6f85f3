package io.sluice.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A test's {@code input} ({@code envoy.RouterCheckToolSchema.ValidationInput}): the request to
 * route.
 *
 * @param authority becomes {@code :authority}
 * @param path becomes {@code :path} (query string included)
 * @param method becomes {@code :method}
 * @param randomValue the uint64 {@code random_value} as the bits of a long
 * @param ssl whether {@code x-forwarded-proto} and {@code :scheme} are {@code https}
 * @param internal whether {@code x-envoy-internal: true} is added
 * @param runtime the one runtime key enabled for this test ({@code ""}: none)
 * @param additionalRequestHeaders appended to the request headers, in order
 * @param additionalResponseHeaders the response headers before finalization
 * @param dynamicMetadata set_metadata entries applied in order before routing
 */
public record TestInput(
    String authority,
    String path,
    String method,
    long randomValue,
    boolean ssl,
    boolean internal,
    String runtime,
    List<HeaderEntry> additionalRequestHeaders,
    List<HeaderEntry> additionalResponseHeaders,
    List<SetMetadataEntry> dynamicMetadata) {

  public TestInput {
    additionalRequestHeaders = List.copyOf(additionalRequestHeaders);
    additionalResponseHeaders = List.copyOf(additionalResponseHeaders);
    dynamicMetadata = List.copyOf(dynamicMetadata);
  }

  /**
   * The random value routing sees. Envoy's tool stores {@code random_value} in a C++ {@code int}
   * and widens it back to {@code uint64_t}: the low 32 bits survive and bit 31 is sign-extended,
   * so 4294967296 becomes 0 and 3000000000 becomes 2^64 - 1294967296.
   */
  public long routingRandomValue() {
    return (int) randomValue;
  }

  /** An {@code envoy.config.core.v3.HeaderValue}: one header line. */
  public record HeaderEntry(String key, String value) {}

  /**
   * A {@code set_metadata} {@code Metadata} entry.
   *
   * @param namespace the {@code metadata_namespace}
   * @param value the untyped struct (a JSON object), or null
   * @param typedValue the {@code typed_value} ({@code Any} as JSON), or null
   * @param allowOverwrite whether an existing namespace is merged into (untyped) or replaced
   *     (typed)
   */
  public record SetMetadataEntry(String namespace, JsonNode value, JsonNode typedValue, boolean allowOverwrite) {}
}
