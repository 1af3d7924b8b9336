"""Each programme format as organizers publish it: recognised by its content, read into the same sessions,
with problems located by line or JSON path, and one clear message for anything that is not a programme."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.model import ScheduledSession, Session, is_scheduled
from bot.core.programme.document import EXPECTED, read_document
from bot.core.programme.imported import LANGUAGES, Reading, language_code
from bot.i18n import STRINGS

BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")


def read(raw: bytes | str, tz: ZoneInfo = BERLIN, *, given: bool = True, origin: str = "/conf/programme") -> Reading:
    return read_document(raw.encode() if isinstance(raw, str) else raw, origin, tz, zone_given=given)


def timed(reading: Reading) -> list[ScheduledSession]:
    return [s for s in reading.sessions if is_scheduled(s)]


def by_title(reading: Reading, title: str) -> Session:
    return next(s for s in reading.sessions if s.title == title)


def c3voc(*events: dict, zone: str | None = "Europe/Berlin", schema2: bool = False) -> str:
    conference: dict = {"title": "Camp", "acronym": "camp"}
    if zone:
        conference["time_zone_name"] = zone
    if schema2:
        conference["days"] = [{"index": 0, "date": "2019-08-21", "start": "x", "end": "y"}]
        return json.dumps({"schedule": {"version": "1", "conference": conference, "events": list(events)}})
    conference["days"] = [{"index": 0, "date": "2019-08-21", "rooms": {"Curie": list(events)}}]
    return json.dumps({"schedule": {"version": "1", "conference": conference}})


def event(**fields) -> dict:
    base = {"guid": "g-1", "date": "2019-08-21T22:00:00+02:00", "duration": "01:30", "room": "Curie", "title": "Talk"}
    base.update(fields)
    return base


XML = """<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <conference><title>FOSDEM</title><day_change>04:00</day_change></conference>
  <day index="1" date="2021-02-06">
    <room name="K.fosdem">
      <event id="11795">
        <start>09:00</start>
        <duration>00:25</duration>
        <room>K.fosdem</room>
        <title>Welcome</title>
        <type>maintrack</type>
        <persons><person id="1">Ann</person><person id="2">Bo</person></persons>
      </event>
      <event id="11796">
        <start>01:30</start>
        <duration>1:00</duration>
        <title>Night owls</title>
        <type>bof</type>
      </event>
    </room>
  </day>
</schedule>
"""

ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
X-WR-CALNAME:Lakeside Camp\r
BEGIN:VEVENT\r
UID:1@camp\r
DTSTART;TZID=Asia/Tokyo:20240913T100000\r
DTEND;TZID=Asia/Tokyo:20240913T110000\r
SUMMARY:Opening\r
LOCATION:Main tent\r
CATEGORIES:Community\r
ATTENDEE;CN="Ann Lee":mailto:ann@example.org\r
ATTENDEE;CN=Bo:mailto:bo@example.org\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:2@camp\r
DTSTART:20240913T030000Z\r
DURATION:PT45M\r
SUMMARY:Cancelled talk\r
STATUS:CANCELLED\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:3@camp\r
DTSTART:20240913T150000\r
DTEND:20240913T153000\r
SUMMARY:Lunch\r
CATEGORIES:Break\r
END:VEVENT\r
END:VCALENDAR\r
"""


# ------------------------------------------------------------------------------------------------ recognition


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (c3voc(event()), "schedule.json"),
        (XML, "schedule.xml"),
        (ICS, "iCalendar"),
        (json.dumps({"sessions": [], "speakers": [], "rooms": []}), "Sessionize"),
    ],
)
def test_the_format_is_recognised_from_the_content_whatever_the_name(raw, expected):
    """A schedule.xml saved as programme.json (or any other name) is still read as schedule.xml."""
    for name in ("/conf/programme.json", "/conf/programme.xml", "/conf/programme.ics", "https://x.org/export"):
        assert read(raw, origin=name).format.startswith(expected)


