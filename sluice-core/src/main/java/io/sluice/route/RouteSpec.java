package io.sluice.route;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A route as read from configuration, before it is bound to its virtual host. Exactly one of
 * {@code forward}, {@code redirect} and {@code directResponse} is set.
 *
 * @param name the route's name ({@code ""} when unnamed)
 * @param match what the route matches
 * @param forward the {@code route} action, or null
 * @param redirect the {@code redirect} action, or null
 * @param directResponse the {@code direct_response} action, or null
 * @param requestHeaders the route's request header changes
 * @param responseHeaders the route's response header changes
 * @param metadata the route's {@code metadata} as written, or null
 * @param matchConfig the {@code match} object as written (for explanations and coverage reports)
 */
public record RouteSpec(
    String name,
    RouteMatch match,
    ForwardAction forward,
    RedirectAction redirect,
    DirectResponseAction directResponse,
    HeaderMutations requestHeaders,
    HeaderMutations responseHeaders,
    JsonNode metadata,
    JsonNode matchConfig) {}
