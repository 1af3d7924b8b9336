"""Junk in every field of every format (hypothesis): reading never raises, the junk is reported naming its field,
and every problem is located (a line within the document, or a JSON path)."""

from __future__ import annotations

import copy
import json
import re
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.core.model import Problem
from bot.core.programme.document import read_document
from tests.core.programme.junk import PROPS

BERLIN = ZoneInfo("Europe/Berlin")
ORIGIN = "/conf/schedule"

# ------------------------------------------------------------------------------------------------ junk values

scalars = st.one_of(
    st.integers(-(10**12), 10**12), st.floats(allow_nan=True), st.booleans(), st.text(max_size=20), st.none()
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=6,
)
not_text = st.one_of(
    st.floats(allow_nan=True),
    st.booleans(),
    st.lists(scalars, max_size=3),
    st.dictionaries(st.text(max_size=6), scalars, max_size=3),
)
DATE_LIKE = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}[T ]+\d{1,2}:\d{2}")
bad_dates = st.one_of(
    not_text,
    st.integers(),
    st.text(min_size=1, max_size=30).filter(lambda t: t.strip() and not DATE_LIKE.match(t)),
    st.sampled_from(["2016-13-40T10:00:00+01:00", "2016-12-27T25:70:00+01:00", "2016-12-27", "tomorrow 3pm"]),
)
bad_lengths = st.one_of(
    not_text,
    st.integers(),
    st.text(min_size=1, max_size=12).filter(lambda t: not re.match(r"^\s*\d{1,4}:[0-5]\d(:[0-5]\d)?\s*$", t)),
)
not_urls = st.one_of(not_text, st.integers(), st.text(min_size=1, max_size=20).filter(lambda t: "http" not in t))


def located(problems: list[Problem], raw: bytes) -> None:
    """Every problem names the document, a severity, a message, and a line within it or a JSON path."""
    lines = len(re.split(rb"\r\n|\r|\n", raw))
    for p in problems:
        assert p.path == ORIGIN and p.severity in ("warning", "error") and p.message.strip()
        if p.at is None:
            assert 1 <= p.line <= lines + 1, (p, lines)
        else:
            assert p.at == "" or p.at.startswith("$"), p
        assert str(p).startswith(ORIGIN)


def read(raw: bytes):
    reading = read_document(raw, ORIGIN, BERLIN)
    located(reading.problems, raw)
    return reading


# ------------------------------------------------------------------------------------------------ schedule.json

EVENT = {
    "guid": "b8e0eb47-4832-4726-bc9b-9015bd96becf",
    "id": 8429,
    "date": "2016-12-27T11:00:00+01:00",
    "start": "11:00",
    "duration": "00:30",
    "room": "Saal 1",
    "title": "33C3 Opening Ceremony",
    "subtitle": "",
    "track": "CCC",
    "type": "lecture",
    "language": "en",
    "abstract": "Welcome.",
    "description": "",
    "persons": [{"id": 5735, "public_name": "anna"}],
    "links": [{"url": "https://example.org/slides", "title": "Slides"}],
    "url": "https://fahrplan.example.org/8429.html",
}
JSON_JUNK = {
    "guid": st.one_of(
        st.floats(allow_nan=True),
        st.booleans(),
        st.lists(scalars, max_size=2),
        st.dictionaries(st.text(max_size=3), scalars, max_size=2),
    ),
    "title": not_text,
    "date": bad_dates,
    "duration": bad_lengths,
    "end": bad_dates,
    "room": st.one_of(st.floats(allow_nan=True), st.booleans(), st.lists(scalars, max_size=2), st.just({"guid": "x"})),
    "track": not_text,
    "type": not_text,
    "language": st.one_of(st.integers(), not_text),
    "abstract": st.one_of(st.integers(), st.floats(allow_nan=True), st.booleans(), st.lists(scalars, max_size=2)),
    "description": st.one_of(st.integers(), st.booleans(), st.lists(scalars, max_size=2), st.just({})),
    "subtitle": st.one_of(st.integers(), st.booleans(), st.lists(scalars, max_size=2)),
    "persons": st.one_of(
        st.text(max_size=8),
        st.integers(),
        st.booleans(),
        st.dictionaries(st.text(max_size=3), scalars, max_size=2),
        st.lists(st.one_of(st.integers(), st.booleans()), min_size=1, max_size=2),
    ),
    "links": st.one_of(
        st.text(max_size=8), st.integers(), st.booleans(), st.dictionaries(st.text(max_size=3), scalars, max_size=2)
    ),
    "url": not_urls,
}


