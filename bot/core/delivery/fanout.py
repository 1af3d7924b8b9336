"""Sending a notice to every user it is for, exactly once: DMs side by side, channel posts split to fit, each row closed.

The rows were claimed before (storage's claim → send → mark); this module sends each pending row with its
stored nonce and closes it as sent, failed, or still pending after a transient error (retried later with
the same nonce). Users who want channel delivery, or whose DMs bounce, are mentioned together in posts in
the reminders channel; a post's nonce is a function of what it announces and whom it mentions, so a resend
after a crash reuses it and Discord drops the duplicate.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot.clock import Clock
from bot.core.delivery.sender import DMClosed, NoticeSender, PermanentSendError, TransientSendError
from bot.core.nonce import derived_nonce
from bot.core.notices import ChangeNotice, Notice, ReminderNotice
from bot.core.storage import Delivery, UserSettings

__all__ = ["Batch", "DeliveryStore", "Fanout", "RunReport", "channel_post_nonce"]

log = logging.getLogger(__name__)

NO_CHANNEL = "DMs closed and no reminders channel configured"


class DeliveryStore(Protocol):
    """What sending needs of storage: who wants what, and closing each row."""

    async def stargazer_settings(self, session_id: str) -> dict[int, UserSettings]: ...
    async def set_dm_closed(self, user_id: int, closed: bool) -> None: ...
    async def note_attempt(self, delivery_id: int) -> int: ...
    async def mark_failed(self, delivery_id: int, error: str) -> bool: ...
    async def mark_sent(
        self, delivery_id: int, sent_at: datetime, message_id: int | None = None, channel_id: int | None = None
    ) -> bool: ...


def channel_post_nonce(kind: str, session_id: str, key: str, user_ids: Sequence[int]) -> str:
    """A channel post's nonce: a function of what it announces and whom it mentions, so a resend reuses it."""
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
    left: int = field(default=0)  # rows still pending after sending

    @property
    def session_id(self) -> str:
        return self.notice.session.id if isinstance(self.notice, ReminderNotice) else self.notice.session_id

    @property
    def late(self) -> bool:
        return isinstance(self.notice, ReminderNotice) and self.notice.late


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

    async def deliver(self, batches: list[Batch], report: RunReport) -> None:
        """Send each batch's pending rows: DMs concurrently, channel posts for those who want them or cannot get DMs."""
        dm_work: list[tuple[Batch, Delivery, UserSettings]] = []
        channel_rows: dict[int, list[Delivery]] = {}
        for i, b in enumerate(batches):
            b.left = len(b.rows)
            settings = await self.storage.stargazer_settings(b.session_id)
            for row in b.rows:
                s = settings.get(row.user_id) or UserSettings(row.user_id)
                wants_channel = (s.delivery or self.default_delivery) == "channel" or s.dm_closed
                if self.reminders_channel_id is None:
                    if s.dm_closed:
                        await self._fail(b, row, NO_CHANNEL, report)
                        continue
                    wants_channel = False
                if wants_channel:
                    channel_rows.setdefault(i, []).append(row)
                else:
                    dm_work.append((b, row, s))
        bounced: dict[int, list[Delivery]] = {}
        index = {id(b): i for i, b in enumerate(batches)}

        async def dm(b: Batch, row: Delivery, s: UserSettings) -> None:
            try:
                message_id = await self.sender.send_dm(
                    row.user_id, b.notice, lang=s.language or self.lang, nonce=row.nonce
                )
            except DMClosed:
                await self.storage.set_dm_closed(row.user_id, True)
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
            await self.storage.mark_sent(row.id, self.clock.now(), message_id=message_id)
            b.left -= 1
            report.sent_dm += 1
            report.late += b.late

        def dm_job(b: Batch, row: Delivery, s: UserSettings) -> Work:
            return lambda: dm(b, row, s)

        work: list[Work] = [p for i, rows in channel_rows.items() for p in self._posts(batches[i], rows, report)]
        work += [dm_job(b, r, s) for b, r, s in dm_work]
        await self._bounded(work)
        if bounced:
            await self._bounded([p for i, rows in bounced.items() for p in self._posts(batches[i], rows, report)])

    def _posts(self, b: Batch, rows: list[Delivery], report: RunReport) -> list[Work]:
        """One channel post per batch mentioning everyone, split to fit one message each."""
        channel_id = self.reminders_channel_id
        assert channel_id is not None  # rows go to the channel only when there is one
        rows = sorted(rows, key=lambda r: r.user_id)
        per_post = max(1, self.sender.mentions_per_post(b.widest, self.lang))

        async def post(chunk: list[Delivery]) -> None:
            ids = [r.user_id for r in chunk]
            nonce = channel_post_nonce(b.kind, b.session_id, b.key, ids)
            try:
                message_id = await self.sender.send_channel(
                    channel_id, b.notice, lang=self.lang, nonce=nonce, mention_user_ids=ids
                )
            except (TransientSendError, PermanentSendError) as exc:
                for r in chunk:
                    await self._not_sent(b, r, exc, report)
                return
            except Exception as exc:
                log.exception("posting %s of %s in channel %s failed", b.kind, b.session_id, channel_id)
                for r in chunk:
                    await self._not_sent(b, r, exc, report)
                return
            report.channel_posts += 1
            for r in chunk:
                await self.storage.mark_sent(r.id, self.clock.now(), message_id=message_id, channel_id=channel_id)
                b.left -= 1
                report.sent_channel += 1
                report.late += b.late

        def post_job(chunk: list[Delivery]) -> Work:
            return lambda: post(chunk)

        return [post_job(rows[i : i + per_post]) for i in range(0, len(rows), per_post)]

    async def _not_sent(self, b: Batch, row: Delivery, exc: Exception, report: RunReport) -> None:
        """A send that failed: given up at once when it can never go, else left pending until attempts run out."""
        if isinstance(exc, PermanentSendError):
            log.warning("%s of %s to user %s cannot be sent: %s", b.kind, b.session_id, row.user_id, exc)
            await self._fail(b, row, str(exc), report)
            return
        attempts = await self.storage.note_attempt(row.id)
        if attempts >= self.max_attempts:
            await self._fail(b, row, f"gave up after {attempts} attempts: {exc}", report)
        else:
            report.retrying += 1

    async def _fail(self, b: Batch, row: Delivery, error: str, report: RunReport) -> None:
        if await self.storage.mark_failed(row.id, error):
            report.failed += 1
        b.left -= 1

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
