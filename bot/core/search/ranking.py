"""The ranked search: which sessions hold a query's units, in which field and how well, best first.

A session matches when it holds every unit of the query (when none does, those holding the most are listed,
and the answer says so). Among matches, one holding more units in its title or speakers ranks higher, then
one whose title holds the query as typed, then better matches (title over speakers, track, room, abstract;
a whole word over a prefix over a typo); ties go to the earlier session. Work is bounded: a query has at most
MAX_WORDS words and MAX_CHARS CJK characters, sets of sessions are bit masks (bot.core.search.matches), and
past a pool of sessions scored one by one the rest keep time order within their kind.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

from rapidfuzz.distance import OSA

from bot.core.search.matches import NO_MATCH, Space, UnitMatch
from bot.core.search.postings import TermIndex
from bot.core.search.query import Query, Unit
from bot.core.search.ranks import DEMOTE, FIELDS, PREFIX, QUALITY, RANK_FIELD, STRONG, TYPO1, TYPO2
from bot.core.search.text import HAS_CJK, typo_candidates

__all__ = ["FieldText", "Ranked", "search"]

_MAX_EXPANSIONS = 40  # vocabulary words a prefix may stand for, the most frequent first
_MAX_TYPO_WORDS = 5  # vocabulary words a typo may stand for
_MAX_TYPO_UNITS = 4  # words of one query looked up as typos (each costs a pass over similar-length words)
_SPLIT_MIN = 3  # letters of each part when a word is tried as two words written apart
_VERIFY_MAX = 500  # sessions checked for two words side by side, per split of a word; or for a CJK run as
# typed (past that, in programmes of thousands of sessions, a run's character pairs found apart count too)
_POOL_WORK = 800  # (session, unit) pairs scored one by one per query, at most

FieldText = Callable[[int, int], str]
"""(session key, field number in FIELDS) -> that field's text, folded: where words written apart are checked."""

Found = tuple[int, float, str, bool]  # session key, score in (0, 1], the field that matched best, whole


@dataclass(frozen=True, slots=True)
class Ranked:
    """Search results: (session key, score in (0, 1], the field that matched best, whether its title or speakers
    hold every unit), best first, at most the limit asked; how many sessions match in all; and whether they hold
    every unit (else the most units)."""

    found: list[Found]
    total: int
    every: bool


_NOTHING = Ranked([], 0, True)


