"""The command layer on the sample programme (Harbour Open Source Summit, 7-8 Aug 2026, Asia/Shanghai).

Every expected value below was read off the files in sessions/ by hand: session starts from their `date`, ends
from the next start in the same room that day capped at the default 40 minutes, track counts by counting files.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.clock import FixedClock
from bot.commands import REGISTRY, Ctx, Reply, User, run_command
from bot.commands.base import (
    AT,
    BOOL,
    CHOICE,
    DAY,
    INT,
    LEAD,
    ROOM,
    SESSION,
    SPEAKER,
    TRACK,
    Entry,
    Option,
    Section,
    UserError,
    convert_option,
)
from bot.commands.complete import complete
from bot.config import Config

SHANGHAI = ZoneInfo("Asia/Shanghai")
FRI_10 = datetime(2026, 8, 7, 10, 0, tzinfo=SHANGHAI)
ATTENDEE = User(id=42, name="attendee")
PROGRAMME_COMMANDS = ("next", "now", "schedule", "talk", "speaker", "tracks", "when", "help")


def at(day: int, hh: int, mm: int) -> datetime:
    """A conference-local moment on 7 (day=7) or 8 (day=8) August 2026."""
    return datetime(2026, 8, day, hh, mm, tzinfo=SHANGHAI)


# The scheduled sessions, by hand from each file's `date` (27 of them; keynote-108 has an empty date and
# ai-broken-date an impossible one, data-broken-yaml and notes-draft are not sessions).
FRIDAY = {
    "keynote-101": (9, 0),
    "keynote-102": (9, 20),
    "keynote-103": (10, 0),
    "keynote-104": (10, 40),
    "ai-201": (13, 30),
    "community-301": (13, 30),
    "data-401": (13, 30),
    "cloudnative-501": (13, 30),
    "ai-202": (14, 10),
    "community-302": (14, 10),
    "data-402": (14, 10),
    "cloudnative-502": (14, 10),
    "ai-203": (14, 50),
    "community-303": (14, 50),
    "data-403": (14, 50),
    "community-304": (15, 10),
}
SATURDAY = {
    "keynote-105": (9, 30),
    "keynote-106": (10, 10),
    "keynote-107": (10, 50),
    "ai-204": (13, 30),
    "cloudnative-503": (13, 30),
    "community-305": (13, 30),
    "data-404": (13, 30),
    "ai-205": (14, 10),
    "cloudnative-504": (14, 10),
    "community-306": (14, 10),
    "data-405": (14, 10),
}


async def ask(
    app: App, name: str, options: dict | None = None, *, now: datetime = FRI_10, lang: str = "en", user: User = ATTENDEE
) -> Reply:
    return await run_command(Ctx(app, user, now, lang), name, options or {})


def ids(reply: Reply) -> list[str | None]:
    return [e.session_id for e in reply.entries()]


def section_ids(reply: Reply) -> list[tuple[str, list[str | None]]]:
    return [(s.heading, [e.session_id for e in s.entries]) for s in reply.sections]


# --------------------------------------------------------------------------------------------------- /next


async def test_next_shows_the_next_two_start_slots(sample_app):
    """At 10:00 on Friday, /next lists the 10:40 panel and the four 13:30 talks, grouped by start time."""
    reply = await ask(sample_app, "next")
    assert not reply.error
    assert reply.title == "Next up"
    assert [s.heading for s in reply.sections] == ["Fri 7 Aug 10:40", "Fri 7 Aug 13:30"]
    assert ids(reply)[:1] == ["keynote-104"]
    assert set(section_ids(reply)[1][1]) == {"ai-201", "community-301", "data-401", "cloudnative-501"}
    panel = reply.sections[0].entries[0]
    assert panel.title == "Who Pays for the Commons? A Panel on Sustaining Maintainers"
    assert (panel.start, panel.end) == (at(7, 10, 40), at(7, 11, 20))
    assert panel.lines == ["Lighthouse Hall · Keynote", "Chen Haiyan, Rafael Quintero, Aiko Tanabe"]
    assert {a.session_id for a in reply.actions} == {
        "keynote-104",
        "ai-201",
        "community-301",
        "data-401",
        "cloudnative-501",
    }


async def test_next_does_not_repeat_the_session_that_just_started(sample_app):
    """/next at exactly 10:00 skips the keynote starting at 10:00: it is already on."""
    reply = await ask(sample_app, "next")
    assert "keynote-103" not in ids(reply)


async def test_next_by_track(sample_app):
    """/next track:community gives the community track's next two talks."""
    reply = await ask(sample_app, "next", {"track": "community"})
    assert section_ids(reply) == [("Fri 7 Aug 13:30", ["community-301"]), ("Fri 7 Aug 14:10", ["community-302"])]


async def test_next_by_room(sample_app):
    """/next room:"Pier 3" gives the next two talks in Pier 3."""
    reply = await ask(sample_app, "next", {"room": "pier 3"})
    assert section_ids(reply) == [("Fri 7 Aug 13:30", ["data-401"]), ("Fri 7 Aug 14:10", ["data-402"])]


async def test_next_from_a_typed_time(sample_app):
    """/next at:"tomorrow 9am" starts from Saturday 09:00 and says so in its title."""
    reply = await ask(sample_app, "next", {"at": "tomorrow 9am"})
    assert reply.title == "Next after Sat 8 Aug 09:00"
    assert section_ids(reply) == [("Sat 8 Aug 09:30", ["keynote-105"]), ("Sat 8 Aug 10:10", ["keynote-106"])]


