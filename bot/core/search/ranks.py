"""How well a query word matched a session: the field it was found in (title, presenter, track, room, abstract)
and how (whole word, prefix, typo), as one number, a rank, that orders matches (a higher rank is better)."""

from __future__ import annotations

__all__ = ["DEMOTE", "EXACT", "FIELDS", "FIELD_RANK", "PREFIX", "QUALITY", "RANK_FIELD", "STRONG", "TYPO1", "TYPO2"]

# Where a query word was found, and how well. The product orders matches: a title match beats a
# presenter, track, room or abstract match; a whole word beats a prefix, which beats a typo.
FIELDS = ("title", "presenter", "track", "room", "abstract")
_FIELD_W = (1.0, 0.9, 0.65, 0.6, 0.4)
EXACT, PREFIX, TYPO1, TYPO2 = range(4)
_MATCH_W = (1.0, 0.7, 0.55, 0.45)
_LEVELS = sorted((mw * fw, m, f) for m, mw in enumerate(_MATCH_W) for f, fw in enumerate(_FIELD_W))
# A match's rank: its place in _LEVELS, weakest first (a higher rank is a better match).
QUALITY = tuple(q for q, _, _ in _LEVELS)  # rank -> quality
RANK_FIELD = tuple(FIELDS[f] for _, _, f in _LEVELS)  # rank -> field name
STRONG = tuple(FIELDS[f] in ("title", "presenter") for _, _, f in _LEVELS)  # rank -> found in title or speakers
_RANK = {(m, f): r for r, (_, m, f) in enumerate(_LEVELS)}
# exact rank (what postings store) -> rank of the same field under a weaker kind of match
DEMOTE = tuple(tuple(_RANK[(m, _LEVELS[r][2])] for r in range(len(_LEVELS))) for m in range(len(_MATCH_W)))
FIELD_RANK = tuple(_RANK[(EXACT, f)] for f in range(len(FIELDS)))
