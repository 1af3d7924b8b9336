"""iCal export: an agenda a reader can import into any calendar app, and re-import without duplicates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.core.ical import DEFAULT_DURATION, MAX_ABSTRACT_CHARS, agenda_ics
from bot.core.model import Session, Track

TAIPEI = ZoneInfo("Asia/Taipei")
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 8, 1, 12, 0, tzinfo=UTC)


def session(id: str = "ai-1026", *, start=datetime(2026, 8, 7, 10, 0, tzinfo=TAIPEI), minutes=40, **kw) -> Session:
    end = kw.pop("end", start + timedelta(minutes=minutes) if start else None)
    fields: dict[str, Any] = {
        "path": f"sessions/{id}.md",
        "title": "Serving LLMs on a Budget",
        "track": "ai",
        "presenters": ("Ann Chen", "Bob Li"),
        "room": "TR409",
        "abstract": "How we served a model to a thousand users on one GPU.",
        "link": "https://coscup.org/2026/session/ai-1026",
    }
    fields.update(kw)
    return Session(id=id, start=start, end=end, **fields)


def export(sessions, **kw) -> bytes:
    kw.setdefault("calendar_name", "COSCUP 2026 — my agenda")
    kw.setdefault("tz", TAIPEI)
    kw.setdefault("now", NOW)
    return agenda_ics(sessions, **kw)


def events(ics: bytes) -> list:
    return Calendar.from_ical(ics).walk("VEVENT")


def test_event_fields_round_trip():
    """Title, room, speakers, track, abstract and link all show up in the calendar app."""
    ics = export([session()])
    (ev,) = events(ics)
    assert str(ev["SUMMARY"]) == "Serving LLMs on a Budget"
    assert str(ev["LOCATION"]) == "TR409"
    assert str(ev["URL"]) == "https://coscup.org/2026/session/ai-1026"
    assert ev["CATEGORIES"].cats == ["ai"]
    desc = str(ev["DESCRIPTION"])
    assert "Ann Chen, Bob Li" in desc and "ai" in desc and "one GPU" in desc
    assert ev.decoded("DTSTAMP") == NOW


def test_calendar_header():
    """The calendar names itself, its producer and its version, and is published (not an invite)."""
    cal = Calendar.from_ical(export([session()]))
    assert str(cal["VERSION"]) == "2.0"
    assert "confbot" in str(cal["PRODID"])
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "COSCUP 2026 — my agenda"


def test_uid_is_stable_across_exports():
    """Re-importing a later export updates the same events rather than adding copies."""
    a = events(export([session("ai-1026"), session("os-7")], domain="coscup.example"))
    b = events(export([session("os-7"), session("ai-1026")], domain="coscup.example", now=NOW + timedelta(days=3)))
    assert sorted(str(e["UID"]) for e in a) == ["ai-1026@coscup.example", "os-7@coscup.example"]
    assert sorted(str(e["UID"]) for e in a) == sorted(str(e["UID"]) for e in b)
    assert {e.decoded("DTSTAMP") for e in b} == {NOW + timedelta(days=3)}


def test_times_are_in_the_conference_zone_with_its_vtimezone():
    """Start and end carry the conference's TZID, described by a VTIMEZONE, at the right wall time."""
    start = datetime(2026, 8, 7, 2, 0, tzinfo=UTC)  # given in UTC: 10:00 in Taipei
    ics = export([session(start=start, minutes=45)])
    assert b"DTSTART;TZID=Asia/Taipei:20260807T100000" in ics
    assert b"DTEND;TZID=Asia/Taipei:20260807T104500" in ics
    cal = Calendar.from_ical(ics)
    assert [str(t["TZID"]) for t in cal.walk("VTIMEZONE")] == ["Asia/Taipei"]
    (ev,) = cal.walk("VEVENT")
    assert ev.decoded("DTSTART") == start
    assert ev.decoded("DTEND") - ev.decoded("DTSTART") == timedelta(minutes=45)


def test_dst_zone_gets_correct_offsets():
    """In a zone with summer time, an August session keeps its local wall time and true instant."""
    start = datetime(2026, 8, 7, 10, 0, tzinfo=BERLIN)
    ics = export([session(start=start)], tz=BERLIN)
    assert b"DTSTART;TZID=Europe/Berlin:20260807T100000" in ics
    cal = Calendar.from_ical(ics)
    (vtz,) = cal.walk("VTIMEZONE")
    assert "+0200" in vtz.to_ical().decode()
    (ev,) = cal.walk("VEVENT")
    assert ev.decoded("DTSTART") == datetime(2026, 8, 7, 8, 0, tzinfo=UTC)


def test_chinese_text_survives():
    """Chinese titles, rooms, speakers and calendar names come through intact in UTF-8."""
    zh = session(
        "zh-1",
        title="Rust 入門",
        title_zh="Rust 入門：從零開始打造高效能網路服務的實戰經驗分享",
        room_zh="國際會議廳",
        presenters_zh=("林小明", "陳大文"),
        abstract_zh="本議程將介紹如何使用 Rust 建構網路服務。" * 5,
    )
    ics = export([zh], lang="zh", calendar_name="我的 COSCUP 議程")
    ics.decode("utf-8")  # folding never splits a multi-byte character
    cal = Calendar.from_ical(ics)
    assert str(cal["X-WR-CALNAME"]) == "我的 COSCUP 議程"
    (ev,) = cal.walk("VEVENT")
    assert str(ev["SUMMARY"]) == "Rust 入門：從零開始打造高效能網路服務的實戰經驗分享"
    assert str(ev["LOCATION"]) == "國際會議廳"
    desc = str(ev["DESCRIPTION"])
    assert "林小明、陳大文" in desc and "本議程將介紹如何使用 Rust 建構網路服務。" in desc


