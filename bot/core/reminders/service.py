"""The reminder service: plans, sends and catches up reminders and change notices; the front end supplies the sender."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.clock import Clock, elapsed, shift
from bot.core.changes import Change
from bot.core.delivery import CHANNEL_POSTS_PER_SECOND, Batch, Fanout, NoticeSender, RunReport
from bot.core.model import is_scheduled
from bot.core.notices import ReminderNotice
from bot.core.programme import Catalog
from bot.core.reminders.change_notices import ChangeNotices
from bot.core.reminders.planning import Budget, PlannedJob, due_jobs, plan
from bot.core.reminders.preparation import DMPreparer
from bot.core.reminders.schedule import HEARTBEAT_MINUTES, ReminderSchedule
from bot.core.reminders.store import ReminderStore
from bot.core.scheduling import Scheduler, clock_speed
from bot.core.storage import Claim, Need, reminder_key

__all__ = ["ReminderService"]

log = logging.getLogger(__name__)


class ReminderService:
    """Reminders before starred sessions and notices of schedule changes, each sent exactly once."""

    def __init__(
        self,
        *,
        storage: ReminderStore,
        catalog_getter: Callable[[], Catalog],
        clock: Clock,
        sender: NoticeSender,
        default_lead: timedelta,
        default_delivery: str = "dm",
        reminders_channel_id: int | None = None,
        scheduler: Scheduler | None = None,
        lang: str = "en",
        late_grace: timedelta = timedelta(minutes=1),
        concurrency: int = 20,
        max_attempts: int = 5,
        retry_delay: timedelta = timedelta(seconds=30),
        missed_within: timedelta = timedelta(days=1),
        prepare_dms: bool = True,
    ):
        self.storage = storage
        self.catalog_getter = catalog_getter
        self.clock = clock
        self.sender = sender
        self.default_minutes = int(default_lead.total_seconds() // 60)
        self.default_delivery = default_delivery
        self.late_grace = late_grace  # a reminder this much past due or less is on time, not "late"
        self.retry_delay = retry_delay
        self.missed_within = missed_within  # at start, how far back to record reminders missed while down
        self.fanout = Fanout(
            storage=storage,
            sender=sender,
            clock=clock,
            default_delivery=default_delivery,
            reminders_channel_id=reminders_channel_id,
            lang=lang,
            concurrency=concurrency,
            max_attempts=max_attempts,
        )
        self.changes = ChangeNotices(storage=storage, fanout=self.fanout, clock=clock, catalog=catalog_getter)
        self.schedule = (
            None
            if scheduler is None
            else ReminderSchedule(
                scheduler,
                clock,
                run=self.run_due,
                catch_up=lambda: self._run(self.clock.now(), apologize=False),
                heartbeat=self.heartbeat,
                refill=lambda: self._reschedule(self.clock.now()),
            )
        )
        self.preparer = (
            DMPreparer(
                storage=storage,
                sender=sender,
                upcoming=self._upcoming_sessions,
                default_delivery=default_delivery,
                progress=self._refresh,
            )
            # Without a budget (the console), a reminder costs nothing at its time: nothing to prepare.
            if prepare_dms and sender.pacer is not None
            else None
        )
        # Rebuilt from the database at start and on every replan; never the only record of anything.
        self._demand: dict[str, dict[int, Need]] = {}
        self._plan: list[PlannedJob] = []  # every job, with when its sending begins
        self._planned_for: Catalog | None = None  # the catalog the plan was made from
        self._done: set[PlannedJob] = set()  # due jobs with every delivery closed: skip re-claiming them
        self._run_lock = asyncio.Lock()
        self._started = False

    @property
    def budget(self) -> Budget:
        """How fast reminders go out: the sender's pacer, in requests per second of the bot's clock."""
        pacer = self.sender.pacer
        if pacer is None:
            return Budget()
        speed = clock_speed(self.clock)
        return Budget(rate=pacer.rate / speed, channel_rate=CHANNEL_POSTS_PER_SECOND / speed)

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> RunReport:
        """Rebuild from the database and catalog, tell what changed and send what fell due while down, then schedule."""
        now = self.clock.now()
        self._demand = await self.storage.reminder_demand(self.default_minutes, self.default_delivery)
        self._done.clear()
        await self.check_programme()  # plans too
        await self.changes.close_superseded()
        missed = await self._record_missed(now, await self.storage.last_seen())
        await self.storage.mark_seen(now)
        report = await self.run_due(now)
        report.missed += missed
        self._reschedule(now, replan=False)  # the plan made above still holds: only what was done changed
        self._started = True
        if self.preparer is not None:
            self.preparer.start()
        log.info(
            "reminders started: %d jobs scheduled, %d sent late, %d missed while down",
            len(self.schedule or ()),
            report.late,
            report.missed,
        )
        return report

    async def stop(self) -> None:
        """Forget the scheduler's jobs; what is due stays in the database for the next start."""
        if self._started:
            try:
                await self.storage.mark_seen(self.clock.now())  # up to now, everything due was handled
            except Exception:
                log.warning("could not note the stop time", exc_info=True)
        self._started = False
        if self.preparer is not None:
            await self.preparer.stop()
        if self.schedule is not None:
            self.schedule.clear()

    async def heartbeat(self) -> None:
        """Every minute: note in the database that the bot is running, and re-plan when stars or settings were
        written by another process (a one-shot `ask '/star …'` beside the running bot)."""
        await self.storage.mark_seen(self.clock.now())
        if await self.storage.written_elsewhere():
            log.info("the database was changed by another process: re-planning reminders")
            await self.replan()

    # ------------------------------------------------------------ planning

    def plan(self) -> list[PlannedJob]:
        """One job per (session not yet started, lead time in use among its stargazers), earliest due first,
        each with when its sending begins."""
        return plan(self.catalog_getter(), self._demand, self.clock.now(), self.budget)

    async def replan(self) -> None:
        """Re-read stars and settings from the database and re-plan (after /star, /unstar, /remind or a reload)."""
        self._demand = await self.storage.reminder_demand(self.default_minutes, self.default_delivery)
        self._done.clear()  # a new stargazer of a job already done must get their reminder
        self._reschedule(self.clock.now())
        if self.preparer is not None:
            self.preparer.wake()  # a new stargazer's DM channel is worth opening now

    async def _refresh(self) -> None:
        """DM channels were opened ahead: the reminders need fewer requests, and can start later."""
        self._demand = await self.storage.reminder_demand(self.default_minutes, self.default_delivery)
        self._reschedule(self.clock.now())

    def _replan(self, now: datetime) -> list[PlannedJob]:
        catalog = self.catalog_getter()
        self._plan = plan(catalog, self._demand, now, self.budget)
        self._planned_for = catalog
        return self._plan

    def _reschedule(self, now: datetime, *, replan: bool = True) -> None:
        planned = self._replan(now) if replan or self._planned_for is not self.catalog_getter() else self._plan
        if self.schedule is not None:
            self.schedule.sync(now, planned, self._done, self._started)

    def _upcoming_sessions(self) -> list[str]:
        """Sessions with reminders still to send, the soonest first."""
        now = self.clock.now().astimezone(UTC)
        return list(dict.fromkeys(j.session_id for j in self._plan if j.due_at > now))

    # ------------------------------------------------------------ sending reminders

    async def run_due(self, now: datetime | None = None) -> RunReport:
        """Send every reminder due at `now` and not yet sent (late ones with an apology); safe to call any number of times."""
        return await self._run(now or self.clock.now(), apologize=True)

    async def _run(self, now: datetime, *, apologize: bool) -> RunReport:
        async with self._run_lock:
            report = RunReport()
            catalog = self.catalog_getter()
            if catalog is not self._planned_for:
                self._replan(now)  # the programme was reloaded and nobody re-planned yet
            batches: list[tuple[Batch, PlannedJob]] = []
            handled: set[int] = set()
            for job in due_jobs(self._plan, now):
                session = catalog.by_id.get(job.session_id)
                if job in self._done or session is None or not is_scheduled(session):
                    continue
                if session.start.astimezone(UTC) != job.session_start.astimezone(UTC):
                    continue  # moved since the plan was made: the re-plan after the reload has its new time
                report.due_jobs += 1
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
                late = apologize and elapsed(job.due_at, now) > self.late_grace
                notice = ReminderNotice(session, catalog.tz, late=late)
                widest = dataclasses.replace(notice, late=True)
                batches.append((Batch(notice, "reminder", key, pending, widest=widest), job))
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
            await self.fanout.deliver([b for b, _ in batches], report)
            self._done.update(job for b, job in batches if b.left == 0)
            if report.found:
                log.warning(
                    "%d reminders left uncertain by a crash were already delivered: not sent again", report.found
                )
        if self.changes.unfinished:
            report.retrying += await self.changes.retry()
        if report.retrying:
            self._retry_later(now)
        return report

    def _retry_later(self, now: datetime) -> None:
        if self.schedule is not None:
            self.schedule.retry_at(shift(now, self.retry_delay))

    # ------------------------------------------------------------ downtime

    async def _record_missed(self, now: datetime, last_seen: datetime | None = None) -> int:
        """Reminders that fell due while the bot was down for sessions already started: recorded missed, not sent.

        Down means since the bot was last seen running (its heartbeat), at most `missed_within` ago.
        """
        catalog = self.catalog_getter()
        now = now.astimezone(UTC)
        since = shift(now, -self.missed_within)
        if last_seen is not None and since < last_seen.astimezone(UTC) <= now:
            # it may have died just after its last beat
            since = shift(last_seen.astimezone(UTC), -timedelta(minutes=HEARTBEAT_MINUTES))
        started = {
            s.id: s for s in catalog.scheduled if since < s.start.astimezone(UTC) <= now and s.id in self._demand
        }
        if not started:
            return 0
        claims = []
        for session_id, user_id, lead in await self.storage.stargazers_with_leads(list(started), self.default_minutes):
            due = shift(started[session_id].start, -timedelta(minutes=lead))
            claims.append(Claim(user_id, session_id, "reminder", reminder_key(due), due))
        return await self.storage.record_missed(claims, "the session had started when the bot came back", now=now)

    # ------------------------------------------------------------ schedule changes

    async def check_programme(self) -> list[Change]:
        """Compare the catalog with the last announced snapshot, tell stargazers what changed, re-plan."""
        changes, report = await self.changes.check()
        self._reschedule(self.clock.now())
        if report.retrying:
            self._retry_later(self.clock.now())
        return changes
