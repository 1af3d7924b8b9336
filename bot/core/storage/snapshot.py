"""The programme as last announced to attendees, to tell later what changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.core.storage.database import Database
from bot.core.storage.times import opt_from_db, opt_to_db

__all__ = ["SnapshotRow", "SnapshotTable"]


@dataclass(frozen=True, slots=True)
class SnapshotRow:
    """What the bot last announced about one session."""

    session_id: str
    fingerprint: str
    start: datetime | None
    end: datetime | None
    room: str | None
    title: str
    cancelled: bool = False


class SnapshotTable(Database):
    async def load_snapshot(self) -> dict[str, SnapshotRow]:
        """The programme as last announced, by session id (empty before the first save)."""
        rows = await self.fetchall(
            "SELECT session_id, fingerprint, start_at, end_at, room, title, cancelled FROM programme_snapshot"
        )
        return {
            r[0]: SnapshotRow(r[0], r[1], opt_from_db(r[2]), opt_from_db(r[3]), r[4], r[5], bool(r[6])) for r in rows
        }

    async def save_snapshot(self, rows: Iterable[SnapshotRow]) -> None:
        """Replace the whole snapshot with `rows`, in one transaction."""
        values = [
            (
                r.session_id,
                r.fingerprint,
                opt_to_db(r.start, "start"),
                opt_to_db(r.end, "end"),
                r.room,
                r.title,
                int(bool(r.cancelled)),
            )
            for r in rows
        ]
        async with self.transaction() as db:
            await db.execute("DELETE FROM programme_snapshot")
            await db.executemany(
                "INSERT INTO programme_snapshot (session_id, fingerprint, start_at, end_at, room, title, cancelled) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                values,
            )