def schedule_json(events: list[Any]) -> bytes:
    day = {"index": 0, "date": "2016-12-27", "day_start": "2016-12-27T10:00:00+01:00", "rooms": {"Saal 1": events}}
    doc = {
        "schedule": {"version": "1", "conference": {"title": "33C3", "time_zone_name": "Europe/Berlin", "days": [day]}}
    }
    return json.dumps(doc, default=str).encode()


@PROPS
@given(st.sampled_from(sorted(JSON_JUNK)).flatmap(lambda name: st.tuples(st.just(name), JSON_JUNK[name])))
def test_junk_in_each_schedule_json_field_is_reported(junk):
    """schedule.json: a field of the wrong type or unreadable is reported under its name; the event's other
    fields are kept (it is still a session)."""
    name, value = junk
    event = copy.deepcopy(EVENT)
    event[name] = value
    reading = read(schedule_json([event, copy.deepcopy(EVENT) | {"guid": "other"}]))
    assert reading.ok
    assert any(
        p.field == name and p.at == '$.schedule.conference.days[0].rooms["Saal 1"][0]' for p in reading.problems
    ), (
        name,
        value,
        reading.problems,
    )
    assert len(reading.sessions) == 2


@PROPS
@given(json_values, st.integers(0, 3))
def test_any_json_anywhere_in_a_schedule_json_never_raises(value, where):
    """Whatever JSON stands where an event, a room's list, a day or the conference should be, reading goes on."""
    doc: dict[str, Any] = json.loads(schedule_json([copy.deepcopy(EVENT)]))
    conference = doc["schedule"]["conference"]
    if where == 0:
        conference["days"][0]["rooms"]["Saal 1"][0] = value
    elif where == 1:
        conference["days"][0]["rooms"]["Saal 1"] = value
    elif where == 2:
        conference["days"][0] = value
    else:
        doc["schedule"]["conference"] = value
    read(json.dumps(doc, default=str).encode())


# ------------------------------------------------------------------------------------------------ Sessionize

SESSION = {
    "id": "167745",
    "title": "Stories of void",
    "description": "TypeScript.",
    "startsAt": "2020-04-24T09:00:00",
    "endsAt": "2020-04-24T09:50:00",
    "isServiceSession": False,
    "speakers": ["f62f"],
    "categoryItems": [35850],
    "questionAnswers": [{"questionId": 22100, "answerValue": "https://youtu.be/x"}],
    "roomId": 11856,
    "liveUrl": None,
    "recordingUrl": None,
    "status": "Accepted",
}
SESSIONIZE_JUNK = {
    "id": st.one_of(st.floats(allow_nan=True), st.booleans(), st.lists(scalars, max_size=2)),
    "title": not_text,
    "description": st.one_of(st.integers(), not_text),
    "startsAt": bad_dates,
    "endsAt": bad_dates,
    "isServiceSession": st.one_of(st.integers(), st.text(max_size=5), st.lists(scalars, max_size=2)),
    "speakers": st.one_of(
        st.text(max_size=5),
        st.integers(),
        st.booleans(),
        st.lists(
            st.text(min_size=1, max_size=5).filter(lambda t: t.strip() and t.strip() != "f62f"), min_size=1, max_size=2
        ),
    ),
    "categoryItems": st.one_of(
        st.text(max_size=5), st.booleans(), st.lists(st.integers(0, 99), min_size=1, max_size=2)
    ),
    "questionAnswers": st.one_of(
        st.text(max_size=5),
        st.integers(),
        st.lists(st.one_of(st.integers(), st.text(max_size=3)), min_size=1, max_size=2),
    ),
    "roomId": st.one_of(st.integers(0, 99), st.text(max_size=5), st.lists(scalars, max_size=2)),
    "liveUrl": not_urls,
    "recordingUrl": not_urls,
    "status": not_text,
}


