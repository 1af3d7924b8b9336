"""Fourteen real programme exports (pretalx, frab, Pentabarf, wafer, Sessionize, iCalendar) read as a running bot
reads them, against facts worked out from the files without confbot (shared/imports/FACTS.json) and counts made
here from the raw files with the standard library."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.programme.document import read_document
from tests.core.programme.importers.real import (
    FILES,
    HAVE_IMPORTS,
    cancelled_events,
    catalog_of,
    facts,
    iso,
    reading,
    room_counts,
    scheduled,
    timed,
    zone,
)
from tests.paths import IMPORTS

pytestmark = pytest.mark.skipif(not HAVE_IMPORTS, reason="shared/imports is missing")


@pytest.mark.parametrize("name", FILES)
def test_every_event_is_a_session_on_its_day(name):
    """Each export gives one session per event (breaks shown apart, cancellations left out), on the day it
    starts in the venue's zone, as many per day as the file has."""
    f = facts()[name]["facts"]
    r = reading(name)
    assert r.ok, r.problems[:3]
    cancelled = cancelled_events(name)
    assert len(r.sessions) == f["entries"] - len(cancelled)
    # Only Sessionize marks its breaks (FACTS leaves them out): they are in the schedule as breaks, not talks.
    marked = [s for s in r.sessions if s.service and name.startswith("sessionize/")]
    assert len(marked) == f["breaks_excluded"]
    talks = [s for s in r.sessions if s not in marked]
    per_day = Counter(s.start.date().isoformat() for s in talks if s.start is not None)
    expected = Counter(f["events_per_day"])
    expected.subtract(Counter(iso(e["date"]).astimezone(zone(name)).date().isoformat() for e in cancelled))
    assert per_day == +expected
    assert len({s.id for s in r.sessions}) == len(r.sessions)  # every id unique, even where the file reuses one


@pytest.mark.parametrize("name", FILES)
def test_every_room_has_its_sessions(name):
    """The rooms are the file's rooms, each with as many sessions as the file lists there."""
    f = facts()[name]["facts"]
    r = reading(name)
    expected = room_counts(name)
    expected.subtract(Counter(e["room"] for e in cancelled_events(name)))
    expected.pop("", None)
    assert Counter(s.room for s in r.sessions if s.room) == +expected
    assert sorted(r.rooms) == sorted(f["rooms"])


@pytest.mark.parametrize("name", FILES)
def test_first_start_last_end_and_the_nights(name):
    """The first session starts and the last one ends when the file says; sessions over midnight are kept whole."""
    f = facts()[name]["facts"]
    sessions = timed(name)
    assert min(s.start for s in sessions) == iso(f["first_start"])
    assert max(s.end for s in sessions) == iso(f["last_end"])
    tz = zone(name)
    # Over midnight: still on after the night's 00:00 (a session ending at midnight sharp is not).
    nights = [
        s for s in sessions if (s.end.astimezone(tz) - timedelta(microseconds=1)).date() > s.start.astimezone(tz).date()
    ]
    assert len(nights) == f["events_crossing_midnight"]


@pytest.mark.parametrize("name", FILES)
def test_sample_events_have_their_title_time_room_and_people(name):
    """The first event, the one with the most people and the latest one are read as the file writes them."""
    for sample in facts()[name]["facts"]["sample_events"]:
        found = [
            s
            for s in timed(name)
            if s.title == sample["title"].strip() and s.start == iso(sample["start"]) and s.id.startswith(sample["id"])
        ]
        assert len(found) == 1, sample
        s = found[0]
        assert s.end == iso(sample["end"])
        assert (s.room or "") == sample["room"]
        persons = sample["persons"] or sample.get("organizer_cn", [])
        if persons or not name.startswith("ics/"):  # a feed may name speakers only in its text (see below)
            assert list(s.presenters) == persons, (sample, s.presenters)


