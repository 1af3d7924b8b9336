"""Organizers' announcements: stored first, posted when due, exactly once, whatever restarts happen between."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Protocol

from bot.clock import Clock, wall_time

log = logging.getLogger(__name__)


class AnnouncementSender(Protocol):
    async def send_announcement(self, channel_id: int, text: str, *, nonce: str, ping: bool) -> str | None:
        """Post in a channel; mentions ping only when `ping`. Returns the message id."""


class Announcer:
    """Posts due announcements from the database; APScheduler only says when to look."""

    def __init__(self, storage: Any, clock: Clock, sender: AnnouncementSender, scheduler: Any = None):
        self.storage = storage
        self.clock = clock
        self.sender = sender
        self.scheduler = scheduler

    async def start(self) -> int:
        """Post what fell due while the bot was down, then plan a wake-up for each pending one."""
        sent = await self.run_due()
        for a in await self.storage.upcoming_announcements():
            self._plan(a.id, a.due_at)
        return sent

    def _plan(self, announcement_id: int, due_at: datetime) -> None:
        if self.scheduler is None:
            return
        self.scheduler.add_job(
            self.run_due,
            "date",
            run_date=wall_time(self.clock, due_at),
            id=f"announcement-{announcement_id}",
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )

    async def add(self, *, created_by: int, channel_id: int, text: str, due_at: datetime, ping: bool = False):
        announcement = await self.storage.add_announcement(
            created_by, channel_id, text, due_at, self.clock.now(), ping=ping
        )
        if due_at <= self.clock.now():
            await self.run_due()
        else:
            self._plan(announcement.id, due_at)
        return await self.storage.get_announcement(announcement.id)

    async def cancel(self, announcement_id: int) -> bool:
        ok = await self.storage.cancel_announcement(announcement_id)
        if ok and self.scheduler is not None:
            try:
                self.scheduler.remove_job(f"announcement-{announcement_id}")
            except Exception:  # noqa: BLE001 - a job already run or never planned
                pass
        return ok

    async def run_due(self, now: datetime | None = None) -> int:
        """Post every pending announcement due by `now`, each with its stored nonce; returns how many were posted."""
        now = now or self.clock.now()
        posted = 0
        for a in await self.storage.due_announcements(now):
            try:
                message_id = await self.sender.send_announcement(a.channel_id, a.text, nonce=a.nonce, ping=a.ping)
            except Exception as exc:  # noqa: BLE001 - keep it pending for the next run unless it can never go
                if getattr(exc, "permanent", False):
                    await self.storage.mark_announcement_failed(a.id, str(exc))
                log.warning("announcement %s not posted yet: %s", a.id, exc)
                continue
            await self.storage.mark_announcement_sent(
                a.id, self.clock.now(), int(message_id) if message_id and str(message_id).isdigit() else None
            )
            posted += 1
        return posted