def search(
    terms: TermIndex,
    query: Query,
    limit: int,
    field_text: FieldText,
    order: Sequence[int],
    raw_text: Callable[[int], str],
) -> Ranked:
    """The sessions matching `query`, ranked (see the module's docstring); `order`: every session key, in time
    order; `raw_text`: all a session's text as written, where a CJK run of three or more characters is
    checked to be found as typed (its character pairs alone may be found apart)."""
    n = len(query.units)
    if not n or limit <= 0:
        return _NOTHING
    space = terms.cache.space_of(order)
    typo_budget = [_MAX_TYPO_UNITS]
    matches = [_unit(terms, space, u, typo_budget, field_text) for u in query.units]
    for i, j, joined in query.joins:  # two words typed apart, written as one word in the programme
        found = terms.cache.get("j:" + joined)
        if found is None:
            found = _word(terms, space, joined)
            terms.cache.put("j:" + joined, found)
        if found.all:
            matches[i] = UnitMatch.of(chain(matches[i].groups, found.groups))
            matches[j] = UnitMatch.of(chain(matches[j].groups, found.groups))
    if not any(m.all for m in matches):
        return _NOTHING
    sets = _Sets(matches, _deciding(query.units, matches))
    if sets.full and query.runs and sets.full.bit_count() <= _VERIFY_MAX:
        apart = [k for k in space.keys(sets.full) if not all(r in raw_text(k) for r in query.runs)]
        if apart:
            sets.full &= ~space.mask(apart)
    ranker = _Ranker(terms, space, matches, query.phrase)
    cap = max(100, _POOL_WORK // n)
    candidates = sets.full or sets.any
    total = candidates.bit_count()
    if total <= cap:
        return Ranked(ranker.scored(ranker.ordered(space.keys(candidates))[:limit]), total, bool(sets.full))
    ranked: list[Found] = []
    tiers = [(n, candidates)] if sets.full else sets.by_units_held()
    for held, tier in tiers:
        if len(ranked) >= limit:
            break
        ranked += _tiered(ranker, sets, tier, held, limit - len(ranked), cap, ranked[-1][1] if ranked else 1.0)
    return Ranked(ranked, total, bool(sets.full))


# ---------------------------------------------------------------------------------------- one unit's matches


def _unit(terms: TermIndex, space: Space, unit: Unit, typo_budget: list[int], field_text: FieldText) -> UnitMatch:
    found = terms.cache.get(unit.key)
    if found is not None:
        return found
    if unit.word:
        found = _word(terms, space, unit.word, unit.apart, field_text)
        if not found.all:
            if typo_budget[0] <= 0:
                return NO_MATCH  # not cached: with budget left, the same word may be a typo
            typo_budget[0] -= 1
            found = _typo(terms, space, unit.word)
    else:
        postings = terms.postings
        found = UnitMatch.of((r, space.mask(keys)) for gram in unit.grams for r, keys in postings.get(gram, ()))
    terms.cache.put(unit.key, found)
    return found


def _word(
    terms: TermIndex,
    space: Space,
    word: str,
    apart: Iterable[tuple[str, str]] = (),
    field_text: FieldText | None = None,
) -> UnitMatch:
    """Where a word is found: as itself, as the start of longer words, and (given `field_text`) as two words
    written apart ("kafkaconnect" as "Kafka Connect")."""
    postings = terms.postings
    found: list[tuple[int, Iterable[int]]] = list(postings.get(word, ()))
    if len(word) >= 3:
        vocab = terms.vocab
        lo = bisect_left(vocab, word)
        hi = bisect_left(vocab, word + "\uffff", lo)
        longer = [w for w in vocab[lo:hi] if w != word]
        if len(longer) > _MAX_EXPANSIONS:
            longer = heapq.nlargest(_MAX_EXPANSIONS, longer, key=terms.df.__getitem__)
        demote = DEMOTE[PREFIX]
        for w in longer:
            found.extend((demote[r], keys) for r, keys in postings[w])
    if field_text is not None:
        splits = set(apart)
        for i in range(_SPLIT_MIN, len(word) - _SPLIT_MIN + 1):
            splits.add((word[:i], word[i:]))
        for a, b in sorted(splits):
            if a in postings and b in postings and not HAS_CJK.search(a + b):
                found.extend(_apart(terms, a, b, field_text))
    return UnitMatch.of((r, space.mask(keys)) for r, keys in found)


def _apart(terms: TermIndex, a: str, b: str, field_text: FieldText) -> list[tuple[int, list[int]]]:
    """Sessions holding words a and b side by side in one field; past _VERIFY_MAX sessions, those holding both
    in one field count as a weak match there, unchecked."""
    side_by_side = re.compile(rf"(?<![a-z0-9]){re.escape(a)}[ \-_]?{re.escape(b)}(?![a-z0-9])")
    in_a, in_b = dict(terms.postings[a]), dict(terms.postings[b])
    budget = _VERIFY_MAX
    out: list[tuple[int, list[int]]] = []
    for rank in sorted(in_a.keys() & in_b.keys(), reverse=True):
        field = FIELDS.index(RANK_FIELD[rank])
        both = sorted(set(in_a[rank]).intersection(in_b[rank]))
        checked, unchecked = both[:budget], both[budget:]
        budget -= len(checked)
        out.append((rank, [sid for sid in checked if side_by_side.search(field_text(sid, field))]))
        out.append((DEMOTE[TYPO2][rank], unchecked))
    return out


def _typo(terms: TermIndex, space: Space, word: str) -> UnitMatch:
    """A word found nowhere, taken for a typo of the nearest vocabulary words and the words they start
    ("applciation" -> application, applications); a real word never drags in look-alikes."""
    typos = typo_candidates(word, terms.vocab_by_len)
    if not typos:
        return NO_MATCH
    if len(typos) > _MAX_TYPO_WORDS:
        typos = heapq.nlargest(_MAX_TYPO_WORDS, typos, key=terms.df.__getitem__)
    demote = DEMOTE[TYPO1 if OSA.distance(word, typos[0]) == 1 else TYPO2]
    vocab = terms.vocab
    meant: set[str] = set()
    for w in typos:
        lo = bisect_left(vocab, w)
        hi = bisect_left(vocab, w + "\uffff", lo)
        meant.update(vocab[lo : min(hi, lo + _MAX_TYPO_WORDS)])
    return UnitMatch.of((demote[r], space.mask(keys)) for w in sorted(meant) for r, keys in terms.postings[w])


# --------------------------------------------------------------------------------------------------- ranking


def _deciding(units: Sequence[Unit], matches: Sequence[UnitMatch]) -> list[UnitMatch]:
    """The matches of the units no other unit implies: a CJK character found through a pair its neighbour is
    found through alone (the 据 of 数据库, through 数据 or 据库, is found wherever 数 is). Intersecting these
    gives what intersecting all would, with fewer masks."""
    grams = [set(u.grams) for u in units]
    out = []
    for i, m in enumerate(matches):
        implied = bool(grams[i]) and any(
            g and (g < grams[i] or (g == grams[i] and j < i)) for j, g in enumerate(grams) if j != i
        )
        if not implied:
            out.append(m)
    return out


class _Sets:
    """The query's matches combined: sessions holding every unit, some unit, and in title or speakers."""

    def __init__(self, matches: Sequence[UnitMatch], deciding: Sequence[UnitMatch]) -> None:
        self.all = [m.all for m in matches]
        self.any = 0
        self.strong_any = 0
        for m in matches:
            self.any |= m.all
            self.strong_any |= m.strong
        self.full = 0
        if all(self.all):
            self.full = -1
            for m in deciding:
                self.full &= m.all
        self.strong_all = -1
        for m in deciding:
            self.strong_all &= m.strong

    def by_units_held(self) -> list[tuple[int, int]]:
        """(units held, the sessions holding that many) for the sessions matching some unit, most first (a
        bit-sliced count)."""
        planes: list[int] = []
        for bits in self.all:
            carry = bits
            for i, plane in enumerate(planes):
                planes[i], carry = plane ^ carry, plane & carry
                if not carry:
                    break
            if carry:
                planes.append(carry)
        tiers = []
        for held in range(len(self.all), 0, -1):
            tier = self.any
            for i, plane in enumerate(planes):
                tier &= plane if held >> i & 1 else ~plane
            if held >> len(planes):
                tier = 0
            if tier:
                tiers.append((held, tier))
        return tiers


def _tiered(ranker: _Ranker, sets: _Sets, tier: int, held: int, need: int, cap: int, last: float) -> list[Found]:
    """The best `need` of a big tier of sessions holding `held` units: those matched in title or speakers
    first (scored one by one while they are at most `cap`, else in time order), then the rest in time order.
    Sessions not scored one by one take the score of their kind (never above `last`, the score before them)."""
    any_strong = tier & sets.strong_any
    all_strong = any_strong & sets.strong_all
    n = len(sets.all)
    keys = ranker.space.keys
    if any_strong.bit_count() <= cap:
        head, rest = ranker.ordered(keys(any_strong)), [(tier & ~any_strong, 0)]
    elif all_strong.bit_count() <= cap:
        head, rest = ranker.ordered(keys(all_strong)), [(any_strong & ~all_strong, 1), (tier & ~any_strong, 0)]
    else:
        head, rest = [], [(all_strong, n), (any_strong & ~all_strong, 1), (tier & ~any_strong, 0)]
    out = ranker.scored(head[:need], last)
    if out:
        last = out[-1][1]
    for bits, strong in rest:
        if len(out) >= need:
            break
        last = min(last, ranker.value(held, strong) / ranker.top)
        field = "title" if strong else "abstract"  # title or speakers; or elsewhere
        out += [(sid, last, field, strong == n) for sid in keys(bits, need - len(out))]
    return out


class _Ranker:
    """Orders sessions among a query's matches."""

    def __init__(self, terms: TermIndex, space: Space, matches: Sequence[UnitMatch], phrase: str) -> None:
        self.titles = terms.titles
        self.space = space
        self.matches = matches
        self.phrase = phrase
        n = len(matches)
        self.n = n
        self.top = (n * (n + 1) + n) * 2 + 2  # the value of a session holding everything, at its best

    def _levels(self, sessions: list[int]) -> list[dict[int, int]]:
        """Per unit: session -> the rank of its match, for these sessions."""
        pool = self.space.mask(sessions)
        keys = self.space.keys
        out = []
        for m in self.matches:
            ranks: dict[int, int] = {}
            for r, group in m.groups:
                hit = group & pool
                if hit:
                    ranks.update(dict.fromkeys(keys(hit), r))
            out.append(ranks)
        return out

    def _key(self, sid: int, levels: list[dict[int, int]]) -> tuple[float, int, bool]:
        """(value, the best rank, whether title or speakers hold every unit) of one session."""
        held = strong = 0
        quality = 0.0
        best = -1
        for ranks in levels:
            r = ranks.get(sid)
            if r is not None:
                held += 1
                quality += QUALITY[r]
                strong += STRONG[r]
                if r > best:
                    best = r
        phrase = self.phrase in self.titles[sid]
        return self.value(held, strong, phrase, quality), best, strong == self.n

    def value(self, held: int, strong: int, phrase: bool = False, quality: float = 0.0) -> float:
        """A number that orders sessions like (units held, units held in title or speakers, the query as typed in
        the title, match quality)."""
        return ((held * (self.n + 1) + strong) * 2 + phrase) + 0.999 * quality / self.n

    def ordered(self, sessions: list[int]) -> list[int]:
        """These sessions, best first, each scored."""
        levels = self._levels(sessions)
        key = self._key
        return [sid for _, sid in sorted((-key(sid, levels)[0], sid) for sid in sessions)]

    def scored(self, ordered: list[int], last: float = 1.0) -> list[Found]:
        """(session, score, field, whole) for sessions in their final order; scores never rise down the list
        (nor above `last`, the score before them)."""
        levels = self._levels(ordered)
        out = []
        for sid in ordered:
            value, best, whole = self._key(sid, levels)
            if value / self.top < last:
                last = value / self.top
            out.append((sid, last, RANK_FIELD[best], whole))
        return out
