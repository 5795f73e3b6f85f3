package io.sluice.proxy;

/** Envoy's access-log response flags, the short codes operators grep for. */
final class ResponseFlags {
  static final String NO_ROUTE = "NR";
  static final String NO_CLUSTER = "NC";
  static final String NO_HEALTHY_UPSTREAM = "UH";
  static final String UPSTREAM_CONNECTION_FAILURE = "UF";
  static final String UPSTREAM_CONNECTION_TERMINATION = "UC";
  static final String UPSTREAM_REQUEST_TIMEOUT = "UT";
  static final String UPSTREAM_OVERFLOW = "UO";
  static final String UPSTREAM_RETRY_LIMIT_EXCEEDED = "URX";
  static final String DOWNSTREAM_CONNECTION_TERMINATION = "DC";
  static final String DOWNSTREAM_PROTOCOL_ERROR = "DPE";
  static final String UPSTREAM_PROTOCOL_ERROR = "UPE";
  static final String LOCAL_RESET = "LR";

  private ResponseFlags() {}
}
