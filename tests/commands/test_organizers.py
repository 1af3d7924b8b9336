"""Organizers' views on the sample programme: /popular (sessions by stars, with rooms) and /stats; and where to
watch in /talk and /now."""

from __future__ import annotations

import io

from bot.commands import User
from bot.frontends.text.sender import ConsoleSender
from bot.runtime import Channels, Runtime
from tests.commands.helpers import FRI_10, ask, at, ids

ORGANIZER = User(id=1, name="Olivia", is_organizer=True)


async def star(app, pairs):
    storage = await app.services.open_storage()
    for user, sid in pairs:
        await storage.star(user, sid, FRI_10)


async def test_popular_lists_sessions_by_stars_with_their_rooms(sample_app):
    """Three stars on the Commons panel, two on a Pier 2 talk, one on Saturday's keynote: listed in that order."""
    await star(
        sample_app,
        [
            (1, "keynote-104"),
            (2, "keynote-104"),
            (3, "keynote-104"),
            (1, "community-301"),
            (2, "community-301"),
            (4, "keynote-105"),
        ],
    )
    reply = await ask(sample_app, "popular", user=ORGANIZER)
    assert ids(reply) == ["keynote-104", "community-301", "keynote-105"]
    assert [e.lines for e in reply.entries()] == [
        ["★ 3 · Lighthouse Hall"],
        ["★ 2 · Pier 2"],
        ["★ 1 · Lighthouse Hall"],
    ]


async def test_popular_narrows_to_a_day_and_a_track(sample_app):
    """day:"day 2" keeps only Saturday's starred sessions; track:community only community talks."""
    await star(sample_app, [(1, "keynote-104"), (1, "keynote-105"), (2, "community-301")])
    assert ids(await ask(sample_app, "popular", {"day": "day 2"}, user=ORGANIZER)) == ["keynote-105"]
    assert ids(await ask(sample_app, "popular", {"track": "community"}, user=ORGANIZER)) == ["community-301"]
    empty = await ask(sample_app, "popular", {"track": "data"}, user=ORGANIZER)
    assert empty.text == "No session matching this has a star yet." and not empty.error


async def test_popular_and_stats_are_for_organizers_only(sample_app):
    """An attendee asking /popular or /stats is told they are for organizers."""
    for name in ("popular", "stats"):
        reply = await ask(sample_app, name)
        assert reply.error and "organizers" in reply.text


async def test_stats_counts_stars_reminders_posts_announcements_and_the_programme(sample_app):
    """Two attendees with three stars, one announcement waiting, and the programme's problems as loaded."""
    await star(sample_app, [(1, "keynote-104"), (2, "keynote-104"), (2, "ai-201")])
    storage = await sample_app.services.open_storage()
    await storage.add_announcement(1, 5, "Lunch", at(7, 12, 0), FRI_10)
    reply = await ask(sample_app, "stats", user=ORGANIZER)
    lines = [e.title for e in reply.entries()]
    problems, broken = len(sample_app.catalog.problems), len(sample_app.catalog.failed_files)
    assert lines == [
        "2 attendees starred sessions, 3 stars in all",
        "Reminders: 0 sent, 0 failed, 0 pending, 0 missed",
        "Change notices to stargazers: 0 sent, 0 failed",
        "Room posts: 0 sessions posted, 0 pending, 0 missed, 0 failed",
        "Announcements waiting: 1",
        f"Programme as loaded at start: {problems} problems, {broken} files unreadable",
    ]
    await sample_app.reload()
    reloaded = [e.title for e in (await ask(sample_app, "stats", user=ORGANIZER)).entries()]
    assert reloaded[-1] == f"Last programme reload: Fri 7 Aug 10:00, {problems} problems, {broken} files unreadable"
    assert (await ask(sample_app, "stats", user=ORGANIZER, lang="zh")).title == "大会统计"


async def test_talk_and_now_say_where_to_watch(sample_app):
    """With the hall's stream configured, /now shows it under the keynote on now; /talk shows a session's own link
    first and the room's stream for one without."""
    sample_app.config.live.streams = {"Lighthouse Hall": "https://example.org/live/hall"}
    now = await ask(sample_app, "now")
    [on_now] = now.sections[0].entries
    assert on_now.session_id == "keynote-103" and "Livestream: https://example.org/live/hall" in on_now.lines
    own = await ask(sample_app, "talk", {"query": "keynote-102"})
    assert "Link: https://video.example.org/harbour-2026/keynote-102" in own.entries()[0].lines
    assert not any("Livestream" in line for line in own.entries()[0].lines)
    hall = await ask(sample_app, "talk", {"query": "keynote-103"})
    assert "Livestream: https://example.org/live/hall" in hall.entries()[0].lines
    pier = await ask(sample_app, "talk", {"query": "community-301"}, lang="zh")
    assert not any("直播" in line for line in pier.entries()[0].lines)


async def test_stats_counts_room_posts_once_the_live_service_posted(sample_app, clock):
    """After the hall's 10:40 post goes out in the console, /stats counts one session posted."""
    sample_app.config.discord.room_channels = {"Lighthouse Hall": 111}
    out = io.StringIO()
    runtime = Runtime(sample_app, ConsoleSender(sample_app.tz, out), Channels(), watch=False, use_scheduler=False)
    await runtime.start()
    try:
        clock.set(at(7, 10, 35))
        live = sample_app.services.live
        assert live is not None
        await live.run_due()
        reply = await ask(sample_app, "stats", user=ORGANIZER, now=at(7, 10, 35))
        assert "Room posts: 2 sessions posted, 0 pending, 0 missed, 0 failed" in [e.title for e in reply.entries()]
    finally:
        await runtime.stop()
    assert out.getvalue().startswith("[#Lighthouse Hall] 🎙 starts Fri 7 Aug 10:00 (Asia/Shanghai)")
