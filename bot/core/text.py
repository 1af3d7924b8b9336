"""Small text helpers every layer shares: clipping to a limit, the CJK ranges, display width."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

__all__ = ["CJK", "clip", "display_width", "has_cjk"]

# Han, kana, hangul, CJK punctuation (and the compatibility and extension-B Han blocks): scripts written
# without spaces between words. One definition for search, time input and layout.
CJK = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ebef"


@cache
def _cjk() -> re.Pattern[str]:
    """The CJK ranges as a pattern, compiled when first asked for: compiling it takes some 4 ms, which a
    process that never asks (`check` of most programmes) need not pay at start."""
    return re.compile(f"[{CJK}]")


def has_cjk(text: str) -> bool:
    """Whether `text` holds a character of a script written without spaces."""
    return _cjk().search(text) is not None


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, with "…" where it was cut."""
    if limit <= 0:
        return ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: wide and full-width characters (Chinese, say) take two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
