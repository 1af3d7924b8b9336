"""Field values as programme files write them: presenters, dates, lengths and session types, read or refused."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.core.programme.fields import (
    parse_duration,
    parse_when,
    plain_text,
    quote,
    session_kind,
    split_body,
    split_presenters,
    wall_clock_note,
)

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


# ------------------------------------------------------------------------------ junk values, daylight saving

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    "written",
    [
        datetime(9999, 12, 31, 23, 59),  # YAML reads an unquoted date-time itself
        datetime(1, 1, 1, 0, 0, tzinfo=ZoneInfo("UTC")),  # Hugo's zero date
        datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-5))),
        ["2026-08-07T09:30:00"],
        {"at": "2026-08-07T09:30:00"},
        "2026-08-07T09:30:00" * 1000,
        10**40,
        float("inf"),
    ],
)
def test_dates_far_from_any_conference_or_of_odd_types_are_refused_with_a_message(written):
    """A date at either end of the calendar (however YAML typed it), a list, a set of fields or a huge
    number is refused with a short message, never read as a time that arithmetic then overflows."""
    got = parse_when(written, SHANGHAI)
    assert isinstance(got, str) and 0 < len(got) < 300


@pytest.mark.parametrize(
    "written",
    [99999999999, 9999999999999999, float("inf"), float("-inf"), float("nan"), -5, True, [40], {"m": 40}, "99999999h"],
)
def test_durations_no_session_lasts_are_no_length(written):
    """A length past a week, infinite, not a number, negative, a yes/no, a list or a set of fields is no length."""
    assert parse_duration(written) is None


def test_a_week_is_the_longest_length():
    """A week is still a length (a hackathon); a minute more is not."""
    assert parse_duration(7 * 24 * 60) == timedelta(days=7)
    assert parse_duration(7 * 24 * 60 + 1) is None


def test_a_time_the_clocks_skip_is_an_error_and_read_as_the_time_they_show():
    """02:30 on New York's spring-forward night does not exist: an error, and the session is read at 03:30 EDT,
    the instant 02:30 EST would be, not at a wall time that never happens."""
    written = "2024-03-10T02:30:00"
    got = parse_when(written, NEW_YORK)
    assert isinstance(got, datetime)
    assert got.astimezone(ZoneInfo("UTC")) == datetime(2024, 3, 10, 7, 30, tzinfo=ZoneInfo("UTC"))
    assert (got.hour, got.minute, got.utcoffset()) == (3, 30, timedelta(hours=-4))
    severity, message = wall_clock_note(written, NEW_YORK) or ("", "")
    assert severity == "error" and "does not exist" in message and "03:30" in message


def test_a_time_that_happens_twice_is_a_warning_naming_the_first():
    """01:30 on New York's fall-back night happens twice: the first (EDT, UTC-04:00) is taken and the warning
    says so, and how to write the second."""
    written = datetime(2024, 11, 3, 1, 30)  # as YAML gives an unquoted date-time
    got = parse_when(written, NEW_YORK)
    assert isinstance(got, datetime) and got.utcoffset() == timedelta(hours=-4)
    severity, message = wall_clock_note(written, NEW_YORK) or ("", "")
    assert severity == "warning" and "twice" in message and "UTC-04:00" in message and "-05:00" in message


@pytest.mark.parametrize(
    "written",
    ["2024-11-03T01:30:00-05:00", "2024-07-01T10:00:00", "2024-03-10T03:30:00", "not a date", None, ["x"]],
)
def test_times_daylight_saving_leaves_alone_have_no_note(written):
    """A time with an offset, or on an ordinary night, or anything that is not a time, gets no daylight-saving note."""
    assert wall_clock_note(written, NEW_YORK) is None


def test_field_values_are_quoted_short():
    """Problem messages quote a value in a few dozen characters, and a list or set of fields by its kind only."""
    assert quote("x" * 500).endswith("…") and len(quote("x" * 500)) == 60
    assert quote([[1] * 10] * 10) == "a list" and quote({"a": 1}) == "a set of fields"
    assert quote(40) == "40"


# ------------------------------------------------------------------------------------- abstract and bios


@pytest.mark.parametrize(
    "heading", [" ### Speakers: ", "### Speakers:", " ### 讲师: ", "### 演讲嘉宾:", "## 演讲嘉宾", "### Speaker:"]
)
def test_bios_come_apart_from_the_abstract_under_any_real_heading(heading):
    """The speakers' heading as real files write it (leading spaces, Chinese, any level) ends the abstract;
    the bios after it come out as text without their <img> and <br> markup."""
    body = (
        "Tide tables as **open** data.\n"
        f"{heading}\n"
        ' <img src="images/speaker/1026.png" width="200" /><br>Ada Lovelace: hydrographer\n'
    )
    abstract, bios = split_body(body)
    assert abstract == "Tide tables as open data."
    assert bios == "Ada Lovelace: hydrographer"


def test_a_body_without_a_speakers_heading_is_all_abstract():
    """Outline headings ("### 演讲提纲:") are part of the abstract; with no speakers' heading there are no bios."""
    abstract, bios = split_body("Intro.\n### 演讲提纲:\n1. 背景\n")
    assert bios == "" and "演讲提纲" in abstract and "#" not in abstract


def test_markdown_lists_rules_and_quotes_read_as_text():
    """List marks become bullets; rules and quote marks go: no raw Markdown is left to read."""
    text = plain_text("Points:\n* one\n- two\n+ three\n\n---\n> quoted\n")
    assert text == "Points:\n• one\n• two\n• three\n\nquoted"
