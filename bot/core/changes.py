"""Schedule changes: what moved, changed room, was renamed or cancelled since attendees were last told, and how to say so.

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
from bot.i18n import WEEKDAYS_ZH

__all__ = ["CHANGE_KINDS", "Change", "describe", "diff", "snapshot_of"]

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


# ---------------------------------------------------------------- describing a change


def _when(dt: datetime | None, tz: tzinfo | None, lang: str) -> str:
    if dt is None:
        return "未定时间" if lang == "zh" else "no time yet"
    local = dt.astimezone(tz) if tz is not None else dt
    if lang == "zh":
        return f"{WEEKDAYS_ZH[local.weekday()]} {local:%H:%M}"
    return f"{local:%a %H:%M}"


def _room(room: str | None, lang: str) -> str:
    if room:
        return room
    return "地点待定" if lang == "zh" else "room to be announced"


def describe(change: Change, lang: str = "en") -> str:
    """One line for attendees: “Title” moved from Fri 10:00 to Fri 14:00 (Pier 2); Chinese with lang="zh"."""
    zh = lang == "zh"
    tz = change.tz
    old, new = change.old, change.new
    q = (lambda t: f"《{t}》") if zh else (lambda t: f"“{t}”")
    new_title = new.title_in(lang) if new is not None else (old.title if old is not None else change.session_id)
    old_title = old.title if old is not None else new_title
    kinds = change.kinds
    if "renamed" in kinds and old_title != new_title:
        title = f"{q(new_title)}（原名{q(old_title)}）" if zh else f"{q(new_title)} (formerly {q(old_title)})"
    else:
        title = q(new_title)
    new_room = _room(new.room_in(lang) if new is not None else None, lang)
    old_room = _room(old.room if old is not None else None, lang)

    if "cancelled" in kinds:
        when = _when(old.start if old else None, tz, lang)
        room = f"{'，' if zh else ', '}{old.room}" if old is not None and old.room else ""
        return f"{title}（{when}{room}）已取消" if zh else f"{title} ({when}{room}) is cancelled"
    if "restored" in kinds:
        when = _when(new.start if new else None, tz, lang)
        return (
            f"{title}恢复安排：{when}（{new_room}）" if zh else f"{title} is back on the programme: {when} ({new_room})"
        )
    if "moved" in kinds:
        old_when = _when(old.start if old else None, tz, lang)
        new_start = new.start if new is not None else None
        if new_start is None:
            return f"{title}暂无时间（原定 {old_when}）" if zh else f"{title} no longer has a time (was {old_when})"
        new_when = _when(new_start, tz, lang)
        if old is None or old.start is None:
            return (
                f"{title}定了时间：{new_when}（{new_room}）"
                if zh
                else f"{title} now has a time: {new_when} ({new_room})"
            )
        if "re-roomed" in kinds:
            return (
                f"{title}从 {old_when}（{old_room}）改到 {new_when}（{new_room}）"
                if zh
                else f"{title} moved from {old_when} ({old_room}) to {new_when} ({new_room})"
            )
        return (
            f"{title}从 {old_when} 改到 {new_when}（{new_room}）"
            if zh
            else f"{title} moved from {old_when} to {new_when} ({new_room})"
        )
    when = _when(new.start if new is not None else None, tz, lang)
    if "re-roomed" in kinds:
        return (
            f"{title}（{when}）换了地点：{old_room} → {new_room}"
            if zh
            else f"{title} ({when}) moved from {old_room} to {new_room}"
        )
    # renamed only
    return (
        f"{q(old_title)}更名为{q(new_title)}（{when}，{new_room}）"
        if zh
        else f"{q(old_title)} is now called {q(new_title)} ({when}, {new_room})"
    )
