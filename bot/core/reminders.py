"""Reminders before starred sessions and notices of schedule changes: planned from the database, each sent exactly once.

The database is the only record of what is due. The service keeps in memory only what it can rebuild from
the database and the catalog at any moment (which sessions have stargazers at which lead times); APScheduler
holds one job per (session, lead time in use), rebuilt at start and after every re-plan, and each job merely
says "look now". Sending follows storage's claim → send → mark: a reminder is claimed for every stargazer in
one batch, sent with the claim's nonce, and marked sent; a claim left pending by a crash is resent with the
same nonce at the next start, and Discord drops the duplicate.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import sys
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, NamedTuple, Protocol, TextIO

from bot.clock import Clock, wall_time
from bot.core.changes import Change, describe, diff, snapshot_of
from bot.core.model import Session
from bot.core.programme import Catalog
from bot.core.storage import Claim, Delivery, UserSettings, reminder_key
from bot.i18n import fmt_moment

__all__ = [
    "DISCORD_LIMIT",
    "DMClosed",
    "PlannedJob",
    "PrintSender",
    "RecordingSender",
    "ReminderService",
    "RunReport",
    "Sender",
    "SentMessage",
    "TransientSendError",
    "change_text",
    "reminder_text",
]

log = logging.getLogger(__name__)

DISCORD_LIMIT = 2000  # characters in one message
MENTION_WIDTH = len("<@18446744073709551615> ")  # the widest user mention and its separator
TITLE_LIMIT = 300
JOB_PREFIX = "reminder:"


# ---------------------------------------------------------------- the delivery port


class DMClosed(Exception):
    """The user's DMs are closed to the bot (Discord error 50007)."""


class TransientSendError(Exception):
    """A 5xx or timeout after the front end's own retries: try again later with the same nonce."""


class Sender(Protocol):
    """What a front end provides to deliver reminders. Both calls must pass `nonce` with enforce_nonce."""

    async def send_dm(self, user_id: int, text: str, *, nonce: str) -> str | None:
        """DM a user; returns the message id. Raises DMClosed or TransientSendError."""

    async def send_channel(
        self, channel_id: int, text: str, *, nonce: str, mention_user_ids: Sequence[int] = ()
    ) -> str | None:
        """Post in a channel; `text` already contains the mentions, `mention_user_ids` are the ones allowed to ping."""


@dataclass(frozen=True, slots=True)
class SentMessage:
    """One message a RecordingSender delivered."""

    kind: str  # 'dm' | 'channel'
    target: int  # user id for a DM, channel id for a post
    text: str
    nonce: str
    mention_user_ids: tuple[int, ...]
    message_id: str


