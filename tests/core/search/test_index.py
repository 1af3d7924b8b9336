"""The index as a whole: it keeps its own copy, refuses unknown kinds, and a reload's update equals a fresh build."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.model import Session
from bot.core.search import SearchIndex
from tests.core.search.programme import DAY1, SESSIONS, TRACKS, ids, mk


def test_index_keeps_its_own_copy():
    """Changing the list the index was built from does not change search results."""
    sessions = list(SESSIONS)
    idx = SearchIndex(sessions, TRACKS)
    sessions.clear()
    assert ids(idx.search("OceanBase")) == ["ob-1"]


def test_closest_rejects_unknown_kind(index):
    """Asking for suggestions of an unknown kind is a programming error."""
    with pytest.raises(ValueError):
        index.closest("colour", "red")


# --------------------------------------------------------------------------- updates on reload

WORDS = ["kafka", "stream", "streams", "streaming", "apache", "doris", "lake", "lakehouse", "observe", "vector"]
WORDS += ["数据库", "实时", "流处理", "湖仓", "社区"]
PEOPLE = ["Wentao Liu", "Jun Liu", "Zoltán Borók-Nagy", "高赟", "Wombacher, Andreas", "Ann Other", "Li Wei", "李伟"]
ROOMS = [
    (None, None),
    ("JingMing Hall", "静明厅"),
    ("YuanMing Hall", "圆明厅"),
    ("Room A", None),
    ("jingming hall", None),
]


def generated(n: int) -> list[Session]:
    """n sessions drawn from a few words, people, rooms and slots: many ties, shared words, shared names."""
    out = []
    for i in range(n):
        room, room_zh = ROOMS[i % len(ROOMS)]
        out.append(
            mk(
                f"g-{i}",
                " ".join(WORDS[(i * k) % len(WORDS)] for k in (1, 3, 7)),
                minutes=None if i % 17 == 0 else 30 * (i % 9),
                track=("streaming", "datalake", "ai", "general", "unfiled")[i % 5],
                presenters=(PEOPLE[i % len(PEOPLE)], PEOPLE[(i * 3) % len(PEOPLE)]),
                room=room,
                room_zh=room_zh,
                abstract=" ".join(WORDS[(i + k) % len(WORDS)] for k in range(5)),
            )
        )
    return out


def edit(kind: str, old: Session, n: int) -> Session | None:
    """One organizer's edit of a session (None: it was removed)."""
    if kind == "retitle":
        return replace(old, title=f"{WORDS[n % len(WORDS)]} {old.title}", title_zh=WORDS[(n // 7) % len(WORDS)])
    if kind == "move":
        return replace(old, start=DAY1 + timedelta(minutes=15 * (n % 40)))
    if kind == "unschedule":
        return replace(old, start=None)
    if kind == "people":
        return replace(old, presenters=tuple(PEOPLE[(n + k) % len(PEOPLE)] for k in range(n % 3)))
    if kind == "room":
        room, room_zh = ROOMS[n % len(ROOMS)]
        return replace(old, room=room, room_zh=room_zh)
    if kind == "end":
        return replace(old, end=old.start)
    return None


def answers(idx: SearchIndex) -> list[object]:
    """What attendees can see of an index: search, every autocomplete, speakers, suggestions, lookups."""
    out: list[object] = [[s.id for s in idx.sessions]]
    for q in [*WORDS, "kafak", "strem lake", "liu", "Borok", "数据", "hall", "g-3", "apache doris", "andreas"]:
        out.append([(h.session.id, round(h.score, 9), h.matched) for h in idx.search(q)])
        found = idx.find(q)
        out.append(([(h.session.id, h.whole) for h in found.hits], found.total, found.every))
        people, total = idx.speakers(q)
        out.append(([(p.name, p.name_zh, [s.id for s in p.sessions]) for p in people], total))
        out.append(([s.id for s in idx.titled(q)], idx.tracks_containing(q), idx.rooms_containing(q)))
        out.append((idx.closest("speaker", q), idx.closest("room", q), idx.closest("track", q)))
        out.append([s.id for s in idx.speaker_sessions(q)])
        out.append((idx.resolve_room(q), idx.resolve_track(q)))
    for text in ["", "k", "ka", "kaf", "str", "stream", "a", "li", "数", "实时", "g-1", "j", "jing", "静", "x"]:
        out.append((idx.complete_session(text), idx.complete_session(text, lang="zh"), idx.complete_speaker(text)))
        out.append((idx.complete_room(text), idx.complete_track(text), idx.complete_track(text, lang="zh")))
    return out


KINDS = ["retitle", "move", "unschedule", "people", "room", "end", "remove", "add"]
EDITS = st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 10**6)), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds=st.lists(EDITS, min_size=1, max_size=4))
def test_updated_index_answers_like_a_fresh_one(rounds):
    """After any reloads (sessions retitled, moved, re-roomed, re-staffed, added, removed), search and every
    autocomplete answer exactly as an index built afresh from the new programme would."""
    current = [*SESSIONS, *generated(60)]
    idx = SearchIndex(current, TRACKS)
    for number, edits in enumerate(rounds):
        changes: list[tuple[Session | None, Session | None]] = []
        touched: set[str] = set()
        for kind, n in edits:
            if kind == "add":
                src = current[n % len(current)]
                new = replace(src, id=f"new-{number}-{n}", title=f"{src.title} {WORDS[n % len(WORDS)]}")
                if new.id not in touched and all(s.id != new.id for s in current):
                    changes.append((None, new))
                    current.append(new)
                    touched.add(new.id)
                continue
            old = current[n % len(current)]
            if old.id in touched:
                continue
            touched.add(old.id)
            new = edit(kind, old, n)
            changes.append((old, new))
            current = [s for s in current if s is not old] + ([new] if new is not None else [])
        before = answers(idx)
        updated = idx.updated(changes, TRACKS)
        assert answers(idx) == before  # readers of the old index see the old programme, whole
        assert answers(updated) == answers(SearchIndex(current, TRACKS))
        idx = updated


def test_many_new_sessions_in_one_slot_still_index_right():
    """Forty talks added one reload at a time into the same time slot (where the index runs out of room
    between two neighbours and must start afresh) are all found, in time and id order."""
    base = [mk("a", "Opening", minutes=0), mk("z", "Closing", minutes=60, presenters=("Ann Other",))]
    idx = SearchIndex(base, TRACKS)
    current = list(base)
    for i in range(40):
        new = mk(f"m-{i:02d}", f"Lightning {i}", minutes=30, presenters=(f"Speaker {i}",))
        idx = idx.updated([(None, new)], TRACKS)
        current.append(new)
    assert answers(idx) == answers(SearchIndex(current, TRACKS))
    assert [v for _, v in idx.complete_session("lightning", limit=50)] == [f"m-{i:02d}" for i in range(40)]
