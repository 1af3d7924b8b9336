"""Autocomplete: what the user has typed so far -> the sessions (or names) it most likely starts, best first,
in microseconds per key press; built once, then updated per session on reload."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Self

from rapidfuzz.distance import OSA

from bot.core.model import Session
from bot.core.search.text import (
    HAS_CJK,
    LABEL_MAX,
    SUGGEST_MIN,
    collapse,
    fold,
    label,
    similarity,
    split,
    terms,
    typed,
    typo_able,
    typo_candidates,
)

__all__ = ["IdSet", "PrefixSets", "SessionCompletion", "all_of", "fix_typos", "match_small", "take"]

_EMPTY: frozenset[int] = frozenset()
_NONE = array("i")
IdSet = frozenset[int] | set[int]


def _edited(ids: array[int], minus: Iterable[int], plus: Iterable[int]) -> array[int]:
    """A copy of sorted ids with some taken out and some put in (each at most once)."""
    out = array("i", ids)
    for x in minus:
        i = bisect_left(out, x)
        if i < len(out) and out[i] == x:
            del out[i]
    for x in plus:
        i = bisect_left(out, x)
        if i == len(out) or out[i] != x:
            out.insert(i, x)
    return out


def _edit(ids: tuple[int, ...], minus: Iterable[int], plus: Iterable[int]) -> tuple[int, ...]:
    """A sorted tuple of ids with some taken out and some put in (each at most once)."""
    out = ids
    for x in minus:
        i = bisect_left(out, x)
        if i < len(out) and out[i] == x:
            out = out[:i] + out[i + 1 :]
    for x in plus:
        i = bisect_left(out, x)
        if i == len(out) or out[i] != x:
            out = (*out[:i], x, *out[i:])
    return out


def _shorts(word: str) -> tuple[str, ...]:
    return (word[:1], word[:2]) if len(word) > 1 else (word[:1],)


class PrefixSets:
    """Ids of entries having a word that starts with a prefix, or containing a CJK string, for autocomplete."""

    __slots__ = ("by_len", "grams", "short", "word_ids", "words")

    def __init__(
        self,
        words: list[str],
        word_ids: dict[str, array[int]],
        short: dict[str, array[int]],
        grams: dict[str, array[int]],
        by_len: dict[int, list[str]],
    ) -> None:
        self.words = words  # sorted
        self.word_ids = word_ids
        self.short = short  # one- and two-letter prefixes cover too many words to union at each key press
        self.grams = grams
        self.by_len = by_len

    @classmethod
    def build(cls, found: Mapping[str, Iterable[int]]) -> Self:
        """`found`: word, CJK character or CJK character pair -> ids of the entries that contain it."""
        # Sorted arrays, not frozensets: a sixth of the memory, and a set is made only for the few words a
        # key press touches (10,000 sessions' vocabulary as frozensets took 18 MB).
        word_ids: dict[str, array[int]] = {}
        grams: dict[str, array[int]] = {}
        for t, ids in found.items():
            (grams if HAS_CJK.match(t) else word_ids)[t] = array("i", sorted(set(ids)))
        short: defaultdict[str, set[int]] = defaultdict(set)
        for w, ids in word_ids.items():
            for p in _shorts(w):
                short[p].update(ids)
        words = sorted(word_ids)
        by_len: defaultdict[int, list[str]] = defaultdict(list)
        for w in words:
            if typo_able(w):
                by_len[len(w)].append(w)
        return cls(words, word_ids, {p: array("i", sorted(ids)) for p, ids in short.items()}, grams, dict(by_len))

    def updated(self, removed: Mapping[int, Iterable[str]], added: Mapping[int, Iterable[str]]) -> PrefixSets:
        """A new set with whole entries (id -> all its terms) taken out and put in; self is left as it is."""
        minus: defaultdict[str, set[int]] = defaultdict(set)
        plus: defaultdict[str, set[int]] = defaultdict(set)
        short_minus: defaultdict[str, set[int]] = defaultdict(set)
        short_plus: defaultdict[str, set[int]] = defaultdict(set)
        for by_term, by_short, changes in ((minus, short_minus, removed), (plus, short_plus, added)):
            for eid, found in changes.items():
                for t in found:
                    by_term[t].add(eid)
                    if not HAS_CJK.match(t):
                        for p in _shorts(t):
                            by_short[p].add(eid)
        word_ids = dict(self.word_ids)
        grams = dict(self.grams)
        words: list[str] | None = None
        by_len: dict[int, list[str]] | None = None
        for t in minus.keys() | plus.keys():
            out, back = minus.get(t, set()), plus.get(t, set())
            is_word = not HAS_CJK.match(t)
            table = word_ids if is_word else grams
            old = table.get(t, _NONE)
            ids = _edited(old, out - back, back - out)
            if ids:
                table[t] = ids
            else:
                table.pop(t, None)
            if is_word and bool(old) != bool(ids):  # a word new to the vocabulary, or gone from it
                words = list(self.words) if words is None else words
                if ids:
                    words.insert(bisect_left(words, t), t)
                else:
                    del words[bisect_left(words, t)]
                if typo_able(t):
                    by_len = dict(self.by_len) if by_len is None else by_len
                    same = by_len[len(t)] = list(by_len.get(len(t), ()))
                    if ids:
                        same.insert(bisect_left(same, t), t)
                    else:
                        del same[bisect_left(same, t)]
                        if not same:
                            del by_len[len(t)]
        short = dict(self.short)
        for p in short_minus.keys() | short_plus.keys():
            leaving, coming = short_minus.get(p, set()), short_plus.get(p, set())
            kept = _edited(short.get(p, _NONE), leaving - coming, coming - leaving)
            if kept:
                short[p] = kept
            else:
                short.pop(p, None)
        return PrefixSets(
            self.words if words is None else words,
            word_ids,
            short,
            grams,
            self.by_len if by_len is None else by_len,
        )

    def for_prefix(self, prefix: str) -> IdSet:
        if len(prefix) <= 2:
            return frozenset(self.short.get(prefix, _NONE))
        lo = bisect_left(self.words, prefix)
        hi = bisect_left(self.words, prefix + "\uffff", lo)
        if hi - lo == 1:
            return frozenset(self.word_ids[self.words[lo]])
        return set().union(*(self.word_ids[w] for w in self.words[lo:hi]))

    def word_ids_of(self, word: str) -> frozenset[int]:
        """Entries having exactly this word."""
        return frozenset(self.word_ids.get(word, _NONE))

    def for_run(self, run: str) -> IdSet:
        """Entries containing every character pair of `run` (callers check contiguity when it matters)."""
        if len(run) == 1:
            return frozenset(self.grams.get(run, _NONE))
        sets = sorted((self.grams.get(run[j : j + 2], _NONE) for j in range(len(run) - 1)), key=len)
        return set(sets[0]).intersection(*sets[1:]) if len(sets) > 1 else frozenset(sets[0])

    def typo_words(self, word: str) -> list[str]:
        """Vocabulary words within a small edit distance of `word` (4+ letters), closest first."""
        return typo_candidates(word, self.by_len)


def all_of(
    sets: PrefixSets, words: list[str], runs: list[str], texts: Mapping[int, str] | None = None
) -> frozenset[int] | set[int]:
    """Entries with a word starting with each of `words` and containing each run (runs of 3+ contiguous in
    `texts`, when given)."""
    parts = [sets.for_prefix(w) for w in words] + [sets.for_run(r) for r in runs]
    parts.sort(key=len)
    if not parts or not parts[0]:
        return _EMPTY
    found = parts[0].intersection(*parts[1:]) if len(parts) > 1 else parts[0]
    long_runs = [r for r in runs if len(r) > 2]
    if long_runs and texts is not None:
        found = {i for i in found if all(r in texts[i] for r in long_runs)}
    return found


def fix_typos(words: list[str], indexes: Sequence[PrefixSets]) -> list[str]:
    """Replace words no prefix matches with their closest vocabulary word; [] if a word has none."""
    fixed: list[str] = []
    changed = False
    for w in words:
        if any(ix.for_prefix(w) for ix in indexes):
            fixed.append(w)
            continue
        options = [c for ix in indexes for c in ix.typo_words(w)]
        if not options:
            return []
        fixed.append(min(options, key=lambda c: (OSA.distance(w, c), c)))
        changed = True
    return fixed if changed else []


def take(tiers: Iterable[Iterable[int]], limit: int) -> list[int]:
    """The first `limit` ids, tier by tier, each tier in ascending id order, without repeats."""
    out: list[int] = []
    seen: set[int] = set()
    for tier in tiers:
        ordered = tier if isinstance(tier, range) else sorted(tier)
        for i in ordered:
            if i not in seen:
                seen.add(i)
                out.append(i)
                if len(out) == limit:
                    return out
    return out


def match_small(forms: Sequence[Sequence[str]], text: str, limit: int) -> list[int]:
    """Indexes of short entries (tracks, rooms) matching typed text; a linear scan, they are few."""
    if limit <= 0:
        return []
    if not text:
        return list(range(min(limit, len(forms))))
    words, runs = typed(text)
    starts: list[int] = []
    all_words: list[int] = []
    for i, fs in enumerate(forms):
        if any(f.startswith(text) for f in fs):
            starts.append(i)
            continue
        if not (words or runs):
            continue
        vocab = [w for f in fs for w in split(f)[0]]
        if all(any(v.startswith(w) for v in vocab) for w in words) and all(any(r in f for f in fs) for r in runs):
            all_words.append(i)
    out = (starts + all_words)[:limit]
    if not out:
        # A typo: rank every entry by similarity and keep the convincing ones.
        flat = [(f, i) for i, fs in enumerate(forms) for f in fs]
        found = sorted(
            ((score, i) for f, i in flat if (score := similarity(text, f)) >= SUGGEST_MIN),
            key=lambda si: (-si[0], si[1]),
        )
        for _, i in found:
            if i not in out:
                out.append(i)
                if len(out) == limit:
                    break
    return out


def _people_terms(s: Session) -> set[str]:
    found: set[str] = set()
    for p in (*s.presenters, *s.presenters_zh):
        found |= terms(fold(p), True)
    return found


class SessionCompletion:
    """Session autocomplete: title starts, title and presenter words, session ids, and the labels shown."""

    __slots__ = ("ac_people", "ac_title", "ids_sorted", "label_groups", "labels", "title_starts")

    def __init__(
        self,
        ac_title: PrefixSets,
        ac_people: PrefixSets,
        title_starts: list[tuple[str, int]],
        ids_sorted: list[tuple[str, int]],
        labels: dict[str, dict[int, str]],
        label_groups: dict[str, dict[str, tuple[int, ...]]],
    ) -> None:
        self.ac_title = ac_title
        self.ac_people = ac_people
        self.title_starts = title_starts  # (each title line, session key), sorted
        self.ids_sorted = ids_sorted  # (folded session id, session key), sorted
        self.labels = labels  # language -> session key -> label
        self.label_groups = label_groups  # language -> label text -> the sessions with it (duplicates get ids)

    @classmethod
    def build(
        cls,
        keyed: Sequence[tuple[int, Session]],
        titles: Mapping[int, str],
        title_terms: Mapping[str, Iterable[int]],
        people_terms: Mapping[str, Iterable[int]],
    ) -> SessionCompletion:
        """`title_terms` and `people_terms`: term -> session keys, as search indexes titles and presenters."""
        starts = sorted((part, key) for key, _ in keyed for part in titles[key].split("\n"))
        ids_sorted = sorted((s.id.casefold(), key) for key, s in keyed)
        labels: dict[str, dict[int, str]] = {}
        groups: dict[str, dict[str, tuple[int, ...]]] = {}
        for lang in ("en", "zh"):
            texts = [_label_text(s, lang) for _, s in keyed]
            by_text: defaultdict[str, list[int]] = defaultdict(list)
            for (key, _), text in zip(keyed, texts, strict=True):
                by_text[text].append(key)
            groups[lang] = {t: tuple(ks) for t, ks in by_text.items()}
            labels[lang] = {
                key: _label(text, s, len(by_text[text])) for (key, s), text in zip(keyed, texts, strict=True)
            }
        return cls(PrefixSets.build(title_terms), PrefixSets.build(people_terms), starts, ids_sorted, labels, groups)

    def updated(
        self,
        removed: Sequence[tuple[int, Session]],
        added: Sequence[tuple[int, Session]],
        old_titles: Mapping[int, str],
        titles: Mapping[int, str],
        sessions: Mapping[int, Session],
    ) -> SessionCompletion:
        """A new completion with these sessions taken out and put in (`sessions`: the index after the change)."""
        ac_title = self.ac_title.updated(
            {k: terms(old_titles[k], True) for k, _ in removed}, {k: terms(titles[k], True) for k, _ in added}
        )
        ac_people = self.ac_people.updated(
            {k: _people_terms(s) for k, s in removed}, {k: _people_terms(s) for k, s in added}
        )
        starts = list(self.title_starts)
        ids_sorted = list(self.ids_sorted)
        for key, s in removed:
            for part in old_titles[key].split("\n"):
                del starts[bisect_left(starts, (part, key))]
            del ids_sorted[bisect_left(ids_sorted, (s.id.casefold(), key))]
        for key, s in added:
            for part in titles[key].split("\n"):
                starts.insert(bisect_left(starts, (part, key)), (part, key))
            ids_sorted.insert(bisect_left(ids_sorted, (s.id.casefold(), key)), (s.id.casefold(), key))
        labels: dict[str, dict[int, str]] = {}
        label_groups: dict[str, dict[str, tuple[int, ...]]] = {}
        for lang in ("en", "zh"):
            groups = dict(self.label_groups[lang])
            lang_labels = dict(self.labels[lang])
            touched: set[str] = set()
            for key, s in removed:
                text = _label_text(s, lang)
                groups[text] = _edit(groups[text], (key,), ())
                if not groups[text]:
                    del groups[text]
                del lang_labels[key]
                touched.add(text)
            for key, s in added:
                text = _label_text(s, lang)
                groups[text] = _edit(groups.get(text, ()), (), (key,))
                touched.add(text)
            for text in touched:
                keys = groups.get(text, ())
                for key in keys:
                    lang_labels[key] = _label(text, sessions[key], len(keys))
            labels[lang] = lang_labels
            label_groups[lang] = groups
        return SessionCompletion(ac_title, ac_people, starts, ids_sorted, labels, label_groups)

    def complete(self, text: str, limit: int, titles: Mapping[int, str]) -> list[int]:
        """Session keys for folded typed text, best first (see SearchIndex.complete_session)."""
        words, runs = typed(text)
        # Tier 0: the title starts with the text. Tier 1: every word starts a title word (any order).
        # Tier 2: same over titles and presenters together, or the session id starts with the text.
        lo = bisect_left(self.title_starts, (text,))
        hi = bisect_left(self.title_starts, (text + "\uffff",), lo)
        tier0 = {i for _, i in self.title_starts[lo:hi]}
        tiers: list[Iterable[int]] = [tier0]
        if words or runs:
            title_hits = all_of(self.ac_title, words, runs, titles)
            tiers.append(title_hits)
            if len(tier0) + len(title_hits) < limit:
                tiers.append(self._all_of_either(words, runs))
        lo = bisect_left(self.ids_sorted, (text,))
        hi = bisect_left(self.ids_sorted, (text + "\uffff",), lo)
        tiers.append([i for _, i in self.ids_sorted[lo:hi]])
        out = take(tiers, limit)
        if not out and words:
            fixed = fix_typos(words, (self.ac_title, self.ac_people))
            if fixed:
                out = take([self._all_of_either(fixed, runs)], limit)
        return out

    def _all_of_either(self, words: list[str], runs: list[str]) -> set[int]:
        """Sessions where every word/run is found in the title or among the presenters."""
        title, people = self.ac_title, self.ac_people
        parts = [title.for_prefix(w) | people.for_prefix(w) for w in words]
        parts += [title.for_run(r) | people.for_run(r) for r in runs]
        parts.sort(key=len)
        if not parts or not parts[0]:
            return set()
        return set(parts[0]).intersection(*parts[1:])


def _label_text(s: Session, lang: str) -> str:
    return collapse(s.title_in(lang)) or s.id


def _label(text: str, s: Session, same: int) -> str:
    """A session's autocomplete label; sessions sharing a title are told apart by their ids."""
    return label(text) if same == 1 else label(f"{text[: LABEL_MAX - len(s.id) - 4]} · {s.id}")