def sessionize_json(sessions: list[Any]) -> bytes:
    doc = {
        "sessions": sessions,
        "speakers": [{"id": "f62f", "fullName": "Stefan Baumgartner"}],
        "questions": [{"id": 22100, "question": "YouTube Video"}],
        "categories": [{"id": 1, "title": "Track", "items": [{"id": 35850, "name": "Main"}], "type": "session"}],
        "rooms": [{"id": 11856, "name": "Saal 11", "sort": 0}],
    }
    return json.dumps(doc, default=str).encode()


@PROPS
@given(st.sampled_from(sorted(SESSIONIZE_JUNK)).flatmap(lambda n: st.tuples(st.just(n), SESSIONIZE_JUNK[n])))
def test_junk_in_each_sessionize_field_is_reported(junk):
    """Sessionize: a field of the wrong type, an unknown speaker, room or category, an unreadable time: reported
    under the field's name, at the session's JSON path."""
    name, value = junk
    session = dict(SESSION) | {name: value}
    reading = read(sessionize_json([session, dict(SESSION) | {"id": "2"}]))
    assert reading.ok
    assert any(p.field == name and p.at == "$.sessions[0]" for p in reading.problems), (name, value, reading.problems)


@PROPS
@given(json_values, st.booleans())
def test_any_json_in_a_sessionize_document_never_raises(value, whole):
    """Any JSON as a session, or as the speakers/rooms/categories lists, is read without raising."""
    doc = json.loads(sessionize_json([dict(SESSION)]))
    if whole:
        for key in ("speakers", "rooms", "categories", "questions"):
            doc[key] = value
    else:
        doc["sessions"].append(value)
    read(json.dumps(doc, default=str).encode())


# ------------------------------------------------------------------------------------------------ schedule.xml

XML_EVENT = {
    "date": "2023-09-10T05:00:00+00:00",
    "start": "10:30",
    "duration": "00:20",
    "room": "Anamudi",
    "title": "Opening Ceremony",
    "track": "Community",
    "type": "Long talk",
}
XML_TEXT = st.characters(blacklist_categories=["Cs", "Cc"])  # what XML may hold
XML_JUNK = {
    "date": st.text(XML_TEXT, min_size=1, max_size=20).filter(lambda t: t.strip() and not DATE_LIKE.match(t)),
    "duration": st.text(XML_TEXT, min_size=1, max_size=10).filter(
        lambda t: t.strip() and not re.match(r"^\s*\d{1,4}:[0-5]\d(:[0-5]\d)?\s*$", t)
    ),
    "start": st.text(XML_TEXT, min_size=1, max_size=10).filter(
        lambda t: t.strip() and not re.match(r"^\s*\d{1,4}:[0-5]\d", t)
    ),
}


def schedule_xml(fields: dict[str, str], day: str = "2023-09-10") -> bytes:
    from xml.sax.saxutils import escape

    body = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in fields.items())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<schedule>\n<conference><title>DebConf</title>'
        "<time_zone_name>Asia/Kolkata</time_zone_name></conference>\n"
        f'<day date="{day}" index="1">\n<room name="Anamudi">\n<event id="35" guid="455d">\n{body}\n'
        '<persons><person id="1">Sruthi</person></persons>\n</event>\n</room>\n</day>\n</schedule>\n'
    ).encode()


