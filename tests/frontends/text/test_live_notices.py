"""Live notices in the console: room posts under the room's channel name, `[#Lighthouse Hall] …`, times in
conference time; the changes channel and reports to organizers as plain lines."""

from __future__ import annotations

import io

from bot.core.changes import Change
from bot.core.live import Place, WatchLink
from bot.core.model import ScheduledSession
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
from bot.frontends.text.notices import render
from bot.frontends.text.sender import ConsoleSender
from tests.core.live.helpers import TZ, at, session

HALL = Place("room", "Lighthouse Hall", 101, "Lighthouse Hall", "灯塔厅")


def scheduled(sid: str, **kw) -> ScheduledSession:
    s = session(sid, at(10), **kw)
    return ScheduledSession(**{f: getattr(s, f) for f in s.__dataclass_fields__})


async def test_the_console_prints_a_room_post_under_its_channel_name_once():
    """A room post prints as `[#Lighthouse Hall] 🎙 starts …` with the session and its stream; a resend prints nothing."""
    out = io.StringIO()
    sender = ConsoleSender(TZ, out)
    notice = RoomPostNotice(
        HALL,
        (LiveSession(scheduled("a", title="Small Models"), None, WatchLink("https://example.org/hall", "room")),),
        TZ,
    )
    await sender.send_channel(101, notice, lang="en", nonce="n1")
    await sender.send_channel(101, notice, lang="en", nonce="n1")
    assert out.getvalue() == (
        "[#Lighthouse Hall] 🎙 starts Fri 7 Aug 10:00 (Asia/Shanghai)\n"
        "    “Small Models”\n"
        "      Speakers: Ada Lovelace\n"
        "      Livestream: https://example.org/hall\n"
    )


async def test_a_chinese_console_names_the_room_in_chinese():
    """With the console in Chinese, the post is headed [#灯塔厅] and written in Chinese."""
    out = io.StringIO()
    notice = RoomPostNotice(HALL, (LiveSession(scheduled("a")),), TZ, late=True)
    await ConsoleSender(TZ, out).send_channel(101, notice, lang="zh", nonce="n")
    assert out.getvalue().startswith("[#灯塔厅] 🎙 8月7日 周五 10:00（Asia/Shanghai）开始\n    抱歉，这条消息晚了。")


def test_changes_and_reports_read_as_plain_lines():
    """The changes channel's post lists each change; reports name the channel by its id."""
    old = SnapshotRow("b", "fp", at(11), at(11, 40), "Pier 2", "Data Contracts")
    changes = render(
        ProgrammeChangeNotice((PublicChange(Change("b", frozenset({"cancelled"}), old, None, "y", TZ)),), TZ), "en", TZ
    )
    assert changes == "Programme changes\n• “Data Contracts” (Fri 11:00, Pier 2) is cancelled"
    failed = render(AnnouncementFailedNotice(2, 55, "Lunch", "403"), "en", TZ)
    assert failed.splitlines()[0] == "Announcement #2 could not be posted in #55: 403"
    setup = render(LiveSetupNotice((SetupProblem("cannot_post", "Pier 2", 8),)), "en", TZ)
    assert setup.splitlines()[1] == "• the bot may not post in channel #8 (for “Pier 2”)"


def test_a_reminder_in_the_console_says_where_to_watch():
    """A reminder with a link prints it on its own line."""
    text = render(ReminderNotice(scheduled("a"), TZ, watch=WatchLink("https://v.example/a", "session")), "en", TZ)
    assert text.splitlines()[1] == "Watch: https://v.example/a"
