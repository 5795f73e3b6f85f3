package io.sluice.cluster;

import io.sluice.stats.StatsRegistry;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Owns the clusters: builds them from their specs, resolves {@code STRICT_DNS} and {@code
 * LOGICAL_DNS} names on its own thread (never on an event loop) every {@code dns_refresh_rate},
 * and on a configuration change keeps every cluster whose spec did not change (with its
 * connections, counters and ejections) while retiring the others.
 */
public final class ClusterManager implements AutoCloseable {

  /** Resolves a host name; the JDK's resolver in production, a fixed table in tests. */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JDK resolver. */
    static Resolver system() {
      return host -> List.of(InetAddress.getAllByName(host));
    }
  }

  private final Resolver resolver;
  private final LongSupplier clock;
  private final StatsRegistry stats;
  private final Consumer<String> log;
  private final ScheduledExecutorService dns;
  private final Map<String, ScheduledFuture<?>> refreshes = new HashMap<>();
  private volatile Map<String, UpstreamCluster> clusters = Map.of();

  /**
   * @param log where resolution problems are reported (one line each)
   * @param stats where each cluster's statistics are kept
   */
  public ClusterManager(Resolver resolver, LongSupplier clock, Consumer<String> log, StatsRegistry stats) {
    this.resolver = resolver;
    this.clock = clock;
    this.stats = stats;
    this.log = log;
    this.dns =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sluice-dns");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Makes {@code specs} the clusters, keeping unchanged ones, and returns the new set by name. DNS
   * names are resolved before this returns (a name that does not resolve leaves its cluster without
   * endpoints until a refresh succeeds, as in Envoy).
   */
  public synchronized Map<String, UpstreamCluster> apply(List<ClusterSpec> specs) {
    Map<String, UpstreamCluster> next = new LinkedHashMap<>();
    Map<String, UpstreamCluster> old = clusters;
    for (ClusterSpec spec : specs) {
      UpstreamCluster existing = old.get(spec.name());
      if (existing != null && existing.spec().equals(spec)) {
        next.put(spec.name(), existing);
        continue;
      }
      UpstreamCluster created = new UpstreamCluster(spec, resolve(spec, List.of()), clock, stats.cluster(spec.name()));
      created.registerGauges();
      next.put(spec.name(), created);
      ScheduledFuture<?> previous = refreshes.remove(spec.name());
      if (previous != null) {
        previous.cancel(false);
      }
      if (spec.usesDns()) {
        long every = Math.max(1, spec.dnsRefreshRate().toMillis());
        refreshes.put(
            spec.name(),
            dns.scheduleWithFixedDelay(() -> refresh(created), every, every, TimeUnit.MILLISECONDS));
      }
    }
    for (Map.Entry<String, UpstreamCluster> e : old.entrySet()) {
      if (next.get(e.getKey()) != e.getValue()) {
        e.getValue().retire();
        if (!next.containsKey(e.getKey())) {
          ScheduledFuture<?> f = refreshes.remove(e.getKey());
          if (f != null) {
            f.cancel(false);
          }
        }
      }
    }
    clusters = Collections.unmodifiableMap(next);
    return clusters;
  }

  /** The clusters by name. */
  public Map<String, UpstreamCluster> clusters() {
    return clusters;
  }

  private void refresh(UpstreamCluster cluster) {
    if (cluster.retired()) {
      return;
    }
    try {
      List<UpstreamEndpoint> now = resolve(cluster.spec(), cluster.endpoints());
      if (!sameAddresses(now, cluster.endpoints())) {
        cluster.updateEndpoints(now);
      }
    } catch (RuntimeException e) {
      log.accept("cluster " + cluster.name() + ": DNS refresh failed: " + e);
    }
  }

  /**
   * The endpoints of a spec: the literal addresses of a {@code STATIC} cluster, every address of a
   * {@code STRICT_DNS} name, the first address of a {@code LOGICAL_DNS} name. Endpoints already in
   * {@code current} with the same address are kept, with their state.
   */
  List<UpstreamEndpoint> resolve(ClusterSpec spec, List<UpstreamEndpoint> current) {
    Map<InetSocketAddress, UpstreamEndpoint> existing = new HashMap<>();
    for (UpstreamEndpoint e : current) {
      existing.put(e.address(), e);
    }
    List<UpstreamEndpoint> out = new ArrayList<>();
    for (Endpoint endpoint : spec.endpoints()) {
      List<InetAddress> addresses;
      try {
        addresses = addresses(spec, endpoint.address());
      } catch (UnknownHostException e) {
        log.accept("cluster " + spec.name() + ": cannot resolve " + endpoint.address() + ": " + e.getMessage());
        continue;
      }
      if (spec.type() == DiscoveryType.LOGICAL_DNS && addresses.size() > 1) {
        addresses = addresses.subList(0, 1);
      }
      String hostname =
          endpoint.hostname() != null ? endpoint.hostname() : (spec.usesDns() ? endpoint.address() : null);
      for (InetAddress a : addresses) {
        InetSocketAddress sa = new InetSocketAddress(a, endpoint.port());
        UpstreamEndpoint kept = existing.get(sa);
        out.add(kept != null ? kept : new UpstreamEndpoint(sa, hostname, endpoint.loadBalancingWeight()));
      }
    }
    return out;
  }

  private List<InetAddress> addresses(ClusterSpec spec, String host) throws UnknownHostException {
    if (spec.type() == DiscoveryType.STATIC) {
      // An IP literal (validated when read): no lookup happens.
      return List.of(InetAddress.getByName(host));
    }
    List<InetAddress> all = resolver.resolve(host);
    List<InetAddress> v4 = new ArrayList<>();
    List<InetAddress> v6 = new ArrayList<>();
    for (InetAddress a : all) {
      (a instanceof Inet6Address ? v6 : v4).add(a);
    }
    List<InetAddress> chosen =
        switch (spec.dnsLookupFamily()) {
          case V4_ONLY -> v4;
          case V6_ONLY -> v6;
          case V4_PREFERRED -> v4.isEmpty() ? v6 : v4;
          case AUTO -> v6.isEmpty() ? v4 : v6;
          case ALL -> all;
        };
    if (chosen.isEmpty()) {
      throw new UnknownHostException(host + " has no " + spec.dnsLookupFamily() + " address");
    }
    return chosen;
  }

  private static boolean sameAddresses(List<UpstreamEndpoint> a, List<UpstreamEndpoint> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public synchronized void close() {
    dns.shutdownNow();
    for (UpstreamCluster c : clusters.values()) {
      c.retire();
    }
  }

}
