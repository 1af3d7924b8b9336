"""Schedule changes: what moved, changed room, was renamed or cancelled since attendees were last told.

The comparison is always against the snapshot last *announced* (stored in the database), never merely the
previous catalog in memory: a restart still tells what changed while the bot was down, and a burst of edits
between two announcements collapses into one change from the announced state to the latest one.

Each announced state of a session has a fingerprint chained from the state before it, so a change back
and forth (10:00 → 14:00 → 10:00 → 14:00) gets a new fingerprint every time and is announced every time,
while the same change computed twice (a restart before the snapshot was saved) gets the same fingerprint
and is announced once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from bot.core.model import Session
from bot.core.programme import Catalog, session_stem
from bot.core.storage import SnapshotRow

__all__ = ["CHANGE_KINDS", "Change", "diff", "snapshot_of"]

# "restored": a session cancelled earlier is back (its file reappeared).
CHANGE_KINDS = frozenset({"moved", "re-roomed", "renamed", "cancelled", "restored"})


@dataclass(frozen=True, slots=True)
class Change:
    """One session's change since it was last announced."""

    session_id: str
    kinds: frozenset[str]
    old: SnapshotRow | None
    new: Session | None  # None when cancelled
    fingerprint: str  # the new announced state's fingerprint: the delivery key of its notice
    tz: tzinfo | None = field(default=None, compare=False)  # the conference zone, for describing times

    @property
    def title(self) -> str:
        if self.new is not None:
            return self.new.title
        return self.old.title if self.old is not None else self.session_id


def _content(start: datetime | None, room: str | None, title: str, cancelled: bool) -> str:
    """What attendees are told about a session, as text: a change in it is worth a notice."""
    when = start.astimezone(UTC).isoformat() if start is not None else ""
    return "\x1f".join((when, room or "", title, "1" if cancelled else "0"))


def _row_content(row: SnapshotRow) -> str:
    return _content(row.start, row.room, row.title, row.cancelled)


def _chain(previous_fingerprint: str, content: str) -> str:
    return hashlib.sha256(f"{previous_fingerprint}\x1e{content}".encode()).hexdigest()[:20]


def _row_for(session: Session, old: SnapshotRow | None) -> SnapshotRow:
    content = _content(session.start, session.room, session.title, False)
    if old is not None and _row_content(old) == content:
        fingerprint = old.fingerprint  # nothing worth telling changed (perhaps the end): keep the announced state
    else:
        fingerprint = _chain(old.fingerprint if old is not None else "", content)
    return SnapshotRow(session.id, fingerprint, session.start, session.end, session.room, session.title, False)


def _cancelled_row(old: SnapshotRow) -> SnapshotRow:
    fingerprint = _chain(old.fingerprint, _content(old.start, old.room, old.title, True))
    return SnapshotRow(old.session_id, fingerprint, old.start, old.end, old.room, old.title, True)


def _unknown_ids(catalog: Catalog) -> set[str] | None:
    """Sessions whose state is unknown because their file is broken; None when the whole folder is unreadable."""
    if not catalog.sessions:
        return None  # an empty catalog is a missing or unreadable folder, not a cancelled conference
    return {session_stem(p) for p in catalog.failed_files}


def snapshot_of(catalog: Catalog, previous: Mapping[str, SnapshotRow] | None = None) -> dict[str, SnapshotRow]:
    """What attendees will have been told once the changes since `previous` are announced.

    Sessions gone from the folder are kept as cancelled rows (so they are not announced twice and a return
    is noticed); a session missing because its file is broken keeps its previous row.
    """
    previous = previous or {}
    rows = {s.id: _row_for(s, previous.get(s.id)) for s in catalog.sessions}
    unknown = _unknown_ids(catalog)
    for sid, old in previous.items():
        if sid in rows:
            continue
        if unknown is None or sid in unknown or old.cancelled:
            rows[sid] = old
        else:
            rows[sid] = _cancelled_row(old)
    return rows


def diff(previous: Mapping[str, SnapshotRow], catalog: Catalog) -> list[Change]:
    """The changes worth telling stargazers, from the announced snapshot to the catalog, in programme order.

    New sessions are not changes (nobody can have starred them); a change of end time alone is not worth a notice.
    """
    if not previous:
        return []
    changes: list[Change] = []
    for session in catalog.sessions:
        old = previous.get(session.id)
        if old is None:
            continue
        if old.cancelled:
            kinds = {"restored"}
        else:
            kinds = set()
            if old.start != session.start:
                kinds.add("moved")
            if (old.room or None) != (session.room or None):
                kinds.add("re-roomed")
            if old.title != session.title:
                kinds.add("renamed")
        if kinds:
            row = _row_for(session, old)
            changes.append(Change(session.id, frozenset(kinds), old, session, row.fingerprint, catalog.tz))
    unknown = _unknown_ids(catalog)
    if unknown is not None:
        for sid, old in previous.items():
            if sid not in catalog.by_id and sid not in unknown and not old.cancelled:
                changes.append(
                    Change(sid, frozenset({"cancelled"}), old, None, _cancelled_row(old).fingerprint, catalog.tz)
                )
    far = datetime.max.replace(tzinfo=UTC)

    def order(c: Change) -> tuple[datetime, str]:
        start = (c.new.start if c.new is not None else None) or (c.old.start if c.old is not None else None)
        return (start or far, c.session_id)

    changes.sort(key=order)
    return changes
