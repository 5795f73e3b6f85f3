package io.sluice.route;

/**
 * Read access to a header block by lower-case name. Pseudo-headers ({@code :authority}, {@code
 * :path}, {@code :method}, {@code :scheme}, {@code :status}) are headers like any other, as in
 * Envoy's header maps.
 */
public interface Headers {

  /**
   * Every value of the header joined with {@code ","} (Envoy's rule for matching a repeated
   * header), or null when the header is absent.
   */
  String get(String lowerCaseName);

  /** The first value of the header, or null when absent. */
  String first(String lowerCaseName);

  /** How many values the header has; 0 when absent. */
  int count(String lowerCaseName);

  /** Whether the header is present. */
  default boolean contains(String lowerCaseName) {
    return count(lowerCaseName) > 0;
  }
}
