"""The search index over one version of the programme: full-text search, autocomplete, speakers, tracks and
rooms. Immutable once made; `updated()` makes the next version from the sessions a reload changed, sharing
what did not change, so a reload costs milliseconds and readers of the old index are never disturbed."""

from __future__ import annotations

import gc
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

from bot.core.model import Session, Track
from bot.core.search.complete import SessionCompletion
from bot.core.search.keys import KEY_LIMIT, between, spaced
from bot.core.search.people import NoRoom, Speaker, Speakers, names_in
from bot.core.search.places import Places, RoomPair, firsts
from bot.core.search.postings import TermIndex, about, field_postings, field_terms, title_text
from bot.core.search.query import parse
from bot.core.search.ranking import search as ranked_search
from bot.core.search.text import HAS_CJK, NAME_MAX, SUGGEST_MIN, fold, norm, rank_similar, title_key

__all__ = ["Change", "Found", "Hit", "SearchIndex", "Speaker"]

_NO_TRACKS: Mapping[str, Track] = MappingProxyType({})
_OrderTuple = tuple[bool, float, str]
Change = tuple[Session | None, Session | None]  # (as indexed, as it is now): None for added or removed
T = TypeVar("T")
_LOOKUP_MAX = 1000  # characters of a name looked up as a whole (a dict lookup: only folding it costs)
_REBUILD_SHARE = 4  # a change to more than a quarter of the sessions builds afresh: cheaper than updating


class Hit(NamedTuple):
    """One search result: the session, a score in (0, 1] (higher is better) and the field that matched best."""

    session: Session
    score: float
    matched: str  # "title" | "presenter" | "track" | "room" | "abstract" | "id"
    whole: bool = False  # its title or speakers hold every word asked for (or its id was asked for)


@dataclass(frozen=True, slots=True)
class Found:
    """What a search found: the best hits (at most the limit asked), how many sessions match in all, whether
    they hold every word asked for (else none does and these hold the most), and whether part of the query
    went unread (longer than QUERY_MAX characters, or more words than a query is read for)."""

    hits: list[Hit]
    total: int
    every: bool = True
    clipped: bool = False


def _order(s: Session) -> _OrderTuple:
    """Time order, unscheduled last, ties by id: every session's key sorts like this."""
    return (s.start is None, s.start.timestamp() if s.start else 0.0, s.id)


def _names(tracks: Mapping[str, Track]) -> tuple[tuple[str, str, str | None], ...]:
    """What the index reads of the tracks it was given."""
    return tuple((k, t.name, t.name_zh) for k, t in tracks.items())


def _indexed(s: Session) -> tuple[object, ...]:
    """What the index reads of a session: two sessions alike in this index alike (their end may differ)."""
    return (
        _order(s),
        s.title,
        s.title_zh,
        s.presenters,
        s.presenters_zh,
        s.track,
        s.room,
        s.room_zh,
        about(s),
    )


def _room(s: Session) -> RoomPair:
    return (s.room, s.room_zh)


def _track(s: Session) -> str:
    return s.track


def _title_keys(title: str) -> set[str]:
    """A session's titles (English, Chinese) as title_key() reads them, from its title_text()."""
    return {k for line in title.split("\n") if (k := title_key(line))}


def _titles_by_key(titles: Mapping[int, str]) -> dict[str, tuple[int, ...]]:
    found: defaultdict[str, list[int]] = defaultdict(list)
    for key, title in titles.items():
        for t in _title_keys(title):
            found[t].append(key)
    return {t: tuple(sorted(keys)) for t, keys in found.items()}


def _titles_edited(
    index: Mapping[str, tuple[int, ...]], removed: Iterable[tuple[int, str]], added: Iterable[tuple[int, str]]
) -> dict[str, tuple[int, ...]]:
    """The title index with (session key, title_text) pairs taken out and put in."""
    out = dict(index)
    for key, title in removed:
        for t in _title_keys(title):
            keys = tuple(k for k in out[t] if k != key)
            if keys:
                out[t] = keys
            else:
                del out[t]
    for key, title in added:
        for t in _title_keys(title):
            out[t] = tuple(sorted((*out.get(t, ()), key)))
    return out


