"""The programme commands on the sample programme (Harbour Open Source Summit, 7-8 Aug 2026, Asia/Shanghai):
/next, /now, /schedule, /talk, /speaker, /tracks, /when, /help, in English and Chinese.

Every expected value below was read off the files in sessions/ by hand (see tests/commands/helpers.py).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import App
from bot.commands import REGISTRY, Ctx, User, run_command
from bot.config import Config
from tests.commands.helpers import (
    FRIDAY,
    PROGRAMME_COMMANDS,
    SATURDAY,
    SHANGHAI,
    ask,
    at,
    ids,
    section_ids,
)

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


async def test_chinese_sentences_are_joined_without_a_space(sample_app):
    """In Chinese, "nothing is on" and "nothing more today" read as one text, with no space after the 。."""
    reply = await ask(sample_app, "now", now=at(8, 23, 0), lang="zh")
    assert "。 " not in reply.text and reply.text.count("。") == 2, reply.text
    english = await ask(sample_app, "now", now=at(8, 23, 0))
    assert ". Nothing more" in english.text, english.text


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
        starts = [e.start for e in section.entries if e.start is not None]  # every one, by the line above
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
    assert sorted(ids(reply), key=str) == ["community-303", "community-304"]
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


async def test_talk_past_its_list_limit_says_how_many_match_and_that_it_lists_the_best(tmp_path, clock):
    """A track of 320 sessions, named: /talk lists the first 300, says all 320 match and that it lists the best
    300; a word all of them hold says the same."""
    from bot.commands.programme import MAX_TALK

    folder = tmp_path / "sessions"
    (folder / "tracks").mkdir(parents=True)
    (folder / "tracks" / "marathon.md").write_text('---\ntitle: "Marathon"\n---\n', encoding="utf-8")
    for i in range(320):
        (folder / f"m-{i:03d}.md").write_text(
            f'---\ntitle: "Run {i}"\ndate: "2026-08-07T{9 + i // 60:02d}:{i % 60:02d}:00"\ntrack: "marathon"\n'
            f'presenters: "Runner {i}"\n---\nA long run.\n',
            encoding="utf-8",
        )
    app = App(Config(sessions_dir=folder, database=tmp_path / "db.sqlite"), clock)
    try:
        for query in ("Marathon", "run"):
            reply = await ask(app, "talk", {"query": query}, now=clock.now())
            assert len(reply.entries()) == MAX_TALK == 300, query
            assert reply.text == "320 sessions match. Listing the best 300: add a word to narrow it.", query
            assert ids(reply)[:2] == ["m-000", "m-001"], query
    finally:
        await app.close()


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
    assert panel.lines == ["灯塔厅 · 主题演讲", "陈海燕、Rafael Quintero、田边爱子"]
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
    assert tracks.entries()[0].lines == ["`keynote` · 8 场", "出品人：Maren Osei、林晓舟"]
    talk = await ask(sample_app, "talk", {"query": "alerting"}, lang="zh")
    assert talk.title == "安静的集群：减少告警噪音"
    assert talk.entries()[0].lines == ["风帆阁 · 云原生", "徐岚婷", "语言：中文"]
    assert talk.entries()[0].body.startswith("一个值班团队每月收到四千条告警")
    help_ = await ask(sample_app, "help", lang="zh")
    assert help_.title == "命令"


async def test_chinese_errors_use_chinese_where_translated(sample_app):
    """An unknown track in Chinese is refused in Chinese, with a Chinese suggestion."""
    reply = await ask(sample_app, "schedule", {"track": "开源社群"}, lang="zh")
    assert reply.error
    assert reply.text == "没有名为“开源社群”的分论坛。"
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


async def test_talk_opens_a_whole_title_but_lists_words_several_sessions_hold(sample_app, clock):
    """The whole title opens that session in full; "late data", in one title but also in another session's
    abstract, lists both, the title first; "data" alone, in several titles, gives a list."""
    from bot.commands import User

    ctx = lambda: Ctx(sample_app, User(id=5), clock.now(), "en")  # noqa: E731
    one = await run_command(ctx(), "talk", {"query": "tides and timestamps: handling late data in stream processing"})
    assert one.title == "Tides and Timestamps: Handling Late Data in Stream Processing"
    assert one.entries()[0].body  # the abstract: the session in full
    two = await run_command(ctx(), "talk", {"query": "late data"})
    assert two.title == "Sessions matching “late data”" and two.text == "2 sessions match."
    assert ids(two)[0] == "data-401" and all(e.body == "" for e in two.entries())
    many = await run_command(ctx(), "talk", {"query": "data"})
    assert many.title == "Sessions matching “data”" and len(many.entries()) > 1


# ------------------------------------------------------------------------------------ Chinese hints and footers


async def test_chinese_hints_footers_and_buttons_are_chinese(sample_app):
    """In Chinese, the hints under /next, /schedule, /speaker, /tracks, /help and the Star button are Chinese too."""
    late = await ask(sample_app, "next", now=at(8, 14, 11), lang="zh")
    assert late.footer == "/schedule 可查看完整议程。"
    off_day = await ask(sample_app, "schedule", {"day": "2026-08-09"}, lang="zh")
    assert off_day.error
    assert off_day.text == "大会在 8月9日 周日 没有议程。"
    assert off_day.footer == "大会日期：第1天 · 8月7日 周五、第2天 · 8月8日 周六"
    nobody = await ask(sample_app, "speaker", {"name": "Xyzzy Plugh"}, lang="zh")
    assert nobody.text == "没有名为“Xyzzy Plugh”的讲者。"
    assert nobody.footer == "试试只输入名字的一部分，或用 /talk 搜索主题。"
    assert (await ask(sample_app, "tracks", lang="zh")).footer == "/schedule track:<名称> 查看单个分论坛。"
    assert (await ask(sample_app, "help", lang="zh")).footer.startswith("选项写作 名称:值")
    talk = await ask(sample_app, "talk", {"query": "rootless"}, lang="zh")
    assert [a.label for a in talk.actions] == ["☆ 收藏"]
    assert [a.label for a in (await ask(sample_app, "talk", {"query": "rootless"})).actions] == ["☆ Star"]


async def test_when_in_chinese_names_the_conference_time_in_chinese(sample_app):
    """/when in Chinese labels the conference's time in Chinese and keeps the exact instants."""
    reply = await ask(sample_app, "when", {"text": "明天下午3点"}, lang="zh")
    (entry,) = reply.entries()
    assert entry.title == "Harbour Open Source Summit 2026 (sample) 时间（Asia/Shanghai）"
    assert entry.lines == ["ISO 8601: 2026-08-08T15:00+08:00", "UTC: 2026-08-08T07:00+00:00"]


