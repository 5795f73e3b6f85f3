package io.sluice.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.check.TestInput.HeaderEntry;
import io.sluice.route.HeaderMatcher;
import java.time.Duration;
import java.util.List;

/**
 * A test's {@code validate} ({@code envoy.RouterCheckToolSchema.ValidationAssert}). Every scalar
 * is null when the test file leaves it out (then it is not checked); {@code ""} (or 0 for the
 * code) asserts that there is no such value.
 *
 * @param clusterName expected cluster
 * @param virtualClusterName expected virtual cluster
 * @param virtualHostName expected virtual host
 * @param hostRewrite expected {@code :authority} after finalization
 * @param pathRewrite expected {@code :path} after finalization
 * @param pathRedirect expected location of a redirect or direct response
 * @param codeRedirect expected status of a redirect or direct response
 * @param requestHeaderFields deprecated exact checks of the first value of request headers
 * @param responseHeaderFields deprecated exact checks of the first value of response headers
 * @param requestHeaderMatches matchers the finalized request headers must satisfy
 * @param responseHeaderMatches matchers the finalized response headers must satisfy
 * @param timeout expected route timeout, compared in milliseconds
 * @param routeMetadata expected entries of the route's {@code metadata.filter_metadata}
 */
public record TestExpectations(
    String clusterName,
    String virtualClusterName,
    String virtualHostName,
    String hostRewrite,
    String pathRewrite,
    String pathRedirect,
    Long codeRedirect,
    List<HeaderEntry> requestHeaderFields,
    List<HeaderEntry> responseHeaderFields,
    List<ExpectedHeaderMatch> requestHeaderMatches,
    List<ExpectedHeaderMatch> responseHeaderMatches,
    Duration timeout,
    List<ExpectedMetadata> routeMetadata) {

  public TestExpectations {
    requestHeaderFields = List.copyOf(requestHeaderFields);
    responseHeaderFields = List.copyOf(responseHeaderFields);
    requestHeaderMatches = List.copyOf(requestHeaderMatches);
    responseHeaderMatches = List.copyOf(responseHeaderMatches);
    routeMetadata = List.copyOf(routeMetadata);
  }

  /**
   * A header matcher of the test, compiled, with its configuration as written (failure lines quote
   * it, and {@code -o} re-encodes it).
   */
  public record ExpectedHeaderMatch(HeaderMatcher matcher, JsonNode config) {}

  /** One expected {@code filter_metadata[namespace][key]} value of the selected route. */
  public record ExpectedMetadata(String namespace, String key, String value) {}
}
