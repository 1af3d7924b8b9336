"""Announcements: an organizer's message stored with its nonce, to be posted in a channel when due.

An announcement starts as a 'draft' the organizer previews; confirmed, it is 'pending' until posted ('sent'),
given up on ('failed': Discord refused it for good) or cancelled. Who scheduled, edited and cancelled it is
kept by id and by the name they showed then.
"""

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
    state: str  # 'draft' | 'pending' | 'sent' | 'cancelled' | 'failed'
    created_at: datetime
    sent_at: datetime | None
    message_id: int | None
    nonce: str
    error: str | None
    ping: bool = False  # allow the text's mentions to ping
    created_by_name: str | None = None
    post_now: bool = False  # a draft to post as soon as it is confirmed (rather than at due_at)
    edited_by_name: str | None = None
    edited_at: datetime | None = None
    cancelled_by: int | None = None
    cancelled_by_name: str | None = None
    cancelled_at: datetime | None = None


_SELECT = (
    "id, created_by, channel_id, text, due_at, state, created_at, sent_at, message_id, nonce, error, ping, "
    "created_by_name, post_now, edited_by_name, edited_at, cancelled_by, cancelled_by_name, cancelled_at"
)


def _announcement(r: Sequence[Any]) -> Announcement:
    """A row of _SELECT as SQLite returns it."""
    return Announcement(
        r[0],
        r[1],
        r[2],
        r[3],
        from_db(r[4]),
        r[5],
        from_db(r[6]),
        opt_from_db(r[7]),
        r[8],
        r[9],
        r[10],
        bool(r[11]),
        r[12],
        bool(r[13]),
        r[14],
        opt_from_db(r[15]),
        r[16],
        r[17],
        opt_from_db(r[18]),
    )


class AnnouncementsTable(Database):
    async def add_announcement(
        self,
        created_by: int,
        channel_id: int,
        text: str,
        due_at: datetime,
        now: datetime,
        *,
        ping: bool = False,
        created_by_name: str | None = None,
        draft: bool = False,
        post_now: bool = False,
    ) -> Announcement:
        """Schedule an organizer's announcement for `due_at`; a `draft` waits for `confirm_announcement`."""
        if not text.strip():
            raise ValueError("an announcement needs some text")
        due, created = to_db(due_at, "due_at"), to_db(now, "now")
        async with self.transaction() as db:
            cur = await db.execute(
                "INSERT INTO announcements (created_by, channel_id, text, due_at, created_at, nonce, ping, "
                "created_by_name, state, post_now) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                # The nonce is stored with the row, so a resend after a crash reuses it.
                (
                    created_by,
                    channel_id,
                    text,
                    due,
                    created,
                    random_nonce(),
                    int(ping),
                    created_by_name,
                    "draft" if draft else "pending",
                    int(post_now),
                ),
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

    async def cancel_announcement(
        self,
        announcement_id: int,
        *,
        by: int | None = None,
        by_name: str | None = None,
        now: datetime | None = None,
    ) -> bool:
        """Cancel a draft or pending announcement, noting who did; False if it was posted, cancelled or unknown."""
        at = None if now is None else to_db(now, "now")
        async with self.transaction() as db:
            cur = await db.execute(
                "UPDATE announcements SET state = 'cancelled', cancelled_by = ?, cancelled_by_name = ?, "
                "cancelled_at = ? WHERE id = ? AND state IN ('draft', 'pending')",
                (by, by_name, at, announcement_id),
            )
            return cur.rowcount == 1

    async def confirm_announcement(self, announcement_id: int, now: datetime) -> Announcement | None:
        """A previewed draft becomes pending (a post-now one due `now`); None if it is not a draft."""
        at = to_db(now, "now")
        async with self.transaction() as db:
            cur = await db.execute(
                "UPDATE announcements SET state = 'pending', due_at = CASE WHEN post_now = 1 THEN ? ELSE due_at END "
                "WHERE id = ? AND state = 'draft'",
                (at, announcement_id),
            )
            if cur.rowcount != 1:
                return None
            async with db.execute(f"SELECT {_SELECT} FROM announcements WHERE id = ?", (announcement_id,)) as read:
                row = await read.fetchone()
        return None if row is None else _announcement(row)

    async def edit_announcement(
        self, announcement_id: int, text: str, *, by: int, by_name: str | None, now: datetime
    ) -> Announcement | None:
        """Replace the text of a draft or pending announcement, noting who did; None if it is neither."""
        if not text.strip():
            raise ValueError("an announcement needs some text")
        async with self.transaction() as db:
            cur = await db.execute(
                "UPDATE announcements SET text = ?, edited_by = ?, edited_by_name = ?, edited_at = ? "
                "WHERE id = ? AND state IN ('draft', 'pending')",
                (text, by, by_name, to_db(now, "now"), announcement_id),
            )
            if cur.rowcount != 1:
                return None
            async with db.execute(f"SELECT {_SELECT} FROM announcements WHERE id = ?", (announcement_id,)) as read:
                row = await read.fetchone()
        return None if row is None else _announcement(row)