def test_lines_are_folded_and_end_in_crlf():
    """Long lines are folded to 75 octets and every line ends in CRLF, as RFC 5545 requires."""
    ics = export([session(title="很長的標題" * 30, abstract="word " * 500)])
    assert ics.endswith(b"\r\n")
    assert b"\n" not in ics.replace(b"\r\n", b"")
    lines = ics.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)


def test_session_without_end_gets_a_default_length():
    """A session with no known end still shows as a block of the default length."""
    (ev,) = events(export([session(end=None)]))
    assert ev.decoded("DTEND") - ev.decoded("DTSTART") == DEFAULT_DURATION


def test_session_ending_before_it_starts_gets_a_default_length():
    """A session whose end is not after its start is exported with the default length, not a negative one."""
    start = datetime(2026, 8, 7, 10, 0, tzinfo=TAIPEI)
    (ev,) = events(export([session(start=start, end=start - timedelta(hours=1))]))
    assert ev.decoded("DTEND") - ev.decoded("DTSTART") == DEFAULT_DURATION


def test_unscheduled_sessions_are_left_out():
    """A session with no time yet does not appear in the calendar."""
    evs = events(export([session("later", start=None), session("now")]))
    assert [str(e["UID"]) for e in evs] == ["now@confbot"]


def test_empty_agenda_is_still_a_valid_calendar():
    """A reader with no stars still gets a calendar file their app accepts."""
    ics = export([])
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n") and ics.endswith(b"END:VCALENDAR\r\n")
    cal = Calendar.from_ical(ics)
    assert cal.walk("VEVENT") == []
    assert str(cal["VERSION"]) == "2.0" and "PRODID" in cal


def test_events_are_in_time_order():
    """Events are written earliest first, whatever order the sessions were given in."""
    base = datetime(2026, 8, 7, 9, 0, tzinfo=TAIPEI)
    evs = events(export([session("c", start=base + timedelta(hours=2)), session("a", start=base)]))
    assert [str(e["UID"]) for e in evs] == ["a@confbot", "c@confbot"]


def test_long_abstract_is_truncated_with_an_ellipsis():
    """A very long abstract is shortened so the calendar entry stays readable."""
    long = "Lorem ipsum dolor sit amet. " * 300
    (ev,) = events(export([session(abstract=long)]))
    desc = str(ev["DESCRIPTION"])
    assert desc.endswith("…")
    assert len(desc) < MAX_ABSTRACT_CHARS + 200


def test_special_characters_are_escaped_and_restored():
    """Commas, semicolons and newlines in titles and abstracts come back exactly."""
    title = "Ready; set, go! A talk\\about escapes"
    (ev,) = events(export([session(title=title, abstract="line one\nline two; with, punctuation")]))
    assert str(ev["SUMMARY"]) == title
    assert "line one\nline two; with, punctuation" in str(ev["DESCRIPTION"])


def test_naive_now_is_refused():
    """A naive 'now' is a bug in the caller, reported instead of guessed."""
    with pytest.raises(ValueError, match="naive"):
        export([session()], now=datetime(2026, 8, 1, 12, 0))


def test_tracks_are_shown_by_their_display_name_in_the_readers_language():
    """With the programme's tracks, the export names a track as attendees read it ("AI / machine learning",
    "人工智能 / 机器学习"), in the description and the categories, never by its key "ai"."""
    tracks = {"ai": Track(key="ai", name="AI / machine learning", name_zh="人工智能 / 机器学习")}
    (en,) = events(export([session()], tracks=tracks))
    assert en["CATEGORIES"].cats == ["AI / machine learning"]
    assert "Track: AI / machine learning" in str(en["DESCRIPTION"])
    (zh,) = events(export([session()], tracks=tracks, lang="zh"))
    assert zh["CATEGORIES"].cats == ["人工智能 / 机器学习"]
    assert "人工智能 / 机器学习" in str(zh["DESCRIPTION"]) and "ai\n" not in str(zh["DESCRIPTION"])


def test_speakers_bios_stay_out_of_the_description():
    """The speakers' bios are not part of the event's description (the abstract is)."""
    (ev,) = events(export([session(bios="Ann Chen: GPU whisperer at Example Corp")]))
    assert "one GPU" in str(ev["DESCRIPTION"]) and "whisperer" not in str(ev["DESCRIPTION"])


def test_a_session_without_an_end_lasts_its_default_in_elapsed_time():
    """On New York's fall-back night, a session at 01:45 EDT with no end lasts 30 real minutes, to 01:15 EST
    (adding on the wall clock says 02:15 EST, 90 minutes later), written so that calendars read that instant."""
    ny = ZoneInfo("America/New_York")
    start = datetime(2024, 11, 3, 1, 45, tzinfo=ny)
    (ev,) = events(export([session(start=start, end=None)], tz=ny))
    assert ev.decoded("DTEND").astimezone(UTC) - ev.decoded("DTSTART").astimezone(UTC) == DEFAULT_DURATION
    assert ev.decoded("DTEND").astimezone(UTC) == datetime(2024, 11, 3, 6, 15, tzinfo=UTC)
