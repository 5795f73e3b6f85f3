package io.sluice.route;

import io.sluice.runtime.Runtime;
import java.util.List;

/**
 * A route's {@code weighted_clusters}: picks one entry per request, as Envoy does.
 *
 * <p>The selection value is the request's random value, or the number in the {@code header_name}
 * header when that header is present exactly once and is a valid unsigned integer. With weights
 * w<sub>0</sub>..w<sub>n-1</sub> (each possibly overridden by the runtime key {@code
 * <runtime_key_prefix>.<name>}) and total W, entry i owns the half-open range [c<sub>i</sub>,
 * c<sub>i</sub> + w<sub>i</sub>) where c<sub>i</sub> = w<sub>0</sub> + ... + w<sub>i-1</sub>, and
 * the pick is the entry whose range holds {@code value mod W} (unsigned). An entry of weight 0 owns
 * an empty range and is never picked. So each entry's share of uniformly random values is exactly
 * w<sub>i</sub> / W, up to the bias of {@code 2^64 mod W} values out of 2^64 (under 2^-32).
 *
 * <p>When the weights come from configuration only, the cumulative bounds are computed once and
 * the pick is a binary search; with runtime keys they are summed per request, with no allocation.
 */
public final class WeightedClusters {
  private static final long UINT32_MAX = 0xFFFF_FFFFL;

  private final List<WeightedCluster> entries;
  private final long[] upperBounds;
  private final long totalWeight;
  private final String[] runtimeKeys;
  private final String headerName;

  WeightedClusters(List<WeightedCluster> entries, String runtimeKeyPrefix, String headerName) {
    this.entries = List.copyOf(entries);
    this.upperBounds = new long[entries.size()];
    long sum = 0;
    for (int i = 0; i < entries.size(); i++) {
      sum += entries.get(i).weight();
      upperBounds[i] = sum;
    }
    this.totalWeight = sum;
    if (runtimeKeyPrefix == null || runtimeKeyPrefix.isEmpty()) {
      this.runtimeKeys = null;
    } else {
      this.runtimeKeys = new String[entries.size()];
      for (int i = 0; i < entries.size(); i++) {
        runtimeKeys[i] = runtimeKeyPrefix + "." + entries.get(i).name();
      }
    }
    this.headerName = headerName == null || headerName.isEmpty() ? null : headerName;
  }

  /**
   * The index of the entry picked for this request, or -1 when the (runtime) weights sum to 0 or
   * overflow 32 bits, in which case Envoy treats the route as not matching.
   */
  public int pick(Headers request, long randomValue, Runtime runtime) {
    long value = selectionValue(request, randomValue);
    if (runtimeKeys == null) {
      long r = Long.remainderUnsigned(value, totalWeight);
      return search(r);
    }
    long total = 0;
    for (int i = 0; i < runtimeKeys.length; i++) {
      total += weightOf(i, runtime);
      if (total > UINT32_MAX) {
        return -1;
      }
    }
    if (total == 0) {
      return -1;
    }
    long r = Long.remainderUnsigned(value, total);
    long upper = 0;
    for (int i = 0; i < runtimeKeys.length; i++) {
      upper += weightOf(i, runtime);
      if (r < upper) {
        return i;
      }
    }
    throw new AssertionError("unreachable: " + r + " < " + total);
  }

  private long weightOf(int i, Runtime runtime) {
    long w = runtime.getInteger(runtimeKeys[i], entries.get(i).weight());
    // A runtime weight beyond 32 bits cannot be summed safely; treat it as the overflow it causes.
    return w < 0 || w > UINT32_MAX ? UINT32_MAX + 1 : w;
  }

  private int search(long r) {
    // The first index whose upper bound exceeds r; bounds are non-decreasing.
    int lo = 0;
    int hi = upperBounds.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (upperBounds[mid] > r) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  private long selectionValue(Headers request, long randomValue) {
    if (headerName != null && request.count(headerName) == 1) {
      String digits = unsignedDigits(request.first(headerName));
      if (digits != null) {
        return Long.parseUnsignedLong(digits);
      }
    }
    return randomValue;
  }

  /**
   * The digits of {@code s} when it is an unsigned 64-bit integer as absl::SimpleAtoi reads one
   * (surrounding whitespace and a leading '+' allowed), else null.
   */
  static String unsignedDigits(String s) {
    if (s == null) {
      return null;
    }
    String t = s.strip();
    if (t.startsWith("+")) {
      t = t.substring(1);
    }
    if (t.isEmpty() || t.length() > 20) {
      return null;
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    try {
      Long.parseUnsignedLong(t);
      return t;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The entries in configuration order. */
  public List<WeightedCluster> entries() {
    return entries;
  }

  /** The sum of the configured weights. */
  public long totalWeight() {
    return totalWeight;
  }

  /** The runtime key of entry i, or null without {@code runtime_key_prefix}. */
  public String runtimeKey(int i) {
    return runtimeKeys == null ? null : runtimeKeys[i];
  }

  /** The {@code header_name}, or null. */
  public String headerName() {
    return headerName;
  }

  /** The weight entry i has under {@code runtime} (its configured weight without runtime keys). */
  public long effectiveWeight(int i, Runtime runtime) {
    return runtimeKeys == null ? entries.get(i).weight() : runtime.getInteger(runtimeKeys[i], entries.get(i).weight());
  }
}
