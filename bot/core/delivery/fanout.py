"""Sending a notice to every user it is for, exactly once: DMs side by side, channel posts split to fit, each row closed.

The rows were claimed before (storage's claim → send → mark); this module sends each pending row with its
stored nonce and closes it as sent, failed, or still pending after a transient error (retried later with
the same nonce).

- Before a row is sent, the time its send begins is stored. A row found still pending long after that
  (longer than Discord remembers a nonce: `nonce_trust`) may have gone out before a crash: the sender
  looks for it among the bot's recent messages there, and only if it is not there is it sent again.
- Users who want channel delivery, or whose DMs bounce, are mentioned together in posts in the reminders
  channel. Which users go in which post is stored with their rows before the first post is sent, and a
  post's rows are closed together: a resend after a crash posts the same users with the same nonce, and
  Discord drops it, however many of them were marked before.
- A database error while closing one row is logged and leaves that row pending for the next run; the
  rest of the batch is still sent.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from bot.clock import Clock, elapsed
from bot.core.delivery.sender import DMClosed, NoticeSender, PermanentSendError, TransientSendError
from bot.core.nonce import derived_nonce
from bot.core.notices import ChangeNotice, Notice, ReminderNotice
from bot.core.storage import Delivery, UserSettings

__all__ = ["NONCE_TRUST", "Batch", "DeliveryStore", "Fanout", "RunReport", "channel_post_nonce", "left_uncertain"]

log = logging.getLogger(__name__)

NO_CHANNEL = "DMs closed and no reminders channel configured"
# Discord drops a repeated nonce "for the past few minutes": a send begun longer ago than this and never
# closed is looked for in the channel before it is sent again.
NONCE_TRUST = timedelta(minutes=2)


def left_uncertain(attempted_at: datetime | None, now: datetime, trust: timedelta = NONCE_TRUST) -> bool:
    """A send that began longer ago than Discord remembers its nonce and was never closed: it may be out, and a
    repeat would show twice, so the sender looks for it (`find_dm`, `find_post`) before sending it again."""
    return attempted_at is not None and elapsed(attempted_at, now) > trust


T = TypeVar("T")


class _Failed:
    """What `Fanout._record` returns when the database refused a write."""


FAILED = _Failed()


class DeliveryStore(Protocol):
    """What sending needs of storage: who wants what, and closing each row."""

    async def stargazer_settings(self, session_id: str) -> dict[int, UserSettings]: ...
    async def set_dm_closed(self, user_id: int, closed: bool) -> None: ...
    async def note_sending(self, delivery_ids: Sequence[int], now: datetime) -> None: ...
    async def note_attempt(self, delivery_id: int) -> int: ...
    async def mark_failed(self, delivery_id: int, error: str) -> bool: ...
    async def mark_sent(
        self, delivery_id: int, sent_at: datetime, message_id: int | None = None, channel_id: int | None = None
    ) -> bool: ...
    async def assign_posts(self, posts: Sequence[tuple[str, Sequence[int]]]) -> dict[str, list[Delivery]]: ...
    async def mark_post_sent(
        self, post: str, sent_at: datetime, message_id: int | None = None, channel_id: int | None = None
    ) -> int: ...
    async def mark_post_failed(self, post: str, error: str) -> int: ...
    async def note_post_attempt(self, post: str) -> int: ...


def channel_post_nonce(kind: str, session_id: str, key: str, user_ids: Sequence[int]) -> str:
    """A channel post's nonce: a function of what it announces and whom it mentions (stored with its rows)."""
    return derived_nonce(kind, session_id, key, ",".join(map(str, user_ids)), prefix="c")


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
    found: int = 0  # deliveries a crash left uncertain, found already delivered and closed without sending again
    db_errors: int = 0  # rows the database could not record; left pending for the next run

    @property
    def sent(self) -> int:
        return self.sent_dm + self.sent_channel


