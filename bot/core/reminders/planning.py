"""What is due when: one reminder job per starred session and lead time in use, from the catalog and the stars."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import NamedTuple

from bot.core.programme import Catalog

__all__ = ["JOB_PREFIX", "Demand", "PlannedJob", "due_jobs", "plan"]

JOB_PREFIX = "reminder:"

# Each starred session's distinct lead times in minutes (users' own, or the default): storage.reminder_demand.
Demand = Mapping[str, frozenset[int]]


class PlannedJob(NamedTuple):
    """One reminder job: a session's reminder for everyone who wants it `lead_minutes` before."""

    session_id: str
    lead_minutes: int
    due_at: datetime

    @property
    def job_id(self) -> str:
        return f"{JOB_PREFIX}{self.session_id}:{self.lead_minutes}"


def _order(job: PlannedJob) -> tuple[datetime, str, int]:
    return (job.due_at, job.session_id, job.lead_minutes)


def plan(catalog: Catalog, demand: Demand, now: datetime) -> list[PlannedJob]:
    """One job per (session not yet started, lead time in use among its stargazers), earliest first."""
    jobs = [
        PlannedJob(session.id, lead, session.start - timedelta(minutes=lead))
        for session in catalog.scheduled
        if session.start > now and not session.service  # already started, or a break: nothing to remind of
        for lead in demand.get(session.id, ())
    ]
    jobs.sort(key=_order)
    return jobs


def due_jobs(catalog: Catalog, demand: Demand, now: datetime) -> list[PlannedJob]:
    """The planned jobs due by `now`: only sessions starting within the longest lead time are looked at."""
    longest = timedelta(minutes=max((max(leads) for leads in demand.values() if leads), default=0))
    jobs = []
    for session in catalog.starting_from(now):
        if session.start - longest > now:
            break
        if session.start <= now or session.service:
            continue
        for lead in demand.get(session.id, ()):
            due = session.start - timedelta(minutes=lead)
            if due <= now:
                jobs.append(PlannedJob(session.id, lead, due))
    jobs.sort(key=_order)
    return jobs
