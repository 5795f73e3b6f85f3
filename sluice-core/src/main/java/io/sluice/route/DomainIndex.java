package io.sluice.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds the virtual host for an authority the way Envoy does, without allocating: an exact domain
 * first, then suffix wildcards ({@code *.foo.com}, {@code *-bar.foo.com}) longest first, then
 * prefix wildcards ({@code foo.*}) longest first, then {@code *}. A wildcard must stand for at
 * least one character. Comparison ignores ASCII case.
 *
 * <p>Each group of wildcards of one length is a hash table probed with the hash of the matching
 * slice of the authority, computed in place, so a lookup costs one probe per distinct wildcard
 * length.
 */
final class DomainIndex<V> {
  private final AsciiTable<V> exact;
  private final int[] suffixLengths;
  private final List<AsciiTable<V>> suffixTables;
  private final int[] prefixLengths;
  private final List<AsciiTable<V>> prefixTables;
  private final V wildcard;
  private final boolean onlyWildcard;

  /**
   * @param exact lower-cased exact domains
   * @param suffixes lower-cased suffixes (the domain without its leading {@code *})
   * @param prefixes lower-cased prefixes (the domain without its trailing {@code *})
   * @param wildcard the value for {@code *}, or null
   */
  DomainIndex(Map<String, V> exact, Map<String, V> suffixes, Map<String, V> prefixes, V wildcard) {
    this.exact = new AsciiTable<>(exact);
    TreeMap<Integer, Map<String, V>> bySuffixLength = groupByLength(suffixes);
    TreeMap<Integer, Map<String, V>> byPrefixLength = groupByLength(prefixes);
    this.suffixLengths = lengths(bySuffixLength);
    this.suffixTables = tables(bySuffixLength);
    this.prefixLengths = lengths(byPrefixLength);
    this.prefixTables = tables(byPrefixLength);
    this.wildcard = wildcard;
    this.onlyWildcard = exact.isEmpty() && suffixes.isEmpty() && prefixes.isEmpty();
  }

  /** The value for {@code authority[0, end)}, or null. */
  V find(String authority, int end) {
    if (onlyWildcard) {
      return wildcard;
    }
    if (authority == null) {
      return null;
    }
    V v = exact.get(authority, 0, end);
    if (v != null) {
      return v;
    }
    for (int i = 0; i < suffixLengths.length; i++) {
      int len = suffixLengths[i];
      if (len < end) {
        v = suffixTables.get(i).get(authority, end - len, end);
        if (v != null) {
          return v;
        }
      }
    }
    for (int i = 0; i < prefixLengths.length; i++) {
      int len = prefixLengths[i];
      if (len < end) {
        v = prefixTables.get(i).get(authority, 0, len);
        if (v != null) {
          return v;
        }
      }
    }
    return wildcard;
  }

  private static <V> TreeMap<Integer, Map<String, V>> groupByLength(Map<String, V> keys) {
    TreeMap<Integer, Map<String, V>> out = new TreeMap<>((a, b) -> Integer.compare(b, a));
    for (Map.Entry<String, V> e : keys.entrySet()) {
      out.computeIfAbsent(e.getKey().length(), k -> new java.util.LinkedHashMap<>()).put(e.getKey(), e.getValue());
    }
    return out;
  }

  private static int[] lengths(TreeMap<Integer, ?> groups) {
    return groups.keySet().stream().mapToInt(Integer::intValue).toArray();
  }

  private static <V> List<AsciiTable<V>> tables(TreeMap<Integer, Map<String, V>> groups) {
    List<AsciiTable<V>> out = new ArrayList<>();
    for (Map<String, V> g : groups.values()) {
      out.add(new AsciiTable<>(g));
    }
    return List.copyOf(out);
  }

  /** Open-addressing table of lower-case keys, probed with a slice of a string, ignoring ASCII case. */
  static final class AsciiTable<V> {
    private final String[] keys;
    private final Object[] values;
    private final int mask;

    AsciiTable(Map<String, V> entries) {
      int capacity = Integer.highestOneBit(Math.max(2, entries.size() * 2 + 1) - 1) << 1;
      keys = new String[capacity];
      values = new Object[capacity];
      mask = capacity - 1;
      for (Map.Entry<String, V> e : entries.entrySet()) {
        String k = e.getKey();
        int i = hash(k, 0, k.length()) & mask;
        while (keys[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = k;
        values[i] = e.getValue();
      }
    }

    @SuppressWarnings("unchecked")
    V get(String s, int from, int to) {
      int i = hash(s, from, to) & mask;
      while (true) {
        String k = keys[i];
        if (k == null) {
          return null;
        }
        if (k.length() == to - from && sameIgnoringAsciiCase(k, s, from)) {
          return (V) values[i];
        }
        i = (i + 1) & mask;
      }
    }

    private static boolean sameIgnoringAsciiCase(String lowerKey, String s, int from) {
      for (int j = 0; j < lowerKey.length(); j++) {
        if (lowerKey.charAt(j) != StringMatcher.lowerAscii(s.charAt(from + j))) {
          return false;
        }
      }
      return true;
    }

    private static int hash(String s, int from, int to) {
      int h = 0;
      for (int j = from; j < to; j++) {
        h = 31 * h + StringMatcher.lowerAscii(s.charAt(j));
      }
      // Names that differ only in a trailing counter (svc1, svc2, ...) have polynomial hashes that
      // differ by small amounts, so their low bits fill runs of adjacent slots and linear probing
      // walks them (100 such domains: up to 24 probes). Multiplying by 2^32 / golden ratio spreads
      // a difference into the high bits, and the fold brings those down into the mask.
      h *= 0x9E3779B9;
      return h ^ (h >>> 16);
    }
  }
}