async def test_next_from_a_typed_time_includes_a_session_starting_then(sample_app):
    """/next at:"day 1 10:00" includes the keynote that starts at exactly 10:00."""
    reply = await ask(sample_app, "next", {"at": "day 1 10:00"})
    assert section_ids(reply) == [("Fri 7 Aug 10:00", ["keynote-103"]), ("Fri 7 Aug 10:40", ["keynote-104"])]


async def test_next_with_track_and_time_together(sample_app):
    """/next track:data at:"day 2 13:00" gives Saturday's two data talks."""
    reply = await ask(sample_app, "next", {"track": "data", "at": "day 2 13:00"})
    assert ids(reply) == ["data-404", "data-405"]


async def test_next_after_the_last_session_says_nothing_is_left(sample_app):
    """After Saturday's last start, /next says nothing more is scheduled and lists no sessions."""
    reply = await ask(sample_app, "next", now=at(8, 14, 11))
    assert not reply.error
    assert reply.sections == []
    assert reply.text == "Nothing more is scheduled after Sat 8 Aug 14:11."
    assert "/schedule" in reply.footer


async def test_next_after_the_last_session_with_a_filter_names_it(sample_app):
    """An empty /next with a track filter names the filter and suggests widening it."""
    reply = await ask(sample_app, "next", {"track": "keynote"}, now=at(8, 11, 0))
    assert reply.sections == []
    assert "Keynote" in reply.text
    assert "track" in reply.footer


async def test_next_before_the_conference_says_when_it_starts(sample_app):
    """A week early, /next says the conference starts Friday and shows its first two sessions."""
    reply = await ask(sample_app, "next", now=datetime(2026, 8, 1, 12, 0, tzinfo=SHANGHAI))
    assert reply.text == "The conference starts Fri 7 Aug."
    assert section_ids(reply) == [("Fri 7 Aug 09:00", ["keynote-101"]), ("Fri 7 Aug 09:20", ["keynote-102"])]


async def test_next_with_the_clock_in_utc(sample_app):
    """A UTC clock (as Discord's) still gives conference-time answers: 06:15Z is 14:15 in Shanghai."""
    reply = await ask(sample_app, "next", now=datetime(2026, 8, 7, 6, 15, tzinfo=UTC))
    assert [s.heading for s in reply.sections] == ["Fri 7 Aug 14:50", "Fri 7 Aug 15:10"]
    assert set(section_ids(reply)[0][1]) == {"ai-203", "community-303", "data-403"}
    assert section_ids(reply)[1][1] == ["community-304"]


# ---------------------------------------------------------------------------------------------------- /now


async def test_now_shows_the_running_session_and_what_follows_in_each_room(sample_app):
    """At 10:00 the foundations keynote is on; next come the panel in Lighthouse Hall and 13:30 in the other rooms."""
    reply = await ask(sample_app, "now")
    assert reply.title == "On now"
    assert reply.text == ""
    assert [s.heading for s in reply.sections] == ["On now", "Up next"]
    assert section_ids(reply)[0][1] == ["keynote-103"]
    following = reply.sections[1].entries
    assert following[0].session_id == "keynote-104"
    assert {e.session_id for e in following[1:]} == {"community-301", "data-401", "cloudnative-501"}
    assert [e.start for e in following] == [at(7, 10, 40)] + [at(7, 13, 30)] * 3
    running = reply.sections[0].entries[0]
    assert (running.start, running.end) == (at(7, 10, 0), at(7, 10, 40))


async def test_now_at_a_changeover_shows_only_the_session_starting(sample_app):
    """At 10:40 the keynote that ends then is not shown as running; the panel starting then is."""
    reply = await ask(sample_app, "now", now=at(7, 10, 40))
    assert section_ids(reply)[0] == ("On now", ["keynote-104"])
    assert set(section_ids(reply)[1][1]) == {"ai-201", "community-301", "data-401", "cloudnative-501"}


async def test_now_in_a_break_says_nothing_is_on(sample_app):
    """In the lunch break /now says nothing is on and lists the 13:30 talks in each room."""
    reply = await ask(sample_app, "now", now=at(7, 11, 30))
    assert reply.text == "Nothing is on right now (Fri 7 Aug 11:30)."
    assert [s.heading for s in reply.sections] == ["Up next"]
    assert {e.session_id for e in reply.sections[0].entries} == {
        "ai-201",
        "community-301",
        "data-401",
        "cloudnative-501",
    }


async def test_now_by_track(sample_app):
    """/now track:community at 10:00: nothing of the track is on; its first talk follows."""
    reply = await ask(sample_app, "now", {"track": "community"})
    assert reply.text == "Nothing is on right now (Fri 7 Aug 10:00)."
    assert section_ids(reply) == [("Up next", ["community-301"])]


async def test_now_after_the_days_last_talk_points_to_tomorrow(sample_app):
    """On Friday evening /now says nothing is on and shows Saturday's first sessions."""
    reply = await ask(sample_app, "now", now=at(7, 18, 0))
    assert reply.title == "On now"
    assert reply.text.startswith("Nothing is on right now (Fri 7 Aug 18:00).")
    assert ids(reply) == ["keynote-105", "keynote-106"]


# ----------------------------------------------------------------------------------------------- /schedule


