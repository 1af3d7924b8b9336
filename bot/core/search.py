"""Search and autocomplete over the programme: English and Chinese, forgiving of typos, built once per load."""

from __future__ import annotations

import gc
import heapq
import re
import unicodedata
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import itemgetter
from types import MappingProxyType

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.core.model import Session, Track

__all__ = ["Hit", "SearchIndex", "fold"]

# Han, kana, hangul (and the compatibility and extension-B Han blocks): scripts written without spaces.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ebef"
_WORD = re.compile(f"[^\\W_{_CJK}]+")
_ASCII_WORD = re.compile("[a-z0-9]+")
_RUN = re.compile(f"[{_CJK}]+")
_BIGRAM = re.compile(f"(?=([{_CJK}]{{2}}))")
_CHAR = re.compile(f"[{_CJK}]")
_HAS_CJK = re.compile(f"[{_CJK}]")
_MARKS = re.compile("[\u0300-\u036f]")
_SPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+")
_PEOPLE_SEP = re.compile(r"\s*[，、;；/&]\s*|\s+and\s+")
_EMPTY: frozenset[int] = frozenset()
_NO_TRACKS: Mapping[str, Track] = MappingProxyType({})

# Words that say nothing about a session; dropped from a query unless it has nothing else.
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "how",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "the",
        "this",
        "that",
        "to",
        "we",
        "what",
        "with",
        "your",
    ]
)

# Where a query word was found, and how well. The product orders matches: a title match beats a
# presenter, track, room or abstract match; a whole word beats a prefix, which beats a typo.
_FIELDS = ("title", "presenter", "track", "room", "abstract")
_FIELD_W = (1.0, 0.9, 0.65, 0.6, 0.4)
_EXACT, _PREFIX, _TYPO1, _TYPO2 = range(4)
_MATCH_W = (1.0, 0.7, 0.55, 0.45)
_LEVELS = sorted(((mw * fw, m, f) for m, mw in enumerate(_MATCH_W) for f, fw in enumerate(_FIELD_W)))
_Q = tuple(q for q, _, _ in _LEVELS)  # rank -> quality
_RANK_FIELD = tuple(_FIELDS[f] for _, _, f in _LEVELS)  # rank -> field name
_RANK = {(m, f): r for r, (_, m, f) in enumerate(_LEVELS)}
# exact rank (what postings store) -> rank of the same field under a weaker kind of match
_DEMOTE = tuple(tuple(_RANK[(m, _LEVELS[r][2])] for r in range(len(_LEVELS))) for m in range(len(_MATCH_W)))
_FIELD_RANK = tuple(_RANK[(_EXACT, f)] for f in range(len(_FIELDS)))
_IS_ABSTRACT = tuple(_FIELDS[f] == "abstract" for _, _, f in _LEVELS)

_MAX_UNITS = 16  # query words/bigrams beyond this are ignored: nobody types more, and work stays bounded
_MAX_EXPANSIONS = 40  # vocabulary words a prefix may stand for, the most frequent first
_MAX_TYPO_WORDS = 5
_SUGGEST_MIN = 65  # _similarity() a "did you mean" suggestion needs
_PERSON_MIN = 80  # ... and a guessed speaker
_RESCORE_MAX = 100
_POOL_CAP = 800  # sessions scored one by one per query, at most (see SearchIndex._pool)
_LABEL_MAX = 100


def fold(text: str) -> str:
    """Lowercase, fold diacritics (Zoltán -> zoltan) and width (ＡＢＣ -> abc); CJK is kept."""
    if text.isascii():
        return text.lower()
    text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return unicodedata.normalize("NFC", text).casefold()


def _norm(text: str) -> str:
    return _SPACE.sub(" ", fold(text or "")).strip()


def _split(folded: str) -> tuple[list[str], list[str]]:
    """Latin/digit words and CJK runs of already folded text."""
    return _WORD.findall(folded), _RUN.findall(folded)


def _terms(folded: str, unigrams: bool) -> set[str]:
    """Index terms: words, CJK bigrams, and single CJK characters when `unigrams` (short fields only)."""
    if folded.isascii():
        return set(_ASCII_WORD.findall(folded))
    terms = _WORD.findall(folded)
    terms += _BIGRAM.findall(folded)
    if unigrams:
        terms += _CHAR.findall(folded)
    return set(terms)


