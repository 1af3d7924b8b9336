"""Durations: "15 minutes", "1h30m", "半小时" as a reminder's lead time, and "in 2 hours" / "2小时后" as a moment."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from bot.core.timeparse.lexicon import NB, REL_SUFFIX

_UNIT_WORDS = [
    ("weeks", r"weeks?|wks?|w|[个個]?星期|[个個]?礼拜|[个個]?禮拜|周|週"),
    ("days", r"days?|d|天"),
    ("hours", r"hours?|hrs?|h|[个個]?小时|[个個]?小時|[个個]?钟头|[个個]?鐘頭"),
    ("minutes", r"minutes?|mins?|m|分钟|分鐘|分"),
    ("seconds", r"seconds?|secs?|s|秒钟|秒鐘|秒"),
]
_UNIT_RE = "|".join(f"(?P<{name}>{words})" for name, words in _UNIT_WORDS)
_DUR_ITEM = re.compile(rf"\s*(?:,|and|&|又)?\s*(?P<n>\d{{1,6}}(?:\.\d{{1,3}})?)\s*(?:{_UNIT_RE})(?![a-z])")
_DUR_TAIL_MINUTES = re.compile(r"\s*(\d{1,2})(?![\d.:])")


@dataclass(frozen=True)
class Duration:
    days: float = 0.0  # calendar days (weeks folded in)
    seconds: float = 0.0  # elapsed time

    def as_timedelta(self) -> timedelta:
        return timedelta(days=self.days, seconds=self.seconds)


def match_duration(s: str, pos: int) -> tuple[Duration, int] | None:
    """Longest run of "<number> <unit>" items starting at pos, or None."""
    seen: dict[str, float] = {}
    end = pos
    while True:
        m = _DUR_ITEM.match(s, end)
        if not m:
            break
        unit = next(name for name, _ in _UNIT_WORDS if m.group(name) is not None)
        if unit in seen:
            break
        seen[unit] = float(m.group("n"))
        end = m.end()
    if not seen:
        return None
    if "hours" in seen and "minutes" not in seen and "seconds" not in seen:
        # "1h30", "1小时30": the minutes may go without their unit.
        m = _DUR_TAIL_MINUTES.match(s, end)
        if m and (m.end() == len(s) or not s[m.end()].isalpha() or s[m.end()] in "后後以之"):
            seen["minutes"] = float(m.group(1))
            end = m.end()
    days = seen.get("weeks", 0) * 7 + seen.get("days", 0)
    seconds = seen.get("hours", 0) * 3600 + seen.get("minutes", 0) * 60 + seen.get("seconds", 0)
    return Duration(days, seconds), end


_EN_REL = re.compile(r"in\s+")
_EN_REL_AFTER = re.compile(rf"\s*(?:from\s+now|later){NB}")
_ZH_REL_AFTER = re.compile(REL_SUFFIX)


def match_relative(s: str, pos: int) -> tuple[Duration, int] | None:
    """'in 2 hours', '2 hours from now', '2小时后' starting at pos."""
    m = _EN_REL.match(s, pos)
    if m:
        found = match_duration(s, m.end())
        if found:
            return found
    found = match_duration(s, pos)
    if found:
        duration, end = found
        after = _ZH_REL_AFTER.match(s, end) or _EN_REL_AFTER.match(s, end)
        if after:
            return duration, after.end()
    return None
