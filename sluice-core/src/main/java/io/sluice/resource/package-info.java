/**
 * Kubernetes-style resources: Gateway API and Linkerd {@code HTTPRoute}s, {@code Gateway}s, SMI
 * {@code TrafficSplit}s and {@code HTTPRouteGroup}s, and the {@code Service}s, {@code Endpoints}
 * and {@code EndpointSlice}s behind them. {@link io.sluice.resource.ResourceParser} validates a
 * stream as the API server would (schema, limits, the CRDs' CEL rules); {@link
 * io.sluice.resource.ResourceSet} applies and deletes; {@link io.sluice.resource.ResourceCompiler}
 * turns a set into clusters, listeners and statuses, through generated Envoy route
 * configurations read by {@link io.sluice.route.RouteConfigReader}, so one routing core runs both
 * dialects.
 *
 * <p>Where the specifications leave a choice, Sluice decides:
 *
 * <ul>
 *   <li>Regular expressions are RE2 (RE2/J), matched against the whole path (without query),
 *       header value or query value. An SMI {@code pathRegex} is anchored at the start only.
 *   <li>Precedence among matches: Exact path, then RegularExpression (longer pattern first), then
 *       PathPrefix (longer first); then method, header count, query count, older route,
 *       {@code namespace/name}, rule order. On a Gateway listener the request's host first selects
 *       the most specific hostname (as Envoy selects a virtual host); among the routes serving it,
 *       match precedence comes before route-hostname specificity, as the conformance suite
 *       requires. Linkerd routes use the same order (not Linkerd's path-length order).
 *   <li>All backends of a rule at weight 0: 503 with a body saying so (the Gateway API
 *       conformance suite expects 500). An invalid backend keeps its weight and its share answers
 *       500; a Service with no ready endpoints answers 503.
 *   <li>No timeout unless the route sets one (a plain Service has none); the route timeout is the
 *       shorter non-zero of {@code request} and {@code backendRequest}, since Sluice does not
 *       retry. {@code retry} and {@code sessionPersistence} are accepted and ignored.
 *   <li>Mesh: a bare Service name means the Service in the client namespace ({@link
 *       io.sluice.resource.MeshOptions#clientNamespace()}), else the only Service of that name;
 *       an ambiguous name is not routed. Consumer routes apply when their namespace is the client
 *       namespace. HTTPRoutes take precedence over a TrafficSplit for the same Service port, and
 *       the older of two TrafficSplits wins. Route {@code hostnames} are ignored for Service
 *       parents (GEP-1426).
 *   <li>Gateways: every Gateway is served whatever its class; one listener per distinct HTTP port,
 *       bound on {@link io.sluice.resource.MeshOptions#gatewayHost()}; HTTPS, TLS, TCP and UDP
 *       listeners are reported {@code UnsupportedProtocol}; {@code allowedRoutes} {@code
 *       Selector} is treated as {@code Same}; ReferenceGrant is not implemented, so cross-namespace
 *       backends are allowed.
 *   <li>Rules Sluice cannot implement (CORS, ExtensionRef, backend-level path rewrites, redirects
 *       or mirrors, a header changed by two actions) are dropped and reported ({@code
 *       PartiallyInvalid}, or {@code Accepted=False} reason {@code UnsupportedValue} when none is
 *       left).
 * </ul>
 */
package io.sluice.resource;
