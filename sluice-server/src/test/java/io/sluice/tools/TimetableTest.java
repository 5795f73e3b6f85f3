package io.sluice.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The load's timetable: exact intended times, what is due when, and where a total or a deadline ends it. */
class TimetableTest {
  private static final long S = 1_000_000_000L;

  @Test
  void requestIIsIntendedAtIOverQpsSecondsAfterTheStart() {
    Timetable t = new Timetable(1_000, 10, 0, 0);
    assertThat(t.intended(0)).isEqualTo(1_000);
    assertThat(t.intended(1)).isEqualTo(1_000 + S / 10);
    assertThat(t.intended(25)).isEqualTo(1_000 + 25 * S / 10);
    assertThat(t.limit()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void roundingDoesNotAccumulate() {
    Timetable t = new Timetable(0, 3, 0, 0);
    assertThat(t.intended(3_000_000)).isEqualTo(1_000_000 * S);
    assertThat(t.intended(1)).isEqualTo(333_333_333);
    assertThat(t.intended(2)).isEqualTo(666_666_666);
  }

  @Test
  void dueByCountsTheRequestsIntendedAtOrBeforeNow() {
    Timetable t = new Timetable(100, 10, 0, 0);
    assertThat(t.dueBy(99)).isZero();
    assertThat(t.dueBy(100)).isEqualTo(1);
    assertThat(t.dueBy(100 + S / 10 - 1)).isEqualTo(1);
    assertThat(t.dueBy(100 + S / 10)).isEqualTo(2);
    assertThat(t.dueBy(100 + 10 * S)).isEqualTo(101);
    assertThat(t.dueBetween(100 + S, 100 + 2 * S)).as("one second's goal").isEqualTo(10);
  }

  @Test
  void aTotalOrADeadlineEndsTheTimetable() {
    assertThat(new Timetable(0, 10, 25, 0).limit()).isEqualTo(25);
    assertThat(new Timetable(0, 10, 25, 0).dueBy(100 * S)).isEqualTo(25);
    // Requests at 0, 0.1, ..., 1.9 s are before a 2 s deadline; the one at 2.0 s is not.
    assertThat(new Timetable(0, 10, 0, 2 * S).limit()).isEqualTo(20);
    assertThat(new Timetable(0, 10, 0, 2 * S + 1).limit()).isEqualTo(21);
    assertThat(new Timetable(0, 10, 5, 2 * S).limit()).as("whichever comes first").isEqualTo(5);
    assertThat(new Timetable(0, 0.5, 0, 10 * S).limit()).as("slower than 1/s").isEqualTo(5);
  }
}
