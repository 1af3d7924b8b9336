"""The programme's nouns: who a presenter field names, and which sessions count as scheduled."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.core.model import Session, is_scheduled, split_people

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
