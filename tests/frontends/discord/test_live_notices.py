"""Live notices as Discord messages: room posts with timestamps and where to watch, the changes channel's posts,
reports to organizers; every text escaped and within 2,000 characters, pinging nobody."""

from __future__ import annotations

from bot.core.changes import Change
from bot.core.live import Place, WatchLink
from bot.core.model import ScheduledSession, Session, Track
from bot.core.notices import (
    AnnouncementFailedNotice,
    LiveSession,
    LiveSetupNotice,
    ProgrammeChangeNotice,
    PublicChange,
    ReminderNotice,
    RoomPostNotice,
    SetupProblem,
)
from bot.core.storage import SnapshotRow
from bot.frontends.discord.notices import DISCORD_LIMIT, allowed_mentions, render
from bot.frontends.discord.render import NO_MENTIONS
from bot.frontends.discord.sender import star_view
from bot.frontends.discord.views import StarButton
from tests.core.live.helpers import TZ, at, session

HALL = Place("room", "Lighthouse Hall", 101, "Lighthouse Hall", "灯塔厅")
AI = Track("ai", "Artificial Intelligence", "人工智能")


def scheduled(s: Session) -> ScheduledSession:
    return ScheduledSession(**{f: getattr(s, f) for f in s.__dataclass_fields__})


def post(*sessions: Session, place: Place = HALL, late: bool = False, watch: WatchLink | None = None) -> RoomPostNotice:
    return RoomPostNotice(place, tuple(LiveSession(scheduled(s), AI, watch) for s in sessions), TZ, late=late)


def test_a_room_post_names_the_room_the_start_the_session_and_where_to_watch():
    """The post has the room, the start as Discord timestamps, title, speakers, track, the stream, conference time."""
    s = session("a", at(10), title="Small Models", presenters=("Priya Raman", "Li Wenbo"))
    text = render(post(s, watch=WatchLink("https://example.org/live/hall", "room")), "en")
    unix = int(at(10).timestamp())
    assert text.splitlines()[0] == f"🎙 **Lighthouse Hall** · starts <t:{unix}:t> (<t:{unix}:R>)"
    assert "**Small Models**" in text
    assert "Speakers: Priya Raman, Li Wenbo · Track: Artificial Intelligence" in text
    assert "📺 Livestream: <https://example.org/live/hall>" in text
    assert text.endswith("Conference time: Fri 7 Aug 10:00 (Asia/Shanghai)")
    assert allowed_mentions(post(s), ()) == NO_MENTIONS


def test_a_room_post_in_chinese_and_late():
    """A Chinese post names the room in Chinese; a late one says sorry."""
    text = render(post(session("a", at(10)), late=True, watch=WatchLink("https://v.example/a", "session")), "zh")
    assert (
        text.startswith("🎙 **灯塔厅** · ")
        and "抱歉，这条消息晚了。" in text
        and "📺 观看：<https://v.example/a>" in text
    )
    assert "会议时间：8月7日 周五 10:00（Asia/Shanghai）" in text


def test_programme_text_cannot_ping_or_format_in_a_room_post():
    """A title written `@everyone **bold**` shows as written and pings nobody."""
    text = render(post(session("a", at(10), title="@everyone **bold** <@&123>")), "en")
    assert "@everyone" not in text.replace("@\u200beveryone", "") and "\\*\\*bold\\*\\*" in text


def test_a_crowded_post_still_fits_one_message_and_gets_a_star_per_session():
    """Thirty sessions with huge titles in one track post fit 2,000 characters; 25 star buttons at most."""
    sessions = [session(f"s{i:02}", at(10), f"Room {i}", title="T" * 500, presenters=("P" * 300,)) for i in range(30)]
    notice = post(*sessions, place=Place("track", "ai", 5, "AI"))
    for lang in ("en", "zh"):
        text = render(notice, lang)
        assert len(text) <= DISCORD_LIMIT and text.splitlines()[-1].startswith(("Conference time", "会议时间"))
    view = star_view(notice, "en")
    ids = [item.item.custom_id for item in view.children if isinstance(item, StarButton)]
    assert len(ids) == 25 and ids[0] == "confbot:star:s00"


async def test_a_single_sessions_post_has_one_plain_star_button():
    """One session: one ☆ Star button that stars that session for whoever presses it."""
    view = star_view(post(session("ai-201", at(10))), "en")
    [item] = view.children
    assert isinstance(item, StarButton)
    assert item.item.custom_id == "confbot:star:ai-201" and item.item.label == "☆ Star"
    assert view.is_finished()  # nothing kept in memory per post


def test_the_changes_channel_hears_each_change_with_replacements_and_new_sessions():
    """Moved (with the new start as a timestamp), cancelled and replaced by, and added: one bullet each."""
    old = SnapshotRow("b", "fp", at(11), at(11, 40), "Pier 2", "Data Contracts")
    replacement = session("e", at(11), "Pier 2", title="Replacement")
    moved = session("a", at(10, 30), title="Opening")
    notice = ProgrammeChangeNotice(
        (
            PublicChange(
                Change(
                    "a",
                    frozenset({"moved"}),
                    SnapshotRow("a", "f", at(10), None, "Lighthouse Hall", "Opening"),
                    moved,
                    "x",
                    TZ,
                )
            ),
            PublicChange(Change("b", frozenset({"cancelled"}), old, None, "y", TZ), replacement),
            PublicChange(Change("e", frozenset({"added"}), None, replacement, "z", TZ)),
        ),
        TZ,
    )
    text = render(notice, "en")
    lines = text.splitlines()
    assert lines[0] == "📣 **Programme changes**"
    assert lines[1].startswith("• “Opening” moved from Fri 10:00 to Fri 10:30 (Lighthouse Hall)")
    assert f"<t:{int(at(10, 30).timestamp())}:F>" in lines[1]
    assert lines[2] == "• “Data Contracts” (Fri 11:00, Pier 2) is cancelled; replaced by “Replacement”"
    assert lines[3].startswith("• “Replacement” is new on the programme: Fri 11:00 (Pier 2)")
    assert "由《Replacement》替代" in render(notice, "zh")


def test_reports_to_organizers_name_the_channel_and_what_went_wrong():
    """A refused announcement quotes its text and names its channel; the setup report lists each problem."""
    failed = render(AnnouncementFailedNotice(3, 555, "Lunch @everyone", "403 Forbidden: Missing Access"), "en")
    assert failed.startswith("⚠ Announcement #3 could not be posted in <#555>: 403 Forbidden: Missing Access")
    assert "> Lunch @\u200beveryone" in failed
    setup = render(
        LiveSetupNotice((SetupProblem("unknown_room", "Ballroom", 7), SetupProblem("no_threads", "Pier 2", 8))), "en"
    )
    assert "• discord.room_channels names “Ballroom”, a room no session of the programme is in" in setup
    assert "• the bot may not open threads in channel <#8> (for “Pier 2”)" in setup


def test_a_reminder_says_where_to_watch():
    """A reminder carrying a watch link shows it under the conference time."""
    text = render(
        ReminderNotice(scheduled(session("a", at(10))), TZ, watch=WatchLink("https://v.example/a", "session")), "en"
    )
    assert "📺 Watch: <https://v.example/a>" in text.splitlines()[2]
