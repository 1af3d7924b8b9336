"""Parts resolved into a moment: parts of the day, days alone, the reader's zone, and DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.timeparse import TimeParseError, parse_at, parse_day
from tests.core.timeparse.helpers import BERLIN, DAYS, NOW, SHANGHAI, assert_helpful

# --- parts of the day and days alone ------------------------------------------------------------------------------

# A part of the day without an hour is a time: morning 09:00, noon 12:00, afternoon 14:00, evening 19:00.
PARTS_OF_DAY = [
    ("tomorrow morning", "2026-08-08 09:00"),
    ("this afternoon", "2026-08-07 14:00"),
    ("tonight", "2026-08-07 19:00"),
    ("this evening", "2026-08-07 19:00"),
    ("tomorrow evening", "2026-08-08 19:00"),
    ("tomorrow afternoon", "2026-08-08 14:00"),
    ("morning", "2026-08-07 09:00"),
    ("afternoon", "2026-08-07 14:00"),
    ("saturday morning", "2026-08-08 09:00"),
    ("day 2 afternoon", "2026-08-08 14:00"),
    ("next monday morning", "2026-08-10 09:00"),
    ("明天上午", "2026-08-08 09:00"),
    ("今天下午", "2026-08-07 14:00"),
    ("晚上", "2026-08-07 19:00"),
    ("明晚", "2026-08-08 19:00"),
    ("今早", "2026-08-07 09:00"),
    ("后天晚上", "2026-08-09 19:00"),
    ("周六下午", "2026-08-08 14:00"),
    ("下周一上午", "2026-08-10 09:00"),
    ("第三天上午", "2026-08-09 09:00"),
    ("2天后上午", "2026-08-09 09:00"),
    ("明天中午", "2026-08-08 12:00"),
]


@pytest.mark.parametrize(("text", "expect"), PARTS_OF_DAY)
def test_a_part_of_the_day_is_its_default_time(text, expect):
    """ "tomorrow morning", "今天下午", "tonight" land on morning 09:00, afternoon 14:00, evening 19:00."""
    got = parse_at(text, NOW, SHANGHAI, DAYS)
    assert got.strftime("%Y-%m-%d %H:%M") == expect


# The programme's first session on each day, as a programme would say it: 09:00, 09:30 and 13:00.
FIRST_SESSIONS = {
    date(2026, 8, 7): datetime(2026, 8, 7, 9, 0, tzinfo=SHANGHAI),
    date(2026, 8, 8): datetime(2026, 8, 8, 9, 30, tzinfo=SHANGHAI),
    date(2026, 8, 9): datetime(2026, 8, 9, 13, 0, tzinfo=SHANGHAI),
}

DAYS_ALONE = [
    ("tomorrow", "2026-08-08 09:30"),
    ("明天", "2026-08-08 09:30"),
    ("后天", "2026-08-09 13:00"),
    ("today", "2026-08-07 09:00"),
    ("Sunday", "2026-08-09 13:00"),
    ("day 2", "2026-08-08 09:30"),
    ("第三天", "2026-08-09 13:00"),
    ("Aug 9", "2026-08-09 13:00"),
    ("8月8日", "2026-08-08 09:30"),
]


@pytest.mark.parametrize(("text", "expect"), DAYS_ALONE)
def test_a_day_alone_is_when_its_programme_starts(text, expect):
    """Where a moment is asked for, "tomorrow" or "后天" alone is that day's first session."""
    got = parse_at(text, NOW, SHANGHAI, DAYS, day_start=FIRST_SESSIONS.get)
    assert got.tzinfo == SHANGHAI
    assert got.strftime("%Y-%m-%d %H:%M") == expect


@pytest.mark.parametrize("text", ["next Monday", "下周一", "yesterday", "tomorrow UTC"])
def test_a_day_alone_without_sessions_asks_for_a_time(text):
    """A day alone on which the programme has no sessions cannot be a moment: the bot asks for a time of day."""
    with pytest.raises(TimeParseError) as err:
        parse_at(text, NOW, SHANGHAI, DAYS, day_start=FIRST_SESSIONS.get)
    assert_helpful(err.value, "at", text)


