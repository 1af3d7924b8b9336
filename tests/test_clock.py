"""The clock and time arithmetic: durations are elapsed time, across daylight saving too."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock, RunningClock, elapsed, shift, wall_time

NEW_YORK = ZoneInfo("America/New_York")


def test_an_hour_before_three_on_spring_forward_night_is_one_real_hour():
    """A 60-minute lead before 03:00 on 2024-03-10 in New York is 01:00 EST, one real hour earlier."""
    start = datetime(2024, 3, 10, 3, 0, tzinfo=NEW_YORK)
    due = shift(start, -timedelta(minutes=60))
    assert elapsed(due, start) == timedelta(hours=1)
    assert (due.hour, due.minute, due.utcoffset()) == (1, 0, timedelta(hours=-5))


def test_an_hour_before_two_on_fall_back_night_is_one_real_hour():
    """A 60-minute lead before 02:00 on 2023-11-05 in New York lands on the second 01:00 (EST), one real hour."""
    start = datetime(2023, 11, 5, 2, 0, tzinfo=NEW_YORK)
    due = shift(start, -timedelta(minutes=60))
    assert elapsed(due, start) == timedelta(hours=1)
    assert (due.hour, due.utcoffset()) == (1, timedelta(hours=-5))


def test_fixed_clock_advances_in_real_time_across_spring_forward():
    """Advancing a set clock by 30 minutes from 01:45 EST reads 03:15 EDT, not the missing 02:15."""
    clock = FixedClock(datetime(2024, 3, 10, 1, 45, tzinfo=NEW_YORK))
    clock.advance(minutes=30)
    assert clock.now().astimezone(UTC) == datetime(2024, 3, 10, 7, 15, tzinfo=UTC)
    assert clock.now().hour == 3


def test_running_clock_never_jumps_back_across_spring_forward(monkeypatch):
    """The console's sped-up clock keeps moving forward through 02:00 on spring-forward night."""
    ticks = iter([0.0, 0.0, 30.0, 60.0, 90.0])
    monkeypatch.setattr("bot.clock.time.monotonic", lambda: next(ticks))
    clock = RunningClock(datetime(2024, 3, 10, 1, 30, tzinfo=NEW_YORK), speed=60)  # a minute a second
    readings = [clock.now() for _ in range(4)]
    assert [elapsed(a, b) for a, b in itertools.pairwise(readings)] == [timedelta(minutes=30)] * 3
    assert readings[3].astimezone(UTC) == datetime(2024, 3, 10, 8, 0, tzinfo=UTC)
    assert (readings[3].hour, readings[3].minute) == (4, 0)  # 04:00 EDT, ninety real minutes after 01:30 EST


def test_wall_time_waits_the_real_interval_across_daylight_saving(monkeypatch):
    """A scheduler waiting on a running clock for a moment past spring-forward waits the real interval."""
    monkeypatch.setattr("bot.clock.time.monotonic", lambda: 0.0)
    clock = RunningClock(datetime(2024, 3, 10, 1, 30, tzinfo=NEW_YORK), speed=1)
    target = datetime(2024, 3, 10, 3, 30, tzinfo=NEW_YORK)  # one real hour later
    waited = wall_time(clock, target) - datetime.now(UTC)
    assert timedelta(minutes=59) < waited <= timedelta(hours=1)


def test_naive_datetimes_are_refused():
    """A naive datetime is a bug: shift and elapsed say so instead of guessing a zone."""
    with pytest.raises(ValueError):
        shift(datetime(2024, 1, 1), timedelta(1))
    with pytest.raises(ValueError):
        elapsed(datetime(2024, 1, 1), datetime(2024, 1, 2, tzinfo=UTC))
