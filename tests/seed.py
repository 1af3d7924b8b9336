"""Seeding and reading the database in tests and benches: bulk stars, one claim, what became of a delivery.

These go through the database's own transaction and query methods; the bot itself never needs them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.core.storage import Claim, Database, Delivery, Storage
from bot.core.storage.times import opt_from_db, to_db


async def star_many(storage: Database, pairs: Iterable[tuple[int, str]], now: datetime) -> int:
    """Star many (user_id, session_id) pairs in one transaction; returns how many were new."""
    created = to_db(now, "now")
    rows = sorted((u, s, created) for u, s in pairs)  # key order: much faster B-tree inserts
    async with storage.transaction() as db:
        before = db.total_changes
        await db.executemany(
            "INSERT INTO stars (user_id, session_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", rows
        )
        return int(db.total_changes - before)


async def claim_one(
    storage: Storage,
    user_id: int,
    session_id: str,
    kind: str,
    key: str,
    due_at: datetime,
    *,
    now: datetime | None = None,
) -> Delivery:
    """Claim one delivery (a new pending row, or the one already claimed for that key)."""
    return (await storage.claim_deliveries([Claim(user_id, session_id, kind, key, due_at)], now=now))[0]


async def delivery_state(storage: Database, user_id: int, session_id: str, kind: str, key: str) -> str | None:
    """The state of one delivery, or None if it was never claimed."""
    row = await storage.fetchone(
        "SELECT state FROM deliveries WHERE user_id = ? AND session_id = ? AND kind = ? AND key = ?",
        (user_id, session_id, kind, key),
    )
    return None if row is None else str(row[0])


@dataclass(frozen=True, slots=True)
class Closed:
    """How a delivery row was closed."""

    state: str
    message_id: int | None
    channel_id: int | None
    sent_at: datetime | None
    error: str | None


async def closed(storage: Database, delivery_id: int) -> Closed:
    """What the row of a delivery says now."""
    row = await storage.fetchone(
        "SELECT state, message_id, channel_id, sent_at, error FROM deliveries WHERE id = ?", (delivery_id,)
    )
    assert row is not None, f"no delivery {delivery_id}"
    return Closed(row[0], row[1], row[2], opt_from_db(row[3]), row[4])


async def schema_version(storage: Database) -> int:
    return int((await storage.fetchone("PRAGMA user_version"))[0])