async def test_schedule_lists_every_session_by_day_in_time_order(sample_app):
    """/schedule lists Friday's 16 and Saturday's 11 sessions under a heading per day, in time order."""
    reply = await ask(sample_app, "schedule")
    assert not reply.error
    assert reply.title == "Programme"
    assert [s.heading for s in reply.sections] == ["Day 1 · Fri 7 Aug", "Day 2 · Sat 8 Aug"]
    for section, day, expected in ((reply.sections[0], 7, FRIDAY), (reply.sections[1], 8, SATURDAY)):
        got = {e.session_id: e.start for e in section.entries}
        assert len(section.entries) == len(expected)
        assert got == {sid: at(day, hh, mm) for sid, (hh, mm) in expected.items()}
        starts = [e.start for e in section.entries]
        assert starts == sorted(starts)
    assert reply.footer == "2 more sessions have no time yet; /talk finds them."


async def test_schedule_by_day_and_track(sample_app):
    """/schedule day:"day 2" track:community gives Saturday's two community sessions."""
    reply = await ask(sample_app, "schedule", {"day": "day 2", "track": "community"})
    assert reply.title == "Programme · track Community, Day 2 · Sat 8 Aug"
    assert section_ids(reply) == [("Day 2 · Sat 8 Aug", ["community-305", "community-306"])]
    assert reply.footer == ""  # the unscheduled note is only for the whole programme


async def test_schedule_track_by_display_name_and_chinese_name(sample_app):
    """A track can be named by key, display name or Chinese name: all give the same four cloud native talks."""
    expected = ["cloudnative-501", "cloudnative-502", "cloudnative-503", "cloudnative-504"]
    for name in ("cloudnative", "Cloud Native", "云原生"):
        assert ids(await ask(sample_app, "schedule", {"track": name})) == expected, name


async def test_schedule_track_as_written_in_odd_case(sample_app):
    """Files that spell the track "Community " or "COMMUNITY" still count as community."""
    reply = await ask(sample_app, "schedule", {"track": "community"})
    assert ids(reply) == [
        "community-301",
        "community-302",
        "community-303",
        "community-304",
        "community-305",
        "community-306",
    ]


async def test_schedule_by_room_and_day(sample_app):
    """/schedule room:"Pier 3" day:2026-08-07 gives Friday's three talks in Pier 3."""
    reply = await ask(sample_app, "schedule", {"room": "Pier 3", "day": "2026-08-07"})
    assert ids(reply) == ["data-401", "data-402", "data-403"]


async def test_schedule_day_tomorrow_with_a_utc_clock(sample_app):
    """ "tomorrow" means tomorrow in conference time, even when the clock reads the previous day in UTC."""
    reply = await ask(
        sample_app, "schedule", {"day": "tomorrow", "track": "data"}, now=datetime(2026, 8, 6, 17, 0, tzinfo=UTC)
    )  # Fri 01:00 in Shanghai
    assert ids(reply) == ["data-404", "data-405"]


async def test_schedule_unknown_track_suggests_the_closest(sample_app):
    """A misspelt track is refused with the closest real one suggested."""
    reply = await ask(sample_app, "schedule", {"track": "comunity"})
    assert reply.error
    assert reply.text == "There is no track “comunity”."
    assert reply.footer == "Did you mean: Community?"


async def test_schedule_empty_filter_says_so(sample_app):
    """A filter that matches nothing says so and suggests widening it, rather than showing a blank list."""
    reply = await ask(sample_app, "schedule", {"track": "ai", "room": "Pier 2"})
    assert not reply.error
    assert reply.sections == []
    assert reply.text == "No sessions match track ai, room Pier 2."
    assert reply.footer.startswith("Try /schedule without")


async def test_schedule_day_outside_the_conference_is_refused_with_its_days(sample_app):
    """A day the conference does not cover is refused, and the reply names the conference's two days."""
    reply = await ask(sample_app, "schedule", {"day": "2026-08-09"})
    assert reply.error
    assert reply.text == "The conference has no sessions on Sun 9 Aug."
    assert reply.footer == "Its days: Day 1 · Fri 7 Aug, Day 2 · Sat 8 Aug"


async def test_schedule_conference_day_out_of_range_is_refused(sample_app):
    """ "day 3" of a two-day conference is refused, naming the option and the valid days."""
    reply = await ask(sample_app, "schedule", {"day": "day 3"})
    assert reply.error
    assert reply.text.startswith("day:")
    assert "day 1" in reply.text and "day 2" in reply.text


# --------------------------------------------------------------------------------------------------- /talk


async def test_talk_title_word_gives_the_session_in_full(sample_app):
    """/talk rootless shows that session in full: time, room, track, speaker, language, abstract, a Star button."""
    reply = await ask(sample_app, "talk", {"query": "rootless"})
    assert reply.title == "Rootless Containers in the Classroom"
    (entry,) = reply.entries()
    assert entry.session_id == "cloudnative-503"
    assert (entry.start, entry.end) == (at(8, 13, 30), at(8, 14, 10))
    assert entry.lines == ["Sail Loft · Cloud Native", "Zheng Wei", "Language: Chinese"]
    assert entry.body.startswith("A university lab gives two hundred students a shared Linux server")
    assert "<" not in entry.body and "Speakers" not in entry.body
    assert [(a.kind, a.session_id) for a in reply.actions] == [("star", "cloudnative-503")]


async def test_talk_shows_the_recording_link(sample_app):
    """A session with a speechLink shows it."""
    reply = await ask(sample_app, "talk", {"query": "Twenty Years of Patches"})
    assert "Link: https://video.example.org/harbour-2026/keynote-102" in reply.entries()[0].lines


