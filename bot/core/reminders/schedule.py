"""Scheduler glue for reminders: the scheduler's jobs kept matching the plan, and the housekeeping jobs.

The scheduler holds one job per (session, lead time) due within the next hours, at the moment its sending
begins (its fan-out's window before it is due), each merely saying "look now"; a horizon job brings in the
next hours' jobs, a heartbeat notes in the database that the bot is
running (so a restart knows how long it was down), a retry job resends what a transient error left
pending, and a catch-up job reminds at once someone who starred a session whose reminder time had passed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Iterable
from datetime import datetime, timedelta

from bot.clock import Clock, elapsed, shift
from bot.core.reminders.planning import PlannedJob
from bot.core.scheduling import Scheduler

__all__ = ["HEARTBEAT_MINUTES", "SCHEDULER_HORIZON", "ReminderSchedule"]

log = logging.getLogger(__name__)

HEARTBEAT_MINUTES = 1  # how often the bot notes in the database that it is running
# The scheduler holds the jobs due this soon: a 3-day programme's 17,000 jobs took 1.3 s to add at every
# start and replan; a few hundred take milliseconds.
SCHEDULER_HORIZON = timedelta(hours=6)
EARLY = timedelta(seconds=1)  # a job that fires this much before its time was fired by a clock set by hand

RETRY, CATCH_UP, HORIZON, HEARTBEAT = "reminder-retry", "reminder-catchup", "reminder-horizon", "reminder-heartbeat"


class ReminderSchedule:
    """The reminder service's jobs in the scheduler; every handler logs its own failure and never raises."""

    def __init__(
        self,
        scheduler: Scheduler,
        clock: Clock,
        *,
        run: Callable[[datetime], Awaitable[object]],
        catch_up: Callable[[], Awaitable[object]],
        heartbeat: Callable[[], Awaitable[None]],
        refill: Callable[[], None],
    ):
        self.scheduler = scheduler
        self.clock = clock
        self._run = run  # send what is due at an instant, apologising for late ones
        self._catch_up = catch_up  # send what is due now, without an apology
        self._heartbeat = heartbeat
        self._refill = refill  # re-plan from the clock's now
        self._scheduled: dict[str, datetime] = {}  # job id -> start_at, as last given to the scheduler

    def __len__(self) -> int:
        return len(self._scheduled)

    def sync(self, now: datetime, planned: Iterable[PlannedJob], done: Collection[PlannedJob], started: bool) -> None:
        """Make the scheduler's jobs match the plan: add, move and remove only what differs."""
        wanted: dict[str, PlannedJob] = {}
        overdue = False
        horizon = shift(now, SCHEDULER_HORIZON)
        for job in planned:
            if job.start_at > horizon:
                continue  # the scheduler holds only the next hours; the horizon job brings in the rest
            if job.start_at > now:
                wanted[job.job_id] = job
            elif job not in done:
                overdue = True
        for job_id in [j for j in self._scheduled if j not in wanted]:
            self.scheduler.cancel(job_id)
            del self._scheduled[job_id]
        for job_id, job in wanted.items():
            if self._scheduled.get(job_id) != job.start_at:
                self.scheduler.at(job_id, job.start_at, self._fire, job.start_at, replace=job_id in self._scheduled)
                self._scheduled[job_id] = job.start_at
        self.scheduler.every(HEARTBEAT, HEARTBEAT_MINUTES, self._beat)
        refill = shift(now, SCHEDULER_HORIZON / 2)
        self.scheduler.at(HORIZON, refill, self._fire_horizon, refill)
        if overdue and started:
            # Someone starred a session whose reminder has begun going out: remind them now, without an apology.
            self.scheduler.at(CATCH_UP, now, self._fire_catch_up)

    def retry_at(self, when: datetime) -> None:
        self.scheduler.at(RETRY, when, self._fire_retry)

    def clear(self) -> None:
        """Forget every job; what is due stays in the database."""
        for job_id in [*self._scheduled, RETRY, CATCH_UP, HORIZON, HEARTBEAT]:
            self.scheduler.cancel(job_id)
        self._scheduled.clear()

    # ------------------------------------------------------------ what the jobs run

    async def _fire(self, start_at: datetime) -> None:
        now = self.clock.now()
        if elapsed(now, start_at) > EARLY:
            # Fired long before the clock reaches it: a clock set by hand (tests), not running.
            # Sending now would be early; whoever moves that clock calls run_due.
            return
        try:
            await self._run(max(now, start_at))
        except Exception:
            log.exception("reminder run failed")

    async def _beat(self) -> None:
        try:
            await self._heartbeat()
        except Exception:
            log.exception("heartbeat failed")

    async def _fire_horizon(self, planned_for: datetime) -> None:
        if elapsed(self.clock.now(), planned_for) > EARLY:
            return  # a hand-set clock that has not got there: whoever moves it calls replan
        try:
            self._refill()
        except Exception:
            log.exception("reminder horizon refill failed")

    async def _fire_retry(self) -> None:
        try:
            await self._run(self.clock.now())
        except Exception:
            log.exception("reminder retry failed")

    async def _fire_catch_up(self) -> None:
        try:
            await self._catch_up()
        except Exception:
            log.exception("reminder catch-up failed")
