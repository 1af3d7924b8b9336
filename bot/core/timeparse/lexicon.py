"""The word tables of the grammar: months, weekdays, ordinals, parts of the day, and how alternatives are written."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import time

# What a part of the day means where no hour is given ("tomorrow morning", "今天下午", "tonight").
PART_OF_DAY_DEFAULTS = {"am": time(9, 0), "noon": time(12, 0), "pm": time(14, 0), "evening": time(19, 0)}

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tues": 1,
    "tue": 1,
    "wednesday": 2,
    "weds": 2,
    "wed": 2,
    "thursday": 3,
    "thurs": 3,
    "thur": 3,
    "thu": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "sixth": 6,
    "6th": 6,
    "seventh": 7,
    "7th": 7,
}

# Period of day: how a 12-hour reading is placed.
PERIOD_WORDS = {
    "am": "am",
    "a.m.": "am",
    "a.m": "am",
    "morning": "am",
    "上午": "am",
    "早上": "am",
    "早晨": "am",
    "清晨": "am",
    "早": "am",
    "凌晨": "early",
    "noon": "noon",
    "中午": "noon",
    "正午": "noon",
    "午间": "noon",
    "午間": "noon",
    "pm": "pm",
    "p.m.": "pm",
    "p.m": "pm",
    "afternoon": "pm",
    "下午": "pm",
    "午后": "pm",
    "午後": "pm",
    "evening": "evening",
    "night": "evening",
    "tonight": "evening",
    "傍晚": "evening",
    "晚上": "evening",
    "夜里": "evening",
    "夜裡": "evening",
    "夜间": "evening",
    "夜間": "evening",
    "晚": "evening",
}

# Days named from today, and the ones that also name a part of the day ("tonight" is today's evening).
DAY_OFFSETS = {
    "today": 0,
    "今天": 0,
    "今日": 0,
    "今儿": 0,
    "tomorrow": 1,
    "tmrw": 1,
    "tmr": 1,
    "tomorow": 1,
    "明天": 1,
    "明日": 1,
    "明儿": 1,
    "yesterday": -1,
    "昨天": -1,
    "昨日": -1,
    "后天": 2,
    "後天": 2,
    "大后天": 3,
    "大後天": 3,
    "前天": -2,
    "day after tomorrow": 2,
    "day before yesterday": -2,
}
DAY_AND_PERIOD = {
    "tonight": (0, "evening"),
    "今晚": (0, "evening"),
    "明晚": (1, "evening"),
    "昨晚": (-1, "evening"),
    "今早": (0, "am"),
    "明早": (1, "am"),
    "this morning": (0, "am"),
    "this afternoon": (0, "pm"),
    "this evening": (0, "evening"),
}
EN_PERIODS = [w for w in PERIOD_WORDS if w.isascii()]
ZH_PERIODS = [w for w in PERIOD_WORDS if not w.isascii()]


def alts(words: Iterable[str]) -> str:
    """A regex alternation of the words, longest first so that "tues" is not read as "tue"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


NB = r"(?![a-z])"  # an English word ends here
REL_SUFFIX = r"\s*(?:以后|以後|之后|之後|后|後)"  # "2小时后", "3天以后": from now
