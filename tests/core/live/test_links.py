"""Where to watch a session: its own link first, else its room's livestream."""

from __future__ import annotations

from bot.core.live import WatchLink, WatchLinks, room_stream, watch_link
from bot.core.model import ScheduledSession
from bot.core.notices import AnnouncementNotice, ReminderNotice
from tests.core.live.helpers import TZ, at, session
from tests.doubles import RecordingSender

STREAMS = {"Lighthouse Hall": "https://example.org/live/hall", "pier 2": "https://example.org/live/pier"}


def test_a_sessions_own_link_comes_before_its_rooms_stream():
    """A talk with its own recording link shows that link, not the hall's livestream."""
    s = session("a", at(10), "Lighthouse Hall", link="https://video.example.org/a")
    assert watch_link(s, STREAMS) == WatchLink("https://video.example.org/a", "session")


def test_without_its_own_link_a_session_shows_its_rooms_stream():
    """A talk without a link shows where its room streams, the room matched in any case and spacing."""
    assert watch_link(session("a", at(10), "Lighthouse Hall"), STREAMS) == WatchLink(
        "https://example.org/live/hall", "room"
    )
    assert watch_link(session("b", at(10), "Pier  2"), STREAMS) == WatchLink("https://example.org/live/pier", "room")


def test_a_room_is_found_by_its_chinese_name():
    """A stream configured under the room's Chinese name serves its sessions."""
    s = session("a", at(10), "Lighthouse Hall", room_zh="灯塔厅")
    assert watch_link(s, {"灯塔厅": "https://example.org/zh"}) == WatchLink("https://example.org/zh", "room")


def test_no_link_and_no_stream_means_nowhere_to_watch():
    """A talk in a room without a stream, with no link of its own, offers nothing to watch."""
    assert watch_link(session("a", at(10), "Sail Loft"), STREAMS) is None
    assert watch_link(session("b", at(10), None), STREAMS) is None
    assert room_stream("Sail Loft", {}) is None


async def test_reminders_sent_through_watch_links_carry_where_to_watch():
    """A reminder handed to the front end through WatchLinks names the room's stream; other notices pass unchanged."""
    s = session("a", at(10), "Lighthouse Hall")
    reminder = ReminderNotice(ScheduledSession(**{f: getattr(s, f) for f in s.__dataclass_fields__}), TZ)
    sender = RecordingSender()
    linked = WatchLinks(sender, STREAMS)
    await linked.send_dm(1, reminder, lang="en", nonce="n1")
    await linked.send_channel(5, AnnouncementNotice("Lunch"), lang="en", nonce="n2", mention_user_ids=())
    [dm, post] = sender.messages
    assert isinstance(dm.notice, ReminderNotice) and dm.notice.watch == WatchLink(
        "https://example.org/live/hall", "room"
    )
    assert "Livestream: https://example.org/live/hall" in dm.text
    assert post.notice == AnnouncementNotice("Lunch")
    assert linked.mentions_per_post(reminder, "en") < sender.mentions_per_post(AnnouncementNotice("x"), "en")