async def test_talk_chinese_query_finds_the_translated_session(sample_app):
    """/talk 告警 finds the alerting talk through its Chinese translation."""
    reply = await ask(sample_app, "talk", {"query": "告警"})
    assert [e.session_id for e in reply.entries()] == ["cloudnative-502"]
    assert reply.title == "Quiet Clusters: Cutting the Noise in Alerting"


async def test_talk_chinese_only_session_is_found(sample_app):
    """A session that exists only in Chinese is found by its Chinese title."""
    reply = await ask(sample_app, "talk", {"query": "服务网格"})
    assert ids(reply) == ["cloudnative-504"]
    assert reply.title == "服务网格瘦身记：从三百个边车到三十个"


@pytest.mark.parametrize(
    "query, sid",
    [("Kubernets operators", "cloudnative-501"), ("Compction", "data-404"), ("lakehous housekeeping", "data-404")],
)
async def test_talk_typo_still_finds_the_session(sample_app, query, sid):
    """A misspelt word still finds the one session meant."""
    reply = await ask(sample_app, "talk", {"query": query})
    assert ids(reply) == [sid]


async def test_talk_several_hits_give_a_ranked_list(sample_app):
    """/talk harbour lists the two sessions with Harbour in the title before the one that mentions it inside."""
    reply = await ask(sample_app, "talk", {"query": "harbour"})
    assert reply.title == "Sessions matching “harbour”"
    got = ids(reply)
    assert set(got) == {"keynote-101", "data-402", "keynote-106"}
    assert got[2] == "keynote-106"
    assert reply.footer  # tells how to pick one
    assert {a.session_id for a in reply.actions} == set(got)


async def test_talk_two_equal_hits_list_both(sample_app):
    """/talk lightning lists both lightning talks, neither shown alone."""
    reply = await ask(sample_app, "talk", {"query": "lightning"})
    assert sorted(ids(reply)) == ["community-303", "community-304"]
    assert all(e.body == "" for e in reply.entries())


async def test_talk_no_hit_says_so_with_a_hint(sample_app):
    """A query matching nothing says so and suggests what to try."""
    reply = await ask(sample_app, "talk", {"query": "zzqxv"})
    assert reply.title == "No session matches “zzqxv”."
    assert reply.text == "Try fewer or other words, a speaker's name, or /tracks."
    assert reply.entries() == []


async def test_talk_finds_an_unscheduled_session_without_a_star_button(sample_app):
    """The closing keynote, with no date yet, is found and shown as time not announced, with nothing to star."""
    reply = await ask(sample_app, "talk", {"query": "Closing Keynote"})
    (entry,) = reply.entries()
    assert entry.session_id == "keynote-108"
    assert entry.start is None
    assert reply.actions == []


async def test_talk_autocomplete_pick_arrives_as_an_id(sample_app):
    """Picking a session from autocomplete sends its id, which shows that session."""
    reply = await ask(sample_app, "talk", {"query": "keynote-106"})
    assert reply.title == "Licences, Lawyers and Lighthouses"


# ------------------------------------------------------------------------------------------------ /speaker


@pytest.mark.parametrize("name", ["Priya Raman", "Raman Priya", "priya raman", "  RAMAN   priya "])
async def test_speaker_name_in_either_order(sample_app, name):
    """A speaker is found by first-last or last-first name, in any case and spacing."""
    reply = await ask(sample_app, "speaker", {"name": name})
    assert reply.title == "Sessions by Priya Raman"
    assert ids(reply) == ["ai-201"]


async def test_speaker_by_chinese_name(sample_app):
    """A speaker named in Chinese in the translation (徐岚婷) is found."""
    reply = await ask(sample_app, "speaker", {"name": "徐岚婷"})
    assert ids(reply) == ["cloudnative-502"]


async def test_speaker_co_presenter_is_found(sample_app):
    """The second name in a presenters list is a speaker too."""
    reply = await ask(sample_app, "speaker", {"name": "Kateryna Bondar"})
    assert ids(reply) == ["data-401"]


async def test_speaker_unknown_suggests_the_closest(sample_app):
    """An unknown name is refused with the closest real speaker suggested."""
    reply = await ask(sample_app, "speaker", {"name": "Hannah Brokes Smith"})
    assert reply.error
    assert reply.text == "No speaker called “Hannah Brokes Smith”."
    assert reply.footer == "Did you mean: Hannah Brooks?"


async def test_speaker_nobody_like_it(sample_app):
    """A name like no speaker's is refused with advice."""
    reply = await ask(sample_app, "speaker", {"name": "Xyzzy Plugh"})
    assert reply.error and reply.footer


async def test_speaker_misspelt_name_is_titled_with_the_real_name(sample_app):
    """A slightly misspelt name finds the speaker and the reply spells the name as the programme does."""
    reply = await ask(sample_app, "speaker", {"name": "Hannah Brookes"})
    assert ids(reply) == ["data-405"]
    assert reply.title == "Sessions by Hannah Brooks"


# ------------------------------------------------------------------------------------------------- /tracks


