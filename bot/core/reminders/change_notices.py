"""Telling stargazers what changed in the programme since they were last told: each change once to each of them.

The comparison is against the snapshot last announced (in the database), so a restart still tells what
changed while the bot was down. A notice a transient error left unsent keeps the old state in the snapshot
until everyone was told, and is resent by the next reminder run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

from bot.clock import Clock
from bot.core.changes import Change, diff, snapshot_of
from bot.core.delivery import Batch, Fanout, RunReport
from bot.core.notices import ChangeNotice
from bot.core.programme import Catalog
from bot.core.reminders.store import ReminderStore
from bot.core.storage import Claim

__all__ = ["ChangeNotices"]


def _over(change: Change, now: datetime) -> bool:
    """The session is over or under way in both versions: not worth a message."""
    times = [
        t.astimezone(UTC)  # compared as instants: in one zone Python compares wall times, wrong across DST
        for t in ((change.old.start if change.old else None), (change.new.start if change.new else None))
        if t is not None
    ]
    return bool(times) and max(times) <= now.astimezone(UTC)


class ChangeNotices:
    """Compares the catalog with the last announced snapshot and tells each stargazer of each change once."""

    def __init__(self, *, storage: ReminderStore, fanout: Fanout, clock: Clock, catalog: Callable[[], Catalog]):
        self.storage = storage
        self.fanout = fanout
        self.clock = clock
        self.catalog = catalog
        self._unfinished: dict[str, Change] = {}  # change notices left pending by transient errors
        self._lock = asyncio.Lock()

    @property
    def unfinished(self) -> bool:
        return bool(self._unfinished)

    async def check(self) -> tuple[list[Change], RunReport]:
        """Tell stargazers what changed since the snapshot, then save what they now know as the snapshot."""
        async with self._lock:
            catalog = self.catalog()
            previous = await self.storage.load_snapshot()
            if not previous:  # first run: what is there now is what attendees know
                await self.storage.save_snapshot(snapshot_of(catalog).values())
                return [], RunReport()
            changes = diff(previous, catalog)
            report = await self._notify(changes) if changes else RunReport()
            rows = snapshot_of(catalog, previous)
            for sid in self._unfinished:  # not everyone was told yet: keep the old state to tell again
                if sid in previous:
                    rows[sid] = previous[sid]
            if rows != previous:
                await self.storage.save_snapshot(rows.values())
            return changes, report

    async def retry(self) -> int:
        """Resend change notices a transient error left pending; returns how many changes are still pending."""
        async with self._lock:
            await self._notify(list(self._unfinished.values()))
            return len(self._unfinished)

    async def close_superseded(self) -> None:
        """A change notice still pending from before a restart whose change was overtaken by a later one is dropped."""
        current = {c.fingerprint for c in self._unfinished.values()}
        for d in await self.storage.pending_deliveries():
            if d.kind == "change" and d.key not in current:
                await self.storage.mark_missed(d.id, "superseded by a later change")

    async def _notify(self, changes: list[Change]) -> RunReport:
        now = self.clock.now()
        batches: list[Batch] = []
        for change in changes:
            if _over(change, now):
                continue
            users = await self.storage.stargazers(change.session_id)
            rows = await self.storage.claim_deliveries(
                [Claim(u, change.session_id, "change", change.fingerprint, now) for u in users], now=now
            )
            pending = [r for r in rows if r.pending]
            if not pending:
                self._unfinished.pop(change.session_id, None)
                continue
            notice = ChangeNotice(change)
            batches.append(Batch(notice, "change", change.fingerprint, pending, widest=notice))
            self._unfinished[change.session_id] = change
        report = RunReport()
        await self.fanout.deliver(batches, report)
        for b in batches:
            if b.left == 0:
                self._unfinished.pop(b.session_id, None)
        return report