class RecordingSender:
    """An in-memory front end for tests and the console: records every message and, like Discord, drops a repeated nonce.

    `close_dms(user)` makes DMs to a user raise DMClosed; `fail_transiently(n, user_id=...)` makes the next n
    sends (to that user, or any send) raise TransientSendError.
    """

    def __init__(self, *, closed_dms: Iterable[int] = ()):
        self.messages: list[SentMessage] = []
        self.calls = 0  # every attempt, failed and deduplicated ones included
        self.attempts: list[tuple[str, int]] = []  # ('dm', user) or ('channel', channel) for every attempt
        self.deduplicated = 0  # sends Discord would have dropped because the nonce was used before
        self.closed_dms: set[int] = set(closed_dms)
        self._failures: dict[int | None, int] = {}
        self._by_nonce: dict[tuple[str, int, str], str] = {}
        self._ids = itertools.count(1000)

    def close_dms(self, *user_ids: int) -> None:
        self.closed_dms.update(user_ids)

    def fail_transiently(self, times: int = 1, *, user_id: int | None = None) -> None:
        self._failures[user_id] = self._failures.get(user_id, 0) + times

    def _maybe_fail(self, user_id: int | None) -> None:
        for who in (user_id, None):
            if self._failures.get(who, 0) > 0:
                self._failures[who] -= 1
                raise TransientSendError(f"simulated 503 for {'user ' + str(who) if who else 'any send'}")

    def _record(self, kind: str, target: int, text: str, nonce: str, mentions: Sequence[int]) -> str:
        seen = self._by_nonce.get((kind, target, nonce))
        if seen is not None:
            self.deduplicated += 1
            return seen
        message_id = str(next(self._ids))
        self._by_nonce[(kind, target, nonce)] = message_id
        self.messages.append(SentMessage(kind, target, text, nonce, tuple(mentions), message_id))
        return message_id

    async def send_dm(self, user_id: int, text: str, *, nonce: str) -> str | None:
        self.calls += 1
        self.attempts.append(("dm", user_id))
        self._maybe_fail(user_id)
        if user_id in self.closed_dms:
            raise DMClosed(f"Cannot send messages to this user ({user_id})")
        return self._record("dm", user_id, text, nonce, ())

    async def send_channel(
        self, channel_id: int, text: str, *, nonce: str, mention_user_ids: Sequence[int] = ()
    ) -> str | None:
        self.calls += 1
        self.attempts.append(("channel", channel_id))
        self._maybe_fail(None)
        return self._record("channel", channel_id, text, nonce, mention_user_ids)

    # -------- what tests ask

    def dms_to(self, user_id: int) -> list[str]:
        return [m.text for m in self.messages if m.kind == "dm" and m.target == user_id]

    def dm_count(self) -> int:
        return sum(1 for m in self.messages if m.kind == "dm")

    def channel_posts(self, channel_id: int | None = None) -> list[SentMessage]:
        return [m for m in self.messages if m.kind == "channel" and (channel_id is None or m.target == channel_id)]

    def mentioned(self, channel_id: int | None = None) -> list[int]:
        return [u for m in self.channel_posts(channel_id) for u in m.mention_user_ids]


