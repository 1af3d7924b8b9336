"""Where each term is found: per term, the sessions holding it in each field (title, presenter, track, room,
abstract), built once and updated per session on reload. bot.core.search.ranking searches over them."""

from __future__ import annotations

from array import array
from bisect import bisect_left, insort
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from itertools import repeat
from typing import Any

from bot.core.model import Session
from bot.core.search.matches import MatchCache
from bot.core.search.ranks import FIELD_RANK, FIELDS
from bot.core.search.text import HAS_CJK, camel_parts, fold, norm, terms, typo_able

__all__ = ["Postings", "TermIndex", "about", "field_postings", "field_terms", "text_terms", "title_text"]

# A term's postings: (rank, session keys) groups, weakest field first; keys ascending, one per occurrence.
Postings = list[tuple[int, "array[int]"]]


def title_text(s: Session) -> str:
    """A session's titles as search compares them: folded, English then Chinese on its own line."""
    title = norm(s.title or "")
    title_zh = norm(s.title_zh or "")
    return title + "\n" + title_zh if title_zh else title


def text_terms(text: str, unigrams: bool, folded: str | None = None) -> set[str]:
    """Index terms of a text: its words (and the parts of its camel-case words), CJK pairs, and single CJK
    characters when `unigrams` (short fields only). `folded`: the text already folded, when at hand."""
    found = terms(fold(text) if folded is None else folded, unigrams)
    parts = camel_parts(text)
    if parts:
        found.update(parts)
    return found


def about(s: Session) -> tuple[str, ...]:
    """What a session says about itself beyond its title, searched as its abstract: the abstract in both
    languages, and the speakers' bios where the loader keeps them apart (`bios`, `bios_zh`)."""
    return (s.abstract, s.abstract_zh, getattr(s, "bios", ""), getattr(s, "bios_zh", ""))


def _title_terms(s: Session, title: str) -> set[str]:
    found = terms(title, True)
    for raw in (s.title, s.title_zh):
        if raw:
            found.update(camel_parts(raw))
    return found


def field_terms(s: Session, title: str, track_terms: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """A session's index terms per field (FIELDS order), once per occurrence, as TermIndex.build counts them."""
    presenters: list[str] = []
    for p in (*s.presenters, *s.presenters_zh):
        presenters += text_terms(p, True)
    rooms: list[str] = []
    for r in (s.room, s.room_zh):
        if r:
            rooms += text_terms(r, True)
    abstracts: list[str] = []
    for a in about(s):
        if a:
            abstracts += text_terms(a, False)
    return [list(_title_terms(s, title)), presenters, list(track_terms.get(s.track, ())), rooms, abstracts]


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
            got = short_cache[text] = text_terms(text, True)
        return got

    for key, s in keyed:
        keys = repeat(key)
        consume(map(append, map(title_f, _title_terms(s, titles[key])), keys))
        for p in (*s.presenters, *s.presenters_zh):
            consume(map(append, map(presenter_f, short_terms(p)), keys))
        consume(map(append, map(track_f, track_terms.get(s.track, ())), keys))
        for r in (s.room, s.room_zh):
            if r:
                consume(map(append, map(room_f, short_terms(r)), keys))
        for a in about(s):
            if a:
                consume(map(append, map(abstract_f, text_terms(a, False)), keys))
    return per_field


class TermIndex:
    """Postings of every term in every session field."""

    __slots__ = ("cache", "df", "postings", "titles", "vocab", "vocab_by_len")

    def __init__(
        self,
        postings: dict[str, Postings],
        df: dict[str, int],
        vocab: list[str],
        vocab_by_len: dict[int, list[str]],
        titles: Mapping[int, str],
    ) -> None:
        self.postings = postings
        self.df = df  # term -> its most occurrences in one field, to rank expansions
        self.vocab = vocab  # Latin words, sorted: prefix expansion
        self.vocab_by_len = vocab_by_len  # words typo_able() by length, each list sorted: typos
        self.titles = titles  # session key -> title_text()
        self.cache = MatchCache()

    def __getstate__(self) -> tuple[Any, ...]:
        return (self.postings, self.df, self.vocab, self.vocab_by_len, self.titles)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.postings, self.df, self.vocab, self.vocab_by_len, self.titles = state
        self.cache = MatchCache()

    @classmethod
    def build(cls, per_field: Sequence[Mapping[str, list[int]]], titles: Mapping[int, str]) -> TermIndex:
        """The index from field_postings()."""
        # Each term keeps (rank, sessions) groups, weakest field first; the session -> best rank map a query
        # needs is merged from them when asked (kept whole for every term, it took 39 MB at 10,000 sessions).
        postings: defaultdict[str, Postings] = defaultdict(list)
        for f in reversed(range(len(FIELDS))):
            rank = FIELD_RANK[f]
            for term, keys in per_field[f].items():
                postings[term].append((rank, array("i", keys)))  # 4 bytes a session, not an 8-byte pointer
        df = {term: max(len(ks) for _, ks in groups) for term, groups in postings.items()}
        vocab = sorted(t for t in postings if not HAS_CJK.match(t))
        by_len: defaultdict[int, list[str]] = defaultdict(list)
        for w in vocab:
            if typo_able(w):
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
                    rank = FIELD_RANK[f]
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
                    if typo_able(term):
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
                    if typo_able(term):
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
