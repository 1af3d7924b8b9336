"""Full-text search: which sessions a query's words (and CJK character pairs) are found in, in which field and
how well, and the ranking that follows. Postings are kept per term and updated per session on reload."""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left, insort
from collections import Counter, defaultdict, deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from itertools import chain, repeat
from operator import itemgetter

from rapidfuzz.distance import OSA

from bot.core.model import Session
from bot.core.search.text import HAS_CJK, STOP, fold, norm, split, terms, typo_candidates

__all__ = ["FIELDS", "TermIndex", "field_postings", "field_terms", "title_covers", "title_text"]

# Where a query word was found, and how well. The product orders matches: a title match beats a
# presenter, track, room or abstract match; a whole word beats a prefix, which beats a typo.
FIELDS = ("title", "presenter", "track", "room", "abstract")
_FIELD_W = (1.0, 0.9, 0.65, 0.6, 0.4)
_EXACT, _PREFIX, _TYPO1, _TYPO2 = range(4)
_MATCH_W = (1.0, 0.7, 0.55, 0.45)
_LEVELS = sorted((mw * fw, m, f) for m, mw in enumerate(_MATCH_W) for f, fw in enumerate(_FIELD_W))
_Q = tuple(q for q, _, _ in _LEVELS)  # rank -> quality
_RANK_FIELD = tuple(FIELDS[f] for _, _, f in _LEVELS)  # rank -> field name
_RANK = {(m, f): r for r, (_, m, f) in enumerate(_LEVELS)}
# exact rank (what postings store) -> rank of the same field under a weaker kind of match
_DEMOTE = tuple(tuple(_RANK[(m, _LEVELS[r][2])] for r in range(len(_LEVELS))) for m in range(len(_MATCH_W)))
_FIELD_RANK = tuple(_RANK[(_EXACT, f)] for f in range(len(FIELDS)))
_IS_ABSTRACT = tuple(FIELDS[f] == "abstract" for _, _, f in _LEVELS)

_MAX_UNITS = 16  # query words/bigrams beyond this are ignored: nobody types more, and work stays bounded
_MAX_EXPANSIONS = 40  # vocabulary words a prefix may stand for, the most frequent first
_MAX_TYPO_WORDS = 5
_POOL_CAP = 800  # sessions scored one by one per query, at most (see TermIndex._pool)

# A term's postings: (rank, session keys) groups, weakest field first; keys ascending, one per occurrence.
_Postings = list[tuple[int, "array[int]"]]
# A query unit's matches: session key -> rank, and the same as (rank, session keys) groups, rank ascending.
_Groups = Sequence[tuple[int, Sequence[int]]]
_Match = tuple[Mapping[int, int], _Groups]
_NO_MATCH: _Match = ({}, ())
Found = tuple[int, float, str]  # session key, score in (0, 1], the field that matched best


def title_text(s: Session) -> str:
    """A session's titles as search compares them: folded, English then Chinese on its own line."""
    title = norm(s.title or "")
    title_zh = norm(s.title_zh or "")
    return title + "\n" + title_zh if title_zh else title