async def test_tracks_names_and_counts(sample_app):
    """/tracks lists the five tracks, most sessions first, with counts from the files and the track chairs."""
    reply = await ask(sample_app, "tracks")
    assert reply.title == "Tracks"
    got = [(e.title, e.lines) for e in reply.entries()]
    # keynote 101-108 = 8; ai 201-205 + ai-broken-date = 6; community 301-306 = 6; data 401-405 = 5
    # (data-broken-yaml is not a session); cloudnative 501-504 = 4 (504 exists only in Chinese).
    assert got == [
        ("Keynote (主题演讲)", ["`keynote` · 8 sessions", "Chairs: Maren Osei, 林晓舟"]),
        ("ai", ["`ai` · 6 sessions"]),
        ("Community (开源社区)", ["`community` · 6 sessions", "Chairs: Ines Carvalho"]),
        ("Data Engineering", ["`data` · 5 sessions", "Chairs: Fatima Al-Sayed, Li Wenbo"]),
        ("Cloud Native (云原生)", ["`cloudnative` · 4 sessions", "Chairs: Duncan McRae, Xu Lanting"]),
    ]


# --------------------------------------------------------------------------------------------------- /when


async def test_when_resolves_a_typed_time_in_conference_time_and_utc(sample_app):
    """/when "tomorrow 3pm" on Friday is Saturday 15:00 in Shanghai, 07:00 UTC."""
    reply = await ask(sample_app, "when", {"text": "tomorrow 3pm"})
    assert reply.title == "“tomorrow 3pm” means"
    (entry,) = reply.entries()
    assert entry.start == at(8, 15, 0)
    assert entry.start.utcoffset() == timedelta(hours=8)
    assert entry.lines == ["ISO 8601: 2026-08-08T15:00+08:00", "UTC: 2026-08-08T07:00+00:00"]
    assert "Asia/Shanghai" in entry.title


async def test_when_relative_time_from_a_utc_clock(sample_app):
    """ "in 2 hours" counts from now whatever zone the clock reads in."""
    reply = await ask(sample_app, "when", {"text": "in 2 hours"}, now=datetime(2026, 8, 7, 2, 0, tzinfo=UTC))
    assert reply.entries()[0].lines == ["ISO 8601: 2026-08-07T12:00+08:00", "UTC: 2026-08-07T04:00+00:00"]


async def test_when_chinese_time(sample_app):
    """/when 明天下午3点 is the same moment as tomorrow 3pm."""
    reply = await ask(sample_app, "when", {"text": "明天下午3点"}, lang="zh")
    assert reply.entries()[0].start == at(8, 15, 0)
    assert reply.title == "“明天下午3点” 的意思是"


async def test_when_unreadable_time_is_refused_naming_the_option(sample_app):
    """A time the bot cannot read gives an error naming the option, not a crash."""
    reply = await ask(sample_app, "when", {"text": "blorp"})
    assert reply.error
    assert reply.text.startswith("text:")
    assert "blorp" in reply.text


# --------------------------------------------------------------------------------------------------- /help


async def test_help_lists_the_commands_with_their_options(sample_app):
    """/help lists every command an attendee may use, with its options, and hides the organizers' ones."""
    reply = await ask(sample_app, "help")
    titles = [e.title for e in reply.entries()]
    for name in PROGRAMME_COMMANDS:
        assert any(t == f"/{name}" or t.startswith(f"/{name} ") for t in titles), name
    assert "/talk query:…" in titles
    assert "/next [track] [room] [at]" in titles
    organizer_only = [n for n, c in REGISTRY.items() if c.organizer_only]
    for name in organizer_only:
        assert not any(t.split()[0] == f"/{name}" for t in titles), name
    if organizer_only:
        admin_titles = [
            e.title.split()[0] for e in (await ask(sample_app, "help", user=User(1, is_organizer=True))).entries()
        ]
        assert all(f"/{n}" in admin_titles for n in organizer_only)


# ------------------------------------------------------------------------------------------------- Chinese


async def test_chinese_next_uses_chinese_titles_rooms_and_track_names(sample_app):
    """In Chinese, /next shows translated titles, rooms and track names, and Chinese dates."""
    reply = await ask(sample_app, "next", lang="zh")
    assert reply.title == "接下来"
    assert [s.heading for s in reply.sections] == ["8月7日 周五 10:40", "8月7日 周五 13:30"]
    panel = reply.sections[0].entries[0]
    assert panel.title == "谁为公地买单？关于维护者可持续性的圆桌"
    assert panel.lines == ["灯塔厅 · 主题演讲", "陈海燕, Rafael Quintero, 田边爱子"]
    by_id = {e.session_id: e for e in reply.sections[1].entries}
    assert by_id["data-401"].title == "潮汐与时间戳：流处理中的迟到数据"
    assert by_id["data-401"].lines[0] == "三号码头 · Data Engineering"  # the data track has no Chinese name
    assert by_id["community-301"].title == "Your First Pull Request Is a Conversation"  # no translation
    assert (
        by_id["community-301"].lines[0] == "二号码头 · 开源社区"
    )  # no translation, but sessions/rooms.yaml names the room in Chinese