def test_several_people_present_one_session():
    """A session with twelve people (33C3's NSU-Monologe) names all twelve, in the file's order."""
    name = "schedule-json/33c3-v2-2016-12-27T1345Z.json"
    s = reading(name).sessions
    monologe = next(x for x in s if x.id == "835ad2b7-162f-4731-b032-603eee69371b")
    assert len(monologe.presenters) == 12 and monologe.presenters[0] == "Bühne für Menschenrechte"
    several = sum(1 for x in s if len(x.presenters) > 1)
    assert several == facts()[name]["facts"]["events_with_several_persons"]


@pytest.mark.parametrize(
    ("name", "tz"),
    [("schedule-xml/debconf23.xml", "Asia/Kolkata"), ("ics/lca2020.ics", "Australia/Brisbane")],
)
def test_the_file_names_the_conference_zone_when_none_is_configured(name, tz):
    """A file that names its zone (DebConf in Kochi, linux.conf.au on the Gold Coast) is shown in that zone when
    the configuration gives none, whatever the machine's zone; the sessions fall on the file's local days."""
    path = IMPORTS / name
    r = read_document(path.read_bytes(), str(path), ZoneInfo("Asia/Shanghai"), zone_given=False)
    assert r.tz == ZoneInfo(tz)
    per_day = Counter(s.start.date().isoformat() for s in r.sessions if s.start is not None)
    assert per_day == Counter(facts()[name]["facts"]["events_per_day"])
    first = min(s.start for s in scheduled(r.sessions))
    assert first.utcoffset() == iso(facts()[name]["facts"]["first_start"]).utcoffset()


def test_wafer_utc_dates_land_on_the_local_day():
    """DebConf's <date> is in UTC and its <day> containers are UTC days: the opening (10:30 IST) is on the 10th,
    not under the UTC day 2023-09-09 it is filed in."""
    s = timed("schedule-xml/debconf23.xml")
    opening = next(x for x in s if x.title == "Opening Ceremony")
    assert opening.start.isoformat() == "2023-09-10T10:30:00+05:30"
    assert opening.end - opening.start == timedelta(minutes=20)
    assert opening.presenters == ("Sruthi Chandran",)


def test_wafer_meals_are_breaks_not_talks():
    """DebConf's meals and breaks (no type, nobody presenting) are in the schedule as breaks; talks are not."""
    s = reading("schedule-xml/debconf23.xml").sessions
    breaks = Counter(x.title for x in s if x.service)
    assert breaks["Breakfast"] == breaks["Lunch"] == breaks["Dinner"] == 8
    assert not any(x.service for x in s if x.presenters)


def test_a_ccc_night_filed_under_the_day_before_is_kept():
    """39C3 files three DJ sets of 31 December 00:00-05:30 under 30 December, whose day ends at 16:00: all three
    are in the programme, on the 31st."""
    s = timed("schedule-json/39c3-everything.json")
    late = sorted((x for x in s if x.start.date().isoformat() == "2025-12-31"), key=lambda x: x.start)
    assert [x.start.hour for x in late] == [0, 2, 4] and late[-1].end.isoformat() == "2025-12-31T05:30:00+01:00"


def test_a_session_over_midnight_ends_the_next_day():
    """Camp 2019's "Achtung, Datenpannen!" runs 23:00-00:30 and ends on the next calendar day."""
    s = timed("schedule-json/camp2019.json")
    talk = next(x for x in s if x.title == "Achtung, Datenpannen!")
    assert talk.start.isoformat() == "2019-08-22T23:00:00+02:00"
    assert talk.end.isoformat() == "2019-08-23T00:30:00+02:00"
    assert talk.end_explicit


def test_pentabarf_without_dates_or_guids_reads_day_and_start_in_the_venue_zone():
    """FOSDEM writes no <date>, no guid and no zone: each event is its <day date> and <start> in Brussels, known
    by its event id; its recording links are its recording."""
    s = {x.id: x for x in timed("schedule-xml/fosdem-2021.xml")}
    welcome = s["11795"]
    assert welcome.start.isoformat() == "2021-02-06T09:00:00+01:00" and welcome.title == "Welcome to FOSDEM 2021"
    assert welcome.recording_url == "https://video.fosdem.org/2021/K.fosdem/keynotes_welcome.webm"
    assert welcome.abstract.startswith("FOSDEM welcome and opening talk.")  # escaped HTML, read as text


