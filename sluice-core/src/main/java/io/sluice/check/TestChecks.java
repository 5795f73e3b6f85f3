package io.sluice.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.check.CoverageTracker.Field;
import io.sluice.check.TestExpectations.ExpectedHeaderMatch;
import io.sluice.check.TestExpectations.ExpectedMetadata;
import io.sluice.check.TestInput.HeaderEntry;
import io.sluice.check.ValidationFailure.HeaderMatchFailure;
import io.sluice.check.ValidationFailure.Scalar;
import io.sluice.check.ValidationFailure.ScalarMismatch;
import io.sluice.route.Headers;
import io.sluice.route.Route;
import io.sluice.route.RouteResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compares one routed test with its expectations, in Envoy's order: cluster, virtual cluster,
 * virtual host, path rewrite, host rewrite, redirect path, redirect code, request headers, response
 * headers, then timeout and route metadata. Every check runs; each failure adds a line, and each
 * passing scalar check marks its field for coverage.
 */
final class TestChecks {
  private final RoutedTest routed;
  private final CoverageTracker coverage;
  private final List<String> lines = new ArrayList<>();
  private final List<ScalarMismatch> scalars = new ArrayList<>();
  private final List<HeaderMatchFailure> requestFailures = new ArrayList<>();
  private final List<HeaderMatchFailure> responseFailures = new ArrayList<>();

  private TestChecks(RoutedTest routed, CoverageTracker coverage) {
    this.routed = routed;
    this.coverage = coverage;
  }

  /** Runs every check {@code test} asks for against {@code routed}. */
  static TestResult run(RouteCheckTest test, RoutedTest routed, CoverageTracker coverage) {
    TestChecks c = new TestChecks(routed, coverage);
    c.checkAll(test.expect());
    ValidationFailure failure =
        c.lines.isEmpty() ? null : new ValidationFailure(c.scalars, c.requestFailures, c.responseFailures);
    return new TestResult(test.name(), c.lines, failure);
  }

  private void checkAll(TestExpectations e) {
    RouteResult r = routed.result();
    boolean forward = routed.isRouteEntry();
    boolean local = routed.isDirectResponse();
    Headers request = routed.request();
    scalar(e.clusterName(), forward ? routed.clusterName() : "", "cluster_name", Scalar.CLUSTER_NAME, Field.CLUSTER);
    String virtualCluster = forward ? r.virtualClusterName(request) : null;
    scalar(e.virtualClusterName(), virtualCluster == null ? "" : virtualCluster, "virtual_cluster_name",
        Scalar.VIRTUAL_CLUSTER_NAME, Field.VIRTUAL_CLUSTER);
    scalar(e.virtualHostName(), forward ? r.virtualHost().name() : "", "virtual_host_name",
        Scalar.VIRTUAL_HOST_NAME, Field.VIRTUAL_HOST);
    scalar(e.pathRewrite(), forward ? nullToEmpty(request.first(":path")) : "", "path_rewrite",
        Scalar.PATH_REWRITE, Field.PATH_REWRITE);
    scalar(e.hostRewrite(), forward ? nullToEmpty(request.first(":authority")) : "", "host_rewrite",
        Scalar.HOST_REWRITE, Field.HOST_REWRITE);
    scalar(e.pathRedirect(), local ? routed.location() : "", "path_redirect", Scalar.PATH_REDIRECT,
        Field.REDIRECT_PATH);
    if (e.codeRedirect() != null) {
      scalar(Long.toString(e.codeRedirect()), Integer.toString(local ? r.responseCode() : 0), "code_redirect",
          Scalar.CODE_REDIRECT, Field.REDIRECT_CODE);
    }
    headers("request", e.requestHeaderMatches(), e.requestHeaderFields(), request, requestFailures);
    headers("response", e.responseHeaderMatches(), e.responseHeaderFields(), routed.responseHeaders(),
        responseFailures);
    timeout(e.timeout(), forward ? r.timeout() : Duration.ZERO);
    for (ExpectedMetadata m : e.routeMetadata()) {
      routeMetadata(m, r.route());
    }
  }

  private void scalar(String expected, String actual, String testType, Scalar field, Field coverageField) {
    if (expected == null) {
      return;
    }
    if (expected.equals(actual)) {
      coverage.mark(routed.result(), coverageField);
      return;
    }
    lines.add(FailureLines.mismatch(expected, actual, testType));
    scalars.add(new ScalarMismatch(field, expected, actual));
  }

  private void headers(
      String side,
      List<ExpectedHeaderMatch> matches,
      List<HeaderEntry> fields,
      Headers headers,
      List<HeaderMatchFailure> failures) {
    for (ExpectedHeaderMatch m : matches) {
      if (!m.matcher().matches(headers)) {
        lines.add(FailureLines.headerMatch(side + "_header_matches", m, headers));
        failures.add(new HeaderMatchFailure(m.config(), nullToEmpty(headers.first(m.matcher().name()))));
      }
    }
    // The deprecated exact checks fail the test with a line but record nothing for -o, as in Envoy.
    for (HeaderEntry f : fields) {
      String actual = nullToEmpty(headers.first(f.key().toLowerCase(Locale.ROOT)));
      if (!actual.equals(f.value())) {
        lines.add(FailureLines.mismatch(f.value(), actual, side + "_header_fields"));
      }
    }
  }

  /** The route's timeout in milliseconds (0: disabled, or not forwarding) against the expected one. */
  private void timeout(Duration expected, Duration actual) {
    if (expected == null) {
      return;
    }
    long want = expected.toMillis();
    long got = actual == null ? 0 : actual.toMillis();
    if (want != got) {
      lines.add(FailureLines.mismatch(Long.toString(want), Long.toString(got), "timeout"));
    }
  }

  /**
   * {@code filter_metadata[namespace][key]} of the selected route must exist and, as text (a
   * non-string value as compact JSON), equal the expected value.
   */
  private void routeMetadata(ExpectedMetadata m, Route route) {
    JsonNode value = null;
    if (route != null && route.metadata() != null) {
      JsonNode md = route.metadata();
      JsonNode fm = md.has("filter_metadata") ? md.get("filter_metadata") : md.get("filterMetadata");
      JsonNode ns = fm == null ? null : fm.get(m.namespace());
      value = ns == null ? null : ns.get(m.key());
    }
    String actual = value == null || value.isNull() ? null : value.isTextual() ? value.asText() : value.toString();
    if (!m.value().equals(actual)) {
      String label = m.namespace() + "/" + m.key() + ": ";
      lines.add(FailureLines.mismatch(label + m.value(), label + (actual == null ? "NULL" : actual), "route_metadata"));
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
