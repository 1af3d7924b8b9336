"""Tracks and rooms by any of their names: the key or display name of a track in either language, the English
or Chinese name of a room; autocomplete and "did you mean" over them. They are few: rebuilt on every change,
from each room's and track's first session (kept up to date by the index)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from bot.core.model import Track
from bot.core.search.complete import match_small
from bot.core.search.text import HAS_CJK, NAME_MAX, camel_parts, collapse, fold, label, norm, split, terms, typed

__all__ = ["Places", "RoomPair", "firsts"]

_NOT_WORD = re.compile(r"[\W_]+")
RoomPair = tuple[str | None, str | None]  # a session's (room, room_zh)
T = TypeVar("T")


def firsts(index: Mapping[T, Sequence[int]]) -> list[T]:
    """The things of a thing -> session keys index, in the order of their first session."""
    return [thing for _, thing in sorted(((keys[0], thing) for thing, keys in index.items() if keys), key=_first)]


def _first(pair: tuple[int, object]) -> int:
    return pair[0]


class Places:
    """The programme's tracks (as given, plus any a session names without a track file) and rooms."""

    __slots__ = (
        "room_canonical",
        "room_list",
        "room_names",
        "track_compact",
        "track_forms",
        "track_lookup",
        "track_order",
        "track_terms",
        "tracks",
    )

    def __init__(self, pairs: Iterable[RoomPair], track_keys: Iterable[str], tracks: Mapping[str, Track]) -> None:
        """`pairs`: each (room, room_zh) sessions give, in the order the programme first shows them (a room's
        first spelling is the one shown); `track_keys`: the tracks sessions name, likewise."""
        known = dict(tracks)
        for key in track_keys:
            if key and key not in known:
                known[key] = Track(key=key, name=key)
        names: dict[str, str] = {}  # folded room name -> room as written (first seen)
        canonical: dict[str, str] = {}  # folded en or zh name -> Session.room spelling
        for pair in pairs:
            main = pair[0] or pair[1]
            for r in pair:
                if main and r and r.strip():
                    f = norm(r)
                    names.setdefault(f, collapse(r))
                    canonical.setdefault(f, main)
        self.room_names = names
        self.room_canonical = canonical
        self.room_list = sorted(names, key=lambda f: (HAS_CJK.search(f) is not None, f))
        self.tracks: dict[str, Track] = known
        self.track_lookup: dict[str, str] = {}
        self.track_compact: dict[str, str | None] = {}
        self.track_forms: dict[str, list[str]] = {}
        for key, t in known.items():
            forms = [norm(f) for f in (key, t.name, t.name_zh) if f]
            self.track_forms[key] = list(dict.fromkeys(f for f in forms if f))
            for f in forms:
                self.track_lookup.setdefault(f, key)
                compact = _NOT_WORD.sub("", f)
                if compact:
                    prior = self.track_compact.get(compact, key)
                    self.track_compact[compact] = key if prior == key else None  # ambiguous -> no match
        self.track_order: dict[str, tuple[list[Track], list[list[str]]]] = {}
        for lang in ("en", "zh"):
            items = sorted(known.values(), key=lambda t: (fold(t.name_in(lang)), t.key))
            self.track_order[lang] = (items, [self.track_forms[t.key] for t in items])
        # What a session's track contributes to search: its key and display names in both languages.
        self.track_terms = {
            key: frozenset(terms(" ".join(self.track_forms[key]), True)).union(
                camel_parts(" ".join(f for f in (key, t.name, t.name_zh) if f))
            )
            for key, t in known.items()
        }

    def complete_track(self, prefix: str, limit: int, lang: str) -> list[tuple[str, str]]:
        items, forms = self.track_order["zh" if lang == "zh" else "en"]
        chosen = match_small(forms, norm(prefix), limit)
        return [(label(items[i].name_in(lang)), items[i].key) for i in chosen]

    def complete_room(self, prefix: str, limit: int) -> list[str]:
        chosen = match_small([[f] for f in self.room_list], norm(prefix), limit)
        return [self.room_names[self.room_list[i]] for i in chosen]

    def resolve_track(self, text: str) -> str | None:
        folded = norm(text)
        if not folded:
            return None
        key = self.track_lookup.get(folded)
        if key is None:
            key = self.track_compact.get(_NOT_WORD.sub("", folded))
        return key

    def resolve_room(self, text: str) -> str | None:
        folded = norm(text)
        return self.room_canonical.get(folded) if folded else None

    def tracks_containing(self, text: str, lang: str = "en") -> list[str]:
        """The keys of the tracks one of whose names (key, or display name in either language) holds what was
        typed: as a part ("tomcat" in "Web Server/Tomcat"), or each typed word as the start of one of its
        words; in the order of their names in `lang`."""
        items, forms = self.track_order["zh" if lang == "zh" else "en"]
        return [items[i].key for i in _containing(forms, norm(text[:NAME_MAX]))]

    def rooms_containing(self, text: str) -> list[str]:
        """The rooms (as sessions spell them) one of whose names holds what was typed, as tracks_containing."""
        found = _containing([[f] for f in self.room_list], norm(text[:NAME_MAX]))
        return list(dict.fromkeys(self.room_canonical[self.room_list[i]] for i in found))


def _containing(forms: Sequence[Sequence[str]], text: str) -> list[int]:
    if not text:
        return []
    compact = _NOT_WORD.sub("", text)
    words, runs = typed(text)
    out = []
    for i, fs in enumerate(forms):
        if any(text in f or (compact and compact in _NOT_WORD.sub("", f)) for f in fs):
            out.append(i)
            continue
        vocab = [w for f in fs for w in split(f)[0]]
        if (
            (words or runs)
            and all(any(v.startswith(w) for v in vocab) for w in words)
            and all(any(r in f for f in fs) for r in runs)
        ):
            out.append(i)
    return out