async def test_a_mistyped_room_lists_the_rooms_in_the_readers_language(sample_app):
    """A room like none of the programme's is refused with the rooms it has, introduced in the reader's language."""
    for lang, intro, sep in (("en", "Rooms: ", ", "), ("zh", "会议室：", "、")):
        reply = await ask(sample_app, "next", {"room": "qqqqqqqqqq"}, lang=lang)
        assert reply.error
        assert reply.footer == intro + sep.join(["Lighthouse Hall", "Pier 2", "Pier 3", "Sail Loft"])


# ------------------------------------------------------------------------------- /schedule from today


async def test_schedule_on_day_2_starts_at_day_2(sample_app):
    """On Saturday, /schedule without a day opens at Saturday's sessions, says so, and says how to see Friday."""
    reply = await ask(sample_app, "schedule", now=at(8, 10, 0))
    assert [s.heading for s in reply.sections] == ["Day 2 · Sat 8 Aug"]
    assert {e.session_id: e.start for e in reply.entries()} == {
        sid: at(8, hh, mm) for sid, (hh, mm) in SATURDAY.items()
    }
    assert reply.text == "From today, Sat 8 Aug."
    assert reply.footer == 'Earlier days: /schedule day:"day 1" 2 more sessions have no time yet; /talk finds them.'


