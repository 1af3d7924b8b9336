"""Stars: who starred which session, and who wants which session's reminder at which lead time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.core.storage.database import Database
from bot.core.storage.times import to_db

__all__ = ["StarsTable"]

_MAX_PARAMS = 500  # well under SQLite's limit on bound parameters


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

    async def reminder_demand(self, default_lead: int) -> dict[str, frozenset[int]]:
        """Each starred session's distinct effective lead times (a user's own, or the default): what to plan."""
        rows = await self.fetchall(
            "SELECT s.session_id, COALESCE(u.lead_minutes, ?) FROM stars AS s "
            "LEFT JOIN user_settings AS u ON u.user_id = s.user_id GROUP BY 1, 2",
            (default_lead,),
        )
        demand: dict[str, set[int]] = {}
        for session_id, lead in rows:
            demand.setdefault(session_id, set()).add(int(lead))
        return {k: frozenset(v) for k, v in demand.items()}

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
        ids = list(session_ids)
        for i in range(0, len(ids), _MAX_PARAMS):
            chunk = ids[i : i + _MAX_PARAMS]
            out.extend(
                await self.fetchall(
                    "SELECT s.session_id, s.user_id, COALESCE(u.lead_minutes, ?) FROM stars AS s "
                    "LEFT JOIN user_settings AS u ON u.user_id = s.user_id "
                    f"WHERE s.session_id IN ({','.join('?' * len(chunk))})",
                    (default_lead, *chunk),
                )
            )
        return [(sid, uid, int(lead)) for sid, uid, lead in out]
