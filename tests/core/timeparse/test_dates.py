"""Days as people name them: weekdays, relative words, calendar dates and conference days."""

from __future__ import annotations

import pytest

from bot.core.timeparse import TimeParseError, parse_at, parse_day
from tests.core.timeparse.helpers import DAYS, NOW, SHANGHAI, assert_helpful

# --- days ------------------------------------------------------------------------------

DAYS_TABLE = [
    ("Saturday", "2026-08-08"),
    ("friday", "2026-08-07"),  # today counts
    ("next friday", "2026-08-14"),
    ("mon", "2026-08-10"),
    ("today", "2026-08-07"),
    ("tonight", "2026-08-07"),
    ("yesterday", "2026-08-06"),
    ("the day after tomorrow", "2026-08-09"),
    ("后天", "2026-08-09"),
    ("大后天", "2026-08-10"),
    ("昨天", "2026-08-06"),
    ("周日", "2026-08-09"),
    ("星期天", "2026-08-09"),
    ("礼拜一", "2026-08-10"),
    ("这周六", "2026-08-08"),
    ("下周六", "2026-08-15"),
    ("上周五", "2026-07-31"),
    ("8月9号", "2026-08-09"),
    ("１２月２５日", "2026-12-25"),
    ("2026-08-09", "2026-08-09"),
    ("Aug 9", "2026-08-09"),
    ("9 Aug", "2026-08-09"),
    ("August 9th", "2026-08-09"),
    ("the 9th", "2026-08-09"),
    ("9号", "2026-08-09"),
    ("Aug 5", "2026-08-05"),  # two days ago, not next year
    ("Jan 3", "2027-01-03"),  # nearer ahead than behind
    ("Dec 25", "2026-12-25"),
    ("13/8", "2026-08-13"),  # only one reading is a date
    ("第2天", "2026-08-08"),
    ("第二天", "2026-08-08"),
    ("day 3", "2026-08-09"),
    ("day one", "2026-08-07"),
    ("first day", "2026-08-07"),
    ("last day", "2026-08-09"),
    ("最后一天", "2026-08-09"),
    ("in 2 days", "2026-08-09"),
    ("3天后", "2026-08-10"),
    ("tomorrow 3pm", "2026-08-08"),
    ("day 2 23:30 UTC", "2026-08-09"),  # 07:30 on Aug 9 in Shanghai
    ("8/9", "2026-08-09"),
]


@pytest.mark.parametrize(("text", "expect"), DAYS_TABLE)
def test_days(text, expect):
    """Weekdays, relative words, dates and conference days name the day a person means."""
    assert parse_day(text, NOW, SHANGHAI, DAYS).isoformat() == expect


def test_conference_days_unknown():
    """Without conference days, 'day 2' is refused and a calendar date is suggested instead."""
    with pytest.raises(TimeParseError) as err:
        parse_day("day 2", NOW, SHANGHAI)
    assert "not set" in assert_helpful(err.value, "day", "day 2", days=())


def test_ambiguous_numeric_date_without_conference_days():
    """'8/9' with no conference to tell them apart is refused, offering both readings."""
    with pytest.raises(TimeParseError) as err:
        parse_day("8/9", NOW, SHANGHAI)
    message = assert_helpful(err.value, "day", "8/9", days=())
    assert "Aug 9" in message and "Sep 8" in message


def test_conflicting_weekday_and_date_names_the_real_weekday():
    """'Fri Aug 8' is caught: Aug 8, 2026 is a Saturday."""
    with pytest.raises(TimeParseError, match="Saturday"):
        parse_at("Fri Aug 8 3pm", NOW, SHANGHAI, DAYS)
