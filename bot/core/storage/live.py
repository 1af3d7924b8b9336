"""The conference, live: room posts claimed before they are sent, the threads under them, the public changes
channel's record, and the counts organizers read (/popular, /stats).

Room posts follow the same claim → send → mark as reminders: `claim_live_posts` inserts one 'pending' row per
(session, channel, start) or returns the row already there; the rows of one post share a nonce derived from
what it announces, so a resend after a crash reuses it. A session moved to another start gets a new row (and
a new post); the same start never gets two.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from bot.core.storage.database import Database, in_chunks, update_each
from bot.core.storage.snapshot import SnapshotRow, read_snapshot, replace_snapshot
from bot.core.storage.times import from_db, opt_from_db, to_db

__all__ = ["LivePost", "LiveTable", "LiveThread", "PostClaim"]


class PostClaim(NamedTuple):
    """One session's part in a room post: where, for which start, when due, and the post's nonce."""

    session_id: str
    channel_id: int
    start: datetime
    due_at: datetime
    nonce: str


@dataclass(frozen=True, slots=True)
class LivePost:
    """One session's part in a room post, and how far its sending got."""

    id: int
    session_id: str
    channel_id: int
    start: datetime
    due_at: datetime
    state: str  # 'pending' | 'sent' | 'missed' | 'failed'
    nonce: str
    attempts: int
    sent_at: datetime | None
    message_id: int | None
    error: str | None
    attempted_at: datetime | None = None  # when its send last began (None: never)

    @property
    def pending(self) -> bool:
        return self.state == "pending"


@dataclass(frozen=True, slots=True)
class LiveThread:
    """A discussion thread under a room post (its id is the post's message id), archived after its sessions."""

    thread_id: int
    channel_id: int
    name: str
    archive_at: datetime
    state: str  # 'wanted' (the post is out, the thread not yet) | 'open' | 'archived' | 'skipped'
    error: str | None


_POST = "id, session_id, channel_id, start_at, due_at, state, nonce, attempts, sent_at, message_id, error, attempted_at"
_THREAD = "thread_id, channel_id, name, archive_at, state, error"


def _post(r: Sequence[Any]) -> LivePost:
    return LivePost(
        r[0],
        r[1],
        r[2],
        from_db(r[3]),
        from_db(r[4]),
        r[5],
        r[6],
        r[7],
        opt_from_db(r[8]),
        r[9],
        r[10],
        opt_from_db(r[11]),
    )


def _thread(r: Sequence[Any]) -> LiveThread:
    return LiveThread(r[0], r[1], r[2], from_db(r[3]), r[4], r[5])


