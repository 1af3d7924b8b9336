"""The programme's speakers: each person once (however their name is written, in whichever order), their
sessions, autocomplete over their names and the closest person to a misspelt one."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence

from bot.core.model import Session, split_people
from bot.core.search.complete import PrefixSets, all_of, fix_typos, take
from bot.core.search.keys import KEY_LIMIT, between, spaced
from bot.core.search.text import PERSON_MIN, name_key, norm, rank_similar, split, terms

__all__ = ["NoRoom", "Speakers"]


_Entry = tuple[str, str, str]  # (folded name, name as shown, person key)


class _Folded(Mapping[int, str]):
    """A person's folded name by order key, looked up in the sorted list (no second table to keep)."""

    __slots__ = ("speakers",)

    def __init__(self, speakers: Speakers) -> None:
        self.speakers = speakers

    def __getitem__(self, key: int) -> str:
        return self.speakers._entry(key)[0]

    def __iter__(self) -> Iterator[int]:
        return iter(self.speakers.keys)

    def __len__(self) -> int:
        return len(self.speakers.keys)


class NoRoom(Exception):
    """No order key is left between two neighbours: the index must be built afresh."""


def _people(s: Session) -> list[tuple[str, str]]:
    """(name as written, person key) for every person a session names, in order, with repeats."""
    out: list[tuple[str, str]] = []
    for raw in (*s.presenters, *s.presenters_zh):
        for person in split_people(raw):
            key = name_key(person)
            if key:
                out.append((person, key))
    return out


def _display(pkey: str, sessions: Iterable[Session]) -> str:
    """A person as most often written across their sessions (in time order; the first such spelling on a tie)."""
    counts: dict[str, int] = {}
    for s in sessions:
        for person, key in _people(s):
            if key == pkey:
                counts[person] = counts.get(person, 0) + 1
    return max(counts, key=counts.__getitem__)


