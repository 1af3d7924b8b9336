"""Announcements: an organizer's message stored with its nonce, to be posted in a channel when due."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.core.nonce import random_nonce
from bot.core.storage.database import Database
from bot.core.storage.times import from_db, opt_from_db, to_db

__all__ = ["Announcement", "AnnouncementsTable"]


@dataclass(frozen=True, slots=True)
class Announcement:
    """An organizer's message to post in a channel at a set time."""

    id: int
    created_by: int
    channel_id: int
    text: str
    due_at: datetime
    state: str  # 'pending' | 'sent' | 'cancelled' | 'failed'
    created_at: datetime
    sent_at: datetime | None
    message_id: int | None
    nonce: str
    error: str | None
    ping: bool = False  # allow the text's mentions to ping


_SELECT = "id, created_by, channel_id, text, due_at, state, created_at, sent_at, message_id, nonce, error, ping"


def _announcement(r: Sequence[Any]) -> Announcement:
    """A row of _SELECT as SQLite returns it."""
    return Announcement(
        r[0], r[1], r[2], r[3], from_db(r[4]), r[5], from_db(r[6]), opt_from_db(r[7]), r[8], r[9], r[10], bool(r[11])
    )


class AnnouncementsTable(Database):
    async def add_announcement(
        self, created_by: int, channel_id: int, text: str, due_at: datetime, now: datetime, *, ping: bool = False
    ) -> Announcement:
        """Schedule an organizer's announcement for `due_at`."""
        if not text.strip():
            raise ValueError("an announcement needs some text")
        due, created = to_db(due_at, "due_at"), to_db(now, "now")
        async with self.transaction() as db:
            cur = await db.execute(
                "INSERT INTO announcements (created_by, channel_id, text, due_at, created_at, nonce, ping) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                # The nonce is stored with the row, so a resend after a crash reuses it.
                (created_by, channel_id, text, due, created, random_nonce(), int(ping)),
            )
            async with db.execute(f"SELECT {_SELECT} FROM announcements WHERE id = ?", (cur.lastrowid,)) as read:
                row = await read.fetchone()
        assert row is not None  # just inserted, in the same transaction
        return _announcement(row)

    async def get_announcement(self, announcement_id: int) -> Announcement | None:
        row = await self.fetchone(f"SELECT {_SELECT} FROM announcements WHERE id = ?", (announcement_id,))
        return None if row is None else _announcement(row)

    async def due_announcements(self, now: datetime) -> list[Announcement]:
        """Pending announcements whose time has come, earliest first."""
        rows = await self.fetchall(
            f"SELECT {_SELECT} FROM announcements WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, id",
            (to_db(now, "now"),),
        )
        return [_announcement(r) for r in rows]

    async def upcoming_announcements(self) -> list[Announcement]:
        """Every announcement still to be posted (overdue ones included), earliest first."""
        rows = await self.fetchall(f"SELECT {_SELECT} FROM announcements WHERE state = 'pending' ORDER BY due_at, id")
        return [_announcement(r) for r in rows]

    async def mark_announcement_sent(
        self, announcement_id: int, sent_at: datetime, message_id: int | None = None
    ) -> bool:
        """Record that an announcement was posted; False if it was not pending."""
        sent = to_db(sent_at, "sent_at")
        async with self.transaction() as db:
            cur = await db.execute(
                "UPDATE announcements SET state = 'sent', sent_at = ?, message_id = ? WHERE id = ? AND state = 'pending'",
                (sent, message_id, announcement_id),
            )
            return cur.rowcount == 1

    async def mark_announcement_failed(self, announcement_id: int, error: str) -> bool:
        """Give up on an announcement that cannot be posted; False if it was not pending."""
        async with self.transaction() as db:
            cur = await db.execute(
                "UPDATE announcements SET state = 'failed', error = ? WHERE id = ? AND state = 'pending'",
                (error, announcement_id),
            )
            return cur.rowcount == 1

    async def cancel_announcement(self, announcement_id: int) -> bool:
        """Cancel a pending announcement; False if it was already posted, cancelled or unknown."""
        async with self.transaction() as db:
            cur = await db.execute(
                "UPDATE announcements SET state = 'cancelled' WHERE id = ? AND state = 'pending'", (announcement_id,)
            )
            return cur.rowcount == 1
