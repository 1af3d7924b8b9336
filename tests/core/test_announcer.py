"""Announcements: posted once when due with their stored nonce; one Discord refuses for good is given up."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import FixedClock
from bot.core.announcer import Announcer
from bot.core.delivery import PermanentSendError
from bot.core.notices import AnnouncementNotice
from bot.core.storage import Storage
from tests.doubles import RecordingSender

T0 = datetime(2026, 8, 7, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


async def test_a_due_announcement_is_posted_once_with_its_nonce():
    """An announcement for later is posted when due, as written, with the nonce stored with it, and only once."""
    clock, sender = FixedClock(T0), RecordingSender()
    async with await Storage.open(":memory:") as store:
        announcer = Announcer(store, clock, sender)
        a = await announcer.add(
            created_by=1, channel_id=100, text="Group photo @everyone", due_at=T0 + timedelta(minutes=10)
        )
        assert a.state == "pending" and await announcer.run_due() == 0
        clock.advance(minutes=10)
        assert await announcer.run_due() == 1 and await announcer.run_due() == 0
    [post] = sender.channel_posts(100)
    assert post.notice == AnnouncementNotice("Group photo @everyone", ping=False) and post.nonce == a.nonce


async def test_a_transient_failure_leaves_it_for_the_next_run():
    """An announcement Discord could not take right now is posted by the next run, once."""
    clock, sender = FixedClock(T0), RecordingSender()
    sender.fail_transiently(1)
    async with await Storage.open(":memory:") as store:
        announcer = Announcer(store, clock, sender)
        a = await announcer.add(created_by=1, channel_id=100, text="Lunch", due_at=T0)
        assert a.state == "pending"
        assert await announcer.run_due() == 1
    assert len(sender.channel_posts(100)) == 1


async def test_an_announcement_that_can_never_go_is_recorded_failed():
    """A channel the bot may not post in fails the announcement at once, with the reason, instead of retrying forever."""

    class Refused(RecordingSender):
        async def send_channel(self, channel_id, notice, *, lang, nonce, mention_user_ids=()):
            self.calls += 1
            raise PermanentSendError("403 Missing Permissions")

    clock, sender = FixedClock(T0), Refused()
    async with await Storage.open(":memory:") as store:
        announcer = Announcer(store, clock, sender)
        a = await announcer.add(created_by=1, channel_id=100, text="Lunch", due_at=T0)
        assert (a.state, a.error) == ("failed", "403 Missing Permissions")
        assert await announcer.run_due() == 0 and sender.calls == 1
