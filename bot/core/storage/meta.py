"""Facts about the bot itself: when it was last seen running (its heartbeat)."""

from __future__ import annotations

from datetime import datetime

from bot.core.storage.database import Database
from bot.core.storage.times import from_db, to_db

__all__ = ["MetaTable"]


class MetaTable(Database):
    async def last_seen(self) -> datetime | None:
        """When the bot last said it was running: reminders due before then were handled then."""
        row = await self.fetchone("SELECT value FROM meta WHERE key = 'last_seen'")
        return from_db(row[0]) if row else None

    async def mark_seen(self, now: datetime) -> None:
        value = to_db(now, "now")
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO meta (key, value) VALUES ('last_seen', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (value,),
            )