@pytest.mark.parametrize(
    ("text", "expect"), [("后天", "2026-08-09"), ("next Monday", "2026-08-10"), ("下周一", "2026-08-10")]
)
def test_a_day_alone_is_a_day_for_day_options(text, expect):
    """ "后天", "next Monday" and "下周一" name a day where a day is asked for."""
    assert parse_day(text, NOW, SHANGHAI, DAYS).isoformat() == expect


def test_now_in_another_zone_still_counts_days_in_the_conference_zone():
    """'tomorrow' means the conference's tomorrow even when the clock reports UTC on the previous date."""
    utc_now = datetime(2026, 8, 6, 20, 0, tzinfo=UTC)  # already Aug 7, 04:00 in Shanghai
    assert parse_at("tomorrow 3pm", utc_now, SHANGHAI, DAYS) == datetime(2026, 8, 8, 15, 0, tzinfo=SHANGHAI)
    assert parse_day("today", utc_now, SHANGHAI, DAYS) == date(2026, 8, 7)
    assert parse_at("in 30 minutes", utc_now, SHANGHAI) == datetime(2026, 8, 7, 4, 30, tzinfo=SHANGHAI)


def test_answer_is_in_the_zone_asked_for():
    """With a Berlin reader, '14:30' is 14:30 on Berlin's clock on Berlin's today."""
    got = parse_at("14:30", NOW, BERLIN)  # NOW is 04:00 in Berlin, same date
    assert got.tzinfo == BERLIN
    assert (got.date(), got.hour, got.minute, got.utcoffset()) == (date(2026, 8, 7), 14, 30, timedelta(hours=2))


# --- DST in a zone that has it -----------------------------------------------------------

SPRING_EVE = datetime(2026, 3, 28, 12, 0, tzinfo=BERLIN)  # clocks go 02:00 -> 03:00 on Mar 29
AUTUMN_EVE = datetime(2026, 10, 24, 12, 0, tzinfo=BERLIN)  # clocks go 03:00 -> 02:00 on Oct 25


def test_skipped_wall_time_is_refused_with_a_real_one():
    """02:30 on the night clocks go forward never happens; the bot says so and offers 03:30."""
    with pytest.raises(TimeParseError) as err:
        parse_at("tomorrow 2:30", SPRING_EVE, BERLIN)
    message = assert_helpful(err.value, "at", "tomorrow 2:30", now=SPRING_EVE, tz=BERLIN, days=())
    assert "does not exist" in message and "2026-03-29 03:30" in message


def test_wall_times_around_spring_forward():
    """Times on either side of the jump keep their wall clock and get the right offset."""
    before = parse_at("tomorrow 1:30", SPRING_EVE, BERLIN)
    after = parse_at("tomorrow 3:30", SPRING_EVE, BERLIN)
    assert (before.hour, before.utcoffset()) == (1, timedelta(hours=1))
    assert (after.hour, after.utcoffset()) == (3, timedelta(hours=2))
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(hours=1)


def test_hours_are_elapsed_time_and_days_are_wall_clock_across_dst():
    """'in 24 hours' across spring-forward is 13:00 next day; 'in 1 day' stays at noon."""
    assert parse_at("in 24 hours", SPRING_EVE, BERLIN) == datetime(2026, 3, 29, 13, 0, tzinfo=BERLIN)
    assert parse_at("in 1 day", SPRING_EVE, BERLIN) == datetime(2026, 3, 29, 12, 0, tzinfo=BERLIN)
    assert parse_at("in 24 hours", AUTUMN_EVE, BERLIN) == datetime(2026, 10, 25, 11, 0, tzinfo=BERLIN)


def test_repeated_wall_time_takes_the_first_occurrence():
    """02:30 on the night clocks go back happens twice; the bot takes the first, still on summer time."""
    got = parse_at("tomorrow 2:30", AUTUMN_EVE, BERLIN)
    assert (got.date(), got.hour, got.minute) == (date(2026, 10, 25), 2, 30)
    assert got.utcoffset() == timedelta(hours=2)
