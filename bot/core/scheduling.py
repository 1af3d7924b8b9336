"""The scheduler port: run a coroutine at an instant of the bot's clock, or every few minutes; APScheduler behind it.

Nothing due lives only in the scheduler: it merely says "look now", and what is due is read from the
database. `Jobs` adapts APScheduler (3.x) to the port, in one place: the real instant at which a sped-up
clock reaches a time, and APScheduler's options for jobs that must run once even if late.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Protocol

from bot.clock import Clock, RunningClock, wall_time

__all__ = ["APSchedulerLike", "Jobs", "Scheduler", "clock_speed"]

JobFunc = Callable[..., Awaitable[None]]


def clock_speed(clock: Clock) -> float:
    """How many seconds the bot's clock moves in a second of real time (a sped-up demo clock: more than one)."""
    return clock.speed if isinstance(clock, RunningClock) else 1.0


class Scheduler(Protocol):
    """Named jobs that wake the bot up; adding a job replaces the one of the same name."""

    def at(self, job_id: str, when: datetime, func: JobFunc, *args: object, replace: bool = True) -> None:
        """Run `func(*args)` once, when the bot's clock reads `when` (at once if that has passed).

        `replace=False` promises no job of that name exists (saves a look-up when adding thousands)."""
        ...

    def every(self, job_id: str, minutes: float, func: JobFunc) -> None:
        """Run `func()` every `minutes`, unless a job of that name is already there."""
        ...

    def cancel(self, job_id: str) -> None:
        """Forget a job; nothing happens if it already ran or never existed."""
        ...


class APSchedulerLike(Protocol):
    """The part of APScheduler 3's scheduler that `Jobs` uses."""

    def add_job(self, func: Callable[..., Any], trigger: str, **kwargs: Any) -> Any: ...
    def get_job(self, job_id: str) -> Any: ...
    def remove_job(self, job_id: str) -> None: ...


class Jobs:
    """The Scheduler port over an APScheduler scheduler."""

    def __init__(self, scheduler: APSchedulerLike, clock: Clock):
        self.scheduler = scheduler
        self.clock = clock

    def at(self, job_id: str, when: datetime, func: JobFunc, *args: object, replace: bool = True) -> None:
        if replace:  # replace_existing only takes effect once the scheduler runs: remove the old job first
            self.cancel(job_id)
        self.scheduler.add_job(
            func,
            "date",
            run_date=wall_time(self.clock, when),
            args=list(args),
            id=job_id,
            replace_existing=True,
            misfire_grace_time=None,  # late is better than never: the job only says "look now"
            coalesce=True,
        )

    def every(self, job_id: str, minutes: float, func: JobFunc) -> None:
        if self.scheduler.get_job(job_id) is not None:
            return
        self.scheduler.add_job(
            func,
            "interval",
            minutes=minutes,
            id=job_id,
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=None,
        )

    def cancel(self, job_id: str) -> None:
        with contextlib.suppress(LookupError):  # APScheduler's JobLookupError: already run, or never added
            self.scheduler.remove_job(job_id)