@dataclass(slots=True)
class Batch:
    """The pending deliveries of one notice to send now: a reminder at one due time, or one change."""

    notice: ReminderNotice | ChangeNotice
    kind: str  # 'reminder' | 'change': the rows' delivery kind
    key: str  # the rows' delivery key
    rows: list[Delivery]
    # The notice as wide as it can get (a reminder's late form): channel posts are split by it, the same
    # way on every run, so a resend after a crash mentions the same users and reuses the post's nonce.
    widest: Notice
    closed: set[int] = field(default_factory=set)  # ids of rows closed by this run

    @property
    def left(self) -> int:
        """Rows still pending after sending."""
        return sum(1 for r in self.rows if r.id not in self.closed)

    @property
    def session_id(self) -> str:
        return self.notice.session.id if isinstance(self.notice, ReminderNotice) else self.notice.session_id

    @property
    def late(self) -> bool:
        return isinstance(self.notice, ReminderNotice) and self.notice.late

    @property
    def forms(self) -> tuple[Notice, ...]:
        """Every way this notice may have been written before: a reminder on time and late."""
        if isinstance(self.notice, ReminderNotice):
            return (dataclasses.replace(self.notice, late=False), dataclasses.replace(self.notice, late=True))
        return (self.notice,)


Work = Callable[[], Awaitable[None]]


