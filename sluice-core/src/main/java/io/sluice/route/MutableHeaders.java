package io.sluice.route;

/** A header block that route decisions can change: what header mutations and rewrites act on. */
public interface MutableHeaders extends Headers {

  /** Adds one more value for {@code name}, after any existing ones. */
  void add(String lowerCaseName, String value);

  /** Replaces every value of {@code name} with {@code value}. */
  void set(String lowerCaseName, String value);

  /** Removes every value of {@code name}. */
  void remove(String lowerCaseName);
}
