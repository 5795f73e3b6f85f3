package io.sluice.check;

import io.sluice.check.ProtoSchema.Kind;
import io.sluice.check.ProtoSchema.MessageType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The descriptors of the messages route-check prints or encodes: Envoy's {@code RouteMatch} and
 * what it contains (for {@code --covall}), {@code HeaderMatcher} (for {@code -o}) and the test-file
 * schema (for validation messages). Field numbers are Envoy's; the test-file fields newer than the
 * upstream sources read ({@code dynamic_metadata}, {@code code_redirect}, {@code timeout}, {@code
 * route_metadata}) use the next free numbers, which only affects the order they print in.
 */
public final class ProtoDescriptors {
  private static final String ROUTE = "envoy.config.route.v3.";
  private static final String MATCHER = "envoy.type.matcher.v3.";
  private static final String SCHEMA = "envoy.RouterCheckToolSchema.";

  /** {@code envoy.config.route.v3.RouteMatch}. */
  public static final String ROUTE_MATCH = ROUTE + "RouteMatch";
  /** {@code envoy.config.route.v3.HeaderMatcher}. */
  public static final String HEADER_MATCHER = ROUTE + "HeaderMatcher";
  /** {@code envoy.RouterCheckToolSchema.Validation}: a whole test file. */
  public static final String VALIDATION = SCHEMA + "Validation";

  private static final String BOOL_VALUE = "google.protobuf.BoolValue";
  private static final String UINT32_VALUE = "google.protobuf.UInt32Value";
  private static final String STRING_VALUE = "google.protobuf.StringValue";
  private static final String STRING_MATCHER = MATCHER + "StringMatcher";
  private static final String REGEX_MATCHER = MATCHER + "RegexMatcher";
  private static final String VALUE_MATCHER = MATCHER + "ValueMatcher";
  private static final String HEADER_VALUE = "envoy.config.core.v3.HeaderValue";

  private static final Map<String, MessageType> TYPES = new LinkedHashMap<>();