class Speakers:
    """Every person the programme names, listed alphabetically (folded); updated per session on reload.

    Each person has an order key (bot.core.search.keys) that sorts like their place in the list, so the
    autocomplete sets need not be renumbered when someone joins.
    """

    __slots__ = ("ac", "entry_of", "keys", "order", "sessions_of")

    def __init__(
        self,
        order: list[_Entry],
        keys: list[int],
        entry_of: dict[str, _Entry],
        sessions_of: dict[str, tuple[int, ...]],
        ac: PrefixSets,
    ) -> None:
        self.order = order  # (folded name, name, person key), sorted
        self.keys = keys  # each person's order key, parallel to `order`
        self.entry_of = entry_of  # person key -> their entry in `order`
        self.sessions_of = sessions_of  # person key -> session keys, in time order
        self.ac = ac  # name words and CJK pairs -> order keys

    @property
    def folded(self) -> list[str]:
        """Everyone's name, folded, alphabetically."""
        return [f for f, _, _ in self.order]

    @property
    def names(self) -> list[str]:
        """Everyone's name as shown, in the same order."""
        return [n for _, n, _ in self.order]

    def _entry(self, key: int) -> _Entry:
        return self.order[bisect_left(self.keys, key)]

    @classmethod
    def build(cls, keyed: Sequence[tuple[int, Session]]) -> Speakers:
        by_key: defaultdict[str, list[int]] = defaultdict(list)
        spellings: defaultdict[str, dict[str, int]] = defaultdict(dict)
        split_cache: dict[str, list[tuple[str, str]]] = {}
        for sid, s in keyed:
            for raw in (*s.presenters, *s.presenters_zh):
                found = split_cache.get(raw)
                if found is None:
                    found = split_cache[raw] = [(p, k) for p in split_people(raw) if (k := name_key(p))]
                for person, key in found:
                    sids = by_key[key]
                    if not sids or sids[-1] != sid:
                        sids.append(sid)
                    forms = spellings[key]
                    forms[person] = forms.get(person, 0) + 1
        # Display each person as most often written; list them alphabetically (folded).
        order = sorted((norm(name), name, k) for k, c in spellings.items() for name in (max(c, key=c.__getitem__),))
        keys = spaced(len(order))
        name_terms: defaultdict[str, set[int]] = defaultdict(set)
        for order_key, (folded, _, _) in zip(keys, order, strict=True):
            for t in terms(folded, True):
                name_terms[t].add(order_key)
        entry_of = {entry[2]: entry for entry in order}
        return cls(order, keys, entry_of, {k: tuple(v) for k, v in by_key.items()}, PrefixSets.build(name_terms))

    def updated(
        self,
        removed: Sequence[tuple[int, Session]],
        added: Sequence[tuple[int, Session]],
        sessions: Mapping[int, Session],
    ) -> Speakers:
        """A new list with these sessions' people taken out and put in (`sessions`: the index after the change);
        self is left as it is. Raises NoRoom when a new name finds no order key left between its neighbours."""
        minus: defaultdict[str, set[int]] = defaultdict(set)
        plus: defaultdict[str, set[int]] = defaultdict(set)
        for table, changes in ((minus, removed), (plus, added)):
            for sid, s in changes:
                for _, pkey in _people(s):
                    table[pkey].add(sid)
        sessions_of = dict(self.sessions_of)
        entry_of = dict(self.entry_of)
        order, keys = list(self.order), list(self.keys)
        gone: dict[int, set[str]] = {}
        arriving: list[_Entry] = []
        for pkey in minus.keys() | plus.keys():
            before = sessions_of.get(pkey, ())
            now = tuple(sorted(set(before).difference(minus.get(pkey, ())).union(plus.get(pkey, ()))))
            entry: _Entry | None = None
            if now:
                sessions_of[pkey] = now
                name = _display(pkey, (sessions[k] for k in now))
                entry_of[pkey] = entry = (norm(name), name, pkey)
            else:
                sessions_of.pop(pkey, None)
                entry_of.pop(pkey, None)
            old = self.entry_of.get(pkey)
            if old == entry:
                continue
            if old is not None:
                i = bisect_left(order, old)
                gone[keys[i]] = terms(old[0], True)
                del order[i], keys[i]
            if entry is not None:
                arriving.append(entry)
        slots: defaultdict[int, list[_Entry]] = defaultdict(list)
        for entry in sorted(arriving):
            slots[bisect_left(order, entry)].append(entry)
        new_terms: dict[int, set[str]] = {}
        for at in sorted(slots, reverse=True):  # from the end, so earlier positions stay put
            entries = slots[at]
            fresh = between(keys[at - 1] if at else 0, keys[at] if at < len(keys) else KEY_LIMIT, len(entries))
            if fresh is None:
                raise NoRoom
            order[at:at] = entries
            keys[at:at] = fresh
            for key, entry in zip(fresh, entries, strict=True):
                new_terms[key] = terms(entry[0], True)
        return Speakers(order, keys, entry_of, sessions_of, self.ac.updated(gone, new_terms))

    # ------------------------------------------------------------------ questions

    def complete(self, prefix: str, limit: int) -> list[str]:
        """Speaker names for what the user has typed (any name part, any order), best first."""
        if limit <= 0:
            return []
        text = norm(prefix)
        if not text:
            return [n for _, n, _ in self.order[:limit]]
        lo = bisect_left(self.order, (text,))
        hi = bisect_left(self.order, (text + "\uffff",), lo)
        words, runs = split(text)
        folded = _Folded(self)
        tiers: list[Iterable[int]] = [self.keys[lo:hi]]
        if words or runs:
            tiers.append(all_of(self.ac, words, runs, folded))
        out = take(tiers, limit)
        if not out and words:
            fixed = fix_typos(words, (self.ac,))
            if fixed:
                out = take([all_of(self.ac, fixed, runs, folded)], limit)
        return [self._entry(k)[1] for k in out]

    def sessions(self, name: str) -> tuple[int, ...]:
        """A speaker's session keys: exact name (any case, spacing, accents, order), else the closest person;
        () when several people match equally well."""
        key = name_key(name)
        if not key:
            return ()
        sids = self.sessions_of.get(key)
        if sids is None:
            ranked = rank_similar(norm(name), self.folded, PERSON_MIN)
            if not ranked or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
                return ()
            sids = self.sessions_of[self.order[ranked[0][1]][2]]
        return sids
