package io.sluice.tools;

/** Receives a running load's reports, on the load's reporting thread, one at a time. */
public interface LoadListener {
  /** One interval's report; the last one may be shorter than the interval. */
  void interval(LoadReport report);

  /** The whole run's report, once every answer is in. Nothing follows. */
  default void finished(LoadReport summary) {}
}
