"""The programme's speakers: each person once (however their name is written, in whichever order), their
sessions, autocomplete over their names and the closest person to a misspelt one."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from bot.core.model import Session, split_people
from bot.core.search.complete import IdSet, PrefixSets, all_of, fix_typos, take
from bot.core.search.keys import KEY_LIMIT, between, spaced
from bot.core.search.text import NAME_MAX, PERSON_MIN, name_key, norm, similarity, terms, typed

__all__ = ["NoRoom", "Speaker", "Speakers", "names_in"]

_FUZZY_POOL = 300  # people scored one by one for a misspelt name, at most
_FUZZY_WORDS = 4  # words (and CJK runs) of a misspelt name looked up, at most: a name has no more
_PERSON_KEYS = 50  # names one person may go by (across a session and its translation), at most


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


def _listed(names: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(p, k) for raw in names for p in split_people(raw) if (k := name_key(p))]


def _pairs(s: Session) -> list[tuple[str, str]]:
    """(person key in English, in Chinese) of the people a session and its translation list in the same order:
    one person, maybe written differently ("Willem Jiang", "姜宁"). None when the two lists differ in length."""
    en, zh = _listed(s.presenters), _listed(s.presenters_zh)
    if not en or len(en) != len(zh):
        return []
    return [(a[1], b[1]) for a, b in zip(en, zh, strict=True)]


def names_in(keys: frozenset[str], sessions: Iterable[Session], lang: str) -> str:
    """How the `lang` programme most often writes the person who goes by these name keys (in time order, the
    first such spelling on a tie); the other language's spelling when this one never names them."""
    counts: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for s in sessions:
        mine, theirs = (s.presenters_zh, s.presenters) if lang == "zh" else (s.presenters, s.presenters_zh)
        counts.update(p for p, k in _listed(mine) if k in keys)
        other.update(p for p, k in _listed(theirs) if k in keys)
    found = counts or other
    return max(found, key=found.__getitem__) if found else ""


@dataclass(frozen=True, slots=True)
class Speaker:
    """A person found by name: how each language's programme writes them, and their sessions in time order."""

    name: str
    name_zh: str
    sessions: tuple[Session, ...]

    def name_in(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name


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
        words, runs = typed(text)
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

    def find(
        self, name: str, sessions: Mapping[int, Session], limit: int = 50
    ) -> tuple[list[tuple[frozenset[str], tuple[int, ...]]], int]:
        """The people a typed name may mean, each as (the name keys they go by, their session keys in time
        order), alphabetically, at most `limit` of them; and how many names match in all. The one whose name it
        is (any case, spacing, accents, order; in either language); else everyone with each typed word as a
        word of their name ("wang"), else as the start of one; else the closest to a misspelt name."""
        text = norm(name[:NAME_MAX])
        key = name_key(text)
        if not key or limit <= 0:
            return [], 0
        if key in self.sessions_of:
            found, total = [key], 1
        else:
            words, runs = typed(text)
            matching = self._matching(words, runs)
            if matching:
                total = len(matching)
                found = [self._entry(k)[2] for k in sorted(matching)[:limit]]
            else:
                found = self._closest(text)
                total = len(found)
        people: list[tuple[frozenset[str], tuple[int, ...]]] = []
        for pkey in found:
            if any(pkey in keys for keys, _ in people):
                total -= 1  # another name of someone listed already
                continue
            keys = self._person(pkey, sessions)
            people.append((keys, tuple(sorted({sid for k in keys for sid in self.sessions_of.get(k, ())}))))
        return people, total

    def exact(self, name: str, sessions: Mapping[int, Session]) -> tuple[frozenset[str], tuple[int, ...]] | None:
        """The person whose name this is (any case, spacing, accents or order), or None."""
        key = name_key(norm(name[:NAME_MAX]))
        if key not in self.sessions_of:
            return None
        keys = self._person(key, sessions)
        return keys, tuple(sorted({sid for k in keys for sid in self.sessions_of.get(k, ())}))

    def _matching(self, words: list[str], runs: list[str]) -> IdSet:
        """Everyone with each typed word as a word of their name and each CJK run in it; else everyone with each
        typed word starting a word of their name."""
        if not (words or runs):
            return frozenset()
        starting = all_of(self.ac, words[:8], runs[:8], _Folded(self))
        if not starting or not words:
            return starting
        whole = starting.intersection(*(self.ac.word_ids_of(w) for w in words[:8]))
        return whole or starting

    def _scored(self, text: str, cutoff: float) -> list[tuple[float, int]]:
        """(similarity, order key) of the people whose names are at least `cutoff` like `text`, most alike first,
        among those sharing a word, a near word or a CJK pair with it (at most _FUZZY_POOL of them)."""
        words, runs = typed(text)
        ac = self.ac
        pool: set[int] = set()
        for w in words[:_FUZZY_WORDS]:
            if len(w) > 2:
                pool |= ac.for_prefix(w)
            for near in ac.typo_words(w)[:5]:
                pool |= ac.word_ids_of(near)
        for r in runs[:_FUZZY_WORDS]:
            for j in range(max(1, len(r) - 1)):
                pool |= ac.for_run(r[j : j + 2])
        scored = [(similarity(text, self._entry(k)[0]), k) for k in sorted(pool)[:_FUZZY_POOL]]
        return sorted(((score, k) for score, k in scored if score >= cutoff), key=lambda sk: (-sk[0], sk[1]))

    def _closest(self, text: str) -> list[str]:
        """The people whose names are most like a misspelt one (several when equally alike)."""
        scored = self._scored(text, PERSON_MIN)
        return [self._entry(k)[2] for score, k in scored if score == scored[0][0]]

    def suggest(self, name: str, n: int, cutoff: float) -> list[str]:
        """Up to n names (as shown) most like a typed one, at least `cutoff` alike, most alike first."""
        return [self._entry(k)[1] for _, k in self._scored(norm(name[:NAME_MAX]), cutoff)[:n]]

    def _person(self, pkey: str, sessions: Mapping[int, Session]) -> frozenset[str]:
        """Every name key of the person who goes by `pkey`: linked through sessions whose translation lists the
        same number of people (the i-th of one is the i-th of the other)."""
        keys = {pkey}
        todo = [pkey]
        while todo and len(keys) < _PERSON_KEYS:
            for sid in self.sessions_of.get(todo.pop(), ()):
                for a, b in _pairs(sessions[sid]):
                    for k, other in ((a, b), (b, a)):
                        if k in keys and other not in keys:
                            keys.add(other)
                            todo.append(other)
        return frozenset(keys)

    def sessions(self, name: str, sessions: Mapping[int, Session]) -> tuple[int, ...]:
        """One speaker's session keys; () when the name means nobody, or several people."""
        found, _ = self.find(name, sessions, 2)
        return found[0][1] if len(found) == 1 else ()
