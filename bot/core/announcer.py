"""Organizers' announcements: previewed, stored, posted when due, exactly once, whatever restarts happen between.

An announcement is stored as a draft the organizer previews; once confirmed it is posted when due. One that
Discord refuses for good (the channel is gone, the bot may not post there) is marked failed and the
organizers' channel is told. Who scheduled, edited and cancelled each is kept.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.clock import Clock
from bot.core.delivery import NoticeSender, PermanentSendError, TransientSendError
from bot.core.nonce import derived_nonce
from bot.core.notices import AnnouncementFailedNotice, AnnouncementNotice
from bot.core.scheduling import Scheduler
from bot.core.storage import Announcement, AnnouncementsTable

__all__ = ["Announcer"]

log = logging.getLogger(__name__)


def _job_id(announcement_id: int) -> str:
    return f"announcement-{announcement_id}"


class Announcer:
    """Posts due announcements from the database; the scheduler only says when to look."""

    def __init__(
        self,
        storage: AnnouncementsTable,
        clock: Clock,
        sender: NoticeSender,
        scheduler: Scheduler | None = None,
        *,
        lang: str = "en",
        organizers_channel_id: int | None = None,
    ):
        self.storage = storage
        self.clock = clock
        self.sender = sender
        self.scheduler = scheduler
        self.lang = lang
        self.organizers_channel_id = organizers_channel_id  # told of an announcement refused for good

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

    async def preview(
        self,
        *,
        created_by: int,
        created_by_name: str | None,
        channel_id: int,
        text: str,
        due_at: datetime | None,
        ping: bool = False,
    ) -> Announcement:
        """Store a draft to show the organizer before anything goes out; `due_at` None posts it once confirmed."""
        now = self.clock.now()
        return await self.storage.add_announcement(
            created_by,
            channel_id,
            text,
            due_at or now,
            now,
            ping=ping,
            created_by_name=created_by_name,
            draft=True,
            post_now=due_at is None,
        )

    async def confirm(self, announcement_id: int) -> Announcement | None:
        """Send a previewed draft: posted at once when due, else planned; None if there is no such draft."""
        confirmed = await self.storage.confirm_announcement(announcement_id, self.clock.now())
        if confirmed is None:
            return None
        if confirmed.due_at <= self.clock.now():
            await self.run_due()
        else:
            self._plan(confirmed)
        return await self.storage.get_announcement(announcement_id) or confirmed

    async def cancel(self, announcement_id: int, *, by: int | None = None, by_name: str | None = None) -> bool:
        """Cancel a draft or pending announcement, noting who did; False if it was posted, cancelled already, or
        never existed."""
        ok = await self.storage.cancel_announcement(announcement_id, by=by, by_name=by_name, now=self.clock.now())
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
                if await self.storage.mark_announcement_failed(a.id, str(exc)):
                    await self._tell_organizers(a, str(exc))
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

    async def _tell_organizers(self, a: Announcement, error: str) -> None:
        """The organizers' channel hears once that an announcement was refused for good."""
        if self.organizers_channel_id is None or self.organizers_channel_id == a.channel_id:
            return
        notice = AnnouncementFailedNotice(a.id, a.channel_id, a.text, error)
        try:
            await self.sender.send_channel(
                self.organizers_channel_id, notice, lang=self.lang, nonce=derived_nonce("failed", a.nonce, prefix="f")
            )
        except Exception:
            log.exception("could not tell the organizers that announcement %s failed", a.id)