async def test_chinese_now_schedule_tracks_talk_labels(sample_app):
    """In Chinese, the titles and labels of /now, /schedule, /tracks and /talk are Chinese."""
    now = await ask(sample_app, "now", lang="zh")
    assert now.title == "正在进行"
    assert [s.heading for s in now.sections] == ["正在进行", "随后"]
    sched = await ask(sample_app, "schedule", lang="zh")
    assert sched.title == "议程"
    assert [s.heading for s in sched.sections] == ["第1天 · 8月7日 周五", "第2天 · 8月8日 周六"]
    assert sched.footer == "另有 2 场议程时间待定，可用 /talk 查找。"
    tracks = await ask(sample_app, "tracks", lang="zh")
    assert tracks.title == "分论坛"
    assert tracks.entries()[0].title == "主题演讲 (Keynote)"
    assert tracks.entries()[0].lines == ["`keynote` · 8 场", "出品人：Maren Osei, 林晓舟"]
    talk = await ask(sample_app, "talk", {"query": "alerting"}, lang="zh")
    assert talk.title == "安静的集群：减少告警噪音"
    assert talk.entries()[0].lines == ["风帆阁 · 云原生", "徐岚婷", "语言: 中文"]
    assert talk.entries()[0].body.startswith("一个值班团队每月收到四千条告警")
    help_ = await ask(sample_app, "help", lang="zh")
    assert help_.title == "命令"


async def test_chinese_errors_use_chinese_where_translated(sample_app):
    """An unknown track in Chinese is refused in Chinese, with a Chinese suggestion."""
    reply = await ask(sample_app, "schedule", {"track": "社区"}, lang="zh")
    assert reply.error
    assert reply.text == "没有名为“社区”的分论坛。"
    assert reply.footer == "你是不是要找：开源社区？"
    nothing = await ask(sample_app, "talk", {"query": "zzqxv"}, lang="zh")
    assert nothing.title == "没有找到与“zzqxv”相关的议程。"


async def test_chinese_schedule_filter_title_is_chinese(sample_app):
    """In Chinese, a filtered /schedule title names the filters in Chinese (分论坛, 会议室, 灯塔厅)."""
    by_track = await ask(sample_app, "schedule", {"track": "开源社区", "day": "第2天"}, lang="zh")
    assert by_track.title.startswith("议程 · ")
    assert "开源社区" in by_track.title and "第2天" in by_track.title
    assert "track" not in by_track.title
    by_room = await ask(sample_app, "schedule", {"room": "灯塔厅", "day": "第2天"}, lang="zh")
    assert "灯塔厅" in by_room.title
    assert "room" not in by_room.title and "Lighthouse" not in by_room.title


# ------------------------------------------------------------------------------------------ errors, options


async def test_unknown_command_names_the_commands(sample_app):
    """An unknown command is refused with the list of real ones."""
    reply = await ask(sample_app, "nope")
    assert reply.error
    assert reply.text == "There is no command /nope."
    for name in PROGRAMME_COMMANDS:
        assert f"/{name}" in reply.footer


async def test_unknown_option_names_the_options(sample_app):
    """An option the command does not have is refused with the options it does have."""
    reply = await ask(sample_app, "next", {"bogus": "1"})
    assert reply.error
    assert reply.text == "/next has no option “bogus”."
    assert reply.footer == "Its options: track, room, at"


@pytest.mark.parametrize("name, option", [("talk", "query"), ("speaker", "name"), ("when", "text")])
async def test_missing_required_option_names_it(sample_app, name, option):
    """A command missing its required option says which option it needs."""
    for options in ({}, {option: "   "}):
        reply = await ask(sample_app, name, options)
        assert reply.error
        assert reply.text.startswith(f"This command needs {option}:")


async def test_organizer_commands_are_refused_to_attendees(sample_app):
    """An attendee using an organizers' command is told it is for organizers, and nothing else happens."""
    organizer_only = sorted(n for n, c in REGISTRY.items() if c.organizer_only)
    if not organizer_only:
        pytest.skip("no organizer commands registered")
    reply = await ask(sample_app, organizer_only[0])
    assert reply.error
    assert reply.text == f"/{organizer_only[0]} is for organizers only."
    assert sample_app.services.storage is None  # refused before the database is touched


async def test_option_conversions(sample_app):
    """Yes/no, whole numbers and choices are read forgivingly and refused clearly."""
    ctx = Ctx(sample_app, ATTENDEE, FRI_10)
    flag = Option("export", "Export", BOOL)
    assert [convert_option(ctx, flag, v) for v in ("yes", "Y", "是", "off", False)] == [True, True, True, False, False]
    with pytest.raises(UserError, match="export: expected yes or no"):
        convert_option(ctx, flag, "maybe")
    number = Option("minutes", "Minutes", INT, min_value=1, max_value=120)
    assert convert_option(ctx, number, "15") == 15
    with pytest.raises(UserError, match="from 1 to 120"):
        convert_option(ctx, number, "500")
    with pytest.raises(UserError, match="whole number"):
        convert_option(ctx, number, "ten")
    choice = Option("delivery", "How", CHOICE, choices=("dm", "channel"))
    assert convert_option(ctx, choice, "DM") == "dm"
    with pytest.raises(UserError, match="dm, channel"):
        convert_option(ctx, choice, "email")
    assert convert_option(ctx, Option("room", "Room", ROOM), "二号码头") == "Pier 2"


# ---------------------------------------------------------------------------------------------- pagination

DISCORD_TITLE = 256
DISCORD_DESCRIPTION = 4096
DISCORD_FIELD_NAME = 256
DISCORD_FOOTER = 2048
DISCORD_EMBED_TOTAL = 6000


def description_size(page: Reply) -> int:
    """A generous estimate of the page as an embed description: text, headings, and per entry its time
    (up to ~30 characters with markup), title, lines, abstract and separators."""
    size = len(page.text)
    for section in page.sections:
        size += len(section.heading) + 8
        for e in section.entries:
            size += 40 + len(e.title) + sum(len(line) + 5 for line in e.lines) + len(e.body) + 4
    return size