@PROPS
@given(st.sampled_from(sorted(XML_JUNK)).flatmap(lambda n: st.tuples(st.just(n), XML_JUNK[n])))
def test_junk_in_schedule_xml_times_is_reported(junk):
    """schedule.xml: an unreadable <date>, <start> or <duration> is reported under its name, on the event's line."""
    name, value = junk
    fields = dict(XML_EVENT) | {name: value}
    if name == "start":
        fields.pop("date")  # <start> counts when there is no <date> (Pentabarf)
    reading = read(schedule_xml(fields))
    assert reading.ok and len(reading.sessions) == 1
    assert any(p.field == name and p.line >= 4 for p in reading.problems), (name, value, reading.problems)


@PROPS
@given(
    st.binary(max_size=40),
    st.integers(0, 2000),
    st.dictionaries(st.sampled_from(sorted(XML_EVENT)), st.text(XML_TEXT, max_size=20), max_size=3),
)
def test_any_bytes_in_a_schedule_xml_never_raise(junk, at, fields):
    """Bytes spliced anywhere into a schedule.xml, or any text in its elements: read without raising."""
    raw = schedule_xml(dict(XML_EVENT) | fields)
    at = min(at, len(raw))
    read(raw[:at] + junk + raw[at:])


# ------------------------------------------------------------------------------------------------ iCalendar

ICS_EVENT = {
    "UID": "477@KOLT20",
    "DTSTART": "20200918T090000Z",
    "DTEND": "20200918T100000Z",
    "SUMMARY": "Nachhaltigkeit und Linux",
    "LOCATION": "Ravensberg",
    "DESCRIPTION": "Speaker: Claus",
}
ICS_JUNK = {
    "DTSTART": st.text(st.characters(whitelist_categories=["L", "N", "P"]), min_size=1, max_size=12).filter(
        lambda t: not re.match(r"^\d{8}", t)
    ),
    "DTEND": st.text(st.characters(whitelist_categories=["L", "N", "P"]), min_size=1, max_size=12).filter(
        lambda t: not re.match(r"^\d{8}", t)
    ),
    "DURATION": st.text(st.characters(whitelist_categories=["L", "N"]), min_size=1, max_size=8).filter(
        lambda t: not re.match(r"^[+-]?P", t)
    ),
}


def ics(fields: dict[str, str]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", "BEGIN:VEVENT"]
    lines += [f"{k}:{v}" for k, v in fields.items()]
    lines += ["END:VEVENT", "END:VCALENDAR", ""]
    return "\r\n".join(lines).encode()


@PROPS
@given(st.sampled_from(sorted(ICS_JUNK)).flatmap(lambda n: st.tuples(st.just(n), ICS_JUNK[n])))
def test_junk_in_ical_times_is_reported(junk):
    """iCalendar: an unreadable DTSTART, DTEND or DURATION is reported under its name, on its event's line."""
    name, value = junk
    fields = dict(ICS_EVENT)
    if name == "DURATION":
        fields.pop("DTEND")
    fields[name] = value
    reading = read(ics(fields))
    assert reading.ok and len(reading.sessions) == 1
    assert any(p.field == name and p.line == 4 for p in reading.problems), (name, value, reading.problems)


@PROPS
@given(
    st.binary(max_size=40),
    st.integers(0, 400),
    st.dictionaries(st.sampled_from(sorted(ICS_EVENT)), st.text(max_size=30), max_size=3),
)
def test_any_bytes_in_an_ical_feed_never_raise(junk, at, fields):
    """Bytes spliced anywhere into a feed, or any text as a property's value: read without raising."""
    raw = ics(dict(ICS_EVENT) | {k: v.replace("\r", " ").replace("\n", " ") for k, v in fields.items()})
    at = min(at, len(raw))
    read(raw[:at] + junk + raw[at:])


@PROPS
@given(st.binary(max_size=300))
def test_any_bytes_at_all_never_raise(raw):
    """Whatever a URL answers, the reading is a Reading with located problems, never an exception."""
    reading = read(raw)
    assert reading.ok or reading.problems