@pytest.mark.parametrize(
    ("raw", "what"),
    [
        ("", "empty"),
        ("Title,Start\nOpening,10:00\n", "not a programme this bot reads"),
        ('{"talks": [1, 2]}', "JSON of another shape (talks)"),
        ("<rss><channel/></rss>", "XML whose root is <rss>"),
        ("<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>", "a web page (HTML)"),
        ('[{"groupId": 1, "sessions": []}]', "Sessionize's /view/Sessions"),
    ],
)
def test_anything_else_gets_one_message_naming_what_was_expected(raw, what):
    """Something that is no programme is refused with one error that says what it is and what was expected."""
    reading = read(raw)
    assert not reading.ok and reading.sessions == []
    assert len(reading.problems) == 1 and reading.problems[0].severity == "error"
    assert what in reading.problems[0].message and EXPECTED in reading.problems[0].message
    assert str(reading.problems[0]).startswith("/conf/programme: error: ")


def test_broken_json_is_located_by_line():
    """A schedule.json cut short or mistyped says on which line the JSON breaks."""
    reading = read('{\n  "schedule": {\n    "version": "1",,\n')
    assert not reading.ok
    assert str(reading.problems[0]).startswith("/conf/programme:3: error: not valid JSON")


def test_json_problems_name_the_json_path_of_the_event():
    """A bad field in schedule.json is reported at the JSON path of its event, like `path:line` for files with lines."""
    reading = read(c3voc(event(), event(guid="g-2", duration="1h30")))
    problem = next(p for p in reading.problems if p.field == "duration")
    assert str(problem) == (
        "/conf/programme:$.schedule.conference.days[0].rooms.Curie[1]: warning: duration '1h30' is not \"H:MM\" [duration]"
    )
    assert len(timed(reading)) == 2  # kept, with the longest a session may last


def test_xml_and_ical_problems_are_located_by_line():
    """schedule.xml problems are on the line of the element; a feed's on the line of its event's BEGIN:VEVENT."""
    reading = read(XML.replace("<duration>1:00</duration>", "<duration>an hour</duration>"))
    assert any(p.line == 16 and p.field == "duration" for p in reading.problems)
    feed = read(ICS.replace("DURATION:PT45M", "DURATION:soon").replace("STATUS:CANCELLED\r\n", ""))
    assert any(p.line == 14 and p.field == "DURATION" for p in feed.problems)


def test_xml_entity_declarations_are_refused():
    """A schedule.xml that declares entities (how XML files become memory bombs) is refused, not expanded."""
    bomb = '<?xml version="1.0"?><!DOCTYPE schedule [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><schedule>&b;</schedule>'
    reading = read(bomb)
    assert not reading.ok and "declares entities" in reading.problems[0].message


# ------------------------------------------------------------------------------------------------ schedule.json


def test_durations_of_any_number_of_hours():
    """Durations are "H:MM" with any number of hours: "1:00" and "100:00" are real lengths."""
    reading = read(c3voc(event(duration="1:00"), event(guid="g-2", title="Long", duration="100:00")))
    assert timed(reading)[0].end - timed(reading)[0].start == timedelta(hours=1)
    assert by_title(reading, "Long").end == datetime(2019, 8, 26, 2, 0, tzinfo=BERLIN)


def test_an_explicit_end_wins_over_the_duration():
    """The newer schema's `end` is preferred to the deprecated `duration`."""
    reading = read(c3voc(event(duration="00:30", end="2019-08-21T23:45:00+02:00")))
    assert timed(reading)[0].end == datetime(2019, 8, 21, 23, 45, tzinfo=BERLIN)


def test_schema_2_flat_events_with_participants_and_room_objects():
    """The c3voc schema 2 (`schedule.events[]`, `start`/`end`, room objects, participants) reads the same."""
    flat = {
        "guid": "g-9",
        "start": "2019-08-21T11:00:00+02:00",
        "end": "2019-08-21T11:30:00+02:00",
        "room": {"name": "Meitner", "guid": "r-1"},
        "title": "Flat",
        "participants": [{"name": "Ada", "role": "speaker"}, {"name": "Bob", "role": "moderator"}],
        "language": "de",
    }
    s = timed(read(c3voc(flat, schema2=True)))[0]
    assert (s.id, s.room, s.presenters, s.language) == ("g-9", "Meitner", ("Ada", "Bob"), "de")
    assert s.end - s.start == timedelta(minutes=30)