def assert_fits_discord(pages: list[Reply]) -> None:
    for page in pages:
        assert sum(len(s.entries) for s in page.sections) <= 8
        assert len(page.title) + 20 <= DISCORD_TITLE  # room for "(page i of n)"
        assert description_size(page) < DISCORD_DESCRIPTION
        assert len(page.footer) <= DISCORD_FOOTER
        assert len(page.title) + description_size(page) + len(page.footer) < DISCORD_EMBED_TOTAL
        for e in page.entries():
            assert len(e.title) <= DISCORD_FIELD_NAME


async def test_whole_schedule_splits_into_pages_of_at_most_eight(sample_app):
    """The 27-session programme comes in four pages of at most eight, each with its day heading, none lost."""
    reply = await ask(sample_app, "schedule")
    pages = reply.paginate()
    assert len(pages) == 4  # ceil(27 / 8)
    assert_fits_discord(pages)
    assert [p.page for p in pages] == [1, 2, 3, 4] and {p.pages_total for p in pages} == {4}
    assert [e.session_id for p in pages for e in p.entries()] == ids(reply)
    for p in pages:
        assert all(s.heading in ("Day 1 · Fri 7 Aug", "Day 2 · Sat 8 Aug") for s in p.sections)
        assert all(s.dated for s in p.sections)


def _long_reply(n_sections: int = 3, per_section: int = 13) -> Reply:
    words = "harbour lighthouse pier quay tide ferry crane manifest "
    sections = []
    for k in range(n_sections):
        entries = [
            Entry(
                title=f"Session {k}-{i} " + "x" * 150,
                start=at(7, 9, 0),
                end=at(7, 9, 40),
                lines=["Lighthouse Hall · Keynote " + "y" * 60, "Speaker " * 10],
                body=(words * 40)[:1500],
                session_id=f"s{k}-{i}",
            )
            for i in range(per_section)
        ]
        sections.append(Section(f"Day {k + 1}", entries, dated=True))
    return Reply(title="Programme", text="Intro " * 50, sections=sections, footer="footer " * 20)


def test_long_entries_split_into_pages_within_discord_limits():
    """A reply of 39 long entries is split so that every page fits a Discord embed, in order, nothing lost."""
    reply = _long_reply()
    pages = reply.paginate()
    assert len(pages) > 39 // 8
    assert_fits_discord(pages)
    assert [e.session_id for p in pages for e in p.entries()] == [e.session_id for e in reply.entries()]
    assert pages[0].text == reply.text and all(p.text == "" for p in pages[1:])
    for p in pages:  # a section continued on a page repeats its heading there
        for s in p.sections:
            k = int(s.heading.split()[1]) - 1
            assert s.entries and all(e.session_id.startswith(f"s{k}-") for e in s.entries)
            assert s.dated
    assert [p.page for p in pages] == list(range(1, len(pages) + 1))


def test_short_reply_is_one_page():
    """A reply of a few entries stays one page, unchanged."""
    reply = Reply(title="T", sections=[Section("h", [Entry(title="a"), Entry(title="b")])])
    (page,) = reply.paginate()
    assert (page.page, page.pages_total) == (1, 1)
    assert [e.title for e in page.entries()] == ["a", "b"]


async def test_long_query_title_fits_discord(sample_app):
    """A very long /talk query still gives a reply whose title fits Discord's 256 characters."""
    reply = await ask(sample_app, "talk", {"query": "zq" * 150})
    assert all(len(p.title) <= DISCORD_TITLE for p in reply.paginate())


# -------------------------------------------------------------------------------------------- autocomplete

KINDS = (SESSION, TRACK, ROOM, SPEAKER, DAY, AT, LEAD)


