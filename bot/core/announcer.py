"""Organizers' announcements: stored first, posted when due, exactly once, whatever restarts happen between."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Protocol

from bot.clock import Clock
from bot.core.delivery import NoticeSender, PermanentSendError, TransientSendError
from bot.core.notices import AnnouncementNotice
from bot.core.scheduling import Scheduler
from bot.core.storage import Announcement

__all__ = ["AnnouncementStore", "Announcer"]

log = logging.getLogger(__name__)


class AnnouncementStore(Protocol):
    """What announcements need of storage (bot.core.storage.Storage is one)."""

    async def add_announcement(
        self, created_by: int, channel_id: int, text: str, due_at: datetime, now: datetime, *, ping: bool = False
    ) -> Announcement: ...
    async def get_announcement(self, announcement_id: int) -> Announcement | None: ...
    async def due_announcements(self, now: datetime) -> list[Announcement]: ...
    async def upcoming_announcements(self) -> list[Announcement]: ...
    async def mark_announcement_sent(
        self, announcement_id: int, sent_at: datetime, message_id: int | None = None
    ) -> bool: ...
    async def mark_announcement_failed(self, announcement_id: int, error: str) -> bool: ...
    async def cancel_announcement(self, announcement_id: int) -> bool: ...


def _job_id(announcement_id: int) -> str:
    return f"announcement-{announcement_id}"


class Announcer:
    """Posts due announcements from the database; the scheduler only says when to look."""

    def __init__(
        self,
        storage: AnnouncementStore,
        clock: Clock,
        sender: NoticeSender,
        scheduler: Scheduler | None = None,
        *,
        lang: str = "en",
    ):
        self.storage = storage
        self.clock = clock
        self.sender = sender
        self.scheduler = scheduler
        self.lang = lang

    async def start(self) -> int:
        """Post what fell due while the bot was down, then plan a wake-up for each pending one."""
        sent = await self.run_due()
        for a in await self.storage.upcoming_announcements():
            self._plan(a)
        return sent

    def _plan(self, a: Announcement) -> None:
        if self.scheduler is not None:
            self.scheduler.at(_job_id(a.id), a.due_at, self._wake)

    async def _wake(self) -> None:
        await self.run_due()

    async def add(
        self, *, created_by: int, channel_id: int, text: str, due_at: datetime, ping: bool = False
    ) -> Announcement:
        """Store an announcement, then post it at once if it is due, or plan its post; returns it as it now stands."""
        announcement = await self.storage.add_announcement(
            created_by, channel_id, text, due_at, self.clock.now(), ping=ping
        )
        if due_at <= self.clock.now():
            await self.run_due()
        else:
            self._plan(announcement)
        return await self.storage.get_announcement(announcement.id) or announcement

    async def cancel(self, announcement_id: int) -> bool:
        """Cancel a pending announcement; False if it was posted, cancelled already, or never existed."""
        ok = await self.storage.cancel_announcement(announcement_id)
        if ok and self.scheduler is not None:
            self.scheduler.cancel(_job_id(announcement_id))
        return ok

    async def run_due(self, now: datetime | None = None) -> int:
        """Post every pending announcement due by `now`, each with its stored nonce; returns how many were posted."""
        now = now or self.clock.now()
        posted = 0
        for a in await self.storage.due_announcements(now):
            notice = AnnouncementNotice(a.text, ping=a.ping)
            try:
                message_id = await self.sender.send_channel(a.channel_id, notice, lang=self.lang, nonce=a.nonce)
            except PermanentSendError as exc:
                await self.storage.mark_announcement_failed(a.id, str(exc))
                log.warning("announcement %s cannot be posted: %s", a.id, exc)
                continue
            except TransientSendError as exc:
                log.warning("announcement %s not posted yet: %s", a.id, exc)
                continue  # still pending: the next run posts it, with the same nonce
            except Exception:
                log.exception("posting announcement %s failed; it stays pending", a.id)
                continue
            await self.storage.mark_announcement_sent(a.id, self.clock.now(), message_id)
            posted += 1
        return posted
