"""The three parsers end to end: the shared table, common moments, dispatch by kind, and any text at all."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.timeparse import TimeParseError, parse, parse_at, parse_day, parse_lead
from tests.core.timeparse.helpers import DAYS, NOW, SHANGHAI, assert_helpful
from tests.paths import TIME_EXPRESSIONS


def _find_tsv() -> Path | None:
    """shared/time-expressions.tsv, when shared/ is there (tests.paths says where)."""
    return TIME_EXPRESSIONS if TIME_EXPRESSIONS.is_file() else None


def _tsv_rows() -> list:
    path = _find_tsv()
    if path is None:
        reason = "shared/ is missing"
        return [pytest.param("", "", "", marks=pytest.mark.skip(reason=reason), id="tsv-missing")]
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, kind, expect = ([*line.split("\t"), "", ""])[:3]
        if (text, kind) == ("text", "kind"):
            continue
        rows.append(pytest.param(text, kind, expect, id=f"{kind}:{text}"))
    return rows


# --- the shared table ----------------------------------------------------------------


@pytest.mark.parametrize(("text", "kind", "expect"), _tsv_rows())
def test_shared_table(text, kind, expect):
    """Every phrase in shared/time-expressions.tsv resolves as the table says, and its bad rows are refused helpfully."""
    if kind == "at":
        got = parse_at(text, NOW, SHANGHAI, DAYS)
        assert got.tzinfo == SHANGHAI
        assert got.strftime("%Y-%m-%dT%H:%M") == expect
    elif kind == "day":
        assert parse_day(text, NOW, SHANGHAI, DAYS).isoformat() == expect
    elif kind == "lead":
        assert parse_lead(text) == timedelta(minutes=int(expect))
    elif kind == "bad":
        for as_kind in ("at", "day", "lead"):
            with pytest.raises(TimeParseError) as err:
                parse(text, as_kind, NOW, SHANGHAI, DAYS)
            assert_helpful(err.value, as_kind, text)
    else:
        pytest.fail(f"unknown kind {kind!r} in the table")


# --- moments ---------------------------------------------------------------------------

MOMENTS = [
    # English
    ("tonight 8", "2026-08-07 20:00"),
    ("  Tomorrow   3PM  ", "2026-08-08 15:00"),
    ("noon tomorrow", "2026-08-08 12:00"),
    ("midnight", "2026-08-08 00:00"),
    ("12am", "2026-08-07 00:00"),
    ("24:00", "2026-08-08 00:00"),
    ("tomorrow at 9", "2026-08-08 09:00"),
    ("at 3", "2026-08-07 15:00"),
    ("3:30 pm", "2026-08-07 15:30"),
    ("3.30pm", "2026-08-07 15:30"),
    ("3 p.m.", "2026-08-07 15:00"),
    ("quarter past 3pm", "2026-08-07 15:15"),
    ("half past 9am", "2026-08-07 09:30"),
    ("quarter to 4pm", "2026-08-07 15:45"),
    ("this afternoon 4", "2026-08-07 16:00"),
    ("tomorrow evening 7", "2026-08-08 19:00"),
    ("friday 3pm", "2026-08-07 15:00"),
    ("next friday 3pm", "2026-08-14 15:00"),
    ("last friday 3pm", "2026-07-31 15:00"),
    ("sat aug 8 3pm", "2026-08-08 15:00"),
    ("Aug 8 2026 9am", "2026-08-08 09:00"),
    ("8 August 9am", "2026-08-08 09:00"),
    ("August the 8th at 3 in the afternoon", "2026-08-08 15:00"),
    ("2026-08-09T16:15", "2026-08-09 16:15"),
    ("the 9th 3pm", "2026-08-09 15:00"),
    ("day two 2pm", "2026-08-08 14:00"),
    ("last day 9am", "2026-08-09 09:00"),
    ("8/9 3pm", "2026-08-09 15:00"),  # Sep 8 is not a conference day, Aug 9 is
    ("in 1h30m", "2026-08-07 11:30"),
    ("in 2 days", "2026-08-09 10:00"),
    ("in 2 days 3pm", "2026-08-09 15:00"),
    ("in 1 day 2 hours", "2026-08-08 12:00"),
    ("in 1 week 2 days", "2026-08-16 10:00"),
    ("2 hours from now", "2026-08-07 12:00"),
    ("twenty minutes later", "2026-08-07 10:20"),
    ("in half an hour", "2026-08-07 10:30"),
    ("now", "2026-08-07 10:00"),
    ("in an hour", "2026-08-07 11:00"),
    ("7 tonight", "2026-08-07 19:00"),
    ("9 in the morning", "2026-08-07 09:00"),
    ("Mon 9:30am", "2026-08-10 09:30"),
    ("12:30am", "2026-08-07 00:30"),
    ("8.8 15:00", "2026-08-08 15:00"),
    ("a quarter past three tomorrow afternoon", "2026-08-08 15:15"),
    ("Saturday, the 8th of August, 2026 at 3:15 PM", "2026-08-08 15:15"),
    ("8-Aug-2026 3pm", "2026-08-08 15:00"),  # left to the dateparser fallback
    ("Sat Aug  8 15:00:00 2026", "2026-08-08 15:00"),  # ctime layout, also the fallback's
    # Chinese
    ("现在", "2026-08-07 10:00"),
    ("两点半", "2026-08-07 14:30"),
    ("明天15点30分", "2026-08-08 15:30"),
    ("一天后", "2026-08-08 10:00"),
    ("5分钟之后", "2026-08-07 10:05"),
    ("明晚8点", "2026-08-08 20:00"),
    ("１４：３０", "2026-08-07 14:30"),
    ("十点半", "2026-08-07 10:30"),
    ("三点", "2026-08-07 15:00"),
    ("下午3点半", "2026-08-07 15:30"),
    ("下午3点15分", "2026-08-07 15:15"),
    ("下午三点一刻", "2026-08-07 15:15"),
    ("晚上8点", "2026-08-07 20:00"),
    ("晚上12点", "2026-08-08 00:00"),
    ("凌晨2点", "2026-08-07 02:00"),
    ("早上8点", "2026-08-07 08:00"),
    ("中午", "2026-08-07 12:00"),
    ("中午1点", "2026-08-07 13:00"),
    ("明天中午", "2026-08-08 12:00"),
    ("半小时后", "2026-08-07 10:30"),
    ("一个半小时后", "2026-08-07 11:30"),
    ("3天后下午3点", "2026-08-10 15:00"),
    ("下周三下午两点", "2026-08-12 14:00"),
    ("星期六下午2点", "2026-08-08 14:00"),
    ("礼拜天上午10点", "2026-08-09 10:00"),
    ("周五下午3点", "2026-08-07 15:00"),
    ("8月9日 下午4点", "2026-08-09 16:00"),
    ("八月九日下午四点", "2026-08-09 16:00"),
    ("2026年8月9日 16:15", "2026-08-09 16:15"),
    ("第二天下午2点", "2026-08-08 14:00"),
    ("9号下午3点", "2026-08-09 15:00"),
]


@pytest.mark.parametrize(("text", "expect"), MOMENTS)
def test_moments(text, expect):
    """Common ways of writing a moment land on the conference-local minute a person means."""
    got = parse_at(text, NOW, SHANGHAI, DAYS)
    assert got.tzinfo == SHANGHAI
    assert got.strftime("%Y-%m-%d %H:%M") == expect


def test_dispatch_and_programmer_errors():
    """parse() routes by kind; an unknown kind or a naive 'now' is a bug, not a user error."""
    assert parse("15 minutes", "lead", NOW, SHANGHAI) == timedelta(minutes=15)
    assert parse("tomorrow", "day", NOW, SHANGHAI) == date(2026, 8, 8)
    assert parse("noon", "at", NOW, SHANGHAI) == datetime(2026, 8, 7, 12, 0, tzinfo=SHANGHAI)
    with pytest.raises(ValueError) as err:
        parse("noon", "when", NOW, SHANGHAI)
    assert not isinstance(err.value, TimeParseError)
    with pytest.raises(ValueError) as err:
        parse_at("noon", datetime(2026, 8, 7, 10, 0), SHANGHAI)
    assert not isinstance(err.value, TimeParseError)


# --- anything at all -------------------------------------------------------------------

_VOCAB = [
    "tomorrow",
    "today",
    "3pm",
    "14:30",
    "25:99",
    "noon",
    "midnight",
    "in",
    "2",
    "hours",
    "day",
    "utc",
    "+8",
    "europe/berlin",
    "sat",
    "aug",
    "8",
    "9th",
    "/",
    ":",
    "-",
    "明天",
    "下午",
    "3点",
    "半",
    "后",
    "第",
    "天",
    "周六",
    "月",
    "日",
    "号",
    "两",
    "小时",
    "分钟",
    "一刻",
    "前",
    "and",
    "half",
    "an",
    "hour",
    "at",
    "next",
    "2026-08-09",
    "pm",
    "am",
    "晚上",
    "12",
    "ist",
    "?",
    " ",
]


@pytest.fixture(scope="module", autouse=True)
def _dateparser_loaded():
    """Load dateparser's language data once, so the timing below measures parsing, not import."""
    parse_at("8-Aug-2026 3pm", NOW, SHANGHAI, DAYS)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=120),
        st.lists(st.sampled_from(_VOCAB), max_size=8).map(" ".join),
        st.lists(st.sampled_from(_VOCAB), max_size=8).map("".join),
    )
)
def test_any_text_gives_an_answer_or_a_one_line_refusal_quickly(text):
    """Whatever is typed, the bot answers or refuses in one line, and never stalls."""
    for kind in ("at", "day", "lead"):
        started = time.perf_counter()
        try:
            got = parse(text, kind, NOW, SHANGHAI, DAYS)
        except TimeParseError as err:
            assert str(err).strip() and "\n" not in str(err)
        else:
            if kind == "at":
                assert isinstance(got, datetime) and got.tzinfo == SHANGHAI
            elif kind == "day":
                assert type(got) is date
            else:
                assert isinstance(got, timedelta) and got > timedelta(0)
        assert time.perf_counter() - started < 0.25, f"{kind} {text!r} took too long"
