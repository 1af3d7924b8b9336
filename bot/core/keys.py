"""Short stable keys for long names, and finding a name again from the clipped form a chat front end sent."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

__all__ = ["CLIP_LIMIT", "KEY_LENGTH", "resolve_clipped", "short_key"]

CLIP_LIMIT = 100  # characters a chat front end keeps of an autocomplete value (Discord's limit)
KEY_LENGTH = 20  # hex digits of a short key: 80 bits, no collision in any programme's lifetime

T = TypeVar("T")


def short_key(text: str) -> str:
    """A short key for `text`: the same in every process and release, 20 lowercase hex digits, made of no
    character a chat platform treats specially. Map it back through the names it may stand for."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=KEY_LENGTH // 2).hexdigest()


def resolve_clipped(
    value: str,
    resolve: Callable[[str], T | None],
    candidates: Callable[[], Iterable[str]],
    limit: int = CLIP_LIMIT,
) -> T | None:
    """`resolve(value)`; or, when `value` is a longer name cut to its first `limit` characters (as a chat
    front end sends an autocomplete value), what `resolve` gives for the one name among `candidates()` it was
    cut from. None when nothing, or more than one thing, matches.

    `value` may have lost trailing blanks to stripping. `candidates` is called only when `value` is not
    found as it is and is no longer than `limit`, so a hand-typed name costs nothing more.
    """
    found = resolve(value)
    if found is not None or not value or len(value) > limit:
        return found
    origins: list[T] = []
    for name in candidates():
        if len(name) > limit and name[:limit].strip() == value:
            origin = resolve(name)
            if origin is not None and all(origin is not o and origin != o for o in origins):
                origins.append(origin)
    return origins[0] if len(origins) == 1 else None
