"""The dateparser fallback: a last resort for English layouts the grammar does not know.

"8-Aug-2026 3pm", "Sat Aug  8 15:00:00 2026": only short ASCII text with a digit and a calendar word, two
languages, no timestamps, and a day of the month required. Left to itself dateparser spent over a second failing
one Chinese phrase, read "15h" as fifteen hours from now and "3" as March.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from bot.core.timeparse.lexicon import MONTHS, WEEKDAYS, alts

# Only English text with a digit and a calendar word goes to dateparser: alone, it reads
# "15h" as fifteen hours from now and "3" as March.
_FALLBACK_OK = re.compile(r"^(?=.*\d)[a-z0-9 ,.:/'+-]{1,60}$")
_FALLBACK_WORD = re.compile(
    r"\b(?:{})\b".format(
        alts(
            [
                *MONTHS,
                *WEEKDAYS,
                "today",
                "tomorrow",
                "yesterday",
                "tonight",
                "morning",
                "afternoon",
                "evening",
                "noon",
                "midnight",
                "night",
                "next",
                "week",
            ]
        )
    )
)


def read_with_dateparser(s: str, now: datetime, tz: tzinfo, want_time: bool) -> datetime | None:
    """What dateparser reads in the normalised text, in tz, or None when it is not worth asking or not understood."""
    if not _FALLBACK_OK.match(s) or not _FALLBACK_WORD.search(s):
        return None
    try:
        from dateparser.date import DateDataParser

        name = getattr(tz, "key", None) or "UTC"
        zone = ZoneInfo(name) if name != "UTC" else UTC
        base = now.astimezone(zone).replace(tzinfo=None)
        parser = DateDataParser(
            languages=["en", "zh"],
            settings={
                "RELATIVE_BASE": base,
                "TIMEZONE": name,
                "TO_TIMEZONE": name,
                "RETURN_AS_TIMEZONE_AWARE": True,
                "PREFER_DATES_FROM": "future",
                "RETURN_TIME_AS_PERIOD": True,
                "PARSERS": ["relative-time", "absolute-time"],
                "REQUIRE_PARTS": ["day"],  # "3pm aug" names no day: not a guess worth making
            },
        )
        data = parser.get_date_data(s)
    except Exception:  # noqa: BLE001 - dateparser is a guess of last resort: whatever it raises means "not understood"
        return None
    found = data.date_obj
    if found is None or data.period not in (("time",) if want_time else ("time", "day")):
        return None
    if found.tzinfo is None:
        found = found.replace(tzinfo=zone)
    return found.astimezone(tz)
