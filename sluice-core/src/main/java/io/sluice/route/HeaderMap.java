package io.sluice.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small ordered header multimap with lower-cased names. Used where no wire codec owns the
 * headers: the route checker, the admin route explanation, and tests.
 */
public final class HeaderMap implements MutableHeaders {
  private final List<String> names = new ArrayList<>();
  private final List<String> values = new ArrayList<>();

  /** An empty map. */
  public HeaderMap() {}

  /** A map holding {@code entries} in iteration order. */
  public static HeaderMap of(List<Map.Entry<String, String>> entries) {
    HeaderMap m = new HeaderMap();
    for (Map.Entry<String, String> e : entries) {
      m.add(e.getKey(), e.getValue());
    }
    return m;
  }

  @Override
  public String get(String name) {
    String key = lower(name);
    String joined = null;
    StringBuilder sb = null;
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equals(key)) {
        if (joined == null) {
          joined = values.get(i);
        } else {
          if (sb == null) {
            sb = new StringBuilder(joined);
          }
          sb.append(',').append(values.get(i));
        }
      }
    }
    return sb != null ? sb.toString() : joined;
  }

  @Override
  public String first(String name) {
    String key = lower(name);
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equals(key)) {
        return values.get(i);
      }
    }
    return null;
  }

  @Override
  public int count(String name) {
    String key = lower(name);
    int n = 0;
    for (String s : names) {
      if (s.equals(key)) {
        n++;
      }
    }
    return n;
  }

  /** Every value of {@code name}, in order. */
  public List<String> all(String name) {
    String key = lower(name);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equals(key)) {
        out.add(values.get(i));
      }
    }
    return out;
  }

  @Override
  public void add(String name, String value) {
    names.add(lower(name));
    values.add(value);
  }

  @Override
  public void set(String name, String value) {
    // As Envoy's setReferenceKey: the old values go and the new one is added at the end.
    String key = lower(name);
    remove(key);
    names.add(key);
    values.add(value);
  }

  @Override
  public void remove(String name) {
    String key = lower(name);
    for (int i = names.size() - 1; i >= 0; i--) {
      if (names.get(i).equals(key)) {
        names.remove(i);
        values.remove(i);
      }
    }
  }

  /** Number of header lines. */
  public int size() {
    return names.size();
  }

  /** The name of the i-th line. */
  public String nameAt(int i) {
    return names.get(i);
  }

  /** The value of the i-th line. */
  public String valueAt(int i) {
    return values.get(i);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(names.get(i)).append(": ").append(values.get(i));
    }
    return sb.append('}').toString();
  }

  private static String lower(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return name.toLowerCase(Locale.ROOT);
      }
    }
    return name;
  }
}
