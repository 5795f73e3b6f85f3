package io.sluice.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.check.TestExpectations.ExpectedHeaderMatch;
import io.sluice.check.TestExpectations.ExpectedMetadata;
import io.sluice.check.TestInput.HeaderEntry;
import io.sluice.check.TestInput.SetMetadataEntry;
import io.sluice.config.MessageReader;
import io.sluice.config.Problems;
import io.sluice.route.HeaderMatcher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads a test file's tree into {@link RouteCheckTest}s, as protobuf's JSON parser reads an {@code
 * envoy.RouterCheckToolSchema.Validation}: snake_case or lowerCamelCase names, and a field the
 * schema does not have (including the removed {@code additional_headers}, {@code header_fields}
 * and {@code custom_header_fields}) is an error naming its path. Schema rules (non-empty names,
 * required messages) are {@link TestFileConstraints}'s job.
 */
final class TestFileReader {
  static final String PKG = "envoy.RouterCheckToolSchema.";
  private static final String HEADER_VALUE = "envoy.config.core.v3.HeaderValue";
  private static final String HEADER_MATCHER = "envoy.config.route.v3.HeaderMatcher";

  private TestFileReader() {}

  /** The tests of {@code root}; {@code problems} receives every error. */
  static RouteCheckTestFile read(JsonNode root, Problems problems) {
    MessageReader m = MessageReader.of(root, "", PKG + "Validation", problems);
    if (m == null) {
      return new RouteCheckTestFile(root, null, List.of());
    }
    JsonNode runtime = m.raw("runtime");
    if (runtime != null && !runtime.isObject()) {
      m.error("runtime", "expected an object (google.protobuf.Struct), got " + MessageReader.describe(runtime));
      runtime = null;
    }
    List<RouteCheckTest> tests = new ArrayList<>();
    for (MessageReader t : m.messages("tests", PKG + "ValidationItem")) {
      tests.add(readTest(t));
    }
    m.finish();
    return new RouteCheckTestFile(root, runtime, tests);
  }

  private static RouteCheckTest readTest(MessageReader t) {
    String name = t.string("test_name", "");
    MessageReader in = t.message("input", PKG + "ValidationInput");
    MessageReader validate = t.message("validate", PKG + "ValidationAssert");
    TestInput input = in == null ? null : readInput(in);
    TestExpectations expect = validate == null ? null : readExpectations(validate);
    t.finish();
    return new RouteCheckTest(name, input, expect);
  }

  private static TestInput readInput(MessageReader m) {
    String authority = m.string("authority", "");
    String path = m.string("path", "");
    String method = m.string("method", "");
    Long random = m.optUint64("random_value");
    boolean ssl = m.bool("ssl", false);
    boolean internal = m.bool("internal", false);
    String runtime = m.string("runtime", "");
    List<HeaderEntry> request = headerEntries(m, "additional_request_headers");
    List<HeaderEntry> response = headerEntries(m, "additional_response_headers");
    List<SetMetadataEntry> metadata = new ArrayList<>();
    for (MessageReader d : m.messages("dynamic_metadata", "envoy.extensions.filters.http.set_metadata.v3.Metadata")) {
      SetMetadataEntry e = readMetadataEntry(d);
      if (e != null) {
        metadata.add(e);
      }
    }
    m.finish();
    return new TestInput(
        authority, path, method, random == null ? 0 : random, ssl, internal, runtime, request, response, metadata);
  }

  private static SetMetadataEntry readMetadataEntry(MessageReader d) {
    String namespace = d.string("metadata_namespace", "");
    boolean overwrite = d.bool("allow_overwrite", false);
    JsonNode value = d.raw("value");
    if (value != null && !value.isObject()) {
      d.error("value", "expected an object (google.protobuf.Struct), got " + MessageReader.describe(value));
      value = null;
    }
    JsonNode typed = d.raw("typed_value");
    if (typed != null && (!typed.isObject() || !typed.hasNonNull("@type"))) {
      d.error("typed_value", "expected an Any: an object with \"@type\"");
      typed = null;
    }
    d.finish();
    return new SetMetadataEntry(namespace, value, typed, overwrite);
  }

  private static TestExpectations readExpectations(MessageReader m) {
    String cluster = m.string("cluster_name");
    String virtualCluster = m.string("virtual_cluster_name");
    String virtualHost = m.string("virtual_host_name");
    String hostRewrite = m.string("host_rewrite");
    String pathRewrite = m.string("path_rewrite");
    String pathRedirect = m.string("path_redirect");
    Long code = m.optUint32("code_redirect");
    List<HeaderEntry> requestFields = headerEntries(m, "request_header_fields");
    List<HeaderEntry> responseFields = headerEntries(m, "response_header_fields");
    List<ExpectedHeaderMatch> requestMatches = headerMatches(m, "request_header_matches");
    List<ExpectedHeaderMatch> responseMatches = headerMatches(m, "response_header_matches");
    Duration timeout = m.duration("timeout");
    List<ExpectedMetadata> metadata = new ArrayList<>();
    for (MessageReader r : m.messages("route_metadata", PKG + "RouteMetadataMatch")) {
      metadata.add(new ExpectedMetadata(r.string("namespace", ""), r.string("key", ""), r.string("value", "")));
      r.finish();
    }
    m.finish();
    return new TestExpectations(
        cluster, virtualCluster, virtualHost, hostRewrite, pathRewrite, pathRedirect, code, requestFields,
        responseFields, requestMatches, responseMatches, timeout, metadata);
  }

  private static List<HeaderEntry> headerEntries(MessageReader m, String field) {
    List<HeaderEntry> out = new ArrayList<>();
    for (MessageReader h : m.messages(field, HEADER_VALUE)) {
      String key = h.string("key", "");
      String value = h.string("value");
      String raw = h.string("raw_value");
      if (value != null && raw != null) {
        h.error(null, "only one of value and raw_value may be set");
      }
      if (raw != null) {
        try {
          value = new String(Base64.getDecoder().decode(raw), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          h.error("raw_value", "not valid base64: " + e.getMessage());
        }
      }
      h.finish();
      out.add(new HeaderEntry(key, value == null ? "" : value));
    }
    return out;
  }

  private static List<ExpectedHeaderMatch> headerMatches(MessageReader m, String field) {
    List<ExpectedHeaderMatch> out = new ArrayList<>();
    JsonNode list = m.raw(field);
    if (list == null) {
      return out;
    }
    if (!list.isArray()) {
      m.error(field, "expected a list, got " + MessageReader.describe(list));
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      MessageReader r = MessageReader.of(item, m.pathOf(field) + "[" + i + "]", HEADER_MATCHER, m.problems());
      HeaderMatcher matcher = r == null ? null : HeaderMatcher.read(r);
      if (matcher != null) {
        out.add(new ExpectedHeaderMatch(matcher, item));
      }
    }
    return out;
  }
}