async def test_schedule_earlier_days_stay_reachable(sample_app):
    """On Saturday, /schedule day:"day 1" (or yesterday) still gives Friday's sessions."""
    for day in ("day 1", "yesterday", "第1天"):
        reply = await ask(sample_app, "schedule", {"day": day}, now=at(8, 10, 0))
        assert [s.heading for s in reply.sections] == ["Day 1 · Fri 7 Aug"], day
        assert set(ids(reply)) == set(FRIDAY)


async def test_schedule_before_and_on_the_first_day_shows_every_day(sample_app):
    """Before the conference and on its first day, /schedule shows both days, with no note about earlier days."""
    for now in (datetime(2026, 8, 1, 10, 0, tzinfo=SHANGHAI), at(7, 10, 0), datetime(2026, 8, 20, tzinfo=SHANGHAI)):
        reply = await ask(sample_app, "schedule", now=now)
        assert [s.heading for s in reply.sections] == ["Day 1 · Fri 7 Aug", "Day 2 · Sat 8 Aug"], now
        assert reply.text == "" and "Earlier days" not in reply.footer


async def test_schedule_of_a_track_with_nothing_left_today_shows_its_whole_programme(tmp_path, clock):
    """On day 2, a track whose only session was on day 1 still lists it, rather than nothing; one with a session
    today starts today."""
    folder = tmp_path / "sessions"
    folder.mkdir()
    for name, day, track in (("a-1", "07", "alpha"), ("b-1", "07", "beta"), ("b-2", "08", "beta")):
        (folder / f"{name}.md").write_text(
            f'---\ntitle: "Talk {name}"\ndate: "2026-08-{day}T10:00:00"\ntrack: "{track}"\n---\nAn abstract.\n',
            encoding="utf-8",
        )
    app = App(Config(sessions_dir=folder, database=tmp_path / "db.sqlite"), clock)
    alpha = await ask(app, "schedule", {"track": "alpha"}, now=at(8, 9, 0))
    assert (ids(alpha), alpha.text, alpha.footer) == (["a-1"], "", "")
    beta = await ask(app, "schedule", {"track": "beta"}, now=at(8, 9, 0))
    assert (ids(beta), beta.text) == (["b-2"], "From today, Sat 8 Aug.")


async def test_schedule_from_today_in_chinese(sample_app):
    """In Chinese, /schedule on Saturday says it starts today and how to see day 1, in Chinese."""
    reply = await ask(sample_app, "schedule", now=at(8, 10, 0), lang="zh")
    assert [s.heading for s in reply.sections] == ["第2天 · 8月8日 周六"]
    assert reply.text == "从今天（8月8日 周六）开始。"
    assert reply.footer.startswith('更早的日子：/schedule day:"第1天"')


# ------------------------------------------------------------------------------- parts of the day and days alone


@pytest.mark.parametrize(
    ("typed", "title", "first"),
    [
        ("tomorrow morning", "Next after Sat 8 Aug 09:00", ("Sat 8 Aug 09:30", ["keynote-105"])),
        ("this afternoon", "Next after Fri 7 Aug 14:00", ("Fri 7 Aug 14:10", ["ai-202", "community-302"])),
        ("明天下午", "Next after Sat 8 Aug 14:00", ("Sat 8 Aug 14:10", ["ai-205", "cloudnative-504"])),
        ("tomorrow", "Next after Sat 8 Aug 09:30", ("Sat 8 Aug 09:30", ["keynote-105"])),
        ("day 2", "Next after Sat 8 Aug 09:30", ("Sat 8 Aug 09:30", ["keynote-105"])),
        ("明天", "Next after Sat 8 Aug 09:30", ("Sat 8 Aug 09:30", ["keynote-105"])),
    ],
)
async def test_next_at_a_part_of_the_day_or_a_day_alone(sample_app, typed, title, first):
    """/next at:"tomorrow morning" starts at 09:00, at:"this afternoon" at 14:00; at:"tomorrow" alone starts when
    tomorrow's programme does (the 09:30 keynote); the title shows the moment taken."""
    reply = await ask(sample_app, "next", {"at": typed})
    assert not reply.error, reply.text
    assert reply.title == title
    heading, expected = first
    assert reply.sections[0].heading == heading
    assert set(expected) <= {e.session_id for e in reply.sections[0].entries}