  static {
    add(ProtoSchema.message(BOOL_VALUE).field("value", 1, Kind.BOOL).wrapper());
    add(ProtoSchema.message(UINT32_VALUE).field("value", 1, Kind.UINT32).wrapper());
    add(ProtoSchema.message(STRING_VALUE).field("value", 1, Kind.STRING).wrapper());

    add(ProtoSchema.message(ROUTE_MATCH)
        .oneofField("prefix", 1, Kind.STRING)
        .oneofField("path", 2, Kind.STRING)
        .message("case_sensitive", 4, BOOL_VALUE)
        .repeatedMessage("headers", 6, HEADER_MATCHER)
        .repeatedMessage("query_parameters", 7, ROUTE + "QueryParameterMatcher")
        .message("grpc", 8, ROUTE_MATCH + ".GrpcRouteMatchOptions")
        .message("runtime_fraction", 9, "envoy.config.core.v3.RuntimeFractionalPercent")
        .oneofMessage("safe_regex", 10, REGEX_MATCHER)
        .message("tls_context", 11, ROUTE_MATCH + ".TlsContextMatchOptions")
        .oneofMessage("connect_matcher", 12, ROUTE_MATCH + ".ConnectMatcher")
        .repeatedMessage("dynamic_metadata", 13, MATCHER + "MetadataMatcher")
        .oneofField("path_separated_prefix", 14, Kind.STRING)
        .oneofMessage("path_match_policy", 15, "envoy.config.core.v3.TypedExtensionConfig")
        .repeatedMessage("filter_state", 16, MATCHER + "FilterStateMatcher"));
    add(ProtoSchema.message(ROUTE_MATCH + ".GrpcRouteMatchOptions"));
    add(ProtoSchema.message(ROUTE_MATCH + ".ConnectMatcher"));
    add(ProtoSchema.message(ROUTE_MATCH + ".TlsContextMatchOptions")
        .message("presented", 1, BOOL_VALUE)
        .message("validated", 2, BOOL_VALUE));
    add(ProtoSchema.message("envoy.config.core.v3.RuntimeFractionalPercent")
        .message("default_value", 1, "envoy.type.v3.FractionalPercent")
        .field("runtime_key", 2, Kind.STRING));
    add(ProtoSchema.message("envoy.type.v3.FractionalPercent")
        .field("numerator", 1, Kind.UINT32)
        .enumField("denominator", 2, "HUNDRED", "TEN_THOUSAND", "MILLION"));
    add(ProtoSchema.message("envoy.config.core.v3.TypedExtensionConfig")
        .field("name", 1, Kind.STRING)
        .field("typed_config", 2, Kind.ANY));

    add(ProtoSchema.message(HEADER_MATCHER)
        .field("name", 1, Kind.STRING)
        .oneofField("exact_match", 4, Kind.STRING)
        .oneofMessage("range_match", 6, "envoy.type.v3.Int64Range")
        .oneofField("present_match", 7, Kind.BOOL)
        .field("invert_match", 8, Kind.BOOL)
        .oneofField("prefix_match", 9, Kind.STRING)
        .oneofField("suffix_match", 10, Kind.STRING)
        .oneofMessage("safe_regex_match", 11, REGEX_MATCHER)
        .oneofField("contains_match", 12, Kind.STRING)
        .oneofMessage("string_match", 13, STRING_MATCHER)
        .field("treat_missing_header_as_empty", 14, Kind.BOOL));
    add(ProtoSchema.message(ROUTE + "QueryParameterMatcher")
        .field("name", 1, Kind.STRING)
        .oneofMessage("string_match", 5, STRING_MATCHER)
        .oneofField("present_match", 6, Kind.BOOL));
    add(ProtoSchema.message("envoy.type.v3.Int64Range")
        .field("start", 1, Kind.INT64)
        .field("end", 2, Kind.INT64));
    add(ProtoSchema.message(STRING_MATCHER)
        .oneofField("exact", 1, Kind.STRING)
        .oneofField("prefix", 2, Kind.STRING)
        .oneofField("suffix", 3, Kind.STRING)
        .oneofMessage("safe_regex", 5, REGEX_MATCHER)
        .field("ignore_case", 6, Kind.BOOL)
        .oneofField("contains", 7, Kind.STRING)
        .oneofMessage("custom", 8, "envoy.config.core.v3.TypedExtensionConfig"));
    add(ProtoSchema.message(REGEX_MATCHER)
        .oneofMessage("google_re2", 1, REGEX_MATCHER + ".GoogleRE2")
        .field("regex", 2, Kind.STRING));
    add(ProtoSchema.message(REGEX_MATCHER + ".GoogleRE2").message("max_program_size", 1, UINT32_VALUE));
    add(ProtoSchema.message(MATCHER + "FilterStateMatcher")
        .field("key", 1, Kind.STRING)
        .oneofMessage("string_match", 2, STRING_MATCHER));

    add(ProtoSchema.message(MATCHER + "MetadataMatcher")
        .field("filter", 1, Kind.STRING)
        .repeatedMessage("path", 2, MATCHER + "MetadataMatcher.PathSegment")
        .message("value", 3, VALUE_MATCHER)
        .field("invert", 4, Kind.BOOL));
    add(ProtoSchema.message(MATCHER + "MetadataMatcher.PathSegment").oneofField("key", 1, Kind.STRING));
    add(ProtoSchema.message(VALUE_MATCHER)
        .oneofMessage("null_match", 1, VALUE_MATCHER + ".NullMatch")
        .oneofMessage("double_match", 2, MATCHER + "DoubleMatcher")
        .oneofMessage("string_match", 3, STRING_MATCHER)
        .oneofField("bool_match", 4, Kind.BOOL)
        .oneofField("present_match", 5, Kind.BOOL)
        .oneofMessage("list_match", 6, MATCHER + "ListMatcher")
        .oneofMessage("or_match", 7, MATCHER + "OrMatcher"));
    add(ProtoSchema.message(VALUE_MATCHER + ".NullMatch"));
    add(ProtoSchema.message(MATCHER + "DoubleMatcher")
        .oneofMessage("range", 1, "envoy.type.v3.DoubleRange")
        .oneofField("exact", 2, Kind.DOUBLE));
    add(ProtoSchema.message("envoy.type.v3.DoubleRange")
        .field("start", 1, Kind.DOUBLE)
        .field("end", 2, Kind.DOUBLE));
    add(ProtoSchema.message(MATCHER + "ListMatcher").oneofMessage("one_of", 1, VALUE_MATCHER));
    add(ProtoSchema.message(MATCHER + "OrMatcher").repeatedMessage("value_matchers", 1, VALUE_MATCHER));

    add(ProtoSchema.message(VALIDATION)
        .repeatedMessage("tests", 1, SCHEMA + "ValidationItem")
        .field("runtime", 2, Kind.STRUCT));
    add(ProtoSchema.message(SCHEMA + "ValidationItem")
        .field("test_name", 1, Kind.STRING)
        .message("input", 2, SCHEMA + "ValidationInput")
        .message("validate", 3, SCHEMA + "ValidationAssert"));
    add(ProtoSchema.message(SCHEMA + "ValidationInput")
        .field("authority", 1, Kind.STRING)
        .field("path", 2, Kind.STRING)
        .field("method", 4, Kind.STRING)
        .field("random_value", 5, Kind.UINT64)
        .field("ssl", 6, Kind.BOOL)
        .field("internal", 7, Kind.BOOL)
        .field("runtime", 9, Kind.STRING)
        .repeatedMessage("additional_request_headers", 10, HEADER_VALUE)
        .repeatedMessage("additional_response_headers", 11, HEADER_VALUE)
        .repeatedMessage("dynamic_metadata", 12, "envoy.extensions.filters.http.set_metadata.v3.Metadata"));
    add(ProtoSchema.message(HEADER_VALUE)
        .field("key", 1, Kind.STRING)
        .field("value", 2, Kind.STRING)
        .field("raw_value", 3, Kind.BYTES));
    add(ProtoSchema.message("envoy.extensions.filters.http.set_metadata.v3.Metadata")
        .field("metadata_namespace", 1, Kind.STRING)
        .field("allow_overwrite", 2, Kind.BOOL)
        .field("value", 3, Kind.STRUCT)
        .field("typed_value", 4, Kind.ANY));
    add(ProtoSchema.message(SCHEMA + "ValidationAssert")
        .message("cluster_name", 1, STRING_VALUE)
        .message("virtual_cluster_name", 2, STRING_VALUE)
        .message("virtual_host_name", 3, STRING_VALUE)
        .message("host_rewrite", 4, STRING_VALUE)
        .message("path_rewrite", 5, STRING_VALUE)
        .message("path_redirect", 6, STRING_VALUE)
        .repeatedMessage("request_header_fields", 9, HEADER_VALUE)
        .repeatedMessage("response_header_fields", 10, HEADER_VALUE)
        .repeatedMessage("request_header_matches", 11, HEADER_MATCHER)
        .repeatedMessage("response_header_matches", 12, HEADER_MATCHER)
        .message("code_redirect", 13, UINT32_VALUE)
        .field("timeout", 14, Kind.DURATION)
        .repeatedMessage("route_metadata", 15, SCHEMA + "RouteMetadataMatch"));
    add(ProtoSchema.message(SCHEMA + "RouteMetadataMatch")
        .field("namespace", 1, Kind.STRING)
        .field("key", 2, Kind.STRING)
        .field("value", 3, Kind.STRING));
  }

  private ProtoDescriptors() {}

  private static void add(ProtoSchema.Builder b) {
    MessageType t = b.build();
    TYPES.put(t.name(), t);
  }

  /** The descriptor of a message type by full name. */
  public static MessageType type(String name) {
    MessageType t = TYPES.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no descriptor for " + name);
    }
    return t;
  }
}
