"""How search reads text: folding case, accents and width, cutting into words and CJK character pairs,
a person's name as a key, and how alike two strings are."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.core.text import CJK, clip

__all__ = [
    "HAS_CJK",
    "LABEL_MAX",
    "NAME_MAX",
    "PERSON_MIN",
    "QUERY_MAX",
    "STOP",
    "SUGGEST_MIN",
    "camel_parts",
    "collapse",
    "fold",
    "label",
    "name_key",
    "norm",
    "rank_similar",
    "similarity",
    "split",
    "terms",
    "title_key",
    "typed",
    "typo_able",
    "typo_candidates",
]

# Search reads the letters of the CJK scripts (bot.core.text.CJK) and treats their punctuation block, like
# any punctuation, as a break between words: "流处理、批处理" is two runs, not one.
_CJK_PUNCTUATION = "\u3000-\u303f"
LETTERS = CJK.replace(_CJK_PUNCTUATION, "")
_WORD = re.compile(f"[^\\W_{LETTERS}]+")
_ASCII_WORD = re.compile("[a-z0-9]+")
_RUN = re.compile(f"[{LETTERS}]+")
_BIGRAM = re.compile(f"(?=([{LETTERS}]{{2}}))")
_CHAR = re.compile(f"[{LETTERS}]")
HAS_CJK = re.compile(f"[{LETTERS}]")
_TOKEN = re.compile(f"[^\\W_{LETTERS}]+|[{LETTERS}]+")
_MARKS = re.compile("[\u0300-\u036f]")
# A word written in camel case ("DolphinScheduler", "IoTDB", "HTTPServer"), and its parts.
_CAMEL_HINT = re.compile(r"[a-z][A-Z]|[A-Z][A-Z][a-z]")
_CAMEL_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]*(?:[a-z][A-Z]|[A-Z][A-Z][a-z])[A-Za-z0-9]*")
_CAMEL_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_SPACE = re.compile(r"\s+")

LABEL_MAX = 100  # characters of an autocomplete label (Discord's limit)
# What search reads of what was typed (a chat option may hold 6,000 characters): no title, name or
# question is longer, and every step after this is bounded by it.
QUERY_MAX = 200  # characters of a query
NAME_MAX = 100  # characters of a person's, track's or room's name
SUGGEST_MIN = 65  # similarity() a "did you mean" suggestion needs
PERSON_MIN = 80  # ... and a guessed speaker
_SUGGEST_RESCORE = 100

# Words that say nothing about a session; dropped from a query unless it has nothing else.
STOP = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "how", "in", "into", "is", "it", "its", "of"}
    | {"on", "or", "our", "the", "this", "that", "to", "we", "what", "with", "your"}
)


def fold(text: str) -> str:
    """Lowercase, fold diacritics (Zoltán -> zoltan) and width (ＡＢＣ -> abc); CJK is kept."""
    if text.isascii():
        return text.lower()
    text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return unicodedata.normalize("NFC", text).casefold()


def norm(text: str) -> str:
    """Folded, with runs of white space as one space: how every string is compared."""
    return _SPACE.sub(" ", fold(text or "")).strip()


def collapse(text: str) -> str:
    """Runs of white space as one space, case and accents kept: a name as shown."""
    return _SPACE.sub(" ", text).strip()


def split(folded: str) -> tuple[list[str], list[str]]:
    """Latin/digit words and CJK runs of already folded text."""
    return _WORD.findall(folded), _RUN.findall(folded)


TYPED_WORDS = 6  # words (and CJK runs) of typed text autocomplete and name lookups read
TYPED_RUN = 12  # characters of a CJK run they read


def typed(folded: str) -> tuple[list[str], list[str]]:
    """The words and CJK runs of typed text, as many as name a title or a person: split() bounded, so that
    pasted pages cost what a title does."""
    words, runs = split(folded)
    runs = [r[:TYPED_RUN] for r in runs[:TYPED_WORDS]]
    return words[:TYPED_WORDS], runs


def terms(folded: str, unigrams: bool) -> set[str]:
    """Index terms: words, CJK bigrams, and single CJK characters when `unigrams` (short fields only)."""
    if folded.isascii():
        return set(_ASCII_WORD.findall(folded))
    found = _WORD.findall(folded)
    found += _BIGRAM.findall(folded)
    if unigrams:
        found += _CHAR.findall(folded)
    return set(found)


def camel_parts(text: str) -> list[str]:
    """The parts of the words written in camel case in `text`, folded: "KafkaConnect" -> kafka, connect;
    "IoTDB" -> io, tdb. So a word found joined in one file is found by its parts, as another file writes it."""
    found: list[str] = []
    if text.islower() or _CAMEL_HINT.search(text) is None:  # most texts: one quick pass
        return found
    for word in _CAMEL_WORD.findall(text):
        found.extend(p.lower() for p in _CAMEL_PART.findall(word) if len(p) > 1)
    return found


def title_key(text: str) -> str:
    """A title as a sequence of words and CJK runs, folded: two titles are the same title when their keys are
    equal, whatever their case, accents, spacing or punctuation."""
    return " ".join(_TOKEN.findall(norm(text) if not text.islower() or "  " in text else text))


def name_key(name: str) -> str:
    """A person's name independent of case, diacritics, spacing, commas and word order."""
    words, runs = split(fold(name))
    return " ".join(sorted(words + runs))


def label(text: str) -> str:
    """An autocomplete label: at most LABEL_MAX characters."""
    return clip(text, LABEL_MAX)


def similarity(query: str, candidate: str) -> float:
    """0..100, how likely `candidate` is what someone typing `query` meant (both folded).

    Whole-string and word-set similarity, plus the query as a part of a longer candidate ("jingming" for
    "JingMing Hall"), but never a short candidate found inside a long query ("AI" inside "stremaing").
    """
    score = max(fuzz.ratio(query, candidate), fuzz.token_set_ratio(query, candidate))
    if len(candidate) >= len(query) >= (2 if HAS_CJK.search(query) else 3):
        score = max(score, 0.9 * fuzz.partial_ratio(query, candidate))
    return score


def rank_similar(query: str, candidates: Sequence[str], cutoff: float) -> list[tuple[float, int]]:
    """(score, index) of the candidates at least `cutoff` similar to `query`, best first.

    Long lists (thousands of speakers) are first narrowed to 100 by rapidfuzz's WRatio, which runs in C
    and scores the same kinds of likeness a little more generously.
    """
    indexes: Iterable[int] = range(len(candidates))
    if len(candidates) > _SUGGEST_RESCORE:
        indexes = [i for _, _, i in process.extract(query, candidates, scorer=fuzz.WRatio, limit=_SUGGEST_RESCORE)]
    scored = [(score, i) for i in indexes if (score := similarity(query, candidates[i])) >= cutoff]
    scored.sort(key=lambda si: (-si[0], si[1]))
    return scored


def typo_able(word: str) -> bool:
    """Whether a word may be taken for a misspelling of another, or another for a misspelling of it: words of
    letters only, three or more (a number or a code like "k8s" is never a typo)."""
    return len(word) >= 3 and word.isalpha()


def _typo_bound(word: str) -> int:
    return 0 if len(word) < 4 else (1 if len(word) <= 5 else 2)


def typo_candidates(word: str, by_len: dict[int, list[str]]) -> list[str]:
    """The vocabulary words nearest to `word` (transpositions count once), if within the bound for its length."""
    bound = _typo_bound(word) if typo_able(word) else 0
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