def test_schema_2_tracks_by_slug_and_rooms_by_reference():
    """Schema 2 as the congress hub writes it: a track given as {"slug": …} is named from conference.tracks, a
    room as {"name", "guid"}; pretalx's {language: text} abstracts are read too."""
    flat = {
        "guid": "g-7",
        "start": "2024-12-28T00:15:00+01:00",
        "end": "2024-12-28T00:55:00+01:00",
        "room": {"name": "Saal Z", "guid": "r-9"},
        "title": "Night talk",
        "track": {"slug": "hardware-making"},
        "abstract": {"en": "An abstract in English."},
        "participants": [{"name": "Sam", "role": "speaker"}],
    }
    raw = json.loads(c3voc(flat, schema2=True))
    raw["schedule"]["conference"]["tracks"] = [{"name": "Hardware & Making", "slug": "hardware-making"}]
    reading = read(json.dumps(raw))
    s = timed(reading)[0]
    assert reading.tracks[s.track].name == "Hardware & Making" and s.room == "Saal Z"
    assert s.abstract == "An abstract in English." and not reading.problems


def test_an_event_carries_everything_attendees_read():
    """Id, title, room, track with its display name, language, people, abstract with the description after it,
    the session's page, its links, and its recording."""
    full = event(
        subtitle="A subtitle",
        abstract="<p>The <b>abstract</b>.</p>",
        description="More **detail**.",
        track="Ethics, Society & Politics",
        language="de-formal",
        persons=[{"public_name": "anna"}, {"name": "elisa"}, "carl"],
        url="https://fahrplan.example.org/8429.html",
        links=[
            {"url": "https://media.ccc.de/v/x", "title": "Recording"},
            {"url": "https://x.org/slides.pdf", "title": "Slides"},
        ],
        type="Keynote",
    )
    reading = read(c3voc(full))
    s = timed(reading)[0]
    assert s.presenters == ("anna", "elisa", "carl") and s.language == "de" and s.format == "keynote"
    assert s.abstract == "A subtitle\n\nThe abstract.\n\nMore detail."
    assert reading.tracks[s.track].name == "Ethics, Society & Politics"
    assert s.url == "https://fahrplan.example.org/8429.html"
    assert s.recording_url == "https://media.ccc.de/v/x" and s.link == s.recording_url
    assert ("Slides", "https://x.org/slides.pdf") in s.links


def test_a_break_type_is_a_break_and_a_talk_type_is_not():
    """An event whose type says break or meal ("Coffee break", "Lunch") is a break; "lecture" or "other" is not."""
    reading = read(
        c3voc(
            event(type="Coffee break", title="Coffee"), event(guid="g-2", type="Lunch"), event(guid="g-3", type="other")
        )
    )
    assert [s.service for s in reading.sessions] == [True, True, False]


@pytest.mark.parametrize(
    ("title", "cancelled"),
    [
        ("CANCELLED! Surface Mount Electronics", True),
        ("Back to the 16bit Era -- CANCELLED", True),
        ("[cancelled] Rust for bakers", True),
        ("Rust for bakers (Cancelled)", True),
        ("Abgesagt: Rust für Bäcker", True),
        ("Why talks get cancelled", False),
        ("Cancelled flights and open data", False),
    ],
)
def test_a_cancellation_written_in_the_title_leaves_the_session_out(title, cancelled):
    """A title that says the session is cancelled leaves it out (its stargazers are then told it is cancelled);
    a title that merely uses the word is a talk like any other."""
    reading = read(c3voc(event(title=title), event(guid="g-2", title="Other")))
    assert (title not in {s.title for s in reading.sessions}) is cancelled
    assert any("marked cancelled" in p.message for p in reading.problems) is cancelled


def test_a_file_without_a_zone_is_shown_at_its_offset_unless_one_is_configured():
    """Older exports name no zone: with none configured, times are shown at the offset they carry and check
    says to configure the venue's zone; with one configured, they are shown in it."""
    raw = c3voc(event(), zone=None)
    guessed = read(raw, TOKYO, given=False)
    assert guessed.tz == ZoneInfo("Etc/GMT-2") and timed(guessed)[0].start.hour == 22
    assert any("names no time zone" in p.message for p in guessed.problems)
    shown = read(raw, TOKYO)
    assert shown.tz == TOKYO and timed(shown)[0].start.hour == 5 and not shown.problems


# ------------------------------------------------------------------------------------------------ schedule.xml


def test_pentabarf_days_starts_and_the_day_change():
    """Pentabarf: <day date> and <start> in the conference's zone; before the day change (04:00), the next day."""
    reading = read(XML)
    welcome, night = by_title(reading, "Welcome"), by_title(reading, "Night owls")
    assert welcome.start == datetime(2021, 2, 6, 9, 0, tzinfo=BERLIN) and welcome.presenters == ("Ann", "Bo")
    assert night.start == datetime(2021, 2, 7, 1, 30, tzinfo=BERLIN) and night.end == datetime(
        2021, 2, 7, 2, 30, tzinfo=BERLIN
    )
    assert night.room == "K.fosdem" and welcome.id == "11795"


