"""Normalisation: one lowercase, half-width, Arabic-digit string for the grammar.

Chinese numerals ("十点半", "两个小时") and English number words ("twenty-five") become digits, and fixed
phrasings of durations ("half an hour", "一个半小时", "三刻钟") are rewritten before the grammar sees them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_NUMBER = re.compile("[零〇一二两兩三四五六七八九十百]+")


def _cn_to_int(run: str) -> int:
    if "十" not in run and "百" not in run:
        return int("".join(str(_CN_DIGITS[c]) for c in run))
    total = current = 0
    for ch in run:
        if ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


_EN_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}
_EN_SMALL = {w: i for i, w in enumerate(_EN_UNITS)}
_EN_COMPOUND = re.compile(r"\b({})(?:[\s-]+({}))?\b".format("|".join(_EN_TENS), "|".join(_EN_UNITS[1:10])))
_EN_SINGLE = re.compile(r"\b({})\b".format("|".join(sorted(_EN_SMALL, key=len, reverse=True))))

# Fixed phrasings of durations, rewritten before the grammar sees them.
_PHRASES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"\b(?:an?\s+)?hour\s+and\s+a\s+half\b"), "90 minutes"),
    (re.compile(r"\b(\d+)\s+hours?\s+and\s+a\s+half\b"), r"\1.5 hours"),
    (re.compile(r"\b(\d+)\s+and\s+a\s+half\s+hours?\b"), r"\1.5 hours"),
    (re.compile(r"\b(?:a\s+)?half[\s-]+(?:an\s+)?hour\b"), "30 minutes"),
    (re.compile(r"\b3\s+quarters?\s+of\s+an\s+hour\b"), "45 minutes"),
    (re.compile(r"\b(?:an?\s+)?quarter(?:\s+of\s+an|[\s-])\s*hour\b"), "15 minutes"),
    (re.compile(r"\ban?\s+(?=(?:minute|min|hour|hr|day|week|wk|second|sec)s?\b)"), "1 "),
    (re.compile(r"(\d+)\s*[个個]?半\s*(?:[个個])?(小时|小時|钟头|鐘頭)"), r"\1.5\2"),
    (re.compile(r"半\s*[个個]?\s*(?:小时|小時|钟头|鐘頭)"), "30分钟"),
    (re.compile(r"(\d+)\s*刻\s*[钟鐘]"), lambda m: f"{int(m.group(1)) * 15}分钟"),
]
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).lower()
    s = s.replace("。", " ").replace("、", " ").replace("：", ":")
    s = _SPACES.sub(" ", s).strip()
    s = _CN_NUMBER.sub(lambda m: str(_cn_to_int(m.group(0))), s)
    s = _EN_COMPOUND.sub(lambda m: str(_EN_TENS[m.group(1)] + (_EN_SMALL[m.group(2)] if m.group(2) else 0)), s)
    s = _EN_SINGLE.sub(lambda m: str(_EN_SMALL[m.group(1)]), s)
    for pattern, repl in _PHRASES:
        s = pattern.sub(repl, s)
    return s
