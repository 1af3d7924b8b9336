"""Where one query unit matches, as bit masks over the sessions' places in time order: intersecting, joining and
counting thousands of sessions costs microseconds, and a mask is one integer, which the garbage collector never
walks. An index keeps the matches of the units asked most recently."""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Iterable, Sequence
from itertools import repeat

from bot.core.search.ranks import STRONG

__all__ = ["NO_MATCH", "MatchCache", "Space", "UnitMatch"]

_ONE = ord("1")
_CACHED = 64  # query units whose matches an index keeps ready (the most recently asked)
_CACHED_SESSIONS = 400_000  # ... matching at most this many sessions in all


class Space:
    """The sessions of one index version by place: session key <-> bit of a mask."""

    __slots__ = ("n", "order", "places")

    def __init__(self, order: Sequence[int]) -> None:
        self.order = order  # session keys in time order
        self.places = {key: i for i, key in enumerate(order)}
        self.n = len(order)

    def mask(self, keys: Iterable[int]) -> int:
        """Sessions as a bit mask: bit i for the session in place i."""
        if not self.n:
            return 0
        digits = bytearray(b"0") * self.n  # one binary digit per session, written with C-level loops
        deque(map(digits.__setitem__, map(self.places.__getitem__, keys), repeat(_ONE)), maxlen=0)
        digits.reverse()
        return int(digits, 2)

    def keys(self, bits: int, n: int | None = None) -> list[int]:
        """The sessions of a mask (the first n of them), in time order."""
        order = self.order
        out: list[int] = []
        while bits and (n is None or len(out) < n):
            low = bits & -bits
            out.append(order[low.bit_length() - 1])
            bits ^= low
        return out


class UnitMatch:
    """Where one query unit matches: the sessions by rank, best first (each under its best rank only), all of
    them, and those matched in their title or speakers; each a bit mask of one Space."""

    __slots__ = ("all", "groups", "strong")

    def __init__(self, groups: tuple[tuple[int, int], ...], all: int, strong: int) -> None:
        self.groups = groups
        self.all = all
        self.strong = strong

    @classmethod
    def of(cls, found: Iterable[tuple[int, int]]) -> UnitMatch:
        """From (rank, sessions as a mask) in any order, overlapping."""
        by_rank: dict[int, int] = {}
        for rank, bits in found:
            by_rank[rank] = by_rank.get(rank, 0) | bits
        groups: list[tuple[int, int]] = []
        seen = strong = 0
        for rank in sorted(by_rank, reverse=True):
            fresh = by_rank[rank] & ~seen
            if fresh:
                groups.append((rank, fresh))
                seen |= fresh
                if STRONG[rank]:
                    strong |= fresh
        return cls(tuple(groups), seen, strong)


NO_MATCH = UnitMatch((), 0, 0)


class MatchCache:
    """The matches of the query units asked most recently, so a frequent word costs its work once per index
    version; bounded by units and by sessions matched. Not kept in the start-up cache."""

    __slots__ = ("held", "items", "space")

    def __init__(self) -> None:
        self.items: OrderedDict[str, tuple[UnitMatch, int]] = OrderedDict()  # unit -> (match, sessions in it)
        self.held = 0
        self.space: Space | None = None

    def space_of(self, order: Sequence[int]) -> Space:
        """The Space of `order` (the index's time order, the same object for every query of one version)."""
        if self.space is None or self.space.order is not order:
            self.space = Space(order)
            self.items.clear()
            self.held = 0
        return self.space

    def get(self, key: str) -> UnitMatch | None:
        found = self.items.get(key)
        if found is None:
            return None
        self.items.move_to_end(key)
        return found[0]

    def put(self, key: str, match: UnitMatch) -> None:
        size = match.all.bit_count()
        if size > _CACHED_SESSIONS // 4 or key in self.items:
            return
        self.items[key] = (match, size)
        self.held += size
        while len(self.items) > _CACHED or self.held > _CACHED_SESSIONS:
            _, (_, gone) = self.items.popitem(last=False)
            self.held -= gone