# ------------------------------------------------------------------------------------------------ iCalendar


def test_ical_zones_speakers_categories_breaks_and_cancellations():
    """A feed with a TZID and no VTIMEZONE, UTC and floating times: each at its instant (floating ones in the
    configured zone); ATTENDEE names are the speakers; CATEGORIES the track; a "Break" category is a break;
    STATUS:CANCELLED leaves the event out."""
    reading = read(ICS, TOKYO)
    opening = by_title(reading, "Opening")
    assert opening.start == datetime(2024, 9, 13, 10, 0, tzinfo=TOKYO) and opening.presenters == ("Ann Lee", "Bo")
    assert reading.tracks[opening.track].name == "Community" and opening.room == "Main tent"
    lunch = by_title(reading, "Lunch")
    assert lunch.service and lunch.start == datetime(2024, 9, 13, 15, 0, tzinfo=TOKYO)
    assert [s.title for s in reading.sessions] == ["Opening", "Lunch"]
    assert reading.title == "Lakeside Camp"


def test_a_fold_that_splits_a_utf8_character_is_read_whole():
    """Lines folded in the middle of a multi-byte character (as some exporters do) are joined before decoding."""
    raw = ICS.encode().replace(b"SUMMARY:Opening\r\n", b"SUMMARY:Caf\xc3\r\n \xa9 am See\r\n")
    assert by_title(read(raw, TOKYO), "Café am See").id == "1@camp"


def test_a_vtimezone_whose_tzid_has_a_parameter_names_the_zone():
    """`TZID;X-RICAL-TZSOURCE=TZINFO:Europe/Berlin` (frab's iCal) names the conference's zone."""
    raw = ICS.replace(
        "X-WR-CALNAME:Lakeside Camp\r\n",
        "BEGIN:VTIMEZONE\r\nTZID;X-RICAL-TZSOURCE=TZINFO:Europe/Berlin\r\nBEGIN:STANDARD\r\nDTSTART:20161030T030000\r\n"
        "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n",
    ).replace("Asia/Tokyo", "Europe/Berlin")
    reading = read(raw, TOKYO, given=False)
    assert reading.tz == BERLIN and by_title(reading, "Opening").start == datetime(2024, 9, 13, 10, 0, tzinfo=BERLIN)


def test_a_feed_cut_short_is_not_read():
    """A download cut short (no END:VCALENDAR) is refused rather than read as a programme missing sessions."""
    reading = read(ICS[: ICS.index("BEGIN:VEVENT\r\nUID:3")])
    assert not reading.ok and "cut short" in reading.problems[0].message


# ------------------------------------------------------------------------------------------------ Sessionize


def test_sessionize_times_are_the_configured_zone_and_unscheduled_sessions_stay():
    """Sessionize's startsAt has no offset: it is the configured zone's wall-clock time; a session not yet on the
    grid is kept as unscheduled (found by /talk)."""
    doc = {
        "sessions": [
            {
                "id": "1",
                "title": "Grid",
                "startsAt": "2026-10-02T09:00:00",
                "endsAt": "2026-10-02T09:45:00",
                "roomId": 7,
            },
            {"id": "2", "title": "Later", "startsAt": None, "endsAt": None, "roomId": None},
        ],
        "speakers": [],
        "rooms": [{"id": 7, "name": "Cap & Thistle", "sort": 0}],
        "categories": [],
    }
    reading = read(json.dumps(doc), TOKYO)
    grid, later = by_title(reading, "Grid"), by_title(reading, "Later")
    assert grid.start == datetime(2026, 10, 2, 9, 0, tzinfo=TOKYO) and grid.room == "Cap & Thistle"
    assert later.start is None and not later.service


# ------------------------------------------------------------------------------------------------ languages


def test_spoken_languages_the_bot_can_name():
    """Codes and names of spoken languages become codes the catalogue names in both languages; others none."""
    assert [language_code(v) for v in ("de-formal", "EN", "German", "中文", "xx", None, 42)] == [
        "de",
        "en",
        "de",
        "zh",
        None,
        None,
        None,
    ]
    assert all(f"lang.{code}" in STRINGS for code in LANGUAGES)
