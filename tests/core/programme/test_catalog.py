"""The catalog's questions: what starts when, on which day, and which sessions have a time at all."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.model import ScheduledSession, Session
from bot.core.programme import Catalog

TZ = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 8, day, hour, minute, tzinfo=TZ)


def catalog(*sessions: Session) -> Catalog:
    days = sorted({s.start.date() for s in sessions if s.start})
    return Catalog(TZ, list(sessions), {}, [], days, [], [])


def talk(sid: str, start: datetime | None) -> Session:
    if start is None:
        return Session(id=sid, path=f"{sid}.md", title=sid, start=None, end=None, track="ai")
    return ScheduledSession(
        id=sid, path=f"{sid}.md", title=sid, start=start, end=start + timedelta(minutes=40), track="ai"
    )


def test_scheduled_and_unscheduled_are_listed_apart():
    """Sessions with a time are the scheduled ones, in time order; the rest are listed apart."""
    c = catalog(talk("a", at(7, 9)), talk("b", at(7, 11)), talk("later", None))
    assert [s.id for s in c.scheduled] == ["a", "b"]
    assert [s.id for s in c.unscheduled] == ["later"]
    assert c.summary()["unscheduled"] == 1


def test_starting_from_a_moment():
    """What starts at or after a moment, in time order; nothing after the last session."""
    c = catalog(talk("a", at(7, 9)), talk("b", at(7, 11)), talk("c", at(8, 9)))
    assert [s.id for s in c.starting_from(at(7, 11))] == ["b", "c"]
    assert c.starting_from(at(9, 0)) == []


def test_a_day_and_its_number():
    """A conference day's sessions, and its number (day 1, day 2); a day without sessions has no number."""
    c = catalog(talk("a", at(7, 9)), talk("b", at(8, 9, 30)), talk("c", at(8, 14)))
    assert [s.id for s in c.on_day(date(2026, 8, 8))] == ["b", "c"]
    assert (c.day_number(date(2026, 8, 8)), c.day_number(date(2026, 8, 9))) == (2, None)


def test_a_plain_session_with_a_start_is_scheduled():
    """A Session made by hand with a start (not a ScheduledSession) is still counted as scheduled."""
    hand_made = Session(id="h", path="h.md", title="H", start=at(7, 10), end=None, track="ai")
    c = catalog(hand_made)
    assert c.scheduled == [hand_made] and c.starting_from(at(7, 9)) == [hand_made]
