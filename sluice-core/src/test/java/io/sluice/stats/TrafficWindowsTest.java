package io.sluice.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TrafficWindowsTest {
  private final AtomicLong clock = new AtomicLong();
  private final TrafficWindows windows = new TrafficWindows(Duration.ofSeconds(10), clock::get);

  @Test
  void theWindowMustBeBetweenTenSecondsAndTenMinutes() {
    assertThatThrownBy(() -> new TrafficWindows(Duration.ofSeconds(9), clock::get))
        .hasMessage("the window must be between 10s and 10m, got 9s");
    assertThatThrownBy(() -> new TrafficWindows(Duration.ofSeconds(601), clock::get))
        .hasMessage("the window must be between 10s and 10m, got 601s");
    new TrafficWindows(Duration.ofMinutes(10), clock::get);
  }

  @Test
  void windowsAreKeptByRouteAndBackendName() {
    assertThat(windows.backend("r", "a")).isSameAs(windows.backend("r", "a"));
    assertThat(windows.backend("r", "a")).isNotSameAs(windows.backend("r", "b"));
    assertThat(windows.route("r")).isNotSameAs(windows.backend("r", "a"));
  }

  /** A window created late shares the origin: its buckets and covered time match its route's. */
  @Test
  void windowsCreatedLaterCoverTheSameTime() {
    clock.set(Duration.ofSeconds(3).toNanos());
    windows.route("r").record(clock.get(), 200, false, 1, 0, 0);
    clock.set(Duration.ofSeconds(7).toNanos());
    windows.backend("r", "late").record(clock.get(), 200, false, 1, 0, 0);
    WindowSnapshot route = windows.snapshot("r", null, Duration.ofSeconds(10));
    WindowSnapshot late = windows.snapshot("r", "late", Duration.ofSeconds(10));
    assertThat(late.seconds()).isEqualTo(route.seconds()).isEqualTo(7.0);
  }

  @Test
  void aRowWithoutAWindowIsEmptyOverTheTimeCovered() {
    clock.set(Duration.ofSeconds(4).toNanos());
    WindowSnapshot s = windows.snapshot("r", "never", Duration.ofSeconds(10));
    assertThat(s.requests()).isZero();
    assertThat(s.seconds()).isEqualTo(4.0);
    assertThat(windows.rows()).isEmpty();
  }

  @Test
  void pruneForgetsRejectedRowsOnceTheirTrafficRolledOff() {
    windows.backend("old", "a").record(clock.get(), 200, false, 1, 0, 0);
    windows.backend("kept", "a");
    windows.prune(r -> r.route().equals("kept"));
    assertThat(windows.rows()).extracting(TrafficWindows.Row::route).containsExactlyInAnyOrder("old", "kept");

    clock.addAndGet(Duration.ofSeconds(11).toNanos());
    windows.prune(r -> r.route().equals("kept"));
    assertThat(windows.rows()).extracting(TrafficWindows.Row::route).containsExactly("kept");
  }
}
