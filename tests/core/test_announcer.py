"""Announcements: posted once when due with their stored nonce; one Discord refuses for good is given up."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import FixedClock
from bot.core.announcer import Announcer
from bot.core.delivery import PermanentSendError
from bot.core.notices import AnnouncementFailedNotice, AnnouncementNotice
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


async def test_a_preview_posts_nothing_until_it_is_confirmed():
    """An organizer's preview is stored but not posted; confirmed, it is posted at once, once."""
    clock, sender = FixedClock(T0), RecordingSender()
    async with await Storage.open(":memory:") as store:
        announcer = Announcer(store, clock, sender)
        draft = await announcer.preview(
            created_by=1, created_by_name="Olivia", channel_id=100, text="Coffee on Pier 2", due_at=None
        )
        assert draft.state == "draft" and await announcer.run_due() == 0 and sender.channel_posts() == []
        clock.advance(minutes=5)
        posted = await announcer.confirm(draft.id)
        assert posted is not None and posted.state == "sent" and posted.created_by_name == "Olivia"
        assert await announcer.confirm(draft.id) is None
    assert [m.notice for m in sender.channel_posts(100)] == [AnnouncementNotice("Coffee on Pier 2")]


async def test_a_confirmed_scheduled_announcement_waits_for_its_time_and_can_be_edited_until_then():
    """Confirmed for 10:00, it is not posted before; its text edited meanwhile is what goes out."""
    clock, sender = FixedClock(T0), RecordingSender()
    async with await Storage.open(":memory:") as store:
        announcer = Announcer(store, clock, sender)
        draft = await announcer.preview(
            created_by=1, created_by_name="Olivia", channel_id=100, text="Photo", due_at=T0 + timedelta(hours=1)
        )
        scheduled = await announcer.confirm(draft.id)
        assert scheduled is not None and scheduled.state == "pending" and await announcer.run_due() == 0
        edited = await store.edit_announcement(draft.id, "Group photo on the quay", by=2, by_name="Sam", now=T0)
        assert edited is not None and edited.edited_by_name == "Sam"
        clock.advance(hours=1)
        assert await announcer.run_due() == 1
        assert await store.edit_announcement(draft.id, "Too late", by=2, by_name="Sam", now=clock.now()) is None
    assert [m.notice for m in sender.channel_posts(100)] == [AnnouncementNotice("Group photo on the quay")]


async def test_cancelling_records_who_did():
    """/unannounce keeps who cancelled the announcement, and it is never posted."""
    clock, sender = FixedClock(T0), RecordingSender()
    async with await Storage.open(":memory:") as store:
        announcer = Announcer(store, clock, sender)
        a = await announcer.add(created_by=1, channel_id=100, text="Lunch", due_at=T0 + timedelta(hours=1))
        assert await announcer.cancel(a.id, by=9, by_name="Olivia")
        assert not await announcer.cancel(a.id, by=9, by_name="Olivia")
        cancelled = await store.get_announcement(a.id)
        assert cancelled is not None and (cancelled.state, cancelled.cancelled_by, cancelled.cancelled_by_name) == (
            "cancelled",
            9,
            "Olivia",
        )
        clock.advance(hours=2)
        assert await announcer.run_due() == 0


async def test_an_announcement_refused_for_good_is_marked_failed_and_the_organizers_are_told_once():
    """Discord answers 403 for the chosen channel: the announcement fails, and the organizers' channel hears so once."""

    class Refusing(RecordingSender):
        async def send_channel(self, channel_id, notice, *, lang, nonce, mention_user_ids=()):
            if channel_id == 100:
                raise PermanentSendError("403 Forbidden (error code: 50001): Missing Access")
            return await super().send_channel(channel_id, notice, lang=lang, nonce=nonce)

    clock, sender = FixedClock(T0), Refusing()
    async with await Storage.open(":memory:") as store:
        announcer = Announcer(store, clock, sender, organizers_channel_id=900)
        a = await announcer.add(created_by=1, channel_id=100, text="Lunch", due_at=T0)
        await announcer.run_due()
        await announcer.run_due()
        failed = await store.get_announcement(a.id)
        assert failed is not None and failed.state == "failed" and "Missing Access" in (failed.error or "")
    [told] = [m.notice for m in sender.channel_posts(900)]
    assert told == AnnouncementFailedNotice(a.id, 100, "Lunch", "403 Forbidden (error code: 50001): Missing Access")
