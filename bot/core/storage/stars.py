"""Stars: who starred which session, and who wants which session's reminder at which lead time."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.storage.database import Database, in_chunks
from bot.core.storage.times import to_db

__all__ = ["MENTIONS_PER_POST", "Need", "StarsTable"]

MENTIONS_PER_POST = 60  # users one channel post mentions, at the least (Discord: about 75 in 2,000 characters)


@dataclass(frozen=True, slots=True)
class Need:
    """Who wants one session's reminder at one lead time, as what sending it will cost."""

    users: int
    channel: int = 0  # mentioned in a channel post: they chose it, or their DMs are closed
    cold: int = 0  # reminded by DM in a DM channel not opened yet: one request more each

    def requests(self, mentions_per_post: int = MENTIONS_PER_POST) -> int:
        """Requests to Discord the reminder takes: a message per DM, an open per cold DM, a post per few mentions."""
        return self.users - self.channel + self.cold + self.posts(mentions_per_post)

    def posts(self, mentions_per_post: int = MENTIONS_PER_POST) -> int:
        """Of those requests, the posts in the reminders channel (one channel: Discord paces them on their own)."""
        return math.ceil(self.channel / max(1, mentions_per_post))

    def __add__(self, other: Need) -> Need:
        return Need(self.users + other.users, self.channel + other.channel, self.cold + other.cold)


class StarsTable(Database):
    async def star(self, user_id: int, session_id: str, now: datetime) -> bool:
        """Star a session for a user; True if it was not starred before."""
        created = to_db(now, "now")
        async with self.transaction() as db:
            cur = await db.execute(
                "INSERT INTO stars (user_id, session_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (user_id, session_id, created),
            )
            return cur.rowcount == 1

    async def unstar(self, user_id: int, session_id: str) -> bool:
        """Remove a star; True if there was one."""
        async with self.transaction() as db:
            cur = await db.execute("DELETE FROM stars WHERE user_id = ? AND session_id = ?", (user_id, session_id))
            return cur.rowcount == 1

    async def stars_of(self, user_id: int) -> list[str]:
        """The sessions a user starred, oldest star first."""
        rows = await self.fetchall(
            "SELECT session_id FROM stars WHERE user_id = ? ORDER BY created_at, session_id", (user_id,)
        )
        return [r[0] for r in rows]

    async def stargazers(self, session_id: str) -> list[int]:
        """The users who starred a session, by user id."""
        rows = await self.fetchall("SELECT user_id FROM stars WHERE session_id = ? ORDER BY user_id", (session_id,))
        return [r[0] for r in rows]

    # ------------------------------------------------------------ who wants which reminder

    async def reminder_demand(self, default_lead: int, default_delivery: str = "dm") -> dict[str, dict[int, Need]]:
        """Each starred session's effective lead times (a user's own, or the default), and who wants each: what
        to plan. A DM is cold when the user's DM channel is not known yet."""
        rows = await self.fetchall(
            "SELECT s.session_id, COALESCE(u.lead_minutes, ?), COUNT(*), "
            "SUM(COALESCE(u.delivery, ?) = 'channel' OR COALESCE(u.dm_closed, 0) = 1), "
            "SUM(COALESCE(u.delivery, ?) = 'dm' AND COALESCE(u.dm_closed, 0) = 0 AND d.user_id IS NULL) "
            "FROM stars AS s LEFT JOIN user_settings AS u ON u.user_id = s.user_id "
            "LEFT JOIN dm_channels AS d ON d.user_id = s.user_id GROUP BY 1, 2",
            (default_lead, default_delivery, default_delivery),
        )
        demand: dict[str, dict[int, Need]] = {}
        for session_id, lead, users, channel, cold in rows:
            demand.setdefault(session_id, {})[int(lead)] = Need(int(users), int(channel or 0), int(cold or 0))
        return demand

    async def cold_stars(self, default_delivery: str = "dm") -> list[tuple[str, int]]:
        """(session, user) for every star of a user reminded by DM whose DM channel is not known yet: the DM
        channels worth opening ahead. One query, whatever the number of sessions."""
        rows = await self.fetchall(
            "SELECT s.session_id, s.user_id FROM stars AS s "
            "LEFT JOIN user_settings AS u ON u.user_id = s.user_id "
            "LEFT JOIN dm_channels AS d ON d.user_id = s.user_id "
            "WHERE d.user_id IS NULL AND COALESCE(u.delivery, ?) = 'dm' AND COALESCE(u.dm_closed, 0) = 0",
            (default_delivery,),
        )
        return [(str(sid), int(uid)) for sid, uid in rows]

    async def users_for_reminder(self, session_id: str, lead_minutes: int, default_lead: int) -> list[int]:
        """The users who starred a session and want its reminder `lead_minutes` before it."""
        rows = await self.fetchall(
            "SELECT s.user_id FROM stars AS s "
            "LEFT JOIN user_settings AS u ON u.user_id = s.user_id "
            "WHERE s.session_id = ? AND COALESCE(u.lead_minutes, ?) = ? ORDER BY s.user_id",
            (session_id, default_lead, lead_minutes),
        )
        return [r[0] for r in rows]

    async def stargazers_with_leads(self, session_ids: Sequence[str], default_lead: int) -> list[tuple[str, int, int]]:
        """(session, user, effective lead minutes) for every star on these sessions, in one query per 500 sessions."""
        out: list[tuple[str, int, int]] = []
        for chunk, marks in in_chunks(list(session_ids)):
            out.extend(
                await self.fetchall(
                    "SELECT s.session_id, s.user_id, COALESCE(u.lead_minutes, ?) FROM stars AS s "
                    f"LEFT JOIN user_settings AS u ON u.user_id = s.user_id WHERE s.session_id IN ({marks})",
                    (default_lead, *chunk),
                )
            )
        return [(sid, uid, int(lead)) for sid, uid, lead in out]