class LiveTable(Database):
    # ------------------------------------------------------------ room posts

    async def claim_live_posts(self, claims: Iterable[PostClaim], now: datetime) -> list[LivePost]:
        """Claim each session's part in a post, in one transaction; rows already there come back as they are."""
        rows = [
            (c.session_id, c.channel_id, to_db(c.start, "start"), to_db(c.due_at, "due_at"), c.nonce, to_db(now))
            for c in claims
        ]
        if not rows:
            return []
        async with self.transaction() as db:
            await db.executemany(
                "INSERT INTO live_posts (session_id, channel_id, start_at, due_at, nonce, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, channel_id, start_at) DO NOTHING",
                rows,
            )
            found = []
            for session_id, channel_id, start, *_ in rows:
                async with db.execute(
                    f"SELECT {_POST} FROM live_posts WHERE session_id = ? AND channel_id = ? AND start_at = ?",
                    (session_id, channel_id, start),
                ) as cur:
                    row = await cur.fetchone()
                assert row is not None  # inserted or already there, in this transaction
                found.append(_post(row))
        return found

    async def pending_live_posts(self) -> list[LivePost]:
        """Parts claimed and not closed (in flight, or interrupted by a crash), earliest due first."""
        rows = await self.fetchall(f"SELECT {_POST} FROM live_posts WHERE state = 'pending' ORDER BY due_at, id")
        return [_post(r) for r in rows]

    async def live_posts_for(self, session_id: str) -> list[LivePost]:
        rows = await self.fetchall(f"SELECT {_POST} FROM live_posts WHERE session_id = ? ORDER BY id", (session_id,))
        return [_post(r) for r in rows]

    async def mark_live_posts_sent(
        self,
        post_ids: Sequence[int],
        sent_at: datetime,
        message_id: int | None,
        thread: tuple[int, str, datetime] | None = None,
    ) -> None:
        """Close a post's rows as sent; with `thread` (channel, name, archive_at), want a thread under it, in the
        same transaction, so a crash between the post and its thread still opens the thread at the next start."""
        sent = to_db(sent_at, "sent_at")
        async with self.transaction() as db:
            await update_each(
                db,
                "UPDATE live_posts SET state = 'sent', sent_at = ?, message_id = ?, error = NULL "
                "WHERE state = 'pending' AND id IN ({ids})",
                (sent, message_id),
                list(post_ids),
            )
            if thread is not None and message_id is not None:
                channel_id, name, archive_at = thread
                await db.execute(
                    "INSERT INTO live_threads (thread_id, channel_id, name, archive_at, created_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (thread_id) DO NOTHING",
                    (message_id, channel_id, name, to_db(archive_at, "archive_at"), sent),
                )

    async def note_live_sending(self, post_ids: Sequence[int], now: datetime) -> None:
        """Record that sending these pending parts of a post begins now (before the request leaves)."""
        sql = "UPDATE live_posts SET attempted_at = ? WHERE state = 'pending' AND id IN ({ids})"
        async with self.transaction() as db:
            await update_each(db, sql, (to_db(now, "now"),), list(post_ids))

    async def note_live_attempt(self, post_ids: Sequence[int]) -> int:
        """One more attempt at a post that failed for now; returns the most attempts among its rows."""
        ids = list(post_ids)
        if not ids:
            return 0
        marks = ",".join("?" * len(ids))
        async with self.transaction() as db:
            await db.execute(
                f"UPDATE live_posts SET attempts = attempts + 1 WHERE state = 'pending' AND id IN ({marks})", ids
            )
            async with db.execute(f"SELECT MAX(attempts) FROM live_posts WHERE id IN ({marks})", ids) as cur:
                row = await cur.fetchone()
        return int(row[0] or 0) if row else 0

    async def close_live_posts(self, post_ids: Sequence[int], state: str, reason: str) -> int:
        """Close pending rows unsent ('missed': no longer due; 'failed': can never go); returns how many closed."""
        if state not in ("missed", "failed"):
            raise ValueError(f"a live post is closed unsent as 'missed' or 'failed', not {state!r}")
        sql = "UPDATE live_posts SET state = ?, error = ? WHERE state = 'pending' AND id IN ({ids})"
        async with self.transaction() as db:
            return await update_each(db, sql, (state, reason), list(post_ids))

    async def live_post_counts(self) -> dict[str, int]:
        """Session parts of room posts by state."""
        return {str(s): int(n) for s, n in await self.fetchall("SELECT state, COUNT(*) FROM live_posts GROUP BY 1")}

    # ------------------------------------------------------------ threads

    async def live_threads(self, *states: str) -> list[LiveThread]:
        """Threads in these states (all when none is named), soonest to archive first."""
        if states:
            rows = await self.fetchall(
                f"SELECT {_THREAD} FROM live_threads WHERE state IN ({','.join('?' * len(states))}) "
                "ORDER BY archive_at, thread_id",
                states,
            )
        else:
            rows = await self.fetchall(f"SELECT {_THREAD} FROM live_threads ORDER BY archive_at, thread_id")
        return [_thread(r) for r in rows]

    async def live_thread_sessions(self, thread_ids: Sequence[int]) -> dict[int, list[str]]:
        """The sessions each thread's post announced (a thread's id is its post's message id)."""
        found: dict[int, list[str]] = {}
        for chunk, marks in in_chunks(list(thread_ids)):
            rows = await self.fetchall(
                f"SELECT message_id, session_id FROM live_posts WHERE state = 'sent' AND message_id IN ({marks}) "
                "ORDER BY id",
                chunk,
            )
            for message_id, session_id in rows:
                found.setdefault(int(message_id), []).append(str(session_id))
        return found

    async def move_thread_archive(self, thread_id: int, archive_at: datetime) -> None:
        """Archive a thread at another time: its sessions moved after the post went out."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE live_threads SET archive_at = ? WHERE thread_id = ?",
                (to_db(archive_at, "archive_at"), thread_id),
            )

    async def set_thread_state(self, thread_id: int, state: str, error: str | None = None) -> None:
        async with self.transaction() as db:
            await db.execute(
                "UPDATE live_threads SET state = ?, error = ? WHERE thread_id = ?", (state, error, thread_id)
            )

    # ------------------------------------------------------------ the public changes channel

    async def load_live_snapshot(self) -> dict[str, SnapshotRow]:
        """The programme as last told to the public changes channel (empty before the first save)."""
        return await read_snapshot(self, "live_snapshot")

    async def save_live_snapshot(self, rows: Iterable[SnapshotRow]) -> None:
        async with self.transaction() as db:
            await replace_snapshot(db, "live_snapshot", rows)

    async def claim_change_post(self, key: str, channel_id: int, nonce: str, now: datetime) -> tuple[str, str]:
        """Claim the post of a burst of changes (its key: their fingerprints); returns its (state, nonce)."""
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO live_change_posts (key, channel_id, nonce, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (key) DO NOTHING",
                (key, channel_id, nonce, to_db(now)),
            )
            async with db.execute("SELECT state, nonce FROM live_change_posts WHERE key = ?", (key,)) as cur:
                row = await cur.fetchone()
        assert row is not None
        return str(row[0]), str(row[1])

    async def finish_change_posts(
        self,
        keys: Sequence[str],
        state: str,
        when: datetime,
        snapshot: Iterable[SnapshotRow] | None,
        *,
        message_ids: Sequence[int | None] = (),
        error: str | None = None,
    ) -> None:
        """Close the posts of a burst ('sent' or 'failed') and save what the channel now knows, in one transaction."""
        at = to_db(when)
        async with self.transaction() as db:
            for i, key in enumerate(keys):
                message_id = message_ids[i] if i < len(message_ids) else None
                await db.execute(
                    "UPDATE live_change_posts SET state = ?, sent_at = ?, message_id = ?, error = ? "
                    "WHERE key = ? AND state = 'pending'",
                    (state, at, message_id, error, key),
                )
            if snapshot is not None:
                await replace_snapshot(db, "live_snapshot", snapshot)

    async def change_post_count(self) -> int:
        row = await self.fetchone("SELECT COUNT(*) FROM live_change_posts WHERE state = 'sent'")
        return int(row[0]) if row else 0

    # ------------------------------------------------------------ what organizers read

    async def star_counts(self) -> dict[str, int]:
        """How many attendees starred each session (sessions nobody starred are absent)."""
        return {str(s): int(n) for s, n in await self.fetchall("SELECT session_id, COUNT(*) FROM stars GROUP BY 1")}

    async def star_totals(self) -> tuple[int, int]:
        """(attendees with at least one star, stars in all)."""
        row = await self.fetchone("SELECT COUNT(DISTINCT user_id), COUNT(*) FROM stars")
        return (int(row[0]), int(row[1])) if row else (0, 0)

    async def delivery_counts(self, kind: str) -> dict[str, int]:
        """Deliveries of one kind ('reminder', 'change') by state."""
        rows = await self.fetchall("SELECT state, COUNT(*) FROM deliveries WHERE kind = ? GROUP BY 1", (kind,))
        return {str(s): int(n) for s, n in rows}

    async def waiting_announcement_count(self) -> int:
        row = await self.fetchone("SELECT COUNT(*) FROM announcements WHERE state = 'pending'")
        return int(row[0]) if row else 0
