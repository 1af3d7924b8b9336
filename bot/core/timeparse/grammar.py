"""The grammar: the token rules in the order they are tried, and the scan that reads a normalised phrase into Parts.

To read a new time expression, write its rule (pattern and handler) in the module of its concern (``dates``,
``relative``, ``time_of_day``, ``zones``) and place it in ``TOKENS`` below: at each position the first rule that
matches takes the words, so a more specific rule goes before a more general one.
"""

from __future__ import annotations

import re

from bot.core.timeparse import dates, relative, time_of_day, zones
from bot.core.timeparse.context import Ctx
from bot.core.timeparse.durations import match_relative
from bot.core.timeparse.errors import Unrecognised
from bot.core.timeparse.lexicon import NB
from bot.core.timeparse.parts import Parts, Rule

# Tried in order at each position; the first that matches takes the words.
TOKENS: list[Rule] = [
    dates.ISO_DATE,
    dates.ZH_DATE,
    dates.CONFERENCE_DAY,
    dates.ZH_CONFERENCE_DAY,
    relative.IN_DAYS,
    relative.ZH_IN_DAYS,
    dates.MONTH_FIRST,
    dates.DAY_FIRST,
    dates.NUMERIC_DATE,
    dates.ZH_DAY_OF_MONTH,
    relative.NOW,
    relative.DAY_WORD,
    relative.WEEKDAY_EN,
    relative.WEEKDAY_ZH,
    zones.ZONE_OFFSET,
    zones.ZONE_WORD,
    zones.ZONE_IANA,
    time_of_day.CLOCK,
    time_of_day.CLOCK_DOT,
    time_of_day.HOUR_MARKER,
    time_of_day.PAST_TO,
    time_of_day.ZH_CLOCK,
    time_of_day.NOON,
    time_of_day.MIDNIGHT,
    time_of_day.PERIOD,
    dates.EN_DAY_OF_MONTH,
    time_of_day.BARE_HOUR,
]
_FILLER = re.compile(rf"(?:\s+|,|@|at{NB}|on{NB}|the{NB}|的|在|于|於|，)+")


def scan(s: str, ctx: Ctx) -> Parts:
    """What the normalised phrase names; raises Unrecognised where it meets words no rule reads."""
    parts = Parts(ctx=ctx)
    pos, n = 0, len(s)
    while True:
        f = _FILLER.match(s, pos)
        if f:
            pos = f.end()
        if pos >= n:
            break
        rel = match_relative(s, pos)
        token = None
        for pattern, handler in TOKENS:
            m = pattern.match(s, pos)
            if m and m.end() > pos:
                token = m, handler
                break
        # "in 2 hours" is a moment; "in 2 days" is a day that may still take a time, unless
        # the duration runs on past what the day pattern read ("in 1 week 2 days").
        if rel and (rel[0].seconds or token is None or rel[1] > token[0].end()):
            parts.put("rel", rel[0], s[pos : rel[1]])
            pos = rel[1]
        elif token:
            token[1](token[0], parts, ctx)
            pos = token[0].end()
        else:
            raise Unrecognised(s[pos:])
    return parts
