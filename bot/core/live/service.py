"""The live service: room and track channel posts before each session, the threads under them, the changes channel.

Planned from the database like reminders. The plan (which channel hears of which sessions when) is recomputed
from the catalog whenever asked; what was sent lives only in the database: each session's part of a post is
claimed, sent with the post's nonce and marked, so a restart resends an interrupted post with the same nonce
and never posts a session twice at the same start; one whose send began longer ago than Discord remembers a
nonce is first looked for in its channel (`find_post`). A post that fell due while the bot was down goes out
late only while its sessions are still on. A thread is archived when its sessions end as the programme now
says: one moved after its post went out moves the thread's archive time. One scheduler job wakes the service
at the next instant anything is due.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.clock import Clock, shift
from bot.core.delivery import NONCE_TRUST, NoticeSender, PermanentSendError, TransientSendError, left_uncertain
from bot.core.live.changes import PublicChange, PublicChanges
from bot.core.live.links import watch_link
from bot.core.live.places import PlaceMap, Places
from bot.core.live.planning import PlannedPost, due_posts, next_due, plan, post_nonce
from bot.core.live.ports import ChannelChecker, ThreadSender
from bot.core.live.setup import channel_problems, name_problems
from bot.core.model import is_scheduled
from bot.core.nonce import derived_nonce
from bot.core.notices import LiveSession, LiveSetupNotice, RoomPostNotice, SetupProblem
from bot.core.programme import Catalog
from bot.core.scheduling import Scheduler
from bot.core.storage import LivePost, LiveTable, LiveThread, PostClaim
from bot.core.text import clip

__all__ = ["LiveReport", "LiveService"]

log = logging.getLogger(__name__)

WAKE = "live-wake"
EARLY = timedelta(seconds=1)  # a wake-up this much before its time was fired by a clock set by hand
THREAD_NAME_LIMIT = 100  # Discord's limit on a thread's name
# Discord caps a guild's active threads (1,000, the members' own included): the bot keeps its own well under.
MAX_OPEN_THREADS = 100


@dataclass(slots=True)
class LiveReport:
    """What one run did, for logs and tests."""

    posts: int = 0  # posts sent
    found: int = 0  # posts a crash left uncertain, found already in their channel and not sent again
    sessions: int = 0  # sessions in them
    late: int = 0  # posts sent late (the bot was down when they fell due)
    missed: int = 0  # session parts closed unsent: moved, cancelled or over before they could go
    failed: int = 0
    retrying: int = 0  # posts left pending after a transient error
    threads_opened: int = 0
    threads_archived: int = 0
    threads_skipped: int = 0
    lateness: list[timedelta] = field(default_factory=list)  # how late each post went out after its due time


class LiveService:
    """Posts in each room's (or track's) channel `lead` before its sessions; tells the changes channel of changes."""

    def __init__(
        self,
        *,
        storage: LiveTable,
        catalog_getter: Callable[[], Catalog],
        clock: Clock,
        sender: NoticeSender,
        places: Places,
        lead: timedelta,
        threads: bool = False,
        streams: Mapping[str, str] | None = None,
        changes_channel_id: int | None = None,
        organizers_channel_id: int | None = None,
        scheduler: Scheduler | None = None,
        lang: str = "en",
        late_grace: timedelta = timedelta(minutes=1),
        retry_delay: timedelta = timedelta(seconds=30),
        max_attempts: int = 5,
        max_open_threads: int = MAX_OPEN_THREADS,
        nonce_trust: timedelta = NONCE_TRUST,
    ):
        self.storage = storage
        self.catalog_getter = catalog_getter
        self.clock = clock
        self.sender = sender
        self.places = places
        self.lead = lead
        self.threads = threads and isinstance(sender, ThreadSender)
        self.streams = dict(streams or {})
        self.organizers_channel_id = organizers_channel_id
        self.scheduler = scheduler
        self.lang = lang
        self.late_grace = late_grace
        self.retry_delay = retry_delay
        self.max_attempts = max_attempts
        self.max_open_threads = max_open_threads
        self.nonce_trust = nonce_trust
        self.changes = PublicChanges(
            storage=storage,
            sender=sender,
            clock=clock,
            catalog=catalog_getter,
            channel_id=changes_channel_id,
            lang=lang,
        )
        self.problems: list[SetupProblem] = []
        self._lock = asyncio.Lock()
        self._retry_at: datetime | None = None
        self._next_archive: datetime | None = None
        self._wake_at: datetime | None = None
        self._started = False
        self._stopped = False

    @property
    def active(self) -> bool:
        """Whether there is anything to do: a channel for some room or track, a changes channel, or streams (whose
        room names are checked at start)."""
        return bool(self.places) or self.changes.channel_id is not None or bool(self.streams)

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> LiveReport:
        """Tell the changes channel what changed while down, post what is due, schedule; then report what cannot
        work (after the posts: checking channels may wait for the front end to be connected)."""
        try:
            await self.changes.check()
        except Exception:
            log.exception("telling the changes channel what changed failed")
        report = await self.run_due()
        self._started = True
        self.problems = await self.check_setup()
        await self._report(self.problems)
        log.info(
            "live posts started: %d channels, %d posts sent at start (%d late), next at %s",
            len(self.places.resolve(self.catalog_getter()).channel_ids),
            report.posts,
            report.late,
            self._wake_at,
        )
        return report

    async def stop(self) -> None:
        """Forget the wake-up job and let a run in progress finish; what is due stays in the database."""
        self._started = False
        self._stopped = True  # a wake-up already fired does nothing now
        if self.scheduler is not None:
            self.scheduler.cancel(WAKE)
        self._wake_at = None
        async with self._lock:  # a post being sent is marked before the database closes
            pass

    async def programme_changed(self) -> list[PublicChange]:
        """After a reload: tell the changes channel, then re-plan (a moved session is posted at its new time)."""
        changes: list[PublicChange] = []
        try:
            changes = await self.changes.check()
        except Exception:
            log.exception("telling the changes channel what changed failed")
        await self._run(self.clock.now())
        return changes

    # ------------------------------------------------------------ what cannot work

    async def check_setup(self) -> list[SetupProblem]:
        """Configured names the programme lacks, and channels the bot cannot post in (when the sender can tell)."""
        catalog = self.catalog_getter()
        places = self.places
        problems = name_problems(catalog, places.room_channels, places.track_channels, self.streams)
        if isinstance(self.sender, ChannelChecker):
            serves: dict[int, list[str]] = {}  # channel -> the rooms and tracks configured for it
            for name, channel_id in [*places.room_channels.items(), *places.track_channels.items()]:
                serves.setdefault(channel_id, []).append(name)
            threads = dict.fromkeys(serves, self.threads)
            if self.changes.channel_id is not None:
                serves.setdefault(self.changes.channel_id, ["changes_channel_id"])
            names = {channel_id: ", ".join(n) for channel_id, n in serves.items()}
            problems += await channel_problems(self.sender, names, threads=threads)
        for p in problems:
            log.warning("live posts: %s %r (channel %s) %s", p.kind, p.name, p.channel_id, p.detail)
        return problems

    async def _report(self, problems: list[SetupProblem]) -> None:
        if not problems or self.organizers_channel_id is None:
            return
        key = ";".join(f"{p.kind}:{p.name}:{p.channel_id}" for p in problems)
        try:
            await self.sender.send_channel(
                self.organizers_channel_id,
                LiveSetupNotice(tuple(problems)),
                lang=self.lang,
                nonce=derived_nonce("live-setup", key, prefix="s"),
            )
        except Exception:
            log.exception("could not tell the organizers about the live configuration")

    # ------------------------------------------------------------ planning

    def plan(self, now: datetime | None = None) -> list[PlannedPost]:
        """Every post still to be worth sending, earliest due first."""
        catalog = self.catalog_getter()
        return plan(catalog, self._places(catalog), self.lead, now or self.clock.now())

    def _places(self, catalog: Catalog) -> PlaceMap:
        return self.places.resolve(catalog)

    # ------------------------------------------------------------ sending

    async def run_due(self, now: datetime | None = None) -> LiveReport:
        """Send every post due at `now` and not yet sent, open and archive threads, and plan the next wake-up.

        Safe to call any number of times: what was sent is in the database."""
        if self.changes.retrying:  # a changes post a transient error left unsent
            try:
                await self.changes.check()
            except Exception:
                log.exception("retrying the changes channel failed")
        return await self._run(now or self.clock.now())

    async def _run(self, now: datetime) -> LiveReport:
        report = LiveReport()
        async with self._lock:
            catalog = self.catalog_getter()
            planned = plan(catalog, self._places(catalog), self.lead, now)
            handled: set[int] = set()
            self._retry_at = shift(now, self.retry_delay) if self.changes.retrying else None
            for post in due_posts(planned, now):
                await self._send(catalog, post, now, handled, report)
            await self._close_stale(handled, report)
            if self.threads:
                await self._threads(now, report)
            self._schedule(planned, now)
        return report

    async def _send(
        self, catalog: Catalog, post: PlannedPost, now: datetime, handled: set[int], report: LiveReport
    ) -> None:
        nonce = post_nonce(post.channel_id, post.start, [s.id for s in post.sessions])
        rows = await self.storage.claim_live_posts(
            [PostClaim(s.id, post.channel_id, post.start, post.due_at, nonce) for s in post.sessions], now
        )
        by_id = {s.id: s for s in post.sessions}
        groups: dict[str, list[LivePost]] = {}
        for row in rows:
            if row.pending:
                groups.setdefault(row.nonce, []).append(row)
                handled.add(row.id)
        late = now - post.due_at > self.late_grace
        for group_nonce, group in groups.items():
            sessions = tuple(by_id[r.session_id] for r in group)
            notice = RoomPostNotice(
                post.place,
                tuple(LiveSession(s, catalog.tracks.get(s.track), watch_link(s, self.streams)) for s in sessions),
                catalog.tz,
                late=late,
            )
            ids = [r.id for r in group]
            begun = self.clock.now()
            uncertain = any(left_uncertain(r.attempted_at, begun, self.nonce_trust) for r in group)
            await self.storage.note_live_sending(ids, begun)
            try:
                message_id = found = None
                if uncertain:  # it may be out, and Discord no longer drops a repeat: look before sending again
                    forms = (dataclasses.replace(notice, late=False), dataclasses.replace(notice, late=True))
                    message_id = found = await self.sender.find_post(
                        post.channel_id, forms, lang=self.lang, nonce=group_nonce, mention_user_ids=()
                    )
                if message_id is None:
                    message_id = await self.sender.send_channel(
                        post.channel_id, notice, lang=self.lang, nonce=group_nonce
                    )
            except PermanentSendError as exc:
                log.warning("room post in channel %s cannot be sent: %s", post.channel_id, exc)
                report.failed += await self.storage.close_live_posts(ids, "failed", str(exc))
                continue
            except Exception as exc:
                if not isinstance(exc, TransientSendError):
                    log.exception("room post in channel %s failed", post.channel_id)
                attempts = await self.storage.note_live_attempt(ids)
                if attempts >= self.max_attempts:
                    report.failed += await self.storage.close_live_posts(
                        ids, "failed", f"gave up after {attempts} attempts: {exc}"
                    )
                else:
                    report.retrying += 1
                    self._retry_at = shift(now, self.retry_delay)
                continue
            thread = None
            if self.threads and message_id is not None:
                name = clip(" · ".join(s.title_in(self.lang) for s in sessions), THREAD_NAME_LIMIT)
                thread = (post.channel_id, name, max(s.end for s in sessions))
            await self.storage.mark_live_posts_sent(ids, self.clock.now(), message_id, thread)
            if found is not None:
                report.found += 1
                continue
            report.posts += 1
            report.sessions += len(sessions)
            report.late += late
            report.lateness.append(now - post.due_at)

    async def _close_stale(self, handled: set[int], report: LiveReport) -> None:
        """A pending part that no due post claims now is stale: its session moved, was cancelled or is over."""
        stale = [r.id for r in await self.storage.pending_live_posts() if r.id not in handled]
        if stale:
            report.missed += await self.storage.close_live_posts(
                stale, "missed", "no longer due: the session moved, was cancelled or is over"
            )

    # ------------------------------------------------------------ threads

    async def _threads(self, now: datetime, report: LiveReport) -> None:
        """Archive threads whose sessions ended; open those wanted, within the bot's share of active threads."""
        assert isinstance(self.sender, ThreadSender)
        sender: ThreadSender = self.sender
        threads = await self._follow_moves(await self.storage.live_threads("wanted", "open"))
        self._next_archive = min((t.archive_at for t in threads if t.archive_at > now), default=None)
        open_now = 0
        for t in threads:
            if t.archive_at > now:
                open_now += t.state == "open"
                continue
            if t.state == "wanted":  # its sessions ended before the thread could open
                await self.storage.set_thread_state(t.thread_id, "skipped", "the session was over")
                report.threads_skipped += 1
                continue
            try:
                await sender.archive_thread(t.thread_id)
            except PermanentSendError as exc:  # no permission, or gone: Discord archives it after an idle hour
                log.warning("thread %s cannot be archived: %s", t.thread_id, exc)
                await self.storage.set_thread_state(t.thread_id, "archived", str(exc))
                continue
            except Exception as exc:
                if not isinstance(exc, TransientSendError):
                    log.exception("archiving thread %s failed", t.thread_id)
                self._retry_at = shift(now, self.retry_delay)
                open_now += 1
                continue
            await self.storage.set_thread_state(t.thread_id, "archived")
            report.threads_archived += 1
        for t in threads:
            if t.state != "wanted" or t.archive_at <= now:
                continue
            if open_now >= self.max_open_threads:
                log.warning("thread for %r skipped: %d threads are open already", t.name, open_now)
                await self.storage.set_thread_state(t.thread_id, "skipped", "too many open threads")
                report.threads_skipped += 1
                continue
            try:
                await sender.open_thread(t.channel_id, t.thread_id, t.name)
            except PermanentSendError as exc:  # no permission, or the active-thread cap
                log.warning("thread %r cannot be opened: %s", t.name, exc)
                await self.storage.set_thread_state(t.thread_id, "skipped", str(exc))
                report.threads_skipped += 1
                continue
            except Exception as exc:
                if not isinstance(exc, TransientSendError):
                    log.exception("opening thread %r failed", t.name)
                self._retry_at = shift(now, self.retry_delay)
                continue
            await self.storage.set_thread_state(t.thread_id, "open")
            open_now += 1
            report.threads_opened += 1

    async def _follow_moves(self, threads: list[LiveThread]) -> list[LiveThread]:
        """Each thread archived when its sessions end as the programme now says: a session moved (or made
        longer) after its post went out moves the thread's archive time; a cancelled one leaves it."""
        catalog = self.catalog_getter()
        sessions = await self.storage.live_thread_sessions([t.thread_id for t in threads])
        followed = []
        for t in threads:
            now_scheduled = [catalog.by_id.get(sid) for sid in sessions.get(t.thread_id, ())]
            ends = [s.end for s in now_scheduled if s is not None and is_scheduled(s)]
            archive_at = max(ends, default=t.archive_at)
            if archive_at != t.archive_at:
                await self.storage.move_thread_archive(t.thread_id, archive_at)
                t = dataclasses.replace(t, archive_at=archive_at)
            followed.append(t)
        return followed

    # ------------------------------------------------------------ the next wake-up

    def _schedule(self, planned: list[PlannedPost], now: datetime) -> None:
        if self.scheduler is None:
            return
        candidates = (next_due(planned, now), self._retry_at, self._next_archive if self.threads else None)
        wake = min((t for t in candidates if t is not None and t > now), default=None)
        if wake is None:
            self.scheduler.cancel(WAKE)
            self._wake_at = None
            return
        if wake != self._wake_at:
            self.scheduler.at(WAKE, wake, self._wake, wake)
            self._wake_at = wake

    async def _wake(self, planned_for: datetime) -> None:
        now = self.clock.now()
        if self._stopped or planned_for - now > EARLY:
            return  # a clock set by hand that has not got there: whoever moves it calls run_due
        self._wake_at = None
        try:
            await self.run_due(max(now, planned_for))
        except Exception:
            log.exception("live posts run failed")
