"""The frame the time-input tests share: a three-day conference in Shanghai seen on its first morning, and what a
helpful refusal is."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.core.timeparse import TimeParseError, parse

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
# The TSV's frame: Friday 2026-08-07 10:00 in Shanghai, a three-day conference from that day.
NOW = datetime(2026, 8, 7, 10, 0, tzinfo=SHANGHAI)
DAYS = (date(2026, 8, 7), date(2026, 8, 8), date(2026, 8, 9))


_QUOTED = re.compile(r"(?<![A-Za-z])'([^']+)'(?![A-Za-z])")


def assert_helpful(err: TimeParseError, kind: str, typed: str, now=NOW, tz=SHANGHAI, days=DAYS) -> str:
    """The refusal is one line, and every example it offers is itself accepted."""
    message = str(err)
    assert message.strip() and "\n" not in message and "\r" not in message, message
    quoted = _QUOTED.findall(message)
    examples = [q for q in quoted if q.lower() not in typed.lower()]  # the rest quote the user back
    assert examples or quoted, f"no example in: {message}"
    worked = 0
    for example in quoted:
        try:
            parse(example, kind, now, tz, days)
            worked += 1
        except TimeParseError:
            assert example not in examples, f"the example {example!r} in {message!r} is refused itself"
    assert worked, f"no example in {message!r} works"
    return message