class PrintSender(RecordingSender):
    """The text console's front end: prints each reminder as a "⏰ reminder ..." line."""

    def __init__(self, stream: TextIO | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.stream = stream if stream is not None else sys.stdout

    def _record(self, kind: str, target: int, text: str, nonce: str, mentions: Sequence[int]) -> str:
        before = len(self.messages)
        message_id = super()._record(kind, target, text, nonce, mentions)
        if len(self.messages) > before:
            where = f"DM to user {target}" if kind == "dm" else f"in channel {target}"
            body = text.removeprefix("⏰ ").replace("\n", "\n    ")
            self.stream.write(f"⏰ reminder ({where}): {body}\n")
            self.stream.flush()
        return message_id


# ---------------------------------------------------------------- texts


def _unix(dt: datetime) -> int:
    return int(dt.timestamp())


def _clip(text: str, limit: int = TITLE_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def reminder_text(session: Session, *, tz: tzinfo | None = None, lang: str = "en", late: bool = False) -> str:
    """The reminder: title, start as Discord timestamps and in conference time, room, and how to stop it."""
    start = session.start
    if start is None:
        raise ValueError(f"session {session.id} has no start time to remind of")
    local = start.astimezone(tz) if tz is not None else start
    zone = getattr(local.tzinfo, "key", None) or local.strftime("%Z")
    room = session.room_in(lang)
    title = _clip(session.title_in(lang))
    u = _unix(start)
    if lang == "zh":
        head = "⏰ 抱歉，这条提醒晚了：" if late else "⏰ 提醒："
        lines = [
            f"{head}《{title}》将于 <t:{u}:t>（<t:{u}:R>）开始",
            f"会议时间：{fmt_moment(local, 'zh')}（{zone}）" + (f" · 地点：{_clip(room, 200)}" if room else ""),
            f"不想再收到？/unstar {session.id}",
        ]
    else:
        head = "⏰ Sorry, this reminder is late: " if late else "⏰ Reminder: "
        lines = [
            f"{head}“{title}” starts <t:{u}:t> (<t:{u}:R>)",
            f"Conference time: {fmt_moment(local, 'en')} ({zone})" + (f" · Room: {_clip(room, 200)}" if room else ""),
            f"Not going? /unstar {session.id}",
        ]
    return "\n".join(lines)


def change_text(change: Change, lang: str = "en") -> str:
    """The schedule-change notice a stargazer gets."""
    line = _clip(describe(change, lang), 1200)
    if change.new is not None and change.new.start is not None and "cancelled" not in change.kinds:
        u = _unix(change.new.start)
        line += f"（<t:{u}:F>）" if lang == "zh" else f" — <t:{u}:F>"
    hint = (
        f"你收藏了这个议程；/unstar {change.session_id} 可不再接收。"
        if lang == "zh"
        else (f"You starred this session; /unstar {change.session_id} to stop hearing about it.")
    )
    head = "📣 日程变更：" if lang == "zh" else "📣 Schedule change: "
    return f"{head}{line}\n{hint}"


def _channel_nonce(kind: str, session_id: str, key: str, user_ids: Sequence[int]) -> str:
    """A channel post's nonce: a function of what it announces and whom it mentions, so a resend reuses it."""
    ids = ",".join(map(str, user_ids))
    return "c" + hashlib.sha256(f"{kind}\x1f{session_id}\x1f{key}\x1f{ids}".encode()).hexdigest()[:24]


def _message_id(value: str | int | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------- plans and reports


class PlannedJob(NamedTuple):
    """One reminder job: a session's reminder for everyone who wants it `lead_minutes` before."""

    session_id: str
    lead_minutes: int
    due_at: datetime

    @property
    def job_id(self) -> str:
        return f"{JOB_PREFIX}{self.session_id}:{self.lead_minutes}"


@dataclass(slots=True)
class RunReport:
    """What one run did, for logs and tests."""

    due_jobs: int = 0
    sent_dm: int = 0
    sent_channel: int = 0  # users reached by a channel post
    channel_posts: int = 0
    late: int = 0  # users told with an apology that the reminder is late
    missed: int = 0  # closed unsent: too late to be useful, or no longer wanted
    failed: int = 0  # gave up: attempts exhausted or nowhere to send
    dm_closed: int = 0  # DMs bounced and went to the channel instead
    retrying: int = 0  # left pending after a transient error, retried on the next run

    @property
    def sent(self) -> int:
        return self.sent_dm + self.sent_channel


@dataclass(slots=True)
class _Batch:
    """Pending deliveries of one notice (a reminder at one due time, or one change) to send now."""

    session_id: str
    kind: str  # 'reminder' | 'change'
    key: str
    rows: list[Delivery]
    render: Callable[[str], str]  # language -> text
    widest: str  # the longest header this notice can have: sizes channel posts the same on every run
    late: bool = False
    job: PlannedJob | None = None
    left: int = 0  # rows still pending after sending


# ---------------------------------------------------------------- bulk reads storage does not offer (yet)
# Storage has no bulk form of these; they are read-only queries through its own connection and lock.


# ---------------------------------------------------------------- the service


HEARTBEAT_MINUTES = 1  # how often the bot notes in the database that it is running
SCHEDULER_HORIZON = timedelta(hours=6)  # APScheduler holds the jobs due this soon; a 3-day programme's 17,000 jobs
# took 1.3 s to add at every start and replan, a few hundred take milliseconds


class ReminderService:
    """Plans, sends and catches up reminders and change notices; the front end supplies the Sender."""

    def __init__(
        self,
        *,
        storage: Any,
        catalog_getter: Callable[[], Catalog],
        clock: Clock,
        sender: Sender,
        default_lead: timedelta,
        default_delivery: str = "dm",
        reminders_channel_id: int | None = None,
        scheduler: Any = None,
        lang: str = "en",
        late_grace: timedelta = timedelta(minutes=1),
        concurrency: int = 20,
        max_attempts: int = 5,
        retry_delay: timedelta = timedelta(seconds=30),
        missed_within: timedelta = timedelta(days=1),
    ):
        if default_delivery not in ("dm", "channel"):
            raise ValueError(f"default_delivery must be 'dm' or 'channel', got {default_delivery!r}")
        if concurrency < 1 or max_attempts < 1:
            raise ValueError("concurrency and max_attempts must be at least 1")
        self.storage = storage
        self.catalog_getter = catalog_getter
        self.clock = clock
        self.sender = sender
        self.default_lead = default_lead
        self.default_minutes = int(default_lead.total_seconds() // 60)
        self.default_delivery = default_delivery
        self.reminders_channel_id = reminders_channel_id
        self.scheduler = scheduler
        self.lang = lang
        self.late_grace = late_grace  # a reminder this much past due or less is on time, not "late"
        self.concurrency = concurrency
        self.max_attempts = max_attempts
        self.retry_delay = retry_delay
        self.missed_within = missed_within  # at start, how far back to record reminders missed while down
        # Rebuilt from the database at start and on every replan; never the only record of anything.
        self._demand: dict[str, frozenset[int]] = {}
        self._done: set[PlannedJob] = set()  # due jobs with every delivery closed: skip re-claiming them
        self._scheduled: dict[str, datetime] = {}  # job id -> due_at, as last given to APScheduler
        self._unfinished_changes: dict[str, Change] = {}  # change notices left pending by transient errors
        self._run_lock = asyncio.Lock()
        self._change_lock = asyncio.Lock()
        self._started = False

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> RunReport:
        """Rebuild everything from the database and catalog, tell what changed and send what fell due while down, then schedule."""
        now = self.clock.now()
        self._demand = await self.storage.reminder_demand(self.default_minutes)
        self._done.clear()
        await self.check_programme()
        await self._close_superseded_changes()
        missed = await self._record_missed(now, await self.storage.last_seen())
        await self.storage.mark_seen(now)
        report = await self.run_due(now)
        report.missed += missed
        self._reschedule(now)
        self._started = True
        log.info(
            "reminders started: %d jobs planned, %d sent late, %d missed while down",
            len(self._scheduled),
            report.late,
            report.missed,
        )
        return report

    async def stop(self) -> None:
        """Forget the APScheduler jobs; what is due stays in the database for the next start."""
        if self._started:
            try:
                await self.storage.mark_seen(self.clock.now())  # up to now, everything due was handled
            except Exception:
                log.warning("could not note the stop time", exc_info=True)
        self._started = False
        if self.scheduler is not None:
            for job_id in [
                *self._scheduled,
                "reminder-retry",
                "reminder-catchup",
                "reminder-horizon",
                "reminder-heartbeat",
            ]:
                self._remove_job(job_id)
        self._scheduled.clear()

    # ------------------------------------------------------------ planning

    def _catalog(self) -> Catalog:
        return self.catalog_getter()

    def _plan_at(self, now: datetime, catalog: Catalog | None = None) -> list[PlannedJob]:
        catalog = catalog if catalog is not None else self._catalog()
        jobs = []
        demand = self._demand
        for session in catalog.scheduled:
            if session.start <= now:  # already started: nothing to remind of
                continue
            for lead in demand.get(session.id, ()):
                jobs.append(PlannedJob(session.id, lead, session.start - timedelta(minutes=lead)))
        jobs.sort(key=lambda j: (j.due_at, j.session_id, j.lead_minutes))
        return jobs

    def _due_jobs(self, now: datetime, catalog: Catalog) -> list[PlannedJob]:
        """The planned jobs due by `now`: only sessions starting within the longest lead time are looked at."""
        demand = self._demand
        longest = timedelta(minutes=max((max(leads) for leads in demand.values() if leads), default=0))
        jobs = []
        for session in catalog.starting_from(now):
            if session.start - longest > now:
                break
            if session.start <= now:
                continue
            for lead in demand.get(session.id, ()):
                due = session.start - timedelta(minutes=lead)
                if due <= now:
                    jobs.append(PlannedJob(session.id, lead, due))
        jobs.sort(key=lambda j: (j.due_at, j.session_id, j.lead_minutes))
        return jobs

    def plan(self) -> list[PlannedJob]:
        """One job per (session not yet started, lead time in use among its stargazers), earliest first."""
        return self._plan_at(self.clock.now())

    async def replan(self) -> None:
        """Re-read stars and settings from the database and re-plan (after /star, /unstar, /remind or a reload)."""
        self._demand = await self.storage.reminder_demand(self.default_minutes)
        self._done.clear()  # a new stargazer of a job already done must get their reminder
        self._reschedule(self.clock.now())

    def _reschedule(self, now: datetime) -> None:
        """Make APScheduler's jobs match the plan: add, move and remove only what differs."""
        if self.scheduler is None:
            return
        wanted: dict[str, PlannedJob] = {}
        overdue = False
        horizon = now + SCHEDULER_HORIZON
        for job in self._plan_at(now):
            if job.due_at > horizon:
                continue  # APScheduler holds only the next hours; the horizon job below brings in the rest
            if job.due_at > now:
                wanted[job.job_id] = job
            elif job not in self._done:
                overdue = True
        for job_id in [j for j in self._scheduled if j not in wanted]:
            self._remove_job(job_id)
            del self._scheduled[job_id]
        for job_id, job in wanted.items():
            if self._scheduled.get(job_id) != job.due_at:
                self._put_job(job_id, self._fire, job.due_at, args=[job.due_at], known=job_id in self._scheduled)
                self._scheduled[job_id] = job.due_at
        if self.scheduler is not None and self.scheduler.get_job("reminder-heartbeat") is None:
            self.scheduler.add_job(
                self._beat,
                "interval",
                minutes=HEARTBEAT_MINUTES,
                id="reminder-heartbeat",
                replace_existing=True,
                coalesce=True,
                misfire_grace_time=None,
            )
        refill = now + SCHEDULER_HORIZON / 2
        self._put_job("reminder-horizon", self._fire_horizon, refill, args=[refill])
        if overdue and self._started:
            # Someone starred a session whose reminder time has passed: remind them now, without an apology.
            self._put_job("reminder-catchup", self._fire_catchup, now)

    def _put_job(
        self,
        job_id: str,
        func: Callable[..., Awaitable[None]],
        when: datetime,
        *,
        args: Sequence[Any] = (),
        known: bool = True,
    ) -> None:
        if known:  # replace_existing only takes effect once the scheduler runs: remove the old job first
            self._remove_job(job_id)
        self.scheduler.add_job(
            func,
            "date",
            run_date=wall_time(self.clock, when),
            args=list(args),
            id=job_id,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )

    def _remove_job(self, job_id: str) -> None:
        try:
            self.scheduler.remove_job(job_id)
        except Exception:  # noqa: BLE001 - already fired, or never added
            pass

    async def _fire(self, due_at: datetime) -> None:
        now = self.clock.now()
        if due_at - now > timedelta(seconds=1):
            # Fired long before the clock reaches it: a clock that is set by hand (tests), not running.
            # Sending now would be early; whoever moves that clock calls run_due.
            return
        try:
            await self.run_due(max(now, due_at))
        except Exception:
            log.exception("reminder run failed")

    async def _beat(self) -> None:
        """The heartbeat: how a restart knows how long the bot was down."""
        try:
            await self.storage.mark_seen(self.clock.now())
        except Exception:
            log.exception("heartbeat failed")

    async def _fire_horizon(self, planned_for: datetime) -> None:
        """Move the scheduling horizon on: the jobs of the next hours go to APScheduler."""
        if planned_for - self.clock.now() > timedelta(seconds=1):
            return  # a hand-set clock that has not got there: whoever moves it calls replan
        try:
            self._reschedule(self.clock.now())
        except Exception:
            log.exception("reminder horizon refill failed")

    async def _fire_retry(self) -> None:
        try:
            await self.run_due()
        except Exception:
            log.exception("reminder retry failed")

    async def _fire_catchup(self) -> None:
        try:
            await self._run(self.clock.now(), apologize=False)
        except Exception:
            log.exception("reminder catch-up failed")

    # ------------------------------------------------------------ sending reminders

    async def run_due(self, now: datetime | None = None) -> RunReport:
        """Send every reminder due at `now` and not yet sent (late ones with an apology); safe to call any number of times."""
        return await self._run(now or self.clock.now(), apologize=True)

    async def _run(self, now: datetime, *, apologize: bool) -> RunReport:
        async with self._run_lock:
            report = RunReport()
            catalog = self._catalog()
            batches: list[_Batch] = []
            handled: set[int] = set()
            for job in self._due_jobs(now, catalog):
                if job in self._done:
                    continue
                report.due_jobs += 1
                session = catalog.by_id[job.session_id]
                key = reminder_key(job.due_at)
                users = await self.storage.users_for_reminder(job.session_id, job.lead_minutes, self.default_minutes)
                rows = await self.storage.claim_deliveries(
                    [Claim(u, job.session_id, "reminder", key, job.due_at) for u in users], now=now
                )
                pending = [r for r in rows if r.pending]
                handled.update(r.id for r in pending)
                if not pending:
                    self._done.add(job)
                    continue
                late = apologize and now - job.due_at > self.late_grace
                tz = catalog.tz

                def render(lang: str, s: Session = session, late: bool = late) -> str:
                    return reminder_text(s, tz=tz, lang=lang, late=late)

                widest = reminder_text(session, tz=tz, lang=self.lang, late=True)
                batches.append(_Batch(job.session_id, "reminder", key, pending, render, widest, late, job))
            # A pending reminder that no current job claims is stale: its session moved or started, or the
            # user unstarred or changed lead time. Close it so it is never sent.
            for d in await self.storage.pending_deliveries(due_before=now):
                if (
                    d.kind == "reminder"
                    and d.id not in handled
                    and await self.storage.mark_missed(
                        d.id, "no longer due: the session moved or started, or the star changed"
                    )
                ):
                    report.missed += 1
            await self._deliver(batches, now, report)
            for b in batches:
                if b.left == 0 and b.job is not None:
                    self._done.add(b.job)
        if self._unfinished_changes:
            report.retrying += await self._retry_changes()
        if report.retrying:
            self._schedule_retry(now)
        return report

    def _schedule_retry(self, now: datetime) -> None:
        if self.scheduler is not None:
            self._put_job("reminder-retry", self._fire_retry, now + self.retry_delay)

    async def _deliver(self, batches: list[_Batch], now: datetime, report: RunReport) -> None:
        """Send each batch's pending rows: DMs concurrently, channel posts for those who want them or cannot get DMs."""
        dm_work: list[tuple[_Batch, Delivery, UserSettings]] = []
        channel_rows: dict[int, list[Delivery]] = {}
        for i, b in enumerate(batches):
            b.left = len(b.rows)
            settings = await self.storage.stargazer_settings(b.session_id)
            for row in b.rows:
                s = settings.get(row.user_id) or UserSettings(row.user_id)
                wants_channel = (s.delivery or self.default_delivery) == "channel" or s.dm_closed
                if self.reminders_channel_id is None:
                    if s.dm_closed:
                        await self._fail(b, row, "DMs closed and no reminders channel configured", report)
                        continue
                    wants_channel = False
                if wants_channel:
                    channel_rows.setdefault(i, []).append(row)
                else:
                    dm_work.append((b, row, s))
        fallback: dict[int, list[Delivery]] = {}
        index = {id(b): i for i, b in enumerate(batches)}

        async def dm(b: _Batch, row: Delivery, s: UserSettings) -> None:
            text = b.render(s.language or self.lang)
            try:
                message_id = await self.sender.send_dm(row.user_id, text, nonce=row.nonce)
            except DMClosed:
                await self.storage.set_dm_closed(row.user_id, True)
                report.dm_closed += 1
                if self.reminders_channel_id is None:
                    await self._fail(b, row, "DMs closed and no reminders channel configured", report)
                else:
                    fallback.setdefault(index[id(b)], []).append(row)
                return
            except Exception as exc:
                if not isinstance(exc, TransientSendError):
                    log.exception("sending a DM to %s failed", row.user_id)
                await self._transient(b, row, exc, report)
                return
            await self.storage.mark_sent(row.id, self.clock.now(), message_id=_message_id(message_id))
            b.left -= 1
            report.sent_dm += 1
            report.late += b.late

        work: list[Callable[[], Awaitable[None]]] = [
            *(self._channel_parts(batches[i], rows, report) for i, rows in channel_rows.items()),
        ]
        work = [p for parts in work for p in parts]
        work += [lambda b=b, r=r, s=s: dm(b, r, s) for b, r, s in dm_work]
        await self._bounded(work)
        if fallback:
            await self._bounded(
                [p for i, rows in fallback.items() for p in self._channel_parts(batches[i], rows, report)]
            )

    def _channel_parts(self, b: _Batch, rows: list[Delivery], report: RunReport) -> list[Callable[[], Awaitable[None]]]:
        """One channel post per batch mentioning everyone, split to stay under Discord's limit."""
        rows = sorted(rows, key=lambda r: r.user_id)
        per_part = max(1, (DISCORD_LIMIT - len(b.widest) - 1) // MENTION_WIDTH)
        channel_id = self.reminders_channel_id
        text_head = b.render(self.lang)
        parts = []
        for start in range(0, len(rows), per_part):
            chunk = rows[start : start + per_part]

            async def post(chunk: list[Delivery] = chunk) -> None:
                ids = [r.user_id for r in chunk]
                text = text_head + "\n" + " ".join(f"<@{u}>" for u in ids)
                nonce = _channel_nonce(b.kind, b.session_id, b.key, ids)
                try:
                    message_id = await self.sender.send_channel(channel_id, text, nonce=nonce, mention_user_ids=ids)
                except Exception as exc:
                    if not isinstance(exc, TransientSendError):
                        log.exception("posting in channel %s failed", channel_id)
                    for r in chunk:
                        await self._transient(b, r, exc, report)
                    return
                report.channel_posts += 1
                for r in chunk:
                    await self.storage.mark_sent(
                        r.id, self.clock.now(), message_id=_message_id(message_id), channel_id=channel_id
                    )
                    b.left -= 1
                    report.sent_channel += 1
                    report.late += b.late

            parts.append(post)
        return parts

    async def _transient(self, b: _Batch, row: Delivery, exc: BaseException, report: RunReport) -> None:
        attempts = await self.storage.note_attempt(row.id)
        if attempts >= self.max_attempts:
            await self._fail(b, row, f"gave up after {attempts} attempts: {exc}", report)
        else:
            report.retrying += 1

    async def _fail(self, b: _Batch, row: Delivery, error: str, report: RunReport) -> None:
        if await self.storage.mark_failed(row.id, error):
            report.failed += 1
        b.left -= 1

    async def _bounded(self, work: list[Callable[[], Awaitable[None]]]) -> None:
        """Run the sends with at most `concurrency` in flight; a slow one holds up only its own worker.

        Sends catch their own errors; anything escaping (a cancellation, a crash) stops the rest, which
        stay pending in the database for the next start.
        """
        if not work:
            return
        it = iter(work)

        async def worker() -> None:
            for item in it:
                await item()

        tasks = [asyncio.create_task(worker()) for _ in range(min(self.concurrency, len(work)))]
        try:
            done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        except BaseException:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        for t in pending:
            t.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        for t in done:
            if not t.cancelled() and t.exception() is not None:
                raise t.exception()

    # ------------------------------------------------------------ downtime

    async def _record_missed(self, now: datetime, last_seen: datetime | None = None) -> int:
        """Reminders that fell due while the bot was down for sessions already started: recorded missed, not sent.

        Down means since the bot was last seen running (its heartbeat), at most `missed_within` ago.
        """
        catalog = self._catalog()
        since = now - self.missed_within
        if last_seen is not None and since < last_seen <= now:
            since = last_seen - timedelta(minutes=HEARTBEAT_MINUTES)  # it may have died just after its last beat
        started = {s.id: s for s in catalog.scheduled if since < s.start <= now and s.id in self._demand}
        if not started:
            return 0
        claims = []
        for session_id, user_id, lead in await self.storage.stargazers_with_leads(list(started), self.default_minutes):
            due = started[session_id].start - timedelta(minutes=lead)
            claims.append(Claim(user_id, session_id, "reminder", reminder_key(due), due))
        return await self.storage.record_missed(claims, "the session had started when the bot came back", now=now)

    # ------------------------------------------------------------ schedule changes

    async def check_programme(self) -> list[Change]:
        """Compare the catalog with the last announced snapshot, tell stargazers what changed, re-plan, save the snapshot."""
        async with self._change_lock:
            catalog = self._catalog()
            previous = await self.storage.load_snapshot()
            if not previous:  # first run: what is there now is what attendees know
                await self.storage.save_snapshot(snapshot_of(catalog).values())
                self._reschedule(self.clock.now())
                return []
            changes = diff(previous, catalog)
            if changes:
                await self._notify(changes)
            self._reschedule(self.clock.now())
            rows = snapshot_of(catalog, previous)
            for sid in self._unfinished_changes:  # not everyone was told yet: keep the old state to tell again
                if sid in previous:
                    rows[sid] = previous[sid]
            if rows != previous:
                await self.storage.save_snapshot(rows.values())
            return changes

    async def notify_changes(self, changes: list[Change]) -> int:
        """Tell each stargazer of each changed session once per change, then re-plan; returns how many were told."""
        async with self._change_lock:
            told = await self._notify(changes)
        self._reschedule(self.clock.now())
        return told

    async def _notify(self, changes: list[Change]) -> int:
        now = self.clock.now()
        batches: list[_Batch] = []
        for change in changes:
            times = [
                t
                for t in ((change.old.start if change.old else None), (change.new.start if change.new else None))
                if t is not None
            ]
            if times and max(times) <= now:
                continue  # the session is over or under way in both versions: not worth a message
            users = await self.storage.stargazers(change.session_id)
            rows = await self.storage.claim_deliveries(
                [Claim(u, change.session_id, "change", change.fingerprint, now) for u in users], now=now
            )
            pending = [r for r in rows if r.pending]
            if not pending:
                self._unfinished_changes.pop(change.session_id, None)
                continue

            def render(lang: str, c: Change = change) -> str:
                return change_text(c, lang)

            batches.append(_Batch(change.session_id, "change", change.fingerprint, pending, render, render(self.lang)))
            self._unfinished_changes[change.session_id] = change
        report = RunReport()
        await self._deliver(batches, now, report)
        for b in batches:
            if b.left == 0:
                self._unfinished_changes.pop(b.session_id, None)
        if report.retrying:
            self._schedule_retry(now)
        return report.sent

    async def _retry_changes(self) -> int:
        """Resend change notices a transient error left pending; returns how many are still pending."""
        async with self._change_lock:
            await self._notify(list(self._unfinished_changes.values()))
            return len(self._unfinished_changes)

    async def _close_superseded_changes(self) -> None:
        """A change notice still pending from before a restart whose change was overtaken by a later one is dropped."""
        current = {c.fingerprint for c in self._unfinished_changes.values()}
        for d in await self.storage.pending_deliveries():
            if d.kind == "change" and d.key not in current:
                await self.storage.mark_missed(d.id, "superseded by a later change")