def _sessions_by(keyed: Iterable[tuple[int, Session]], of: Callable[[Session], T]) -> dict[T, tuple[int, ...]]:
    """Thing (a session's room pair, its track) -> the keys of the sessions with it, ascending."""
    found: defaultdict[T, list[int]] = defaultdict(list)
    for key, s in keyed:
        found[of(s)].append(key)
    return {thing: tuple(keys) for thing, keys in found.items()}


def _edited(
    index: Mapping[T, tuple[int, ...]],
    of: Callable[[Session], T],
    removed: Iterable[tuple[int, Session]],
    added: Iterable[tuple[int, Session]],
) -> dict[T, tuple[int, ...]]:
    out = dict(index)
    for key, s in removed:
        thing = of(s)
        out[thing] = keys = out[thing][: (i := bisect_left(out[thing], key))] + out[thing][i + 1 :]
        if not keys:
            del out[thing]
    for key, s in added:
        thing = of(s)
        old = out.get(thing, ())
        i = bisect_left(old, key)
        out[thing] = (*old[:i], key, *old[i:])
    return out


class _Rebuild(Exception):
    """An update the index cannot apply in place (order keys ran out, ids clash, tracks renamed)."""


class SearchIndex:
    """An immutable index over one programme; a reload makes the next one with `updated()`."""

    __slots__ = (
        "_by_id",
        "_complete",
        "_key_of",
        "_order",
        "_order_tuples",
        "_places",
        "_room_sessions",
        "_sessions",
        "_speakers",
        "_terms",
        "_title_keys",
        "_titles",
        "_track_names",
        "_track_sessions",
    )

    def __init__(self, sessions: Iterable[Session], tracks: Mapping[str, Track] = _NO_TRACKS) -> None:
        # Each session's key sorts like its place in time order, so ties break by start time everywhere.
        tagged = sorted(((_order(s), s) for s in sessions), key=itemgetter(0))  # stable: equal ids keep their order
        ordered = [s for _, s in tagged]
        keyed = list(zip(spaced(len(ordered)), ordered, strict=True))
        # The build allocates about a million objects that all survive; the cyclic collector would
        # walk them again and again for nothing (a seventh of the build time at 10,000 sessions).
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._track_names = _names(tracks)
            self._sessions = dict(keyed)
            self._order = [k for k, _ in keyed]
            self._order_tuples = [t for t, _ in tagged]
            self._key_of = {s.id: k for k, s in keyed}
            self._by_id = {s.id.casefold(): s for s in ordered}
            self._titles = {k: title_text(s) for k, s in keyed}
            self._title_keys = _titles_by_key(self._titles)
            self._room_sessions = _sessions_by(keyed, _room)
            self._track_sessions = _sessions_by(keyed, _track)
            self._places = Places(firsts(self._room_sessions), firsts(self._track_sessions), tracks)
            per_field = field_postings(keyed, self._titles, self._places.track_terms)
            self._terms = TermIndex.build(per_field, self._titles)
            self._complete = SessionCompletion.build(keyed, self._titles, per_field[0], per_field[1])
            self._speakers = Speakers.build(keyed)
        finally:
            if gc_was_enabled:
                gc.enable()

    # ------------------------------------------------------------------ updating

    def updated(self, changes: Iterable[Change], tracks: Mapping[str, Track] = _NO_TRACKS) -> SearchIndex:
        """The index after these changes: (old, new) replaces a session, (None, new) adds one, (old, None)
        removes one; `tracks` as the new catalog has them. Self is left as it is."""
        changes = list(changes)
        if not changes and _names(tracks) == self._track_names:
            return self
        if len(changes) * _REBUILD_SHARE > len(self._sessions):
            return SearchIndex(self._after(changes), tracks)
        try:
            return self._update(changes, tracks)
        except _Rebuild:
            return SearchIndex(self._after(changes), tracks)

    def _after(self, changes: list[Change]) -> list[Session]:
        gone = {id(old) for old, _ in changes if old is not None}
        out = [s for s in self._sessions.values() if id(s) not in gone]
        return out + [new for _, new in changes if new is not None]

    def _update(self, changes: list[Change], tracks: Mapping[str, Track]) -> SearchIndex:
        sessions = dict(self._sessions)
        key_of = dict(self._key_of)
        titles = dict(self._titles)
        order, order_tuples = list(self._order), list(self._order_tuples)
        removed: list[tuple[int, Session]] = []
        arriving: list[Session] = []
        swapped: list[Session] = []
        for old, new in changes:
            key = None
            if old is not None:
                key = key_of.get(old.id)
                if key is None or sessions[key] is not old:
                    raise _Rebuild
            if key is not None and old is not None and new is not None and _indexed(old) == _indexed(new):
                sessions[key] = new  # the same to search (its end moved, say): swap the object, nothing else
                swapped.append(new)
                continue
            if key is not None and old is not None:
                removed.append((key, old))
                del sessions[key], key_of[old.id], titles[key]
                i = bisect_left(order, key)
                del order[i], order_tuples[i]
            if new is not None:
                arriving.append(new)
        added: list[tuple[int, Session]] = []
        slots: defaultdict[int, list[Session]] = defaultdict(list)
        for new in sorted(arriving, key=_order):
            if new.id in key_of:
                raise _Rebuild
            key_of[new.id] = 0  # taken: a second arrival with this id must not slip in (its key comes below)
            slots[bisect_left(order_tuples, _order(new))].append(new)
        for at in sorted(slots, reverse=True):  # from the end, so earlier positions stay put
            group = slots[at]
            fresh = between(order[at - 1] if at else 0, order[at] if at < len(order) else KEY_LIMIT, len(group))
            if fresh is None:
                raise _Rebuild
            order[at:at] = fresh
            order_tuples[at:at] = [_order(s) for s in group]
            for key, s in zip(fresh, group, strict=True):
                sessions[key] = s
                key_of[s.id] = key
                titles[key] = title_text(s)
                added.append((key, s))
        room_sessions = _edited(self._room_sessions, _room, removed, added)
        track_sessions = _edited(self._track_sessions, _track, removed, added)
        places = Places(firsts(room_sessions), firsts(track_sessions), tracks)
        old_terms = self._places.track_terms
        if any(old_terms[k] != v for k, v in places.track_terms.items() if k in old_terms):
            raise _Rebuild  # a track's names changed: every session in it would need re-indexing
        try:
            speakers = self._speakers.updated(removed, added, sessions)
        except NoRoom:
            raise _Rebuild from None
        made = object.__new__(SearchIndex)
        made._track_names = _names(tracks)
        made._sessions = sessions
        made._order = order
        made._order_tuples = order_tuples
        made._key_of = key_of
        made._titles = titles
        made._title_keys = _titles_edited(
            self._title_keys, [(k, self._titles[k]) for k, _ in removed], [(k, titles[k]) for k, _ in added]
        )
        made._places = places
        made._room_sessions = room_sessions
        made._track_sessions = track_sessions
        made._terms = self._terms.updated(
            [(k, field_terms(s, self._titles[k], old_terms)) for k, s in removed],
            [(k, field_terms(s, titles[k], places.track_terms)) for k, s in added],
            titles,
        )
        made._complete = self._complete.updated(removed, added, self._titles, titles, sessions)
        made._speakers = speakers
        made._by_id = self._by_id_after(
            made._complete, sessions, [s for _, s in removed], [*swapped, *(s for _, s in added)]
        )
        return made

    def _by_id_after(
        self, complete: SessionCompletion, sessions: Mapping[int, Session], gone: list[Session], came: list[Session]
    ) -> dict[str, Session]:
        """Session id (any case) -> session; of sessions whose ids differ only in case, the latest."""
        by_id = dict(self._by_id)
        ids = complete.ids_sorted
        for folded in {s.id.casefold() for s in (*gone, *came)}:
            hi = bisect_left(ids, (folded + "\0",))
            if hi and ids[hi - 1][0] == folded:
                by_id[folded] = sessions[ids[hi - 1][1]]
            else:
                by_id.pop(folded, None)
        return by_id

    # ------------------------------------------------------------------ search

    def find(self, query: str, limit: int = 500) -> Found:
        """The sessions matching a query, best first (bot.core.search.ranking says how), at most `limit` of them,
        and how many match in all. A session's id (any case) finds that session alone."""
        text = norm(query[:_LOOKUP_MAX])
        if not text or limit <= 0:
            return Found([], 0)
        by_id = self._by_id.get(text)
        if by_id is not None:
            return Found([Hit(by_id, 1.0, "id", True)], 1)
        q = parse(query)
        ranked = ranked_search(self._terms, q, limit, self._field_text, self._order, self._raw_text)
        sessions = self._sessions
        hits = [Hit(sessions[key], score, field, whole) for key, score, field, whole in ranked.found]
        return Found(hits, ranked.total, ranked.every, q.clipped)

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """The best `limit` sessions matching a query (see find)."""
        return self.find(query, limit).hits

    def _field_text(self, key: int, field: int) -> str:
        """One field of a session, folded, as search reads it (FIELDS order)."""
        s = self._sessions[key]
        if field == 0:
            return self._titles[key]
        if field == 1:
            return fold(" , ".join((*s.presenters, *s.presenters_zh)))
        if field == 2:
            return " , ".join(self._places.track_forms.get(s.track, ()))
        if field == 3:
            return fold(" , ".join(r for r in (s.room, s.room_zh) if r))
        return fold("\n".join(a for a in about(s) if a))

    def _raw_text(self, key: int) -> str:
        """All of a session's text as written, and its track's names."""
        s = self._sessions[key]
        parts = [s.title, s.title_zh or "", *s.presenters, *s.presenters_zh, s.room or "", s.room_zh or ""]
        parts += self._places.track_forms.get(s.track, ())
        parts += about(s)
        return "\n".join(parts)

    def titled(self, text: str) -> list[Session]:
        """The sessions whose whole title (English or Chinese) is `text`, whatever its case, accents, spacing or
        punctuation, in time order."""
        key = title_key(text[:_LOOKUP_MAX])
        sessions = self._sessions
        return [sessions[k] for k in self._title_keys.get(key, ())] if key else []

    def ids_from(self, prefix: str) -> list[str]:
        """The session ids that start with `prefix` (any case), in id order."""
        folded = prefix.casefold()
        ids = self._complete.ids_sorted
        lo = bisect_left(ids, (folded,))
        hi = bisect_left(ids, (folded + "\uffff",), lo)
        sessions = self._sessions
        return [sessions[key].id for _, key in ids[lo:hi]]

    # ------------------------------------------------------------------ autocomplete

    def complete_session(self, prefix: str, limit: int = 25, lang: str = "en") -> list[tuple[str, str]]:
        """(label, session id) for what the user has typed so far, best first; labels at most 100 characters."""
        labels = self._complete.labels["zh" if lang == "zh" else "en"]
        text = norm(prefix)
        if limit <= 0:
            return []
        sessions = self._sessions
        keys = self._order[:limit] if not text else self._complete.complete(text, limit, self._titles)
        return [(labels[k], sessions[k].id) for k in keys]

    def complete_speaker(self, prefix: str, limit: int = 25) -> list[str]:
        """Speaker names for what the user has typed (any name part, any order), best first."""
        return self._speakers.complete(prefix, limit)

    def complete_track(self, prefix: str, limit: int = 25, lang: str = "en") -> list[tuple[str, str]]:
        """(display name, key) of tracks matching by key or either name, best first."""
        return self._places.complete_track(prefix, limit, lang)

    def complete_room(self, prefix: str, limit: int = 25) -> list[str]:
        """Room names (English and Chinese, as written) matching what the user typed, best first."""
        return self._places.complete_room(prefix, limit)

    # ------------------------------------------------------------------ lookups

    def closest(self, kind: str, text: str, n: int = 3) -> list[str]:
        """Up to n "did you mean" suggestions for an unknown track, room or speaker, closest first."""
        if kind not in ("track", "room", "speaker"):
            raise ValueError(f"closest(): kind must be track, room or speaker, not {kind!r}")
        query = norm(text[:NAME_MAX])
        if not query or n <= 0:
            return []
        if kind == "speaker":
            return self._speakers.suggest(query, n, SUGGEST_MIN)
        places = self._places
        owners: list[tuple[str, Any]]
        display: Mapping[Any, str]
        if kind == "track":
            lang = "zh" if HAS_CJK.search(query) else "en"
            owners = [(f, key) for key, forms in places.track_forms.items() for f in forms]
            display = {key: t.name_in(lang) for key, t in places.tracks.items()}
        else:
            owners = [(f, f) for f in places.room_list]
            display = places.room_names
        ranked = rank_similar(query, [f for f, _ in owners], SUGGEST_MIN)
        out: list[str] = []
        for _, i in ranked:
            name = display[owners[i][1]]
            if name not in out:
                out.append(name)
                if len(out) == n:
                    break
        return out

    def speaker_sessions(self, name: str) -> list[Session]:
        """One speaker's sessions in time order, found as `speakers` finds them; [] when the name means nobody,
        or several people (a shared surname): `speakers` lists them."""
        sessions = self._sessions
        return [sessions[k] for k in self._speakers.sessions(name, sessions)]

    def speakers(self, name: str, limit: int = 50) -> tuple[list[Speaker], int]:
        """The people a typed name may mean (at most `limit`, by name), with their names in both languages and
        their sessions, and how many match in all: the one whose name it is (any case, spacing, accents or
        order; a person written differently in a session and its translation is one person); else everyone
        with each typed word in their name ("wang"); else the closest to a misspelt name."""
        found, total = self._speakers.find(name, self._sessions, limit)
        return [self._speaker(keys, sids) for keys, sids in found], total

    def speaker_named(self, name: str) -> Speaker | None:
        """The person whose name this is exactly (any case, spacing, accents or order), or None."""
        found = self._speakers.exact(name, self._sessions)
        return self._speaker(*found) if found else None

    def _speaker(self, keys: frozenset[str], sids: tuple[int, ...]) -> Speaker:
        sessions = tuple(self._sessions[k] for k in sids)
        return Speaker(names_in(keys, sessions, "en"), names_in(keys, sessions, "zh"), sessions)

    def track_sessions(self, key: str) -> list[Session]:
        """A track's sessions in time order."""
        sessions = self._sessions
        return [sessions[k] for k in self._track_sessions.get(key, ())]

    def room_sessions(self, room: str) -> list[Session]:
        """A room's sessions (the room as `Session.room` spells it) in time order."""
        sessions = self._sessions
        keys = sorted(k for (en, zh), ks in self._room_sessions.items() if (en or zh) == room for k in ks)
        return [sessions[k] for k in keys]

    def tracks_containing(self, text: str, lang: str = "en") -> list[str]:
        """The keys of the tracks a part of a name may mean ("tomcat" -> the track "Web Server/Tomcat"), in the
        order of their names in `lang`."""
        return self._places.tracks_containing(text, lang)

    def rooms_containing(self, text: str) -> list[str]:
        """The rooms (as `Session.room` spells them) a part of a name may mean, in order."""
        return self._places.rooms_containing(text)

    def resolve_track(self, text: str) -> str | None:
        """The track key named by a key or a display name (English or Chinese); None if unknown."""
        return self._places.resolve_track(text[:_LOOKUP_MAX])

    def resolve_room(self, text: str) -> str | None:
        """The room as sessions spell it (`Session.room`, English when known) from its English or Chinese name."""
        return self._places.resolve_room(text[:_LOOKUP_MAX])

    @property
    def sessions(self) -> tuple[Session, ...]:
        """The indexed sessions in time order (unscheduled last)."""
        sessions = self._sessions
        return tuple(sessions[k] for k in self._order)
