"""What a search query asks for: its units (each Latin word, each CJK character), the ways a word may be
written apart ("KafkaConnect" as "Kafka Connect") or two words joined, all read from at most QUERY_MAX
characters, MAX_WORDS words and MAX_CHARS CJK characters, so the work a query makes is bounded whatever was
typed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.search.text import QUERY_MAX, STOP, camel_parts, fold, norm, split

__all__ = ["MAX_CHARS", "MAX_WORDS", "Query", "Unit", "parse"]

# What a query is read for: what names a title, and the work stays bounded.
MAX_WORDS = 8  # Latin words
MAX_CHARS = 16  # CJK characters
_NUMBERED = re.compile(r"([a-z]+)([0-9]+)|([0-9]+)([a-z]+)")  # "dubbo3", "5g": the same as "dubbo 3", "5 g"
_WORDS_READ = 64  # words looked at before stop words are dropped (a long paste is cut here, then to MAX_WORDS)


@dataclass(frozen=True, slots=True)
class Unit:
    """One thing a matching session must hold: a Latin word (found whole, as the start of a longer word, as
    two words written apart, or else as a typo), or a CJK character (found with a neighbour it was typed
    with: the character pairs of its run that hold it; a character typed alone is found alone)."""

    key: str  # what its matches are cached under
    word: str = ""
    apart: tuple[tuple[str, str], ...] = ()  # (first, second): the word as two words its camel case shows
    grams: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Query:
    units: tuple[Unit, ...]
    joins: tuple[tuple[int, int, str], ...]  # (unit, next unit, the two words written as one)
    phrase: str  # the query folded: a title holding it as typed ranks higher
    clipped: bool  # part of what was typed was not read (too long, too many words)
    runs: tuple[str, ...] = ()  # CJK runs of 3+ characters: a match holds each as written


def _apart(raw_word: str, folded: str) -> tuple[tuple[str, str], ...]:
    """The ways a word splits in two as its case or its digits show ("DolphinScheduler" -> (dolphin, scheduler);
    "dubbo3" -> (dubbo, 3))."""
    found: list[tuple[str, str]] = []
    parts = camel_parts(raw_word)
    if len(parts) >= 2 and "".join(parts) == folded:
        found.extend(("".join(parts[:i]), "".join(parts[i:])) for i in range(1, len(parts)))
    number = _NUMBERED.fullmatch(folded)
    if number:
        found.append((number.group(1) or number.group(3), number.group(2) or number.group(4)))
    return tuple(found)


def _char_units(run: str) -> list[Unit]:
    if len(run) == 1:
        return [Unit(key=f"c:{run}", grams=(run,))]
    out = []
    for j, ch in enumerate(run):
        grams = tuple(run[k : k + 2] for k in (j - 1, j) if k >= 0 and k + 2 <= len(run))
        out.append(Unit(key=f"c:{ch}:{','.join(grams)}", grams=grams))
    return out


def parse(raw: str) -> Query:
    """The units of what was typed; stop words ("the", "of") are dropped unless nothing else is left."""
    clipped = len(raw) > QUERY_MAX
    raw = raw[:QUERY_MAX]
    text = norm(raw)
    raw_words, _ = split(raw)
    typed: list[tuple[str, str]] = []  # (folded, as typed), in order
    for w in raw_words[:_WORDS_READ]:
        typed.extend((f, w) for f in split(fold(w))[0])
    clipped = clipped or len(raw_words) > _WORDS_READ
    kept = [i for i, (f, _) in enumerate(typed) if f not in STOP] or list(range(len(typed)))
    units: list[Unit] = []
    at: dict[str, int] = {}  # folded word -> its unit
    position: list[int | None] = [None] * len(typed)
    for i in kept:
        folded, as_typed = typed[i]
        if folded not in at:
            at[folded] = len(units)
            units.append(Unit(key=f"w:{folded}", word=folded, apart=_apart(as_typed, folded)))
        position[i] = at[folded]
    if len(units) > MAX_WORDS:
        units, clipped = units[:MAX_WORDS], True
    runs = split(text)[1]
    chars = list({u.key: u for u in reversed([c for run in runs for c in _char_units(run)])}.values())[::-1]
    chars_left = sum(len(r) for r in runs)
    if len(chars) > MAX_CHARS:
        chars, clipped = chars[:MAX_CHARS], True
        chars_left = MAX_CHARS
    unique = units + chars
    whole_runs: list[str] = []
    for run in runs:  # each run as far as it was read
        if len(run[:chars_left]) >= 3:
            whole_runs.append(run[:chars_left])
        chars_left -= len(run)
        if chars_left <= 0:
            break
    joins = []
    for i in range(len(typed) - 1):
        a, b = position[i], position[i + 1]
        if a is not None and b is not None and a != b and a < len(units) and b < len(units):
            joins.append((a, b, typed[i][0] + typed[i + 1][0]))
    return Query(tuple(unique), tuple(dict.fromkeys(joins)), text, clipped, tuple(dict.fromkeys(whole_runs)))