async def test_next_at_a_day_without_sessions_asks_for_a_time(sample_app):
    """/next at:"后天" (Sunday, no sessions) asks for a time of day, naming what was typed."""
    reply = await ask(sample_app, "next", {"at": "后天"})
    assert reply.error
    assert reply.text == "at: '后天' needs a time of day too, e.g. '后天下午3点'."
    zh = await ask(sample_app, "next", {"at": "后天"}, lang="zh")
    assert zh.text == "at：'后天' 还需要说几点，例如 '后天下午3点'。"


async def test_when_shows_what_a_part_of_the_day_was_taken_as(sample_app):
    """/when "tonight" shows 19:00 today; /when "明天上午" 09:00 tomorrow."""
    tonight = (await ask(sample_app, "when", {"text": "tonight"})).entries()[0]
    assert tonight.start == at(7, 19, 0)
    morning = (await ask(sample_app, "when", {"text": "明天上午"}, lang="zh")).entries()[0]
    assert morning.start == at(8, 9, 0)


# ------------------------------------------------------------------------------- every word in the reader's language


async def test_help_in_chinese_describes_every_command_in_chinese(sample_app):
    """A Chinese reader's /help describes each command in Chinese; only command syntax stays as typed."""
    reply = await ask(sample_app, "help", lang="zh", user=User(1, is_organizer=True))
    descriptions = {e.title.split()[0]: e.lines[0] for e in reply.entries()}
    assert descriptions["/next"] == "接下来开始的议程（从现在起，或从你给的时间起）"
    assert descriptions["/star"] == "收藏议程：加入你的日程，开始前会提醒你"
    assert descriptions["/reload"] == "立即重新读取议程文件（机器人也会自动发现改动）"
    syntax = re.compile(r"/\w+|\w+:\w+|\.ics|iCal|dm|channel")
    for name, text in descriptions.items():
        assert not re.search(r"[A-Za-z]{2,}", syntax.sub("", text)), (name, text)


async def test_a_missing_option_is_described_in_the_readers_language(sample_app):
    """/speaker without a name explains the option in Chinese to a Chinese reader."""
    reply = await ask(sample_app, "speaker", lang="zh")
    assert reply.text == "这个命令需要 name：讲者姓名（顺序不限，中英文皆可）。"
    star = await ask(sample_app, "star", lang="zh")
    assert star.text == "这个命令需要 session：议程（输入标题的开头）。"


async def test_an_unreadable_time_is_explained_in_chinese(sample_app):
    """/when with nonsense tells a Chinese reader what went wrong in Chinese, with Chinese examples."""
    reply = await ask(sample_app, "when", {"text": "blorp"}, lang="zh")
    assert reply.error
    assert reply.text.startswith("text：无法把 'blorp' 读作时间；试试 '明天下午3点'")


async def test_when_names_a_programme_without_a_name_neutrally(sample_app, tmp_path):
    """On a programme that names no conference, /when labels the time as the conference's, in either language."""
    sample_app.config.sessions_dir = tmp_path / "sessions"  # the name follows the folder; the sessions stay loaded
    en = (await ask(sample_app, "when", {"text": "tomorrow 3pm"})).entries()[0]
    zh = (await ask(sample_app, "when", {"text": "明天下午3点"}, lang="zh")).entries()[0]
    assert (en.title, zh.title) == ("Conference time (Asia/Shanghai)", "大会时间（Asia/Shanghai）")