class Fanout:
    """Sends batches of claimed deliveries through a front end's sender and closes each row."""

    def __init__(
        self,
        *,
        storage: DeliveryStore,
        sender: NoticeSender,
        clock: Clock,
        default_delivery: str = "dm",
        reminders_channel_id: int | None = None,
        lang: str = "en",
        concurrency: int = 20,
        max_attempts: int = 5,
        nonce_trust: timedelta = NONCE_TRUST,
    ):
        if default_delivery not in ("dm", "channel"):
            raise ValueError(f"default_delivery must be 'dm' or 'channel', got {default_delivery!r}")
        if concurrency < 1 or max_attempts < 1:
            raise ValueError("concurrency and max_attempts must be at least 1")
        self.storage = storage
        self.sender = sender
        self.clock = clock
        self.default_delivery = default_delivery
        self.reminders_channel_id = reminders_channel_id
        self.lang = lang  # channel posts, and users who chose no language
        self.concurrency = concurrency
        self.max_attempts = max_attempts
        self.nonce_trust = nonce_trust

    async def deliver(self, batches: list[Batch], report: RunReport) -> None:
        """Send each batch's pending rows: DMs concurrently, channel posts for those who want them or cannot get DMs."""
        dm_work: list[tuple[Batch, Delivery, UserSettings]] = []
        channel_rows: dict[int, list[Delivery]] = {}
        for i, b in enumerate(batches):
            b.closed.clear()
            settings = await self.storage.stargazer_settings(b.session_id)
            for row in b.rows:
                s = settings.get(row.user_id) or UserSettings(row.user_id)
                # A row already given a post goes in that post, whatever the user wants now: it may be out.
                wants_channel = (
                    row.post is not None or (s.delivery or self.default_delivery) == "channel" or s.dm_closed
                )
                if self.reminders_channel_id is None:
                    if s.dm_closed or row.post is not None:
                        await self._fail(b, row, NO_CHANNEL, report)
                        continue
                    wants_channel = False
                if wants_channel:
                    channel_rows.setdefault(i, []).append(row)
                else:
                    dm_work.append((b, row, s))
        bounced: dict[int, list[Delivery]] = {}
        index = {id(b): i for i, b in enumerate(batches)}
        # When a send begins is recorded a wave of DMs at a time (one write, not one per DM), just before the
        # wave goes: a crash then leaves at most a wave marked as begun that was not, which a restart after a
        # long outage merely looks for in vain.
        wave = self.concurrency * 4
        noted = 0  # dm_work[:noted] has been through note_sending
        unrecorded: set[int] = set()  # waves whose note failed: not sent this run
        noting = asyncio.Lock()

        async def begun(i: int) -> bool:
            nonlocal noted
            async with noting:
                while noted <= i:
                    rows = [r for _, r, _ in dm_work[noted : noted + wave]]
                    write = self.storage.note_sending([r.id for r in rows], self.clock.now())
                    if await self._record(write, rows[0], report, rows=len(rows)) is FAILED:
                        unrecorded.add(noted // wave)
                    noted += len(rows)
            return i // wave not in unrecorded

        async def dm(i: int, b: Batch, row: Delivery, s: UserSettings) -> None:
            now = self.clock.now()
            if not await begun(i):
                return  # a send that could not be recorded is not made: the next run tries again
            try:
                message_id = found = None
                if self._uncertain(row, now):
                    message_id = found = await self.sender.find_dm(
                        row.user_id, b.forms, lang=s.language or self.lang, nonce=row.nonce
                    )
                if message_id is None:
                    message_id = await self.sender.send_dm(
                        row.user_id, b.notice, lang=s.language or self.lang, nonce=row.nonce
                    )
            except DMClosed:
                await self._record(self.storage.set_dm_closed(row.user_id, True), row, report)
                report.dm_closed += 1
                if self.reminders_channel_id is None:
                    await self._fail(b, row, NO_CHANNEL, report)
                else:
                    bounced.setdefault(index[id(b)], []).append(row)
                return
            except (TransientSendError, PermanentSendError) as exc:
                await self._not_sent(b, row, exc, report)
                return
            except Exception as exc:
                log.exception("sending %s of %s to user %s failed", b.kind, b.session_id, row.user_id)
                await self._not_sent(b, row, exc, report)
                return
            marked = await self._record(
                self.storage.mark_sent(row.id, self.clock.now(), message_id=message_id), row, report
            )
            if marked is FAILED:
                return
            b.closed.add(row.id)
            if found is not None:
                report.found += 1
            else:
                report.sent_dm += 1
                report.late += b.late

        def dm_job(i: int, b: Batch, row: Delivery, s: UserSettings) -> Work:
            return lambda: dm(i, b, row, s)

        posts: list[Work] = []
        for i, rows in channel_rows.items():
            posts += await self._posts(batches[i], rows, report)
        await self._bounded(posts + [dm_job(i, b, r, s) for i, (b, r, s) in enumerate(dm_work)])
        if bounced:
            posts = []
            for i, rows in bounced.items():
                posts += await self._posts(batches[i], rows, report)
            await self._bounded(posts)
        if report.db_errors:
            log.error("%d deliveries could not be recorded in the database; they stay pending", report.db_errors)

    async def _posts(self, b: Batch, rows: list[Delivery], report: RunReport) -> list[Work]:
        """The channel posts for these rows: each post's users fixed in the database before anything is sent."""
        channel_id = self.reminders_channel_id
        assert channel_id is not None  # rows go to the channel only when there is one
        per_post = max(1, self.sender.mentions_per_post(b.widest, self.lang))
        fresh = sorted((r for r in rows if r.post is None), key=lambda r: r.user_id)
        chunks = [fresh[i : i + per_post] for i in range(0, len(fresh), per_post)]
        wanted: list[tuple[str, Sequence[int]]] = [
            (channel_post_nonce(b.kind, b.session_id, b.key, [r.user_id for r in c]), [r.id for r in c]) for c in chunks
        ]
        wanted += [(post, ()) for post in dict.fromkeys(r.post for r in rows if r.post is not None)]
        try:
            assigned = await self.storage.assign_posts(wanted)
        except Exception:
            log.exception(
                "could not record the channel posts of %s of %s; they wait for the next run", b.kind, b.session_id
            )
            report.db_errors += len(rows)
            report.retrying += len(rows)
            return []

        async def post(nonce: str, members: list[Delivery]) -> None:
            ids = [r.user_id for r in members]
            now = self.clock.now()
            noted = self._record(self.storage.note_sending([r.id for r in members], now), members[0], report)
            if await noted is FAILED:
                return
            try:
                message_id = found = None
                if any(self._uncertain(r, now) for r in members):
                    message_id = found = await self.sender.find_post(
                        channel_id, b.forms, lang=self.lang, nonce=nonce, mention_user_ids=ids
                    )
                if message_id is None:
                    message_id = await self.sender.send_channel(
                        channel_id, b.notice, lang=self.lang, nonce=nonce, mention_user_ids=ids
                    )
            except (TransientSendError, PermanentSendError) as exc:
                await self._post_not_sent(b, nonce, members, exc, report)
                return
            except Exception as exc:
                log.exception("posting %s of %s in channel %s failed", b.kind, b.session_id, channel_id)
                await self._post_not_sent(b, nonce, members, exc, report)
                return
            closed = await self._record(
                self.storage.mark_post_sent(nonce, self.clock.now(), message_id=message_id, channel_id=channel_id),
                members[0],
                report,
                rows=len(members),
            )
            if closed is FAILED:
                return
            b.closed.update(r.id for r in members)
            if found is not None:
                report.found += len(members)
                return
            report.channel_posts += 1
            report.sent_channel += len(members)
            report.late += b.late * len(members)

        def post_job(nonce: str, members: list[Delivery]) -> Work:
            return lambda: post(nonce, members)

        return [post_job(nonce, members) for nonce, _ in wanted if (members := assigned.get(nonce))]

    def _uncertain(self, row: Delivery, now: datetime) -> bool:
        """A send of this row began long ago and was never closed: it may be out, and Discord may have forgotten its nonce."""
        return left_uncertain(row.attempted_at, now, self.nonce_trust)

    async def _record(self, write: Awaitable[T], row: Delivery, report: RunReport, *, rows: int = 1) -> T | _Failed:
        """Await a database write; on an error, log it (fully the first time), leave the rows pending for the
        next run and return FAILED, so that one failed write never stops the rest of the batch."""
        try:
            return await write
        except Exception:
            report.db_errors += rows
            report.retrying += rows
            if report.db_errors == rows:
                log.exception(
                    "the database could not record delivery %s (user %s); it stays pending", row.id, row.user_id
                )
            else:
                log.warning("the database could not record delivery %s (user %s)", row.id, row.user_id)
            return FAILED

    async def _not_sent(self, b: Batch, row: Delivery, exc: Exception, report: RunReport) -> None:
        """A send that failed: given up at once when it can never go, else left pending until attempts run out."""
        if isinstance(exc, PermanentSendError):
            log.warning("%s of %s to user %s cannot be sent: %s", b.kind, b.session_id, row.user_id, exc)
            await self._fail(b, row, str(exc), report)
            return
        attempts = await self._record(self.storage.note_attempt(row.id), row, report)
        if isinstance(attempts, _Failed):
            return
        if attempts >= self.max_attempts:
            await self._fail(b, row, f"gave up after {attempts} attempts: {exc}", report)
        else:
            report.retrying += 1

    async def _post_not_sent(
        self, b: Batch, nonce: str, members: list[Delivery], exc: Exception, report: RunReport
    ) -> None:
        if not isinstance(exc, PermanentSendError):
            attempts = await self._record(self.storage.note_post_attempt(nonce), members[0], report, rows=len(members))
            if isinstance(attempts, _Failed):
                return
            if attempts < self.max_attempts:
                report.retrying += len(members)
                return
            error = f"gave up after {attempts} attempts: {exc}"
        else:
            log.warning("%s of %s cannot be posted: %s", b.kind, b.session_id, exc)
            error = str(exc)
        failed = await self._record(self.storage.mark_post_failed(nonce, error), members[0], report, rows=len(members))
        if not isinstance(failed, _Failed):
            report.failed += failed
            b.closed.update(r.id for r in members)

    async def _fail(self, b: Batch, row: Delivery, error: str, report: RunReport) -> None:
        failed = await self._record(self.storage.mark_failed(row.id, error), row, report)
        if isinstance(failed, _Failed):
            return
        report.failed += failed
        b.closed.add(row.id)

    async def _bounded(self, work: list[Work]) -> None:
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
            error = None if t.cancelled() else t.exception()
            if error is not None:
                raise error
