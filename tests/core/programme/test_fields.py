"""Field values as programme files write them: presenters, dates, lengths and session types, read or refused."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.programme.fields import parse_duration, parse_when, session_kind, split_presenters

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_presenters_as_a_list_or_a_string_give_the_same_people():
    """A YAML list of names and a comma-separated string name the same people; list items are split too."""
    assert split_presenters(["Ada Lovelace", "Grace Hopper"]) == ("Ada Lovelace", "Grace Hopper")
    assert split_presenters("Ada Lovelace, Grace Hopper") == ("Ada Lovelace", "Grace Hopper")
    assert split_presenters(["高赟,张智鹏", "高赟"]) == ("高赟", "张智鹏")
    assert split_presenters("Wombacher, Andreas") == ("Wombacher, Andreas",)
    assert split_presenters(None) == ()


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026-08-07T09:30:00", datetime(2026, 8, 7, 9, 30, tzinfo=SHANGHAI)),
        ("2026-08-07 09:30", datetime(2026, 8, 7, 9, 30, tzinfo=SHANGHAI)),
        ("2026-08-07T01:30:00Z", datetime(2026, 8, 7, 9, 30, tzinfo=SHANGHAI)),
        ("2026-08-06T21:30:00-04:00", datetime(2026, 8, 7, 9, 30, tzinfo=SHANGHAI)),
        ("", None),
    ],
)
def test_dates_are_conference_time(written, expected):
    """A start written with or without an offset is read as the same instant, shown in the conference's zone."""
    assert parse_when(written, SHANGHAI) == expected


@pytest.mark.parametrize("written", ["2026-08-07", "tomorrow 3pm", "2026-02-30T10:00:00", "2026-08-07T09:30+19:00"])
def test_unusable_dates_say_why(written):
    """A date without a time, in words, impossible, or beyond any zone is refused with a message, not read."""
    assert isinstance(parse_when(written, SHANGHAI), str)


@pytest.mark.parametrize(
    ("written", "minutes"),
    [(40, 40), ("40", 40), ("1h 30m", 90), ("2 hours", 120), ("45 min", 45), (0, None), ("soon", None), (1e300, None)],
)
def test_durations_are_minutes_or_hours_and_minutes(written, minutes):
    """A duration is minutes (40) or hours and minutes ("1h 30m"); zero, words or absurd lengths are no length."""
    expected = None if minutes is None else timedelta(minutes=minutes)
    assert parse_duration(written) == expected


def test_session_type_gives_language_and_format():
    """The session type as written says the spoken language and whether it is a panel, keynote or lightning talk."""
    assert session_kind("Chinese Panel", "ai") == ("zh", "panel")
    assert session_kind("英文演讲", "ai") == ("en", "talk")
    assert session_kind("", "keynote") == (None, "keynote")
    assert session_kind("English Session", "5minstalk") == ("en", "lightning")
