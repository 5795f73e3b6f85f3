package io.sluice.check;

import io.sluice.check.ValidationFailure.HeaderMatchFailure;
import io.sluice.check.ValidationFailure.Scalar;
import io.sluice.check.ValidationFailure.ScalarMismatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Encodes test results as Envoy's {@code envoy.RouterCheckToolSchema.ValidationResult} in the
 * protobuf binary format, the file {@code -o} writes:
 *
 * <pre>
 * ValidationResult     { repeated ValidationItemResult test_results = 1; }
 * ValidationItemResult { string test_name = 1; bool test_passed = 2; ValidationFailure failure = 3; }
 * ValidationFailure    { StringValue expected_cluster_name = 1; ... actual_path_redirect = 12;
 *                        UInt32Value expected_code_redirect = 13; actual_code_redirect = 14;
 *                        repeated HeaderMatchFailure request_header_match_failures = 15;
 *                        repeated HeaderMatchFailure response_header_match_failures = 16; }
 * HeaderMatchFailure   { HeaderMatcher header_matcher = 1; StringValue actual_header_value = 2; }
 * </pre>
 *
 * A set wrapper is written even when it holds the default ({@code ""} or 0) as an empty message,
 * and {@code test_passed = false} is left out as proto3 does.
 */
public final class ValidationResultWriter {
  private ValidationResultWriter() {}

  /**
   * The encoded results; with {@code onlyFailures} (Envoy's {@code --only-show-failures}) passing
   * tests are left out, so a run without failures encodes to no bytes at all.
   */
  public static byte[] encode(List<TestResult> results, boolean onlyFailures) {
    ProtoWriter out = new ProtoWriter();
    for (TestResult r : results) {
      if (onlyFailures && r.passed()) {
        continue;
      }
      ProtoWriter item = new ProtoWriter().string(1, r.name());
      if (r.passed()) {
        item.bool(2, true);
      } else {
        item.message(3, failure(r.failure()));
      }
      out.message(1, item);
    }
    return out.toByteArray();
  }

  private static ProtoWriter failure(ValidationFailure f) {
    ProtoWriter w = new ProtoWriter();
    if (f == null) {
      return w;
    }
    List<ScalarMismatch> scalars = new ArrayList<>(f.scalars());
    scalars.sort(Comparator.comparingInt(s -> s.field().expectedField()));
    for (ScalarMismatch s : scalars) {
      int n = s.field().expectedField();
      if (s.field() == Scalar.CODE_REDIRECT) {
        w.message(n, uint32Value(Long.parseLong(s.expected())));
        w.message(n + 1, uint32Value(Long.parseLong(s.actual())));
      } else {
        w.message(n, stringValue(s.expected()));
        w.message(n + 1, stringValue(s.actual()));
      }
    }
    for (HeaderMatchFailure h : f.requestHeaders()) {
      w.message(15, headerMatchFailure(h));
    }
    for (HeaderMatchFailure h : f.responseHeaders()) {
      w.message(16, headerMatchFailure(h));
    }
    return w;
  }

  private static ProtoWriter headerMatchFailure(HeaderMatchFailure h) {
    return new ProtoWriter()
        .message(1, ProtoBinaryEncoder.encode(h.matcher(), ProtoDescriptors.HEADER_MATCHER))
        .message(2, stringValue(h.actualValue()));
  }

  private static ProtoWriter stringValue(String v) {
    ProtoWriter w = new ProtoWriter();
    return v.isEmpty() ? w : w.string(1, v);
  }

  private static ProtoWriter uint32Value(long v) {
    ProtoWriter w = new ProtoWriter();
    return v == 0 ? w : w.varint(1, v);
  }
}
