"""What is due when: one reminder job per starred session and lead time in use, and when its sending starts.

A reminder is due its lead time before the session starts, counted in elapsed time (`shift`), so a
60-minute reminder comes 60 minutes early across a daylight-saving change too.

Sending a reminder to thousands takes time at Discord's rate, so the fan-out of every due instant starts
early enough that its last message goes out by the instant it is due:

    window = max(requests ÷ (share × rate), posts ÷ channel_rate) + slack, at most max_early
    start  = due − window

`requests` is what every job due at that instant costs (`Need.requests`: a message per DM, one more per DM
channel not yet open, a post per few dozen mentions), `rate` the bot's budget in requests per second of
its clock, `share` the part of it reminders count on (the rest is left for announcements and room posts,
which go first). `posts` are the mention posts among them: they all go to the one reminders channel, and
Discord lets one channel take about `channel_rate` posts a second (a bucket of 5 per 5 s on
POST /channels/{id}/messages, whatever the bot's global budget), so thousands of mentions need their own
time. Instants close together are planned backwards from the latest: a fan-out's sending ends
where the next one's begins, and each keeps its own slack (slacks do not pile up). So a reminder arrives
at most its instant's window before its lead time (the margin: e.g. 10,000 DMs in open channels at 48
requests a second, 3 min 53 s; 1,000, 25 s; one, 2 s), more only when a busier instant follows within
that time, and never after it is due. A front end that sends without a budget (the console) sends each
reminder at its instant.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.clock import elapsed, shift
from bot.core.programme import Catalog
from bot.core.storage import MENTIONS_PER_POST, Need

__all__ = ["JOB_PREFIX", "Budget", "Demand", "PlannedJob", "due_jobs", "plan"]

JOB_PREFIX = "reminder:"

# Each starred session's lead times in minutes (users' own, or the default), with who wants each:
# storage.reminder_demand.
Demand = Mapping[str, Mapping[int, Need]]


@dataclass(frozen=True, slots=True)
class Budget:
    """How fast reminders can go out: the bot's rate in requests per second of its clock (None: at once)."""

    rate: float | None = None
    share: float = 0.9  # of the rate, what reminders count on; announcements and room posts take the rest first
    slack: timedelta = timedelta(seconds=2)  # for starting, claiming and the last answer
    max_early: timedelta = timedelta(minutes=15)  # no reminder starts going out more than this before it is due
    mentions_per_post: int = MENTIONS_PER_POST
    channel_rate: float | None = None  # posts a second one channel takes (None: no limit of its own)

    def sending(self, requests: int, posts: int = 0) -> timedelta:
        """How long sending `requests` takes at the reminders' share of the rate, `posts` of them in one channel."""
        if self.rate is None or requests <= 0:
            return timedelta(0)
        seconds = requests / (self.rate * self.share)
        if self.channel_rate is not None and posts > 0:
            seconds = max(seconds, posts / self.channel_rate)
        return timedelta(seconds=seconds)

    def window(self, requests: int, posts: int = 0) -> timedelta:
        """How long before its due instant a fan-out of `requests` alone must start to be done by then."""
        if self.rate is None:
            return timedelta(0)
        return min(self.max_early, self.sending(requests, posts) + self.slack)


@dataclass(frozen=True, slots=True)
class PlannedJob:
    """One reminder job: a session's reminder for everyone who wants it `lead_minutes` before.

    `begins` is when its sending begins (its due instant's fan-out window; None: when due); a job is the same
    job whatever its window, which changes as people star and DM channels are opened."""

    session_id: str
    lead_minutes: int
    due_at: datetime
    begins: datetime | None = field(default=None, compare=False)  # in UTC

    @property
    def start_at(self) -> datetime:
        """When its sending begins, in UTC (compared and scheduled in elapsed time, whatever the zones)."""
        return self.due_at.astimezone(UTC) if self.begins is None else self.begins

    @property
    def session_start(self) -> datetime:
        return shift(self.due_at, timedelta(minutes=self.lead_minutes))

    @property
    def job_id(self) -> str:
        return f"{JOB_PREFIX}{self.session_id}:{self.lead_minutes}"

    @property
    def margin(self) -> timedelta:
        """How long before it is due its sending may begin."""
        return elapsed(self.start_at, self.due_at)


def _order(job: PlannedJob) -> tuple[datetime, str, int]:
    return (job.due_at.astimezone(UTC), job.session_id, job.lead_minutes)


def plan(catalog: Catalog, demand: Demand, now: datetime, budget: Budget = Budget()) -> list[PlannedJob]:
    """One job per (session not yet started, lead time in use among its stargazers), earliest due first, each
    with the start of its fan-out."""
    now = now.astimezone(UTC)
    # By instant in UTC, where arithmetic and comparison are in elapsed time; each due time is then written
    # in its session's own zone.
    due: dict[datetime, list[tuple[str, int, Need, datetime]]] = {}
    for session in catalog.starting_from(now):
        if session.start.astimezone(UTC) <= now or session.service:
            continue  # already started, or a break: nothing to remind of
        for lead, need in demand.get(session.id, {}).items():
            written = shift(session.start, -timedelta(minutes=lead))
            due.setdefault(written.astimezone(UTC), []).append((session.id, lead, need, written))
    jobs: list[PlannedJob] = []
    next_sending: datetime | None = None
    slack = timedelta(0) if budget.rate is None else budget.slack
    for at in sorted(due, reverse=True):  # backwards: each fan-out is sent by its instant and before the next one
        requests = sum(need.requests(budget.mentions_per_post) for _, _, need, _ in due[at])
        posts = sum(need.posts(budget.mentions_per_post) for _, _, need, _ in due[at])
        end = at if next_sending is None else min(at, next_sending)
        sending = end - budget.sending(requests, posts)
        next_sending = sending
        start = max(sending - slack, at - budget.max_early)  # the slack once per instant, not piled up
        jobs.extend(PlannedJob(sid, lead, written, start) for sid, lead, _, written in due[at])
    jobs.sort(key=_order)
    return jobs


def due_jobs(planned: Iterable[PlannedJob], now: datetime) -> list[PlannedJob]:
    """The planned jobs whose sending has begun by `now`, for sessions not yet started, earliest due first."""
    now = now.astimezone(UTC)
    return sorted((j for j in planned if j.start_at <= now and now < j.session_start), key=_order)
