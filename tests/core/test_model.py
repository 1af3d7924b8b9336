"""The programme's nouns: who a presenter field names, and which sessions count as scheduled."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.core.model import _HARD_SEP, Session, Track, _may_separate, is_scheduled, split_people

TZ = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("written", "people"),
    [
        ("Ada Lovelace, Grace Hopper", ["Ada Lovelace", "Grace Hopper"]),
        ("高赟,张智鹏", ["高赟", "张智鹏"]),
        ("李梦，陈意昊，谢其骏， 张俊杰", ["李梦", "陈意昊", "谢其骏", "张俊杰"]),
        ("Wombacher, Andreas", ["Wombacher, Andreas"]),
        ("Thomas, Mark", ["Thomas, Mark"]),
        ("Kuo Shi, Gu Jun, Wing", ["Kuo Shi", "Gu Jun", "Wing"]),
        ("Tom Tan and Ron Bell", ["Tom Tan", "Ron Bell"]),
        ("张三 和 李四", ["张三", "李四"]),
        ("A / B & C; D", ["A", "B", "C", "D"]),
        ("Jiuming Tao ", ["Jiuming Tao"]),
        ("Ann Lee, Ann Lee", ["Ann Lee"]),
        ("A,, B", ["A", "B"]),
        (" . ", []),
    ],
)
def test_a_presenter_field_names_each_person_once(written, people):
    """A presenters field lists each person once, however it separates them; "Surname, Given" is one person."""
    assert split_people(written) == people


def test_a_session_with_a_start_is_scheduled_however_it_was_made():
    """A plain Session with a start counts as scheduled (it narrows to ScheduledSession); one without does not."""
    start = datetime(2026, 8, 7, 10, 0, tzinfo=TZ)
    timed = Session(id="a", path="a.md", title="A", start=start, end=None, track="ai")
    untimed = Session(id="b", path="b.md", title="B", start=None, end=None, track="ai")
    assert is_scheduled(timed) and not is_scheduled(untimed)


@pytest.mark.parametrize(
    ("written", "people"),
    [
        ("<@&123456>", ["<@&123456>"]),
        ("<@&123456>, Ann Lee", ["<@&123456>", "Ann Lee"]),
        ("<Tom & Jerry>, Ann Lee", ["<Tom & Jerry>", "Ann Lee"]),
        ("<@1>, <@2>", ["<@1>", "<@2>"]),
        ("Tom & Jerry", ["Tom", "Jerry"]),
    ],
)
def test_what_is_written_in_angle_brackets_is_one_presenter_as_written(written, people):
    """A presenter written in angle brackets ("<@&123456>", "<Tom & Jerry>") is one name shown as written:
    the "&", "/" or "," inside never splits it."""
    assert split_people(written) == people


def test_people_written_surname_first_between_bare_commas_are_each_one_person():
    """ "Nagariya, Ajay,Das, Debajit" (2022's observability-1150) names two people, surname first, not four."""
    assert split_people("Nagariya, Ajay,Das, Debajit,Pratyush, Kumar") == [
        "Nagariya, Ajay",
        "Das, Debajit",
        "Pratyush, Kumar",
    ]


def test_bios_and_chairs_come_in_the_readers_language():
    """A session's bios and a track's chairs are given in the reader's language, the other one when missing."""
    s = Session(id="a", path="a.md", title="A", start=None, end=None, track="ai", bios="Ann: x", bios_zh="安：x")
    assert (s.bios_in("en"), s.bios_in("zh")) == ("Ann: x", "安：x")
    assert Session(id="b", path="b.md", title="B", start=None, end=None, track="ai", bios="Ann").bios_in("zh") == "Ann"
    t = Track(key="ai", name="AI", chairs=("Lidong Dai", "Gang Li"), chairs_zh=("代立冬", "李岗"))
    assert (t.chairs_in("en"), t.chairs_in("zh")) == (("Lidong Dai", "Gang Li"), ("代立冬", "李岗"))
    assert Track(key="x", name="X", chairs=("A",)).chairs_in("zh") == ("A",)


_PIECES = ["a", "A", "and", "band", " ", "\t", "和", "，", "、", ";", "；", "/", "&", ",", ".", "<", ">", "x"]


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(_PIECES), max_size=8).map("".join) | st.text(max_size=30))
@example(text="高赟 和 张智鹏")
@example(text="Ada and Grace")
@example(text="Ada/Grace")
def test_every_list_mark_is_seen_before_the_cheap_check_passes_a_field_as_one_piece(text):
    """A presenters field with a list mark, "and" or "和" between people is always split there."""
    if _HARD_SEP.search(text):
        assert _may_separate(text)
