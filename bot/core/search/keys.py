"""Order keys: numbers that sort like the things they stand for, with room between them for new ones.

The index numbers sessions (and speakers) by their place in time (alphabetical) order, so ties anywhere
break by that order; spacing the numbers out lets a reload slot a new session in without renumbering the
others. When a gap runs out, the index is built afresh.
"""

from __future__ import annotations

__all__ = ["KEY_LIMIT", "between", "spaced"]

KEY_LIMIT = 2**31 - 1  # keys are stored in 32-bit arrays: 0 < key < KEY_LIMIT


def spaced(n: int) -> list[int]:
    """n increasing keys spread evenly over the whole range."""
    step = KEY_LIMIT // (n + 1)
    return [step * (i + 1) for i in range(n)]


def between(low: int, high: int, n: int) -> list[int] | None:
    """n increasing keys strictly between low and high, spread evenly; None when the gap is too small."""
    gap = high - low
    if gap <= n:
        return None
    return [low + gap * (i + 1) // (n + 1) for i in range(n)]
