package io.sluice.resource;

import com.fasterxml.jackson.databind.JsonNode;

/** One document of an applied stream: a resource Sluice handles, or one it ignores. */
public sealed interface ParsedDocument permits ParsedDocument.Known, ParsedDocument.Ignored {

  /** A validated resource of a kind Sluice handles; {@code manifest} is normalised (namespace set). */
  record Known(ResourceKey key, String apiVersion, JsonNode manifest) implements ParsedDocument {}

  /** A document of a kind that does not concern routing ({@code Namespace}, {@code Deployment}, ...). */
  record Ignored(String apiVersion, String kind, String namespace, String name) implements ParsedDocument {}
}