def field_terms(s: Session, title: str, track_terms: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """A session's index terms per field (FIELDS order), once per occurrence, as TermIndex.build counts them."""
    presenters: list[str] = []
    for p in (*s.presenters, *s.presenters_zh):
        presenters += terms(fold(p), True)
    rooms: list[str] = []
    for r in (s.room, s.room_zh):
        if r:
            rooms += terms(fold(r), True)
    abstracts: list[str] = []
    for a in (s.abstract, s.abstract_zh):
        if a:
            abstracts += terms(fold(a), False)
    return [list(terms(title, True)), presenters, list(track_terms.get(s.track, ())), rooms, abstracts]


def field_postings(
    keyed: Sequence[tuple[int, Session]], titles: Mapping[int, str], track_terms: Mapping[str, Iterable[str]]
) -> list[defaultdict[str, list[int]]]:
    """Term -> session keys (once per occurrence), one table per field (FIELDS order), as field_terms() counts.

    Filled with C-level loops (map/extend): 10,000 sessions make about a million (term, session) pairs.
    """
    per_field: list[defaultdict[str, list[int]]] = [defaultdict(list) for _ in FIELDS]
    title_f, presenter_f, track_f, room_f, abstract_f = (d.__getitem__ for d in per_field)
    consume = deque[object](maxlen=0).extend
    append = list.append
    short_cache: dict[str, set[str]] = {}

    def short_terms(text: str) -> set[str]:
        got = short_cache.get(text)
        if got is None:
            got = short_cache[text] = terms(fold(text), True)
        return got

    for key, s in keyed:
        keys = repeat(key)
        consume(map(append, map(title_f, terms(titles[key], True)), keys))
        for p in (*s.presenters, *s.presenters_zh):
            consume(map(append, map(presenter_f, short_terms(p)), keys))
        consume(map(append, map(track_f, track_terms.get(s.track, ())), keys))
        for r in (s.room, s.room_zh):
            if r:
                consume(map(append, map(room_f, short_terms(r)), keys))
        for a in (s.abstract, s.abstract_zh):
            if a:
                consume(map(append, map(abstract_f, terms(fold(a), False)), keys))
    return per_field


def units(text: str) -> list[tuple[str, str]]:
    """What must match: each Latin word, each CJK bigram (a lone CJK character stands alone)."""
    words, runs = split(text)
    kept = [w for w in words if w not in STOP] or words
    out: list[tuple[str, str]] = [("w", w) for w in dict.fromkeys(kept)]
    grams: list[str] = []
    for run in runs:
        grams.extend([run] if len(run) == 1 else (run[i : i + 2] for i in range(len(run) - 1)))
    out.extend(("c", g) for g in dict.fromkeys(grams))
    return out[:_MAX_UNITS]


def title_covers(session: Session, query: str) -> bool:
    """Whether every unit of the query (word, CJK pair) appears in the session's title, in either language."""
    found = units(norm(query))
    title = norm(f"{session.title or ''} {session.title_zh or ''}")
    words = set(split(title)[0])
    return bool(found) and all(
        (u in words or any(w.startswith(u) for w in words)) if kind == "w" else u in title for kind, u in found
    )


def _merge(groups: _Groups) -> dict[int, int]:
    """Session -> best rank, from groups ordered weakest first (the best is written last)."""
    merged: dict[int, int] = {}
    for r, sids in groups:
        merged.update(dict.fromkeys(sids, r))
    return merged


class TermIndex:
    """Postings of every term in every session field, and the ranked search over them."""

    __slots__ = ("df", "postings", "titles", "vocab", "vocab_by_len")

    def __init__(
        self,
        postings: dict[str, _Postings],
        df: dict[str, int],
        vocab: list[str],
        vocab_by_len: dict[int, list[str]],
        titles: Mapping[int, str],
    ) -> None:
        self.postings = postings
        self.df = df  # term -> its most occurrences in one field, to rank expansions
        self.vocab = vocab  # Latin words, sorted: prefix expansion
        self.vocab_by_len = vocab_by_len  # Latin words of 3+ letters by length, each list sorted: typos
        self.titles = titles  # session key -> title_text(), for the phrase bonus

    @classmethod
    def build(cls, per_field: Sequence[Mapping[str, list[int]]], titles: Mapping[int, str]) -> TermIndex:
        """The index from field_postings()."""
        # Each term keeps (rank, sessions) groups, weakest field first; the session -> best rank map a query
        # needs is merged from them when asked (kept whole for every term, it took 39 MB at 10,000 sessions).
        postings: defaultdict[str, _Postings] = defaultdict(list)
        for f in reversed(range(len(FIELDS))):
            rank = _FIELD_RANK[f]
            for term, keys in per_field[f].items():
                postings[term].append((rank, array("i", keys)))  # 4 bytes a session, not an 8-byte pointer
        df = {term: max(len(ks) for _, ks in groups) for term, groups in postings.items()}
        vocab = sorted(t for t in postings if not HAS_CJK.match(t))
        by_len: defaultdict[int, list[str]] = defaultdict(list)
        for w in vocab:
            if len(w) >= 3:
                by_len[len(w)].append(w)
        return cls(dict(postings), df, vocab, dict(by_len), titles)

    def updated(
        self,
        removed: Iterable[tuple[int, list[list[str]]]],
        added: Iterable[tuple[int, list[list[str]]]],
        titles: Mapping[int, str],
    ) -> TermIndex:
        """A new index with these sessions' terms (per field, from field_terms) taken out and put in; self is
        left as it is, sharing with the new index only what did not change."""
        delta: defaultdict[str, defaultdict[int, Counter[int]]] = defaultdict(lambda: defaultdict(Counter))
        for sign, changes in ((-1, removed), (1, added)):
            for key, per_field in changes:
                for f, found in enumerate(per_field):
                    rank = _FIELD_RANK[f]
                    for term in found:
                        delta[term][rank][key] += sign
        postings = dict(self.postings)
        df = dict(self.df)
        vocab: list[str] | None = None
        by_len: dict[int, list[str]] | None = None
        for term, by_rank in delta.items():
            groups = dict(postings.get(term, ()))
            for rank, counts in by_rank.items():
                keys = array("i", groups.get(rank, ()))
                for key, n in counts.items():
                    for _ in range(-n):  # sorted: find it by halves (array.remove boxes every number it passes)
                        del keys[bisect_left(keys, key)]
                    for _ in range(n):
                        insort(keys, key)
                if keys:
                    groups[rank] = keys
                else:
                    groups.pop(rank, None)
            is_word = not HAS_CJK.match(term)
            if groups:
                if term not in postings and is_word:
                    vocab = list(self.vocab) if vocab is None else vocab
                    insort(vocab, term)
                    if len(term) >= 3:
                        by_len = dict(self.vocab_by_len) if by_len is None else by_len
                        by_len[len(term)] = same = list(by_len.get(len(term), ()))
                        insort(same, term)
                postings[term] = sorted(groups.items())
                df[term] = max(len(ks) for ks in groups.values())
            elif term in postings:
                del postings[term], df[term]
                if is_word:
                    vocab = list(self.vocab) if vocab is None else vocab
                    del vocab[bisect_left(vocab, term)]
                    if len(term) >= 3:
                        by_len = dict(self.vocab_by_len) if by_len is None else by_len
                        by_len[len(term)] = same = list(by_len[len(term)])
                        del same[bisect_left(same, term)]
                        if not same:
                            del by_len[len(term)]
        return TermIndex(
            postings,
            df,
            self.vocab if vocab is None else vocab,
            self.vocab_by_len if by_len is None else by_len,
            titles,
        )

    # ------------------------------------------------------------------ search

    def search(self, text: str, limit: int) -> list[Found]:
        """Sessions matching a folded query, best first.

        The query is cut into units (words, CJK character pairs). A session scores
        (units matched + 0.9 * mean match quality + 0.1 if the whole query is in its title) / (units + 1),
        so matching more units always wins, then title over presenter, track, room and abstract, whole
        word over prefix over typo. Ties go to the earlier session.
        """
        found = units(text)
        if not found:
            return []
        matches = [self._unit_matches(kind, term) for kind, term in found]
        n = len(matches)
        if n == 1:
            return self._top_single(matches[0][1], limit)
        dicts = [d for d, _ in matches]
        pool = self._pool(matches, limit)
        titles = self.titles
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
            raw = k + 0.9 * qs / n + (0.1 if text in titles[sid] else 0.0)
            scored.append((raw, -sid, best))
        top = heapq.nlargest(limit, scored)
        return [(-neg, raw / (n + 1), _RANK_FIELD[best]) for raw, neg, best in top]

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
            by_k: defaultdict[int, list[int]] = defaultdict(list)
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

    def _top_single(self, groups: _Groups, limit: int) -> list[Found]:
        out: list[Found] = []
        seen: set[int] = set()
        for r, sids in reversed(groups):
            fresh = sorted(set(sids).difference(seen))
            seen.update(fresh)
            score = (1 + 0.9 * _Q[r]) / 2
            out.extend((sid, score, _RANK_FIELD[r]) for sid in fresh[: limit - len(out)])
            if len(out) >= limit:
                break
        return out

    def _unit_matches(self, kind: str, term: str) -> _Match:
        """Where one query unit matches: as itself, as the prefix of longer words, or else as a typo."""
        exact_groups: _Groups = self.postings.get(term, ())
        exact = _merge(exact_groups) if exact_groups else None
        if kind == "c":
            return (exact, exact_groups) if exact else _NO_MATCH
        expansions: list[tuple[int, str]] = []
        if len(term) >= 3:
            vocab = self.vocab
            lo = bisect_left(vocab, term)
            hi = bisect_left(vocab, term + "\uffff", lo)
            longer = [w for w in vocab[lo:hi] if w != term]
            if len(longer) > _MAX_EXPANSIONS:
                longer = heapq.nlargest(_MAX_EXPANSIONS, longer, key=self.df.__getitem__)
            expansions = [(_PREFIX, w) for w in longer]
        if not exact and not expansions:
            # Only a word found nowhere is taken for a typo, so a real word never drags in look-alikes.
            typos = typo_candidates(term, self.vocab_by_len)
            if len(typos) > _MAX_TYPO_WORDS:
                typos = heapq.nlargest(_MAX_TYPO_WORDS, typos, key=self.df.__getitem__)
            if typos:
                kind_of = _TYPO1 if OSA.distance(term, typos[0]) == 1 else _TYPO2
                expansions = [(kind_of, w) for w in typos]
        if not expansions:
            return (exact, exact_groups) if exact else _NO_MATCH
        groups: list[tuple[int, Sequence[int]]] = list(exact_groups)
        for m, w in expansions:
            table = _DEMOTE[m]
            groups.extend((table[r], sids) for r, sids in self.postings[w])
        groups.sort(key=itemgetter(0))
        merged: dict[int, int] = {}
        for r, sids in groups:  # weakest first: the best match of each session is written last
            merged.update(dict.fromkeys(sids, r))
        return merged, groups
