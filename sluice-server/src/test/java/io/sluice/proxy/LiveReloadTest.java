package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.Await;
import io.sluice.testing.BootstrapYaml;
import io.sluice.testing.HttpConnection;
import io.sluice.testing.NamedBackend;
import io.sluice.testing.RunningProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live change without loss: steady keep-alive load through the proxy while its configuration file
 * is reloaded 100 times and its runtime changed 100 times. No request may fail, and every response
 * must come from a cluster that some configuration in effect while the request was outstanding
 * allows.
 *
 * <p>How "allowed" is decided. Each (configuration variant, runtime phase) pair allows a known set
 * of backends (see {@link #allowed}); the variants are chosen so that most pairs allow exactly one
 * backend and consecutive pairs allow different ones. The changer records every change as an era:
 * for a runtime change, an era may be in effect from just before the admin POST is sent, and the
 * previous one until the POST answered 200; for a file change, from the last moment the changer,
 * polling the published state, still saw the old one, and the previous one until it saw the new
 * one. A request is routed somewhere between the moment its
 * client sent it and the moment the client read the response, so its response is correct when its
 * backend is allowed by at least one era overlapping that window. Windows are short and the
 * changer waits for a few rounds of traffic after each change, so most windows overlap one era,
 * which makes the check tight (asserted below, so a checker that accepts everything fails).
 */
class LiveReloadTest {
  private static final int CLIENTS = 6;
  private static final int RELOADS = 100;
  private static final int MIN_REQUESTS = 3000;

  /** Runtime phases: none set yet, then alternating P0 and P1. */
  private static final int NONE = 0;
  private static final int P0 = 1;
  private static final int P1 = 2;

  @TempDir Path dir;

  /**
   * Variant 0: split a/b by runtime (config weights 0/100); 1: runtime_fraction "shift" to c, else
   * d; 2: split a/b by static weights 100/0; 3: everything to c. Each variant defines only the
   * clusters it names, so every reload also removes clusters that requests in flight may be using.
   */
  private static String variant(int v, Map<String, NamedBackend> b) {
    return switch (v) {
      case 0 -> new BootstrapYaml().routes("""
          - match: {prefix: /}
            route:
              weighted_clusters:
                runtime_key_prefix: split
                clusters: [{name: a, weight: 0}, {name: b, weight: 100}]
          """).cluster(b.get("a")).cluster(b.get("b")).toString();
      case 1 -> new BootstrapYaml().routes("""
          - match:
              prefix: /
              runtime_fraction: {default_value: {numerator: 50, denominator: HUNDRED}, runtime_key: shift}
            route: {cluster: c}
          - match: {prefix: /}
            route: {cluster: d}
          """).cluster(b.get("c")).cluster(b.get("d")).toString();
      case 2 -> new BootstrapYaml().routes("""
          - match: {prefix: /}
            route:
              weighted_clusters:
                clusters: [{name: a, weight: 100}, {name: b, weight: 0}]
          """).cluster(b.get("a")).cluster(b.get("b")).toString();
      default -> new BootstrapYaml().routes("- {match: {prefix: /}, route: {cluster: c}}").cluster(b.get("c")).toString();
    };
  }

  /** The backends a variant sends traffic to in a runtime phase (P0: split.a=100 split.b=0 shift=100; P1: the opposite). */
  private static Set<String> allowed(int variant, int phase) {
    return switch (variant) {
      case 0 -> phase == P0 ? Set.of("a") : Set.of("b");
      case 1 -> phase == P0 ? Set.of("c") : phase == P1 ? Set.of("d") : Set.of("c", "d");
      case 2 -> Set.of("a");
      default -> Set.of("c");
    };
  }

  private static String runtimeChange(int phase) {
    return phase == P0 ? "/runtime_modify?split.a=100&split.b=0&shift=100" : "/runtime_modify?split.a=0&split.b=100&shift=0";
  }

  /** A (variant, phase) pair and when it may have been in effect, in System.nanoTime(). */
  private static final class Era {
    final int variant;
    final int phase;
    volatile long from;
    volatile long until = Long.MAX_VALUE;

    Era(int variant, int phase, long from) {
      this.variant = variant;
      this.phase = phase;
      this.from = from;
    }

    boolean overlaps(long start, long end) {
      return from <= end && until >= start;
    }

    @Override
    public String toString() {
      String p = phase == P0 ? "P0" : phase == P1 ? "P1" : "no overrides";
      return "variant " + variant + " with " + p + " allowing " + allowed(variant, phase);
    }
  }

  /** One response as its client saw it. */
  private record Exchange(long sent, long received, int status, String backend, String path) {}

  @Test
  void noRequestFailsAndEveryResponseComesFromAnAllowedClusterWhileTheConfigChanges() throws Exception {
    Map<String, NamedBackend> backends = new TreeMap<>();
    for (String name : List.of("a", "b", "c", "d")) {
      backends.put(name, new NamedBackend(name));
    }
    List<Era> eras = Collections.synchronizedList(new ArrayList<>());
    ConcurrentLinkedQueue<Exchange> exchanges = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger completed = new AtomicInteger();
    AtomicBoolean changesDone = new AtomicBoolean();
    List<Thread> clients = new ArrayList<>();
    eras.add(new Era(0, NONE, Long.MIN_VALUE));
    try (RunningProxy p = RunningProxy.start(dir, variant(0, backends), null, null, Duration.ofMillis(10))) {
      int port = p.port();
      for (int i = 0; i < CLIENTS; i++) {
        int id = i;
        Thread t = new Thread(() -> {
          HttpConnection c = null;
          try {
            c = new HttpConnection(port);
            for (int n = 0; !changesDone.get() || completed.get() < MIN_REQUESTS; n++) {
              // Some slow requests, so that responses are in flight across changes and removed clusters.
              String path = n % 20 == id ? "/delay/15" : "/";
              String tag = id + "-" + n;
              long sent = System.nanoTime();
              try {
                HttpConnection.Response r = c.get(path, "x-tag: " + tag);
                exchanges.add(new Exchange(sent, System.nanoTime(), r.status(), r.header("x-backend"), path + " " + tag));
                if (r.status() != 200) {
                  failures.add("client " + id + ": " + path + " answered " + r.status() + " " + r.headers() + " " + r.body());
                } else if (!tag.equals(r.header("x-tag"))) {
                  failures.add("client " + id + ": " + path + " " + tag + " got the answer to " + r.header("x-tag"));
                }
              } catch (IOException e) {
                failures.add("client " + id + ": " + path + " failed: " + e);
                c.close();
                c = new HttpConnection(port);
              }
              completed.incrementAndGet();
            }
          } catch (IOException e) {
            failures.add("client " + id + ": cannot connect: " + e);
          } finally {
            if (c != null) {
              try {
                c.close();
              } catch (IOException ignored) {
                // closing
              }
            }
          }
        }, "load-" + i);
        t.start();
        clients.add(t);
      }

      try {
        int variant = 0;
        int phase = NONE;
        Path tmp = dir.resolve(".envoy.yaml.tmp");
        for (int i = 1; i <= RELOADS && failures.isEmpty(); i++) {
          // A configuration change, written as editors and ConfigMaps do: a new file renamed into place.
          variant = i % 4;
          Era next = new Era(variant, phase, System.nanoTime());
          eras.add(next);
          long beforeAt = System.nanoTime();
          DataPlaneState before = p.proxy.state();
          Files.writeString(tmp, variant(variant, backends));
          Files.move(tmp, p.configFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          awaitSwitch(p.proxy, before, beforeAt, eras.get(eras.size() - 2), next);
          int reloads = i;
          Await.until("reload " + i, () -> p.watcher.applied() == reloads || p.watcher.rejected() > 0);
          assertThat(p.watcher.rejected()).isZero();
          awaitTraffic(completed);

          // A runtime change through the admin interface.
          phase = i % 2 == 1 ? P0 : P1;
          eras.add(new Era(variant, phase, System.nanoTime()));
          assertThat(p.adminPost(runtimeChange(phase)).statusCode()).isEqualTo(200);
          eras.get(eras.size() - 2).until = System.nanoTime();
          awaitTraffic(completed);
        }
      } finally {
        changesDone.set(true);
        for (Thread t : clients) {
          t.join(30_000);
        }
      }
      assertThat(failures).as("failed requests").isEmpty();
      assertThat(p.watcher.applied()).isEqualTo(RELOADS);
      // Every client kept its one connection through every change.
      assertThat(p.proxy.openConnections()).isLessThanOrEqualTo(CLIENTS);
    } finally {
      backends.values().forEach(NamedBackend::close);
    }

    List<String> wrong = new ArrayList<>();
    int tight = 0;
    Map<String, Integer> perBackend = new TreeMap<>();
    for (Exchange e : exchanges) {
      Set<String> ok = new TreeSet<>();
      List<Era> overlapping = new ArrayList<>();
      for (Era era : eras) {
        if (era.overlaps(e.sent(), e.received())) {
          ok.addAll(allowed(era.variant, era.phase));
          overlapping.add(era);
        }
      }
      if (ok.size() == 1) {
        tight++;
      }
      perBackend.merge(String.valueOf(e.backend()), 1, Integer::sum);
      if (!ok.contains(e.backend()) && wrong.size() < 10) {
        wrong.add(e.path() + " answered by " + e.backend() + " while only " + overlapping + " were in effect");
      }
    }
    assertThat(exchanges.size()).isGreaterThanOrEqualTo(MIN_REQUESTS);
    assertThat(wrong).as("responses from a cluster no configuration in effect allowed").isEmpty();
    assertThat(perBackend).as("traffic per backend").containsOnlyKeys("a", "b", "c", "d");
    // The check constrained most responses to a single backend, so it could have caught a stale route.
    assertThat(tight).as("responses whose window allowed one backend only").isGreaterThan(exchanges.size() / 2);
  }

  /**
   * Watches the published state until the watcher replaces {@code before}, and narrows the two
   * eras to what was observed: the new one may be in effect from the last moment the old state was
   * still seen (a read that started then returned it; the first is the read of {@code before},
   * which started at {@code beforeAt}), the old one until the new state was seen. Requests read the
   * same published state when they start, so this is when routing switched.
   */
  private static void awaitSwitch(ProxyServer proxy, DataPlaneState before, long beforeAt, Era old, Era next) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    long lastOld = beforeAt;
    while (true) {
      long readAt = System.nanoTime();
      if (proxy.state() != before) {
        next.from = lastOld;
        old.until = System.nanoTime();
        return;
      }
      lastOld = readAt;
      if (readAt - deadline > 0) {
        throw new AssertionError("the configuration file was not reloaded within 10 s");
      }
      LockSupport.parkNanos(20_000);
    }
  }

  /** Waits until every client has had the chance to send a request after the change was confirmed. */
  private static void awaitTraffic(AtomicInteger completed) {
    int target = completed.get() + 3 * CLIENTS;
    Await.until("traffic after a change", () -> completed.get() >= target);
  }
}
