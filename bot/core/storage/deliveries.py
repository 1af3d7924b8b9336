"""Deliveries: each reminder or change notice to each user, claimed before it is sent and closed after.

Exactly-once delivery follows claim → send → mark:

1. `claim_deliveries` inserts a 'pending' row for (user, session, kind, key), or returns the row that
   is already there. The row carries a nonce derived from the key alone, so a claim repeated after a
   crash (even one that lost the row) yields the same nonce.
2. The sender sends only rows whose state is 'pending', with `enforce_nonce` and that nonce, so
   Discord drops a duplicate of a message that did go out before the crash.
3. `mark_sent` (or `mark_missed` / `mark_failed`) closes the row. A row still 'pending' at start-up
   (`pending_deliveries`) was interrupted and is resent with its stored nonce, never a new one.

Before each send, `note_sending` records when it began (`attempted_at`): a row still pending long after
that, longer than Discord remembers a nonce, is looked for in the channel before it is sent again.

Users reminded together in a channel post share the post's nonce in their rows (`post`): `assign_posts`
fixes it once, in one transaction, and a resend takes the same users in the same post; `mark_post_sent`
closes all of a post's rows at once, so a post is never half marked.

The `key` says which notice a row is: for a reminder, `reminder_key(due_at)` (a session moved to
another time gets a new reminder; the same time never gets two); for a change notice, the
fingerprint of the changed session, so each distinct change is announced once per user.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from bot.core.nonce import derived_nonce
from bot.core.storage.database import Database, in_chunks, update_each
from bot.core.storage.times import from_db, opt_from_db, opt_to_db, to_db

__all__ = ["DELIVERY_KINDS", "Claim", "DeliveriesTable", "Delivery", "delivery_nonce", "reminder_key"]

DELIVERY_KINDS = ("reminder", "change")


def reminder_key(due_at: datetime) -> str:
    """The delivery key of a reminder: the instant it is due, in canonical UTC text."""
    return to_db(due_at, "due_at")


def delivery_nonce(user_id: int, session_id: str, kind: str, key: str) -> str:
    """The Discord nonce of a delivery: a function of its key alone, so a resend reuses it."""
    return derived_nonce(kind, user_id, session_id, key)


class Claim(NamedTuple):
    """One delivery to claim: who, which session, which notice, when it is due."""

    user_id: int
    session_id: str
    kind: str  # 'reminder' | 'change'
    key: str  # reminder_key(due_at) for reminders; the change fingerprint for change notices
    due_at: datetime


@dataclass(frozen=True, slots=True)
class Delivery:
    """A reminder or change notice to one user, and how far its sending got."""

    id: int
    user_id: int
    session_id: str
    kind: str
    key: str
    due_at: datetime
    state: str  # 'pending' | 'sent' | 'missed' | 'failed'
    attempts: int
    nonce: str
    created_at: datetime
    sent_at: datetime | None
    message_id: int | None
    channel_id: int | None
    error: str | None
    post: str | None = None  # the channel post (its nonce) this row goes out in, once chosen
    attempted_at: datetime | None = None  # when a send of this row last began

    @property
    def pending(self) -> bool:
        return self.state == "pending"


_COLUMNS = (
    "id",
    "user_id",
    "session_id",
    "kind",
    "key",
    "due_at",
    "state",
    "attempts",
    "nonce",
    "created_at",
    "sent_at",
    "message_id",
    "channel_id",
    "error",
    "post",
    "attempted_at",
)
_SELECT = ", ".join(_COLUMNS)


def _delivery(r: Sequence[Any]) -> Delivery:
    """A row of _COLUMNS as SQLite returns it."""
    return Delivery(
        r[0],
        r[1],
        r[2],
        r[3],
        r[4],
        from_db(r[5]),
        r[6],
        r[7],
        r[8],
        from_db(r[9]),
        opt_from_db(r[10]),
        r[11],
        r[12],
        r[13],
        r[14],
        opt_from_db(r[15]),
    )


def _checked(c: Claim) -> tuple[int, str, str, str, str, str]:
    """A claim as the row to insert, with its nonce; refuses an unknown kind, an empty key or a naive time."""
    if c.kind not in DELIVERY_KINDS:
        raise ValueError(f"delivery kind must be one of {DELIVERY_KINDS}, got {c.kind!r}")
    if not c.key:
        raise ValueError("a delivery needs a non-empty key")
    due = to_db(c.due_at, "due_at")
    return (c.user_id, c.session_id, c.kind, c.key, due, delivery_nonce(c.user_id, c.session_id, c.kind, c.key))


class DeliveriesTable(Database):
    async def claim_deliveries(self, claims: Iterable[Claim], *, now: datetime | None = None) -> list[Delivery]:
        """Claim many deliveries in one transaction; returns their rows in the order given.

        Rows that already exist are returned as they are (whatever their state), so claiming
        twice is harmless. `now` is when the claim is made (defaults to each row's due_at).
        """
        checked = [_checked(Claim(*c)) for c in claims]
        if not checked:
            return []
        created = opt_to_db(now, "now")
        rows = [(*c, c[4] if created is None else created) for c in checked]
        async with self.transaction() as db:
            await db.executemany(
                "INSERT INTO deliveries (user_id, session_id, kind, key, due_at, nonce, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, session_id, kind, key) DO NOTHING",
                rows,
            )
            # Read the rows back through a temporary key table: one indexed join for any batch size.
            await db.execute(
                "CREATE TEMP TABLE IF NOT EXISTS claim_keys "
                "(pos INTEGER PRIMARY KEY, user_id INTEGER, session_id TEXT, kind TEXT, key TEXT)"
            )
            await db.execute("DELETE FROM temp.claim_keys")
            await db.executemany(
                "INSERT INTO temp.claim_keys (pos, user_id, session_id, kind, key) VALUES (?, ?, ?, ?, ?)",
                [(i, c[0], c[1], c[2], c[3]) for i, c in enumerate(checked)],
            )
            cols = ", ".join(f"d.{c}" for c in _COLUMNS)
            async with db.execute(
                f"SELECT {cols} FROM temp.claim_keys AS k JOIN deliveries AS d "
                "ON d.user_id = k.user_id AND d.session_id = k.session_id AND d.kind = k.kind AND d.key = k.key "
                "ORDER BY k.pos"
            ) as cur:
                found = [_delivery(r) for r in await cur.fetchall()]
            await db.execute("DELETE FROM temp.claim_keys")
        return found

    async def record_missed(self, claims: Iterable[Claim], reason: str, *, now: datetime) -> int:
        """Record deliveries as missed without sending: new rows are created missed, pending ones become missed,
        sent ones stay sent. One transaction, no rows read back; returns how many became missed."""
        checked = [_checked(Claim(*c)) for c in claims]
        if not checked:
            return 0
        created = to_db(now, "now")
        async with self.transaction() as db:
            before = db.total_changes
            await db.executemany(
                "INSERT INTO deliveries (user_id, session_id, kind, key, due_at, nonce, created_at, state, error) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'missed', ?) ON CONFLICT (user_id, session_id, kind, key) DO UPDATE "
                "SET state = 'missed', error = excluded.error WHERE deliveries.state = 'pending'",
                [(*c, created, reason) for c in checked],
            )
            return int(db.total_changes - before)

    async def note_attempt(self, delivery_id: int) -> int:
        """Count one more attempt at sending a pending delivery; returns the count."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE deliveries SET attempts = attempts + 1 WHERE id = ? AND state = 'pending'", (delivery_id,)
            )
            async with db.execute("SELECT attempts FROM deliveries WHERE id = ?", (delivery_id,)) as cur:
                row = await cur.fetchone()
        if row is None:
            raise KeyError(delivery_id)
        return int(row[0])

    async def mark_sent(
        self, delivery_id: int, sent_at: datetime, message_id: int | None = None, channel_id: int | None = None
    ) -> bool:
        """Record that a delivery went out; False if it was not pending (already closed)."""
        sent = to_db(sent_at, "sent_at")
        async with self.transaction() as db:
            cur = await db.execute(
                "UPDATE deliveries SET state = 'sent', sent_at = ?, message_id = ?, channel_id = ?, error = NULL "
                "WHERE id = ? AND state = 'pending'",
                (sent, message_id, channel_id, delivery_id),
            )
            return cur.rowcount == 1

    async def mark_missed(self, delivery_id: int, reason: str | None = None) -> bool:
        """Give up on a pending delivery that is too late to be useful; False if it was not pending."""
        return await self._close_delivery(delivery_id, "missed", reason)

    async def mark_failed(self, delivery_id: int, error: str) -> bool:
        """Give up on a pending delivery that cannot be sent (e.g. DMs closed); False if it was not pending."""
        return await self._close_delivery(delivery_id, "failed", error)

    async def _close_delivery(self, delivery_id: int, state: str, error: str | None) -> bool:
        async with self.transaction() as db:
            cur = await db.execute(
                "UPDATE deliveries SET state = ?, error = ? WHERE id = ? AND state = 'pending'",
                (state, error, delivery_id),
            )
            return cur.rowcount == 1

    async def note_sending(self, delivery_ids: Sequence[int], now: datetime) -> None:
        """Record that sending these pending deliveries begins now (before the request leaves)."""
        sql = "UPDATE deliveries SET attempted_at = ? WHERE state = 'pending' AND id IN ({ids})"
        async with self.transaction() as db:
            await update_each(db, sql, (to_db(now, "now"),), list(delivery_ids))

    # ------------------------------------------------------------ channel posts

    async def assign_posts(self, posts: Sequence[tuple[str, Sequence[int]]]) -> dict[str, list[Delivery]]:
        """Put each group of pending rows in its post (a row already in one keeps it), in one transaction;
        returns the pending rows of every post named, by post, in user order."""
        sql = "UPDATE deliveries SET post = ? WHERE state = 'pending' AND post IS NULL AND id IN ({ids})"
        async with self.transaction() as db:
            for post, ids in posts:
                await update_each(db, sql, (post,), list(ids))
        return await self.post_rows([p for p, _ in posts])

    async def post_rows(self, posts: Sequence[str]) -> dict[str, list[Delivery]]:
        """The pending rows of each post, in user order (a post whose rows are all closed is absent)."""
        out: dict[str, list[Delivery]] = {}
        names = list(dict.fromkeys(posts))
        for chunk, marks in in_chunks(names):
            rows = await self.fetchall(
                f"SELECT {_SELECT} FROM deliveries WHERE state = 'pending' AND post IN ({marks}) ORDER BY post, user_id",
                chunk,
            )
            for r in rows:
                d = _delivery(r)
                assert d.post is not None
                out.setdefault(d.post, []).append(d)
        return out

    async def mark_post_sent(
        self, post: str, sent_at: datetime, message_id: int | None = None, channel_id: int | None = None
    ) -> int:
        """Close every pending row of a channel post as sent, at once; returns how many."""
        sent = to_db(sent_at, "sent_at")
        async with self.transaction() as db:
            cur = await db.execute(
                "UPDATE deliveries SET state = 'sent', sent_at = ?, message_id = ?, channel_id = ?, error = NULL "
                "WHERE post = ? AND state = 'pending'",
                (sent, message_id, channel_id, post),
            )
            return int(cur.rowcount)

    async def mark_post_failed(self, post: str, error: str) -> int:
        """Give up on every pending row of a channel post at once; returns how many."""
        async with self.transaction() as db:
            cur = await db.execute(
                "UPDATE deliveries SET state = 'failed', error = ? WHERE post = ? AND state = 'pending'", (error, post)
            )
            return int(cur.rowcount)

    async def note_post_attempt(self, post: str) -> int:
        """Count one more attempt at a channel post's pending rows; returns the most any of them has had."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE deliveries SET attempts = attempts + 1 WHERE post = ? AND state = 'pending'", (post,)
            )
            async with db.execute("SELECT MAX(attempts) FROM deliveries WHERE post = ?", (post,)) as cur:
                row = await cur.fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    async def pending_deliveries(self, due_before: datetime | None = None) -> list[Delivery]:
        """Deliveries claimed but not closed (interrupted by a crash, or in flight), earliest due first."""
        if due_before is None:
            rows = await self.fetchall(f"SELECT {_SELECT} FROM deliveries WHERE state = 'pending' ORDER BY due_at, id")
        else:
            rows = await self.fetchall(
                f"SELECT {_SELECT} FROM deliveries WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, id",
                (to_db(due_before, "due_before"),),
            )
        return [_delivery(r) for r in rows]