def _name_key(name: str) -> str:
    """A person's name independent of case, diacritics, spacing, commas and word order."""
    words, runs = _split(fold(name))
    return " ".join(sorted(words + runs))


def _people(presenter: str) -> list[str]:
    """Split a presenter string that may name several people ("高赟,张智鹏", "A B, C D").

    "Wombacher, Andreas" (two single words around one comma) is one person, surname first.
    """
    presenter = _SPACE.sub(" ", presenter).strip()
    if not presenter:
        return []
    out: list[str] = []
    for part in _PEOPLE_SEP.split(presenter):
        pieces = [p.strip() for p in re.split(r"[,，]", part) if p.strip()]
        if len(pieces) == 2 and all(" " not in p and not _HAS_CJK.search(p) for p in pieces):
            out.append(part.strip())
        else:
            out.extend(pieces)
    return [p for p in out if p]


def _similarity(query: str, candidate: str) -> float:
    """0..100, how likely `candidate` is what someone typing `query` meant (both folded).

    Whole-string and word-set similarity, plus the query as a part of a longer candidate ("jingming" for
    "JingMing Hall"), but never a short candidate found inside a long query ("AI" inside "stremaing").
    """
    score = max(fuzz.ratio(query, candidate), fuzz.token_set_ratio(query, candidate))
    if len(candidate) >= len(query) >= (2 if _HAS_CJK.search(query) else 3):
        score = max(score, 0.9 * fuzz.partial_ratio(query, candidate))
    return score


def _rank_similar(query: str, candidates: Sequence[str], cutoff: float) -> list[tuple[float, int]]:
    """(score, index) of the candidates at least `cutoff` similar to `query`, best first.

    Long lists (thousands of speakers) are first narrowed to 100 by rapidfuzz's WRatio, which runs in C
    and scores the same kinds of likeness a little more generously.
    """
    indexes: Iterable[int] = range(len(candidates))
    if len(candidates) > _RESCORE_MAX:
        indexes = [i for _, _, i in process.extract(query, candidates, scorer=fuzz.WRatio, limit=_RESCORE_MAX)]
    scored = [(score, i) for i in indexes if (score := _similarity(query, candidates[i])) >= cutoff]
    scored.sort(key=lambda si: (-si[0], si[1]))
    return scored