def fits(choices: list[tuple[str, str]]) -> bool:
    return (
        len(choices) <= 25
        and all(isinstance(lbl, str) and 1 <= len(lbl) <= 100 for lbl, _ in choices)
        and all(isinstance(v, str) and 1 <= len(v) <= 100 for _, v in choices)
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("text", ["", "a", "pier", "明天", "day", "1", "x" * 300, "Ｋｕｂ"])
async def test_autocomplete_fits_discord_for_every_kind(sample_app, kind, text):
    """Every autocomplete answers with at most 25 choices, labels and values within 100 characters."""
    for lang in ("en", "zh"):
        assert fits(complete(Ctx(sample_app, ATTENDEE, FRI_10, lang), kind, text))


async def test_autocomplete_empty_session_shows_whats_on_next(sample_app):
    """With nothing typed, session autocomplete offers what starts from now, soonest first."""
    choices = complete(Ctx(sample_app, ATTENDEE, FRI_10), SESSION, "")
    assert len(choices) == 25  # 14 start at or after 10:00 on Friday, 11 on Saturday
    assert choices[0] == ("Fri 10:00 · The Next Ten Years of Open Source Foundations in Asia", "keynote-103")
    assert choices[1][1] == "keynote-104"


@pytest.mark.parametrize(
    "kind, text, first",
    [
        (SESSION, "kub", "cloudnative-501"),
        (SESSION, "告警", "cloudnative-502"),
        (SESSION, "lakehouse", "data-404"),
        (TRACK, "comm", "community"),
        (TRACK, "云", "cloudnative"),
        (TRACK, "comunity", "community"),
        (ROOM, "pier 3", "Pier 3"),
        (SPEAKER, "pri", "Priya Raman"),
        (SPEAKER, "raman", "Priya Raman"),
        (DAY, "sat", "2026-08-08"),
        (DAY, "day 1", "2026-08-07"),
        (AT, "tomorrow 9am", "tomorrow 9am"),
        (LEAD, "15", "15"),
    ],
)
async def test_autocomplete_best_first(sample_app, kind, text, first):
    """What the user most likely means comes first."""
    choices = complete(Ctx(sample_app, ATTENDEE, FRI_10), kind, text)
    assert choices and choices[0][1] == first


async def test_autocomplete_time_shows_what_it_means(sample_app):
    """Typing a time offers it with its meaning in conference time."""
    choices = complete(Ctx(sample_app, ATTENDEE, FRI_10), AT, "tomorrow 9am")
    assert choices[0][0] == "tomorrow 9am → Sat 8 Aug 09:00"
    lead = complete(Ctx(sample_app, ATTENDEE, FRI_10), LEAD, "1 hour")
    assert lead[0][0] == "1 hour → 60 min"


async def test_autocomplete_days_list_both_days(sample_app):
    """With nothing typed, the day option offers the conference's two days in order."""
    assert complete(Ctx(sample_app, ATTENDEE, FRI_10), DAY, "") == [
        ("Day 1 · Fri 7 Aug", "2026-08-07"),
        ("Day 2 · Sat 8 Aug", "2026-08-08"),
    ]


async def test_autocomplete_day_number_ranks_that_day_first(sample_app):
    """Typing "2" in the day option puts day 2 first."""
    choices = complete(Ctx(sample_app, ATTENDEE, FRI_10), DAY, "2")
    assert choices[0][1] == "2026-08-08"


async def test_autocomplete_chinese_labels(sample_app):
    """In Chinese, track choices are labelled with the Chinese name."""
    choices = complete(Ctx(sample_app, ATTENDEE, FRI_10, "zh"), TRACK, "开源")
    assert choices[0] == ("开源社区", "community")


@pytest.fixture
async def long_names_app(tmp_path):
    """A programme whose title, speaker, room and track name are each far longer than 100 characters."""
    sessions = tmp_path / "sessions"
    (sessions / "tracks").mkdir(parents=True)
    title = "Harbour " + "very " * 40 + "long title"
    speaker = "Speaker " + "Longname" * 15
    room = "Room " + "Wing" * 30
    (sessions / "long-1.md").write_text(
        f'---\ntitle: "{title}"\ndate: "2026-08-07T10:00:00"\ntrack: "marathon"\npresenters: "{speaker}"\n'
        f'room: "{room}"\n---\nAbstract.\n',
        encoding="utf-8",
    )
    (sessions / "tracks" / "marathon.md").write_text(f'---\ntitle: "Marathon {"Track " * 30}"\n---\n', encoding="utf-8")
    cfg = Config(sessions_dir=sessions, database=tmp_path / "db.sqlite")
    app = App(cfg, FixedClock(FRI_10))
    assert app.catalog.by_id["long-1"].title == title
    yield app
    await app.close()


@pytest.mark.parametrize("kind, text", [(SESSION, ""), (SESSION, "harbour"), (TRACK, ""), (TRACK, "mara")])
async def test_autocomplete_clips_long_labels(long_names_app, kind, text):
    """Over-long titles and track names are clipped to 100 characters in autocomplete."""
    choices = complete(Ctx(long_names_app, ATTENDEE, FRI_10), kind, text)
    assert choices and fits(choices)


@pytest.mark.parametrize("kind, text", [(SPEAKER, ""), (SPEAKER, "speaker"), (ROOM, ""), (ROOM, "room")])
async def test_autocomplete_long_speaker_and_room_values_fit(long_names_app, kind, text):
    """Over-long speaker and room names still give choices whose values fit Discord's 100 characters."""
    choices = complete(Ctx(long_names_app, ATTENDEE, FRI_10), kind, text)
    assert choices and fits(choices)


async def test_starring_from_a_chinese_client_makes_reminders_chinese(sample_app, clock):
    """A user whose Discord speaks Chinese stars a talk: their reminders will be in Chinese, unless they chose otherwise."""
    from bot.commands import Ctx, User, run_command

    await sample_app.services.open_storage()
    zh_user = User(id=77, name="陈", locale="zh-CN")
    await run_command(Ctx(sample_app, zh_user, clock.now(), "zh"), "star", {"session": "community-301"})
    assert (await sample_app.services.storage.get_settings(77)).language == "zh"
    en_user = User(id=78, name="Ann", locale="en-US")
    await sample_app.services.storage.update_settings(78, language="zh")  # chosen with /remind: a star does not undo it
    await run_command(Ctx(sample_app, en_user, clock.now(), "en"), "star", {"session": "community-301"})
    assert (await sample_app.services.storage.get_settings(78)).language == "zh"


async def test_talk_opens_the_only_title_with_every_word_but_lists_a_shared_word(sample_app, clock):
    """ "late data" names one title and opens it in full; "data" alone, in several titles, gives a list."""
    from bot.commands import Ctx, User, run_command

    ctx = lambda: Ctx(sample_app, User(id=5), clock.now(), "en")  # noqa: E731
    one = await run_command(ctx(), "talk", {"query": "late data"})
    assert one.title == "Tides and Timestamps: Handling Late Data in Stream Processing"
    assert one.entries()[0].body  # the abstract: the session in full
    many = await run_command(ctx(), "talk", {"query": "data"})
    assert many.title == "Sessions matching “data”" and len(many.entries()) > 1
