"""Refusals: one line, why, examples that work, in the reader's language with the programme's own days."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from bot.core.timeparse import TimeParseError, parse, parse_at, parse_day
from tests.core.timeparse.helpers import DAYS, NOW, SHANGHAI, assert_helpful

# --- refusals --------------------------------------------------------------------------

REFUSED = [
    ("at", "banana"),
    ("at", ""),
    ("at", "   "),
    ("at", "25:99"),
    ("at", "3:60"),
    ("at", "13pm"),
    ("at", "0am"),
    ("at", "明天下午99点"),
    ("at", "下午25点"),
    ("at", "上午15点"),
    ("at", "Feb 30 3pm"),
    ("at", "Feb 29 3pm"),
    ("at", "2026-13-01 10:00"),
    ("at", "2026-02-29 10:00"),
    ("at", "tomorrow"),
    ("at", "明天"),
    ("at", "明天凌晨"),  # the small hours have no default time: say one
    ("at", "2/3 3pm"),
    ("at", "day 4 3pm"),
    ("at", "3pm IST"),
    ("at", "3pm CST"),
    ("at", "3pm Mars/Olympus"),
    ("at", "3pm UTC+15"),
    ("at", "in 2 hours 3pm"),
    ("at", "3pm 4pm"),
    ("at", "Fri Aug 8 3pm"),
    ("at", "tonight 1am"),
    ("at", "tomorrow banana"),
    ("at", "15h"),
    ("at", "3点 2"),
    ("day", "3pm aug :"),  # names no day of the month: the fallback must not guess one
    ("at", "in 999999 weeks"),
    ("at", "x" * 500),
    ("day", "14:30"),
    ("day", "noon"),
    ("day", "morning"),
    ("day", "day 0"),
    ("day", "第四天"),
    ("day", "Feb 30"),
    ("day", "周八"),
    ("day", "banana"),
    ("day", "2026-08-098"),
    ("lead", ""),
    ("lead", "0 minutes"),
    ("lead", "-5 min"),
    ("lead", "soon"),
    ("lead", "999999 days"),
    ("lead", "1h 1h"),
]


@pytest.mark.parametrize(("kind", "text"), REFUSED)
def test_refusals_say_why_in_one_line_with_an_example_that_works(kind, text):
    """Impossible times, nonsense and empty input are refused with one line and a working example."""
    with pytest.raises(TimeParseError) as err:
        parse(text, kind, NOW, SHANGHAI, DAYS)
    assert_helpful(err.value, kind, text)


def test_bad_hour_message_quotes_what_the_user_typed():
    """The refusal for '明天下午99点' points at the hour, not at the whole phrase."""
    with pytest.raises(TimeParseError, match="'99点'"):
        parse_at("明天下午99点", NOW, SHANGHAI, DAYS)


# --- refusals in the reader's language, with the programme's own days ----------------------------------------------

_ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
_QUOTED_PART = re.compile(r"'[^']*'")
_NAMES = {"IST", "CST", "UTC"}  # zone abbreviations a Chinese message names as they are written


@pytest.mark.parametrize(("kind", "text"), REFUSED)
def test_refusals_to_a_chinese_reader_are_chinese(kind, text):
    """With the reader's language zh, every refusal is Chinese apart from what it quotes (the input, the examples),
    its examples still work, and the English wording stays available."""
    with pytest.raises(TimeParseError) as err:
        parse(text, kind, NOW, SHANGHAI, DAYS, lang="zh")
    message = assert_helpful(err.value, kind, text)
    unquoted = _QUOTED_PART.sub("", message)
    assert set(_ENGLISH_WORD.findall(unquoted)) <= _NAMES, message
    assert err.value.in_lang("zh") == message
    english = err.value.in_lang("en")
    assert english != message and not re.search(r"[\u4e00-\u9fff]", _QUOTED_PART.sub("", english))


def test_chinese_typed_is_answered_in_chinese_unless_the_reader_reads_english():
    """Without a reader's language the refusal speaks the language typed; an English reader gets English
    wording with the Chinese examples they can type."""
    with pytest.raises(TimeParseError) as typed:
        parse_at("明天下午99点", NOW, SHANGHAI, DAYS)
    assert str(typed.value).startswith("'99点' 不是有效的时刻")
    with pytest.raises(TimeParseError) as english:
        parse_at("明天下午99点", NOW, SHANGHAI, DAYS, lang="en")
    assert str(english.value).startswith("'99点' is not a time of day") and "'下午3点'" in str(english.value)


# ApacheCon Asia 2022: Friday 29 to Sunday 31 July 2022, a programme whose days are not the sample's.
NOW_2022 = datetime(2022, 7, 30, 10, 0, tzinfo=SHANGHAI)
DAYS_2022 = (date(2022, 7, 29), date(2022, 7, 30), date(2022, 7, 31))


@pytest.mark.parametrize(("kind", "text"), [("at", "banana"), ("day", "banana"), ("at", "25:99"), ("day", "Feb 30")])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_examples_name_the_days_of_the_programme_served(kind, text, lang):
    """On another programme the examples name its own days (Jul 30), never the sample's August, and they work."""
    with pytest.raises(TimeParseError) as err:
        parse(text, kind, NOW_2022, SHANGHAI, DAYS_2022, lang=lang)
    message = assert_helpful(err.value, kind, text, now=NOW_2022, days=DAYS_2022)
    assert "Aug" not in message and "8月" not in message and "2026" not in message
    if text == "banana":
        assert ("7月30日" if lang == "zh" else "Jul 30") in message


def test_a_day_outside_the_programme_names_its_days():
    """ "day 4" on a three-day programme names that programme's first and last days, in the reader's language."""
    with pytest.raises(TimeParseError) as err:
        parse_day("day 4", NOW_2022, SHANGHAI, DAYS_2022)
    assert "The conference has 3 days (Fri 29 Jul to Sun 31 Jul)" in str(err.value)
    assert "大会共 3 天（7月29日 周五 至 7月31日 周日）" in err.value.in_lang("zh")
    with pytest.raises(TimeParseError) as one:
        parse_day("day 2", NOW_2022, SHANGHAI, DAYS_2022[:1])
    assert "The conference has one day (Fri 29 Jul)" in assert_helpful(
        one.value, "day", "day 2", now=NOW_2022, days=DAYS_2022[:1]
    )
