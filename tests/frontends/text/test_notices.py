"""The console's delivery: each notice printed once as a line in conference time, no Discord markup."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from bot.clock import FixedClock
from bot.core.model import ScheduledSession
from bot.core.notices import AnnouncementNotice, ReminderNotice
from bot.core.storage import Storage
from bot.frontends.text.notices import render
from bot.frontends.text.sender import ConsoleSender
from tests.core.reminders.helpers import TZ, Programme, at, service, session
from tests.seed import star_many


async def test_console_prints_reminder_lines():
    """In the text console each reminder appears once as a "⏰ reminder" line, its time in conference time."""
    out = io.StringIO()
    clock = FixedClock(at(9, 50))
    sender = ConsoleSender(TZ, out)
    async with await Storage.open(":memory:") as store:
        svc = service(store, Programme(session("a", at(10))), clock, sender)
        await star_many(store, [(1, "a")], clock.now())
        await svc.replan()
        await svc.run_due()
        await svc.run_due()
    assert out.getvalue() == (
        "⏰ reminder (DM to user 1): Reminder: “Talk a” starts Fri 7 Aug 10:00 (Asia/Shanghai) · Room: Pier 1\n"
        "    Not going? /unstar a\n"
    )


async def test_console_prints_channel_posts_with_whom_they_mention():
    """A channel-mode reminder is printed once for the channel, naming the users it mentions; no Discord markup."""
    out = io.StringIO()
    clock = FixedClock(at(9, 50))
    async with await Storage.open(":memory:") as store:
        sender = ConsoleSender(TZ, out)
        svc = service(store, Programme(session("a", at(10))), clock, sender, default_delivery="channel")
        await star_many(store, [(1, "a"), (2, "a")], clock.now())
        await svc.replan()
        await svc.run_due()
    text = out.getvalue()
    assert text.startswith("⏰ reminder (in channel 555 for @1, @2): Reminder: “Talk a” starts Fri 7 Aug 10:00")
    assert "<t:" not in text and "<@" not in text and text.count("⏰") == 1


async def test_console_prints_in_its_own_zone_and_drops_a_repeated_nonce():
    """Times follow the zone the console was given; an announcement sent twice with one nonce prints once."""
    out = io.StringIO()
    sender = ConsoleSender(ZoneInfo("UTC"), out)
    first = await sender.send_channel(1, AnnouncementNotice("Lunch on Pier 2"), lang="en", nonce="n1")
    again = await sender.send_channel(1, AnnouncementNotice("Lunch on Pier 2"), lang="en", nonce="n1")
    assert first == again and out.getvalue() == "📣 announcement (in channel 1): Lunch on Pier 2\n"


def test_the_console_prints_programme_text_as_written():
    """In a terminal nothing is Markdown: a title with stars and angle brackets is printed unchanged."""
    s = ScheduledSession(
        **{
            f: getattr(session("a", at(10), title="**Free** <@&123456>"), f)
            for f in ScheduledSession.__dataclass_fields__
        }
    )
    assert "“**Free** <@&123456>”" in render(ReminderNotice(s, TZ), "en", TZ)
