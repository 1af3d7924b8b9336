"""Reminder lead times in the ways people say them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.timeparse import parse_lead

# --- lead times ------------------------------------------------------------------------

LEADS = [
    ("15", 15),
    ("45m", 45),
    ("1h30", 90),
    ("1h30m", 90),
    ("1 hour 30 minutes", 90),
    ("1 hour and 30 minutes", 90),
    ("an hour and a half", 90),
    ("1.5h", 90),
    ("90 min", 90),
    ("2 days", 2880),
    ("1 week", 10080),
    ("a day", 1440),
    ("one hour", 60),
    ("fifteen minutes", 15),
    ("twenty-five minutes", 25),
    ("quarter of an hour", 15),
    ("15 minutes before", 15),
    ("in 10 minutes", 10),
    ("  5 MIN ", 5),
    ("一小时", 60),
    ("两个小时", 120),
    ("一个半小时", 90),
    ("1小时30分钟", 90),
    ("一刻钟", 15),
    ("三刻钟", 45),
    ("提前15分钟", 15),
    ("10分钟前", 10),
    ("１５分钟", 15),
]


@pytest.mark.parametrize(("text", "minutes"), LEADS)
def test_lead_times(text, minutes):
    """How long before a session to remind, in the ways people say it."""
    assert parse_lead(text) == timedelta(minutes=minutes)


def test_lead_time_in_seconds_is_kept_exactly():
    """'90 seconds' is a minute and a half, not rounded."""
    assert parse_lead("90 seconds") == timedelta(seconds=90)