def test_sessionize_breaks_tracks_languages_and_links():
    """Sessionize: the lunch break is in the schedule but is a break; the track is the organisers' category; the
    spoken language comes from the "Language" category; stream and video links come from the answers."""
    s = timed("sessionize/global-azure-bootcamp-linz-2020.json")
    lunch = next(x for x in s if x.title == "Lunch Break")
    assert lunch.service and lunch.start.isoformat() == "2020-04-24T12:00:00+02:00"
    void = next(x for x in s if x.id == "167745")
    assert void.language == "en"
    assert void.stream_url is not None and void.stream_url.startswith("https://teams.microsoft.com/")
    assert void.recording_url == "https://youtu.be/G0wRWWsLL5s"
    tracks = reading("sessionize/global-azure-bootcamp-linz-2020.json").tracks
    assert tracks[void.track].name == "Main Conference"


def test_sessionize_title_with_a_leading_space_and_a_question_for_a_track():
    """Scottish Summit: a title written with a leading space is read without it; the track category is a
    question ("Which track does your session best fit into?"), its answer the track's name."""
    r = reading("sessionize/scottish-summit-2026.json")
    workshop = next(x for x in r.sessions if x.id == "1252943")
    assert workshop.title.startswith("Design and Build a Gamified Onboarding Agent")
    assert r.tracks[workshop.track].name == "Dynamics & Power Platform"
    assert len(workshop.presenters) == 3


def test_moca_reused_uids_lose_no_event():
    """MOCA's feed reuses five UIDs for 88 events: all 88 are kept, each under its own id, and the same feed read
    twice gives the same ids."""
    r = reading("ics/moca2024.ics")
    assert len(r.sessions) == 88 and len({s.id for s in r.sessions}) == 88
    path = IMPORTS / "ics/moca2024.ics"
    again = read_document(path.read_bytes(), str(path), ZoneInfo("Europe/Rome"))
    assert [s.id for s in again.sessions] == [s.id for s in r.sessions]
    assert sum(1 for p in r.problems if p.field == "id") == len(facts()["ics/moca2024.ics"]["facts"]["duplicate_ids"])


def test_ical_speakers_from_attendees_and_description():
    """Kielux names speakers as ATTENDEE;CN; linux.conf.au as a "Speaker:" first line of the description."""
    kielux = reading("ics/kielux2020.ics").sessions
    assert next(x for x in kielux if x.id == "477@KOLT20").presenters == ("Dr. Claus Hartmann",)
    lca = reading("ics/lca2020.ics").sessions
    welcome = next(x for x in lca if x.id == "94@lca2020.linux.org.au")
    assert welcome.presenters == ("Joel Addison",) and welcome.abstract == "Opening Remarks and Housekeeping"


def test_the_same_33c3_moment_as_json_and_ical_agrees():
    """33C3 at 16:02 as schedule.json and as iCal: the same sessions (by guid) at the same times in the same rooms."""
    js = {s.id: s for s in reading("schedule-json/33c3-v3-2016-12-27T1602Z.json").sessions}
    ics = {s.id.removesuffix("@frab.cccv.de"): s for s in reading("ics/33c3-v3-2016-12-27T1602Z.ics").sessions}
    assert js.keys() == ics.keys()
    assert all((js[i].start, js[i].end, js[i].room) == (ics[i].start, ics[i].end, ics[i].room) for i in js)


def test_catalogs_of_real_exports_answer_by_day():
    """A catalog of an import answers by day as a Hugo programme's does: 33C3's days are the congress's four."""
    cat = catalog_of("schedule-json/33c3-v3-2016-12-27T1602Z.json")
    assert [d.isoformat() for d in cat.days] == ["2016-12-27", "2016-12-28", "2016-12-29", "2016-12-30"]
    assert (
        len(cat.on_day(cat.days[0]))
        == facts()["schedule-json/33c3-v3-2016-12-27T1602Z.json"]["facts"]["events_per_day"]["2016-12-27"]
    )
