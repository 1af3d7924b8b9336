"""The programme as last announced to attendees, to tell later what changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.core.storage.database import Database
from bot.core.storage.times import opt_from_db, opt_to_db

__all__ = ["SnapshotRow", "SnapshotTable", "read_snapshot", "replace_snapshot"]


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


_COLUMNS = "session_id, fingerprint, start_at, end_at, room, title, cancelled"
# The programme as last told to stargazers (the reminders' change notices), and to the public changes channel.
_TABLES = ("programme_snapshot", "live_snapshot")


async def read_snapshot(database: Database, table: str) -> dict[str, SnapshotRow]:
    """One snapshot table, by session id (empty before the first save)."""
    assert table in _TABLES
    rows = await database.fetchall(f"SELECT {_COLUMNS} FROM {table}")
    return {r[0]: SnapshotRow(r[0], r[1], opt_from_db(r[2]), opt_from_db(r[3]), r[4], r[5], bool(r[6])) for r in rows}


async def replace_snapshot(db: Any, table: str, rows: Iterable[SnapshotRow]) -> None:
    """Replace one snapshot table with `rows`, in the caller's transaction."""
    assert table in _TABLES
    values = [
        (
            r.session_id,
            r.fingerprint,
            opt_to_db(r.start, "start"),
            opt_to_db(r.end, "end"),
            r.room,
            r.title,
            int(r.cancelled),
        )
        for r in rows
    ]
    await db.execute(f"DELETE FROM {table}")
    await db.executemany(f"INSERT INTO {table} ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", values)


class SnapshotTable(Database):
    async def load_snapshot(self) -> dict[str, SnapshotRow]:
        """The programme as last announced, by session id (empty before the first save)."""
        return await read_snapshot(self, "programme_snapshot")

    async def save_snapshot(self, rows: Iterable[SnapshotRow]) -> None:
        """Replace the whole snapshot with `rows`, in one transaction."""
        async with self.transaction() as db:
            await replace_snapshot(db, "programme_snapshot", rows)
