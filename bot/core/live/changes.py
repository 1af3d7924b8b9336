"""The public changes channel: every programme change told once, as it is detected, a burst of edits together.

The comparison is against the programme as last told to this channel (its own snapshot in the database, apart
from the stargazers'), so a restart still tells what changed while the bot was down, and a change computed twice
(a crash before the snapshot was saved) gets the same fingerprints, the same post key and the same nonce: it
is posted once. A cancelled session whose slot another session took in the same room says "replaced by …".
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from bot.clock import Clock
from bot.core.changes import Change, diff, snapshot_of
from bot.core.delivery import NoticeSender, PermanentSendError, TransientSendError
from bot.core.model import Session, is_scheduled
from bot.core.nonce import derived_nonce
from bot.core.notices import ProgrammeChangeNotice, PublicChange
from bot.core.programme import Catalog
from bot.core.storage import LiveTable, SnapshotRow

__all__ = ["PublicChanges", "public_changes"]

log = logging.getLogger(__name__)

MAX_PER_POST = 15  # changes in one post: a long burst is split into several posts that each fit a message


def _start_of(change: Change) -> datetime | None:
    if change.new is not None and change.new.start is not None:
        return change.new.start
    return change.old.start if change.old is not None else None


def _replacement(change: Change, catalog: Catalog) -> Session | None:
    """The session that now holds a cancelled session's slot in the same room, if one does."""
    old = change.old
    if old is None or old.start is None or not old.room:
        return None
    old_end = old.end or old.start
    for s in catalog.scheduled:
        if s.id == change.session_id or s.room != old.room:
            continue
        if s.start == old.start or (old.start <= s.start < old_end) or (s.start <= old.start < s.end):
            return s
    return None


def public_changes(previous: dict[str, SnapshotRow], catalog: Catalog, now: datetime) -> list[PublicChange]:
    """What the public changes channel should hear, from what it was last told to the catalog: changes of
    sessions not yet over, and sessions new to the programme; in programme order."""
    if not previous:
        return []
    out: list[PublicChange] = []
    for change in diff(previous, catalog):
        start = _start_of(change)
        old_start = change.old.start if change.old is not None else None
        if start is not None and start <= now and (old_start is None or old_start <= now):
            continue  # over, or under way, in both versions: not news
        replaced = _replacement(change, catalog) if "cancelled" in change.kinds else None
        out.append(PublicChange(change, replaced))
    rows = snapshot_of(catalog, previous)
    for session in catalog.sessions:
        if session.id in previous:
            continue
        if is_scheduled(session) and session.end <= now:
            continue
        row = rows[session.id]
        out.append(PublicChange(Change(session.id, frozenset({"added"}), None, session, row.fingerprint, catalog.tz)))

    def order(c: PublicChange) -> tuple[bool, datetime | str, str]:
        start = _start_of(c.change)
        return (start is None, start or "", c.change.session_id)

    out.sort(key=order)
    return out


def _key(changes: Sequence[PublicChange]) -> str:
    joined = ",".join(f"{c.change.session_id}:{c.change.fingerprint}" for c in changes)
    return hashlib.sha256(joined.encode()).hexdigest()[:32]


class PublicChanges:
    """Tells the public changes channel of each programme change once; does nothing without a channel."""

    def __init__(
        self,
        *,
        storage: LiveTable,
        sender: NoticeSender,
        clock: Clock,
        catalog: Callable[[], Catalog],
        channel_id: int | None,
        lang: str = "en",
    ):
        self.storage = storage
        self.sender = sender
        self.clock = clock
        self.catalog = catalog
        self.channel_id = channel_id
        self.lang = lang
        self.retrying = False  # a post failed for now: the next check tries again
        self._lock = asyncio.Lock()

    async def check(self) -> list[PublicChange]:
        """Post what changed since the channel was last told, then save what it now knows; returns the changes."""
        if self.channel_id is None:
            return []
        async with self._lock:
            catalog = self.catalog()
            previous = await self.storage.load_live_snapshot()
            now = self.clock.now()
            if not previous:  # first run: what is there now is what everyone knows
                if catalog.sessions:
                    await self.storage.save_live_snapshot(snapshot_of(catalog).values())
                return []
            changes = public_changes(previous, catalog, now)
            snapshot = list(snapshot_of(catalog, previous).values())
            if not changes:
                if {r.session_id: r for r in snapshot} != previous:
                    await self.storage.save_live_snapshot(snapshot)
                return []
            await self._post(changes, snapshot, now)
            return changes

    async def _post(self, changes: list[PublicChange], snapshot: list[SnapshotRow], now: datetime) -> None:
        channel_id = self.channel_id
        assert channel_id is not None
        chunks = [changes[i : i + MAX_PER_POST] for i in range(0, len(changes), MAX_PER_POST)]
        sent: list[str] = []
        message_ids: list[int | None] = []
        tz = self.catalog().tz
        for i, chunk in enumerate(chunks):
            key = _key(chunk)
            state, nonce = await self.storage.claim_change_post(key, channel_id, derived_nonce(key, prefix="p"), now)
            if state != "pending":
                continue  # told before a crash that came before the snapshot was saved
            try:
                message_id = await self.sender.send_channel(
                    channel_id, ProgrammeChangeNotice(tuple(chunk), tz), lang=self.lang, nonce=nonce
                )
            except PermanentSendError as exc:
                log.warning("the changes channel %s refuses posts: %s", channel_id, exc)
                await self.storage.finish_change_posts(sent, "sent", self.clock.now(), None, message_ids=message_ids)
                rest = [_key(c) for c in chunks[i:]]
                await self.storage.finish_change_posts(rest, "failed", self.clock.now(), snapshot, error=str(exc))
                self.retrying = False
                return
            except Exception as exc:
                if not isinstance(exc, TransientSendError):
                    log.exception("posting programme changes failed")
                # The snapshot stays as it was: the next check computes the same changes and resends them
                # with the same nonces; what was already posted is recorded as sent.
                await self.storage.finish_change_posts(sent, "sent", self.clock.now(), None, message_ids=message_ids)
                self.retrying = True
                return
            sent.append(key)
            message_ids.append(message_id)
        await self.storage.finish_change_posts(sent, "sent", self.clock.now(), snapshot, message_ids=message_ids)
        self.retrying = False