def _clip(label: str) -> str:
    return label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1] + "…"


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the session, a score in (0, 1] (higher is better) and the field that matched best."""

    session: Session
    score: float
    matched: str  # "title" | "presenter" | "track" | "room" | "abstract" | "id"


def _merge(groups: _Groups) -> dict[int, int]:
    """Session -> best rank, from groups ordered weakest first (the best is written last)."""
    merged: dict[int, int] = {}
    for r, sids in groups:
        merged.update(dict.fromkeys(sids, r))
    return merged


class _PrefixSets:
    """Ids of entries having a word that starts with a prefix, or containing a CJK string, for autocomplete."""

    __slots__ = ("by_len", "grams", "short", "word_ids", "words")

    def __init__(self, terms: Mapping[str, Iterable[int]]) -> None:
        """`terms`: word, CJK character or CJK character pair -> ids of the entries that contain it."""
        # Sorted tuples, not frozensets: a third of the memory, and a set is made only for the few words a
        # key press touches (10,000 sessions' vocabulary as frozensets took 18 MB).
        word_ids: dict[str, tuple[int, ...]] = {}
        grams: dict[str, tuple[int, ...]] = {}
        for t, ids in terms.items():
            (grams if _HAS_CJK.match(t) else word_ids)[t] = tuple(sorted(set(ids)))
        # One- and two-letter prefixes cover too many words to union at each key press: precompute them.
        short: dict[str, set[int]] = defaultdict(set)
        for w, ids in word_ids.items():
            short[w[:1]].update(ids)
            if len(w) > 1:
                short[w[:2]].update(ids)
        by_len: dict[int, list[str]] = defaultdict(list)
        for w in word_ids:
            by_len[len(w)].append(w)
        self.words = sorted(word_ids)
        self.word_ids = word_ids
        self.short = {p: tuple(sorted(ids)) for p, ids in short.items()}
        self.grams = grams
        self.by_len = dict(by_len)

    def for_prefix(self, prefix: str) -> frozenset[int] | set[int]:
        if len(prefix) <= 2:
            return frozenset(self.short.get(prefix, ()))
        lo = bisect_left(self.words, prefix)
        hi = bisect_left(self.words, prefix + "\uffff", lo)
        if hi - lo == 1:
            return frozenset(self.word_ids[self.words[lo]])
        return set().union(*(self.word_ids[w] for w in self.words[lo:hi]))

    def for_run(self, run: str) -> frozenset[int] | set[int]:
        """Entries containing every character pair of `run` (callers check contiguity when it matters)."""
        if len(run) == 1:
            return frozenset(self.grams.get(run, ()))
        sets = sorted((self.grams.get(run[j : j + 2], ()) for j in range(len(run) - 1)), key=len)
        return set(sets[0]).intersection(*sets[1:]) if len(sets) > 1 else frozenset(sets[0])

    def typo_words(self, word: str) -> list[str]:
        """Vocabulary words within a small edit distance of `word` (4+ letters), closest first."""
        return _typo_candidates(word, self.by_len)


def _typo_bound(word: str) -> int:
    return 0 if len(word) < 4 else (1 if len(word) <= 5 else 2)


def _typo_candidates(word: str, by_len: Mapping[int, Sequence[str]]) -> list[str]:
    """The vocabulary words nearest to `word` (transpositions count once), if within the bound for its length."""
    bound = _typo_bound(word)
    if not bound:
        return []
    choices: list[str] = []
    for n in range(len(word) - bound, len(word) + bound + 1):
        choices.extend(by_len.get(n, ()))
    found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=bound, limit=None)
    if not found:
        return []
    best = min(d for _, d, _ in found)
    return [w for w, d, _ in found if d == best]


# A query unit's matches: session number -> rank, and the same as (rank, session numbers) groups, rank ascending.
_Groups = Sequence[tuple[int, Sequence[int]]]
_Match = tuple[Mapping[int, int], _Groups]
_NO_MATCH: _Match = ({}, ())


class SearchIndex:
    """An immutable index over one programme; build a new one when the programme is reloaded."""

    def __init__(self, sessions: Sequence[Session], tracks: Mapping[str, Track] = _NO_TRACKS) -> None:
        # Position in time order is each session's number everywhere below, so ties break by start time.
        ordered = sorted(sessions, key=lambda s: (s.start is None, s.start.timestamp() if s.start else 0.0, s.id))
        self._sessions: tuple[Session, ...] = tuple(ordered)
        self._by_id = {s.id.casefold(): s for s in ordered}
        self._ids_sorted = sorted((s.id.casefold(), i) for i, s in enumerate(ordered))
        # The build allocates about a million objects that all survive; the cyclic collector would
        # walk them again and again for nothing (a seventh of the build time at 10,000 sessions).
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._build_tracks(ordered, tracks)
            self._build_rooms(ordered)
            self._build_search(ordered)
            self._build_completion(ordered)
            self._build_speakers(ordered)
        finally:
            if gc_was_enabled:
                gc.enable()

    # ------------------------------------------------------------------ building

    def _build_tracks(self, ordered: Sequence[Session], tracks: Mapping[str, Track]) -> None:
        known = dict(tracks)
        for s in ordered:
            if s.track and s.track not in known:
                known[s.track] = Track(key=s.track, name=s.track)
        self._tracks: dict[str, Track] = known
        self._track_lookup: dict[str, str] = {}
        self._track_compact: dict[str, str | None] = {}
        self._track_forms: dict[str, list[str]] = {}
        for key, t in known.items():
            forms = [_norm(f) for f in (key, t.name, t.name_zh) if f]
            self._track_forms[key] = list(dict.fromkeys(f for f in forms if f))
            for f in forms:
                self._track_lookup.setdefault(f, key)
                compact = _NOT_WORD.sub("", f)
                if compact:
                    prior = self._track_compact.get(compact, key)
                    self._track_compact[compact] = key if prior == key else None  # ambiguous -> no match
        self._track_order: dict[str, tuple[list[Track], list[list[str]]]] = {}
        for lang in ("en", "zh"):
            items = sorted(known.values(), key=lambda t: (fold(t.name_in(lang)), t.key))
            self._track_order[lang] = (items, [self._track_forms[t.key] for t in items])
        # What a session's track contributes to search: its key and display names in both languages.
        self._track_terms = {key: frozenset(_terms(" ".join(forms), True)) for key, forms in self._track_forms.items()}

    def _build_rooms(self, ordered: Sequence[Session]) -> None:
        names: dict[str, str] = {}  # folded -> room as written (first seen)
        canonical: dict[str, str] = {}  # folded en or zh name -> Session.room spelling
        seen: set[tuple[str | None, str | None]] = set()
        for s in ordered:
            pair = (s.room, s.room_zh)
            if pair in seen:
                continue
            seen.add(pair)
            main = s.room or s.room_zh
            for r in pair:
                if main and r and r.strip():
                    f = _norm(r)
                    names.setdefault(f, _SPACE.sub(" ", r).strip())
                    canonical.setdefault(f, main)
        self._room_names = names
        self._room_canonical = canonical
        self._room_list = sorted(names, key=lambda f: (_HAS_CJK.search(f) is not None, f))

    def _build_search(self, ordered: Sequence[Session]) -> None:
        # term -> session numbers, one table per field; filled with C-level loops (map/extend), as
        # 10,000 sessions make about a million (term, session) pairs.
        per_field: list[dict[str, list[int]]] = [defaultdict(list) for _ in _FIELDS]
        title_f, presenter_f, track_f, room_f, abstract_f = (d.__getitem__ for d in per_field)
        consume = deque(maxlen=0).extend
        append = list.append
        short_cache: dict[str, set[str]] = {}

        def short_terms(text: str) -> set[str]:
            got = short_cache.get(text)
            if got is None:
                got = short_cache[text] = _terms(fold(text), True)
            return got

        titles: list[str] = []
        for sid, s in enumerate(ordered):
            title = _norm(s.title or "")
            title_zh = _norm(s.title_zh or "")
            titles.append(title + "\n" + title_zh if title_zh else title)
            sids = repeat(sid)
            consume(map(append, map(title_f, _terms(titles[-1], True)), sids))
            for p in (*s.presenters, *s.presenters_zh):
                consume(map(append, map(presenter_f, short_terms(p)), sids))
            consume(map(append, map(track_f, self._track_terms.get(s.track, ())), sids))
            for r in (s.room, s.room_zh):
                if r:
                    consume(map(append, map(room_f, short_terms(r)), sids))
            for a in (s.abstract, s.abstract_zh):
                if a:
                    consume(map(append, map(abstract_f, _terms(fold(a), False)), sids))
        # Weakest field first, so a stronger field overwrites: each session keeps its best field per term.
        # Each term keeps (rank, sessions) groups, weakest field first; the session -> best rank map a query
        # needs is merged from them when asked (kept whole for every term, it took 39 MB at 10,000 sessions).
        groups: dict[str, list[tuple[int, list[int]]]] = defaultdict(list)
        for f in reversed(range(len(_FIELDS))):
            rank = _FIELD_RANK[f]
            for term, sids_ in per_field[f].items():
                groups[term].append((rank, array("i", sids_)))  # 4 bytes a session, not an 8-byte pointer
        self._groups: dict[str, list[tuple[int, list[int]]]] = dict(groups)
        self._df = {term: max(len(sids_) for _, sids_ in g) for term, g in groups.items()}  # to rank expansions
        postings = self._groups
        self._title_terms = per_field[0]
        self._presenter_terms = per_field[1]
        self._title_text = titles
        self._vocab = sorted(t for t in postings if not _HAS_CJK.match(t))
        by_len: dict[int, list[str]] = defaultdict(list)
        for w in self._vocab:
            if len(w) >= 3:
                by_len[len(w)].append(w)
        self._vocab_by_len = dict(by_len)

    def _build_completion(self, ordered: Sequence[Session]) -> None:
        self._ac_title = _PrefixSets(self._title_terms)
        self._ac_people = _PrefixSets(self._presenter_terms)
        del self._title_terms, self._presenter_terms
        starts = sorted((part, i) for i, t in enumerate(self._title_text) for part in t.split("\n"))
        self._title_starts = starts
        self._title_start_keys = [k for k, _ in starts]
        labels: dict[str, list[str]] = {}
        for lang in ("en", "zh"):
            texts = [_SPACE.sub(" ", s.title_in(lang)).strip() or s.id for s in ordered]
            dup = Counter(texts)
            labels[lang] = [
                _clip(t) if dup[t] == 1 else _clip(f"{t[: _LABEL_MAX - len(s.id) - 4]} · {s.id}")
                for t, s in zip(texts, ordered, strict=False)
            ]
        self._labels = labels

    def _build_speakers(self, ordered: Sequence[Session]) -> None:
        by_key: dict[str, list[int]] = defaultdict(list)
        spellings: dict[str, dict[str, int]] = defaultdict(dict)
        split_cache: dict[str, list[tuple[str, str]]] = {}
        for sid, s in enumerate(ordered):
            for raw in (*s.presenters, *s.presenters_zh):
                people = split_cache.get(raw)
                if people is None:
                    people = split_cache[raw] = [(p, _name_key(p)) for p in _people(raw)]
                for person, key in people:
                    if not key:
                        continue
                    sids = by_key[key]
                    if not sids or sids[-1] != sid:
                        sids.append(sid)
                    forms = spellings[key]
                    forms[person] = forms.get(person, 0) + 1
        # Display each person as most often written; list them alphabetically (folded).
        people_sorted = sorted((_norm(name), name, k) for k, c in spellings.items() for name in (max(c, key=c.get),))
        self._speaker_folded = [f for f, _, _ in people_sorted]
        self._speaker_names = [n for _, n, _ in people_sorted]
        self._speaker_keys = [k for _, _, k in people_sorted]
        self._speaker_sids = {k: tuple(v) for k, v in by_key.items()}
        name_terms: dict[str, set[int]] = defaultdict(set)
        for i, f in enumerate(self._speaker_folded):
            for t in _terms(f, True):
                name_terms[t].add(i)
        self._ac_speakers = _PrefixSets(name_terms)

    # ------------------------------------------------------------------ search

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """Sessions matching a query, best first; [] for an empty query, the session alone for its id.

        The query is cut into units (words, CJK character pairs). A session scores
        (units matched + 0.9 * mean match quality + 0.1 if the whole query is in its title) / (units + 1),
        so matching more units always wins, then title over presenter, track, room and abstract, whole
        word over prefix over typo. Ties go to the earlier session.
        """
        text = _norm(query)
        if not text or limit <= 0:
            return []
        by_id = self._by_id.get(text)
        if by_id is not None:
            return [Hit(by_id, 1.0, "id")]
        units = self._units(text)
        if not units:
            return []
        matches = [self._unit_matches(kind, term) for kind, term in units]
        n = len(matches)
        if n == 1:
            return self._top_single(matches[0][1], limit)
        dicts = [d for d, _ in matches]
        pool = self._pool(matches, limit)
        phrase = text
        titles = self._title_text
        scored = []
        for sid in pool:
            k = 0
            qs = 0.0
            best = -1
            for d in dicts:
                r = d.get(sid)
                if r is not None:
                    k += 1
                    qs += _Q[r]
                    if r > best:
                        best = r
            raw = k + 0.9 * qs / n + (0.1 if phrase in titles[sid] else 0.0)
            scored.append((raw, -sid, best))
        top = heapq.nlargest(limit, scored)
        return [Hit(self._sessions[-neg], raw / (n + 1), _RANK_FIELD[best]) for raw, neg, best in top]

    def _pool(self, matches: Sequence[_Match], limit: int) -> list[int]:
        """The sessions worth scoring: those matching the most units, enough to fill `limit`.

        Matching more units always wins, so lower levels are only reached while the higher ones fill fewer
        than `limit`. A level too big to score in time keeps its sessions matched outside abstracts plus
        the earliest of the rest: deep in a huge result list, order among abstract-only matches is not worth
        milliseconds on every query.
        """
        present = sorted((d for d, _ in matches if d), key=len)
        if not present:
            return []
        levels: list[Collection[int]] = []
        if len(present) == len(matches):
            full = set(present[0]).intersection(*present[1:])
            if len(full) >= limit:
                levels = [full]
        if not levels:
            counts = Counter(chain.from_iterable(present))
            by_k: dict[int, list[int]] = defaultdict(list)
            for sid, c in counts.items():
                by_k[c].append(sid)
            levels = [by_k[k] for k in sorted(by_k, reverse=True)]
        pool: list[int] = []
        strong: set[int] | None = None
        for group in levels:
            need = limit - len(pool)
            if need <= 0:
                break
            if len(group) <= max(need, _POOL_CAP):
                pool.extend(group)
                continue
            if strong is None:
                strong = set().union(*(sids for _, gs in matches for r, sids in gs if not _IS_ABSTRACT[r]))
            group_set = group if isinstance(group, set) else set(group)
            good = group_set & strong
            pool.extend(good)
            if len(good) < need:
                pool.extend(sorted(group_set - good)[: need - len(good)])
        return pool

    def _top_single(self, groups: _Groups, limit: int) -> list[Hit]:
        out: list[Hit] = []
        seen: set[int] = set()
        for r, sids in reversed(groups):
            fresh = sorted(set(sids).difference(seen))
            seen.update(fresh)
            score = (1 + 0.9 * _Q[r]) / 2
            out.extend(Hit(self._sessions[sid], score, _RANK_FIELD[r]) for sid in fresh[: limit - len(out)])
            if len(out) >= limit:
                break
        return out

    def title_covers(self, session: Session, query: str) -> bool:
        """Whether every unit of the query (word, CJK pair) appears in the session's title, in either language."""
        units = self._units(_norm(query))
        title = _norm(f"{session.title or ''} {session.title_zh or ''}")
        words = set(_split(title)[0])
        return bool(units) and all(
            (u in words or any(w.startswith(u) for w in words)) if kind == "w" else u in title for kind, u in units
        )

    def _units(self, text: str) -> list[tuple[str, str]]:
        """What must match: each Latin word, each CJK bigram (a lone CJK character stands alone)."""
        words, runs = _split(text)
        kept = [w for w in words if w not in _STOP] or words
        units: list[tuple[str, str]] = [("w", w) for w in dict.fromkeys(kept)]
        grams: list[str] = []
        for run in runs:
            grams.extend([run] if len(run) == 1 else (run[i : i + 2] for i in range(len(run) - 1)))
        units.extend(("c", g) for g in dict.fromkeys(grams))
        return units[:_MAX_UNITS]

    def _unit_matches(self, kind: str, term: str) -> _Match:
        """Where one query unit matches: as itself, as the prefix of longer words, or else as a typo."""
        exact_groups = self._groups.get(term, ())
        exact = _merge(exact_groups) if exact_groups else None
        if kind == "c":
            return (exact, exact_groups) if exact else _NO_MATCH
        expansions: list[tuple[int, str]] = []
        if len(term) >= 3:
            vocab = self._vocab
            lo = bisect_left(vocab, term)
            hi = bisect_left(vocab, term + "\uffff", lo)
            longer = [w for w in vocab[lo:hi] if w != term]
            if len(longer) > _MAX_EXPANSIONS:
                longer = heapq.nlargest(_MAX_EXPANSIONS, longer, key=self._df.__getitem__)
            expansions = [(_PREFIX, w) for w in longer]
        if not exact and not expansions:
            # Only a word found nowhere is taken for a typo, so a real word never drags in look-alikes.
            typos = _typo_candidates(term, self._vocab_by_len)
            if len(typos) > _MAX_TYPO_WORDS:
                typos = heapq.nlargest(_MAX_TYPO_WORDS, typos, key=self._df.__getitem__)
            if typos:
                kind_of = _TYPO1 if OSA.distance(term, typos[0]) == 1 else _TYPO2
                expansions = [(kind_of, w) for w in typos]
        if not expansions:
            return (exact, exact_groups) if exact else _NO_MATCH
        groups = list(exact_groups)
        for m, w in expansions:
            table = _DEMOTE[m]
            groups.extend((table[r], sids) for r, sids in self._groups[w])
        groups.sort(key=itemgetter(0))
        merged: dict[int, int] = {}
        for r, sids in groups:  # weakest first: the best match of each session is written last
            merged.update(dict.fromkeys(sids, r))
        return merged, groups

    # ------------------------------------------------------------------ autocomplete

    def complete_session(self, prefix: str, limit: int = 25, lang: str = "en") -> list[tuple[str, str]]:
        """(label, session id) for what the user has typed so far, best first; labels at most 100 characters."""
        labels = self._labels["zh" if lang == "zh" else "en"]
        text = _norm(prefix)
        if limit <= 0:
            return []
        if not text:
            return [(labels[i], self._sessions[i].id) for i in range(min(limit, len(self._sessions)))]
        words, runs = _split(text)
        # Tier 0: the title starts with the text. Tier 1: every word starts a title word (any order).
        # Tier 2: same over titles and presenters together, or the session id starts with the text.
        lo = bisect_left(self._title_start_keys, text)
        hi = bisect_left(self._title_start_keys, text + "\uffff", lo)
        tier0 = {i for _, i in self._title_starts[lo:hi]}
        tiers: list[Iterable[int]] = [tier0]
        if words or runs:
            title_hits = self._all_of(self._ac_title, words, runs, self._title_text)
            tiers.append(title_hits)
            if len(tier0) + len(title_hits) < limit:
                tiers.append(self._all_of_either(words, runs))
        lo = bisect_left(self._ids_sorted, (text,))
        hi = bisect_left(self._ids_sorted, (text + "\uffff",), lo)
        tiers.append([i for _, i in self._ids_sorted[lo:hi]])
        out = _take(tiers, limit)
        if not out and words:
            fixed = self._fix_typos(words, (self._ac_title, self._ac_people))
            if fixed:
                out = _take([self._all_of_either(fixed, runs)], limit)
        return [(labels[i], self._sessions[i].id) for i in out]

    def _all_of(
        self, sets: _PrefixSets, words: list[str], runs: list[str], texts: Sequence[str] | None = None
    ) -> frozenset[int] | set[int]:
        parts = [sets.for_prefix(w) for w in words] + [sets.for_run(r) for r in runs]
        parts.sort(key=len)
        if not parts or not parts[0]:
            return _EMPTY
        found = parts[0].intersection(*parts[1:]) if len(parts) > 1 else parts[0]
        long_runs = [r for r in runs if len(r) > 2]
        if long_runs and texts is not None:
            found = {i for i in found if all(r in texts[i] for r in long_runs)}
        return found

    def _all_of_either(self, words: list[str], runs: list[str]) -> set[int]:
        """Sessions where every word/run is found in the title or among the presenters."""
        title, people = self._ac_title, self._ac_people
        parts = [title.for_prefix(w) | people.for_prefix(w) for w in words]
        parts += [title.for_run(r) | people.for_run(r) for r in runs]
        parts.sort(key=len)
        if not parts or not parts[0]:
            return set()
        return set(parts[0]).intersection(*parts[1:])

    @staticmethod
    def _fix_typos(words: list[str], indexes: Sequence[_PrefixSets]) -> list[str]:
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

    def complete_speaker(self, prefix: str, limit: int = 25) -> list[str]:
        """Speaker names for what the user has typed (any name part, any order), best first."""
        if limit <= 0:
            return []
        text = _norm(prefix)
        names = self._speaker_names
        if not text:
            return names[:limit]
        lo = bisect_left(self._speaker_folded, text)
        hi = bisect_left(self._speaker_folded, text + "\uffff", lo)
        words, runs = _split(text)
        tiers: list[Iterable[int]] = [range(lo, hi)]
        if words or runs:
            tiers.append(self._all_of(self._ac_speakers, words, runs, self._speaker_folded))
        out = _take(tiers, limit)
        if not out and words:
            fixed = self._fix_typos(words, (self._ac_speakers,))
            if fixed:
                out = _take([self._all_of(self._ac_speakers, fixed, runs, self._speaker_folded)], limit)
        return [names[i] for i in out]

    def complete_track(self, prefix: str, limit: int = 25, lang: str = "en") -> list[tuple[str, str]]:
        """(display name, key) of tracks matching by key or either name, best first."""
        items, forms = self._track_order["zh" if lang == "zh" else "en"]
        chosen = _match_small(forms, _norm(prefix), limit)
        return [(_clip(items[i].name_in(lang)), items[i].key) for i in chosen]

    def complete_room(self, prefix: str, limit: int = 25) -> list[str]:
        """Room names (English and Chinese, as written) matching what the user typed, best first."""
        chosen = _match_small([[f] for f in self._room_list], _norm(prefix), limit)
        return [self._room_names[self._room_list[i]] for i in chosen]

    # ------------------------------------------------------------------ lookups

    def closest(self, kind: str, text: str, n: int = 3) -> list[str]:
        """Up to n "did you mean" suggestions for an unknown track, room or speaker, closest first."""
        query = _norm(text)
        if not query or n <= 0:
            return []
        if kind == "track":
            lang = "zh" if _HAS_CJK.search(query) else "en"
            owners = [(f, key) for key, forms in self._track_forms.items() for f in forms]
            display = {key: t.name_in(lang) for key, t in self._tracks.items()}
        elif kind == "room":
            owners = [(f, f) for f in self._room_list]
            display = self._room_names
        elif kind == "speaker":
            owners = list(zip(self._speaker_folded, range(len(self._speaker_folded)), strict=False))
            display = dict(enumerate(self._speaker_names))
        else:
            raise ValueError(f"closest(): kind must be track, room or speaker, not {kind!r}")
        ranked = _rank_similar(query, [f for f, _ in owners], _SUGGEST_MIN)
        out: list[str] = []
        for _, i in ranked:
            name = display[owners[i][1]]
            if name not in out:
                out.append(name)
                if len(out) == n:
                    break
        return out

    def speaker_sessions(self, name: str) -> list[Session]:
        """A speaker's sessions in time order: exact name (any case, spacing, accents, order), else closest person.

        A fuzzy match must be clear: when several people match equally well (a shared surname), [] is returned
        and closest("speaker", name) lists them.
        """
        key = _name_key(name)
        if not key:
            return []
        sids = self._speaker_sids.get(key)
        if sids is None:
            ranked = _rank_similar(_norm(name), self._speaker_folded, _PERSON_MIN)
            if not ranked or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
                return []
            sids = self._speaker_sids[self._speaker_keys[ranked[0][1]]]
        return [self._sessions[i] for i in sids]

    def resolve_track(self, text: str) -> str | None:
        """The track key named by a key or a display name (English or Chinese); None if unknown."""
        folded = _norm(text)
        if not folded:
            return None
        key = self._track_lookup.get(folded)
        if key is None:
            key = self._track_compact.get(_NOT_WORD.sub("", folded))
        return key

    def resolve_room(self, text: str) -> str | None:
        """The room as sessions spell it (`Session.room`, English when known) from its English or Chinese name."""
        folded = _norm(text)
        return self._room_canonical.get(folded) if folded else None

    @property
    def sessions(self) -> tuple[Session, ...]:
        """The indexed sessions in time order (unscheduled last)."""
        return self._sessions


