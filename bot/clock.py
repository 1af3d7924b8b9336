"""The one clock the bot reads: real time in production, a set or running-from-a-start time in tests and demos."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, always timezone-aware."""


def require_aware(dt: datetime, what: str = "the clock") -> datetime:
    """`dt` itself when it is timezone-aware; ValueError naming `what` when it is naive."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{what} needs an aware datetime, got naive {dt.isoformat()}")
    return dt


def unix(dt: datetime) -> int:
    """Whole seconds since the epoch of an aware instant (what Discord timestamps take)."""
    return int(require_aware(dt, "a timestamp").timestamp())


def shift(dt: datetime, delta: timedelta) -> datetime:
    """`dt` moved by `delta` of elapsed time, written in `dt`'s own zone.

    Python adds a timedelta to an aware datetime on the wall clock: 01:30 + 1 h on a spring-forward night in
    New York gives 02:30, a time that never happens, and a 60-minute reminder before 03:00 comes 0 minutes
    early. Every duration in the bot (lead times, lengths, the running clock) goes through here instead.
    """
    zone = require_aware(dt, "shift()").tzinfo
    return (dt.astimezone(UTC) + delta).astimezone(zone)


def elapsed(start: datetime, end: datetime) -> timedelta:
    """The real time from `start` to `end` (both aware), whatever daylight saving does between them."""
    return require_aware(end, "elapsed()").astimezone(UTC) - require_aware(start, "elapsed()").astimezone(UTC)


class SystemClock:
    """Wall-clock time in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until told otherwise: what tests use."""

    def __init__(self, start: datetime):
        self._now = require_aware(start)

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = require_aware(when)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self._now = shift(self._now, delta if delta is not None else timedelta(**kwargs))
        return self._now


class RunningClock:
    """Starts at a chosen instant and runs on, optionally faster than real time (`--now`, `--speed`)."""

    def __init__(self, start: datetime, speed: float = 1.0):
        if speed <= 0:
            raise ValueError("clock speed must be positive")
        self._start = require_aware(start)
        self._t0 = time.monotonic()
        self.speed = speed

    def now(self) -> datetime:
        return shift(self._start, timedelta(seconds=(time.monotonic() - self._t0) * self.speed))


def wall_time(clock: Clock, when: datetime) -> datetime:
    """The real instant at which `clock` will read `when`: what a scheduler working in real time must wait for."""
    if isinstance(clock, RunningClock):
        return datetime.now(UTC) + elapsed(clock.now(), when) / clock.speed
    return when
