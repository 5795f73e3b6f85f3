package io.sluice.resource;

import java.util.List;

/**
 * The validated {@code spec} of an SMI TrafficSplit.
 *
 * @param service the root Service clients address, as written ({@code bb} or {@code bb.ns...})
 * @param backends the Services the root's traffic is split over; weights are relative (v1alpha1
 *     Quantities are in thousandths, so {@code 900m} is 900 and {@code 1} is 1000)
 * @param matches the names of the HTTPRouteGroups whose matches are split (v1alpha3+); empty:
 *     every request
 */
record TrafficSplitSpec(String service, List<Backend> backends, List<String> matches) {
  TrafficSplitSpec {
    backends = List.copyOf(backends);
    matches = List.copyOf(matches);
  }

  /** A backend Service and its weight. */
  record Backend(String service, long weight) {}
}