def _take(tiers: Iterable[Iterable[int]], limit: int) -> list[int]:
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


def _match_small(forms: Sequence[Sequence[str]], text: str, limit: int) -> list[int]:
    """Indexes of short entries (tracks, rooms) matching typed text; a linear scan, they are few."""
    if limit <= 0:
        return []
    if not text:
        return list(range(min(limit, len(forms))))
    words, runs = _split(text)
    starts: list[int] = []
    all_words: list[int] = []
    for i, fs in enumerate(forms):
        if any(f.startswith(text) for f in fs):
            starts.append(i)
            continue
        if not (words or runs):
            continue
        vocab = [w for f in fs for w in _split(f)[0]]
        if all(any(v.startswith(w) for v in vocab) for w in words) and all(any(r in f for f in fs) for r in runs):
            all_words.append(i)
    out = (starts + all_words)[:limit]
    if not out:
        # A typo: rank every entry by similarity and keep the convincing ones.
        flat = [(f, i) for i, fs in enumerate(forms) for f in fs]
        found = sorted(
            ((score, i) for f, i in flat if (score := _similarity(text, f)) >= _SUGGEST_MIN),
            key=lambda si: (-si[0], si[1]),
        )
        for _, i in found:
            if i not in out:
                out.append(i)
                if len(out) == limit:
                    break
    return out
