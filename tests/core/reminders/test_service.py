"""Reminders: sent once to each stargazer at their time, never lost or doubled by crashes and downtime."""

from __future__ import annotations

import asyncio
import contextlib
import math
import sqlite3
from datetime import timedelta

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import FixedClock
from bot.core.delivery import Pacer
from bot.core.notices import ReminderNotice
from bot.core.storage import Claim, Storage, delivery_nonce, reminder_key
from tests.core.reminders.helpers import (
    CHANNEL,
    TZ,
    CrashingSender,
    Programme,
    SimulatedCrash,
    at,
    service,
    session,
)
from tests.doubles import RecordingSender
from tests.seed import delivery_state, star_many

A10 = session("a", at(10))
B14 = session("b", at(14))


def reminder(sender: RecordingSender, user: int, i: int = 0) -> ReminderNotice:
    notice = sender.notices_to(user)[i]
    assert isinstance(notice, ReminderNotice)
    return notice


# ---------------------------------------------------------------- sending


async def test_due_reminder_reaches_every_stargazer_once(store):
    """At the due time each stargazer gets one DM reminding them of the session, on time, and no second one."""
    clock = FixedClock(at(9))
    sender = RecordingSender()
    svc = service(store, Programme(A10), clock, sender)
    await star_many(store, [(1, "a"), (2, "a")], clock.now())
    await svc.start()
    assert (await svc.run_due(at(9, 49, 59))).sent == 0
    report = await svc.run_due(at(9, 50))
    assert report.sent_dm == 2 and report.late == 0
    notice = reminder(sender, 1)
    assert notice.session.id == "a" and notice.start == at(10) and notice.tz == at(10).tzinfo and not notice.late
    assert "“Talk a”" in sender.dms_to(1)[0] and "/unstar a" in sender.dms_to(1)[0]
    assert (await svc.run_due(at(9, 50))).sent == 0
    assert (await svc.run_due(at(9, 55))).sent == 0
    assert sender.dm_count() == 2


async def test_reminder_in_the_users_language(store):
    """A user who chose Chinese gets the reminder in Chinese, with the Chinese title."""
    clock = FixedClock(at(9, 50))
    sender = RecordingSender()
    svc = service(store, Programme(session("a", at(10), title="Edge AI", title_zh="边缘人工智能")), clock, sender)
    await star_many(store, [(1, "a"), (2, "a")], clock.now())
    await store.update_settings(2, language="zh")
    await svc.replan()
    await svc.run_due()
    assert [(m.target, m.lang) for m in sender.messages] == [(1, "en"), (2, "zh")]
    assert "Edge AI" in sender.dms_to(1)[0]
    zh = sender.dms_to(2)[0]
    assert "《边缘人工智能》" in zh and "8月7日 周五 10:00" in zh and "/unstar a" in zh


async def test_users_with_different_leads_are_reminded_at_their_own_time(store):
    """Someone who wants 30 minutes' notice is reminded at 9:30, the others at 9:50."""
    clock = FixedClock(at(9))
    sender = RecordingSender()
    svc = service(store, Programme(A10), clock, sender)
    await star_many(store, [(1, "a"), (2, "a")], clock.now())
    await store.update_settings(2, lead_minutes=30)
    await svc.start()
    await svc.run_due(at(9, 30))
    assert sender.dm_count() == 1 and sender.dms_to(2)
    await svc.run_due(at(9, 50))
    assert sender.dm_count() == 2 and sender.dms_to(1)


async def test_a_slow_send_does_not_hold_up_the_others(store):
    """One user's stuck DM does not delay everyone else's reminder."""
    release, nine_done = asyncio.Event(), asyncio.Event()

    class SlowForUser1(RecordingSender):
        async def send_dm(self, user_id, notice, *, lang, nonce):
            if user_id == 1:
                await release.wait()
            out = await super().send_dm(user_id, notice, lang=lang, nonce=nonce)
            if self.dm_count() == 9:
                nine_done.set()
            return out

    clock = FixedClock(at(9, 50))
    sender = SlowForUser1()
    svc = service(store, Programme(A10), clock, sender, concurrency=4)
    await star_many(store, [(u, "a") for u in range(1, 11)], clock.now())
    await svc.replan()
    run = asyncio.create_task(svc.run_due())
    await asyncio.wait_for(nine_done.wait(), timeout=10)
    assert not sender.dms_to(1) and sender.dm_count() == 9
    release.set()
    assert (await run).sent_dm == 10


async def test_sends_run_concurrently_within_the_bound(store):
    """Up to the configured number of sends are in flight at once, never more."""
    gate, full = asyncio.Event(), asyncio.Event()

    class Gated(RecordingSender):
        in_flight = peak = 0

        async def send_dm(self, user_id, notice, *, lang, nonce):
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            if self.in_flight == 5:
                full.set()
            await gate.wait()
            self.in_flight -= 1
            return await super().send_dm(user_id, notice, lang=lang, nonce=nonce)

    clock = FixedClock(at(9, 50))
    sender = Gated()
    svc = service(store, Programme(A10), clock, sender, concurrency=5)
    await star_many(store, [(u, "a") for u in range(1, 51)], clock.now())
    await svc.replan()
    run = asyncio.create_task(svc.run_due())
    await asyncio.wait_for(full.wait(), timeout=10)
    assert sender.in_flight == 5
    gate.set()
    assert (await run).sent_dm == 50
    assert sender.peak == 5


# ---------------------------------------------------------------- restarts and crashes


async def test_restart_at_the_same_instant_sends_nothing_more(tmp_path):
    """A bot restarted right after sending reminders does not send them again."""
    path = tmp_path / "bot.db"
    programme, clock, sender = Programme(A10), FixedClock(at(9, 50)), RecordingSender()
    store = await Storage.open(path)
    await star_many(store, [(1, "a"), (2, "a"), (3, "a")], at(8))
    svc = service(store, programme, clock, sender)
    assert (await svc.start()).sent_dm == 3
    await svc.stop()
    await store.close()

    store = await Storage.open(path)
    try:
        again = service(store, programme, clock, sender)
        report = await again.start()
        assert report.sent == 0 and (await again.run_due()).sent == 0
    finally:
        await store.close()
    assert sender.calls == 3 and sender.dm_count() == 3


async def test_crash_between_send_and_mark_resends_once_with_the_same_nonce(tmp_path):
    """A reminder that went out just before a crash is resent with its nonce, so Discord shows it once."""
    path = tmp_path / "bot.db"
    programme, clock = Programme(A10), FixedClock(at(9, 50))
    sender = CrashingSender(crash_on_call=2)
    store = await Storage.open(path)
    await star_many(store, [(1, "a"), (2, "a"), (3, "a")], at(8))
    svc = service(store, programme, clock, sender, concurrency=1)
    with pytest.raises(SimulatedCrash):
        await svc.start()
    await store.close()
    assert [m.target for m in sender.messages] == [1, 2]

    sender.crash_on_call = 0
    clock.advance(seconds=20)
    store = await Storage.open(path)
    try:
        report = await service(store, programme, clock, sender).start()
        states = [await delivery_state(store, u, "a", "reminder", reminder_key(at(9, 50))) for u in (1, 2, 3)]
    finally:
        await store.close()
    assert sender.deduplicated == 1  # user 2's resend carried the first attempt's nonce
    assert sorted(m.target for m in sender.messages) == [1, 2, 3]
    assert sender.messages[1].nonce == delivery_nonce(2, "a", "reminder", reminder_key(at(9, 50)))
    assert states == ["sent", "sent", "sent"] and report.late == 0


async def test_claims_left_by_a_crash_are_sent_at_start_with_their_nonce(tmp_path):
    """Reminders claimed but never sent before the bot died go out at the next start, once each."""
    path = tmp_path / "bot.db"
    programme, clock, sender = Programme(A10), FixedClock(at(9, 50, 30)), RecordingSender()
    store = await Storage.open(path)
    await star_many(store, [(1, "a"), (2, "a")], at(8))
    key = reminder_key(at(9, 50))
    claimed = await store.claim_deliveries([Claim(u, "a", "reminder", key, at(9, 50)) for u in (1, 2)])
    await store.close()

    store = await Storage.open(path)
    try:
        await service(store, programme, clock, sender).start()
        await service(store, programme, clock, sender).start()  # and a second restart changes nothing
        assert await store.pending_deliveries() == []
    finally:
        await store.close()
    assert sorted((m.target, m.nonce) for m in sender.messages) == sorted((c.user_id, c.nonce) for c in claimed)


# ---------------------------------------------------------------- downtime


async def test_reminder_due_while_down_is_sent_late_with_an_apology(store):
    """Back before the session starts, the bot sends the missed reminder at once and says it is late."""
    sender = RecordingSender()
    await star_many(store, [(1, "a")], at(8))
    svc = service(store, Programme(A10), FixedClock(at(9, 57)), sender)
    report = await svc.start()
    assert report.late == 1 and reminder(sender, 1).late
    assert sender.dms_to(1)[0].startswith("Sorry, this reminder is late: “Talk a”")


async def test_reminder_a_few_seconds_late_is_not_called_late(store):
    """A reminder sent within the grace period after its time carries no apology."""
    sender = RecordingSender()
    await star_many(store, [(1, "a")], at(8))
    svc = service(store, Programme(A10), FixedClock(at(9, 50, 30)), sender)
    await svc.start()
    assert not reminder(sender, 1).late
    assert sender.dms_to(1)[0].startswith("Reminder: “Talk a”")


async def test_reminder_due_while_down_for_a_started_session_is_recorded_missed(store):
    """Back after the session started, the bot does not send a useless reminder, and records it as missed."""
    sender = RecordingSender()
    await star_many(store, [(1, "a"), (2, "a")], at(8))
    svc = service(store, Programme(A10), FixedClock(at(10, 5)), sender)
    report = await svc.start()
    assert sender.calls == 0 and report.missed == 2
    assert await delivery_state(store, 1, "a", "reminder", reminder_key(at(9, 50))) == "missed"


async def test_a_restart_looks_back_only_over_the_downtime_its_heartbeat_shows(store):
    """Seen running at 12:00, back at 15:00: the 14:00 talk's reminder is missed; the 11:00 talk's is not touched."""
    early, late = session("early", at(11)), session("late", at(14))
    await star_many(store, [(1, "early"), (1, "late")], at(8))
    await store.mark_seen(at(12))  # the last heartbeat before the bot went down
    report = await service(store, Programme(early, late), FixedClock(at(15))).start()
    assert report.missed == 1
    assert await delivery_state(store, 1, "late", "reminder", reminder_key(at(13, 50))) == "missed"
    assert await delivery_state(store, 1, "early", "reminder", reminder_key(at(10, 50))) is None
    assert await store.last_seen() == at(15)


async def test_a_star_written_by_another_process_is_reminded_after_the_next_heartbeat(tmp_path):
    """`ask '/star b'` beside a running bot: within a heartbeat the bot plans b's reminder and sends it on time."""
    path = tmp_path / "bot.db"
    clock, sender = FixedClock(at(9)), RecordingSender()
    store, other = await Storage.open(path), await Storage.open(path)
    try:
        await star_many(store, [(1, "a")], at(8))
        svc = service(store, Programme(A10, B14), clock, sender)
        await svc.start()
        assert {job.session_id for job in svc.plan()} == {"a"}
        await svc.heartbeat()  # nothing written elsewhere yet: the bot's own writes never count
        assert not await store.written_elsewhere()

        await star_many(other, [(2, "b")], at(9))  # the one-shot `ask`, on its own connection
        assert "b" not in {job.session_id for job in svc._plan}  # not planned until the bot looks
        await svc.heartbeat()
        assert "b" in {job.session_id for job in svc._plan}
        assert (await svc.run_due(at(13, 50))).sent_dm == 1
        assert reminder(sender, 2).session.id == "b"
    finally:
        await other.close()
        await store.close()


# ---------------------------------------------------------------- channel delivery


async def test_closed_dms_fall_back_to_the_channel_and_are_remembered(store):
    """A user whose DMs bounce is mentioned in the reminders channel, and next time goes straight there."""
    clock = FixedClock(at(9))
    sender = RecordingSender(closed_dms=[2])
    svc = service(store, Programme(A10, B14), clock, sender)
    await star_many(store, [(1, "a"), (2, "a"), (2, "b")], clock.now())
    await svc.start()
    report = await svc.run_due(at(9, 50))
    assert report.sent_dm == 1 and report.sent_channel == 1 and report.dm_closed == 1
    post = sender.channel_posts(CHANNEL)[0]
    assert post.mention_user_ids == (2,) and "“Talk a”" in post.text
    assert (await store.get_settings(2)).dm_closed is True

    await svc.run_due(at(13, 50))
    assert sender.attempts.count(("dm", 2)) == 1  # no second bounce: straight to the channel
    assert sender.mentioned(CHANNEL) == [2, 2]


async def test_closed_dms_without_a_channel_are_recorded_failed(store):
    """With no reminders channel configured, a bounced DM is recorded as failed, not retried forever."""
    clock = FixedClock(at(9, 50))
    sender = RecordingSender(closed_dms=[1])
    svc = service(store, Programme(A10), clock, sender, reminders_channel_id=None)
    await star_many(store, [(1, "a"), (2, "a")], clock.now())
    await svc.replan()
    report = await svc.run_due()
    assert report.failed == 1 and report.sent_dm == 1
    assert await delivery_state(store, 1, "a", "reminder", reminder_key(at(9, 50))) == "failed"
    assert (await svc.run_due()).sent == 0 and sender.attempts.count(("dm", 1)) == 1


async def test_channel_post_mentions_everyone_in_parts_of_the_size_the_front_end_allows(tmp_path):
    """Hundreds of channel-mode users are all mentioned once, in posts as big as the sender allows, never reposted."""
    path = tmp_path / "bot.db"
    programme, clock, sender = Programme(A10), FixedClock(at(9, 50)), RecordingSender(per_post=73)
    users = [10**17 + u for u in range(500)]  # real snowflakes are 18-19 digits
    store = await Storage.open(path)
    await star_many(store, [(u, "a") for u in users], at(8))
    report = await service(store, programme, clock, sender, default_delivery="channel").start()
    await store.close()
    posts = sender.channel_posts(CHANNEL)
    assert report.sent_channel == 500 and report.channel_posts == len(posts) == math.ceil(500 / 73)
    assert all(len(p.mention_user_ids) <= 73 for p in posts)
    assert sorted(sender.mentioned()) == users
    assert len({p.nonce for p in posts}) == len(posts) and all(len(p.nonce) <= 25 for p in posts)

    store = await Storage.open(path)
    try:
        assert (await service(store, programme, clock, sender, default_delivery="channel").start()).sent == 0
    finally:
        await store.close()
    assert sender.calls == len(posts)


async def test_channel_post_interrupted_by_a_crash_is_not_posted_twice(tmp_path):
    """After a crash mid-way through a split channel post, a restart finishes it and mentions nobody twice."""
    path = tmp_path / "bot.db"
    programme, clock = Programme(A10), FixedClock(at(9, 50))
    users = list(range(10**17, 10**17 + 300))
    sender = CrashingSender(crash_on_call=2)
    store = await Storage.open(path)
    await star_many(store, [(u, "a") for u in users], at(8))
    with pytest.raises(SimulatedCrash):
        await service(store, programme, clock, sender, default_delivery="channel", concurrency=1).start()
    await store.close()
    parts = math.ceil(300 / len(sender.channel_posts()[0].mention_user_ids))

    sender.crash_on_call = 0
    clock.advance(seconds=90)  # back late: the reminder now apologises, and its posts still split the same way
    store = await Storage.open(path)
    try:
        await service(store, programme, clock, sender, default_delivery="channel", concurrency=1).start()
    finally:
        await store.close()
    assert sorted(sender.mentioned()) == users
    assert sender.deduplicated == 1 and len(sender.channel_posts()) == parts


async def test_users_choosing_channel_delivery_share_one_post(store):
    """Users who asked for channel reminders are mentioned together in one post; the others get DMs."""
    clock = FixedClock(at(9, 50))
    sender = RecordingSender()
    svc = service(store, Programme(A10), clock, sender)
    await star_many(store, [(1, "a"), (2, "a"), (3, "a")], clock.now())
    await store.update_settings(2, delivery="channel")
    await store.update_settings(3, delivery="channel")
    await svc.replan()
    await svc.run_due()
    assert [p.mention_user_ids for p in sender.channel_posts()] == [(2, 3)]
    assert sender.dm_count() == 1 and sender.dms_to(1)


# ---------------------------------------------------------------- failures


async def test_transient_failure_is_retried_later_with_the_same_nonce(store):
    """A Discord outage delays a reminder to the next run; it then arrives once, with its original nonce."""
    clock = FixedClock(at(9, 50))
    sender = RecordingSender()
    sender.fail_transiently(2, user_id=1)
    svc = service(store, Programme(A10), clock, sender)
    await star_many(store, [(1, "a"), (2, "a")], clock.now())
    await svc.replan()
    first = await svc.run_due()
    assert first.sent_dm == 1 and first.retrying == 1
    assert (await svc.run_due(clock.advance(seconds=30))).retrying == 1
    assert (await svc.run_due(clock.advance(seconds=30))).sent_dm == 1
    assert sender.messages[-1].nonce == delivery_nonce(1, "a", "reminder", reminder_key(at(9, 50)))
    assert len(sender.dms_to(1)) == 1 and (await svc.run_due(clock.advance(seconds=30))).sent == 0


async def test_persistent_failure_gives_up_after_the_allowed_attempts(store):
    """A reminder that fails every time is given up after max_attempts and not tried again."""
    clock = FixedClock(at(9, 50))
    sender = RecordingSender()
    sender.fail_transiently(100, user_id=1)
    svc = service(store, Programme(A10), clock, sender, max_attempts=3)
    await star_many(store, [(1, "a")], clock.now())
    await svc.replan()
    reports = [await svc.run_due(clock.advance(seconds=30)) for _ in range(5)]
    assert [r.failed for r in reports] == [0, 0, 1, 0, 0]
    assert sender.attempts.count(("dm", 1)) == 3
    assert await delivery_state(store, 1, "a", "reminder", reminder_key(at(9, 50))) == "failed"


async def test_a_send_that_can_never_go_is_given_up_at_once(store):
    """A reminder the front end says can never be delivered (the channel is gone) is recorded failed, not retried."""
    from bot.core.delivery import PermanentSendError

    class GoneChannel(RecordingSender):
        async def send_channel(self, channel_id, notice, *, lang, nonce, mention_user_ids=()):
            self.calls += 1
            raise PermanentSendError("404 Unknown Channel")

    clock = FixedClock(at(9, 50))
    sender = GoneChannel()
    svc = service(store, Programme(A10), clock, sender, default_delivery="channel")
    await star_many(store, [(1, "a")], clock.now())
    await svc.replan()
    report = await svc.run_due()
    assert report.failed == 1 and report.retrying == 0
    assert await delivery_state(store, 1, "a", "reminder", reminder_key(at(9, 50))) == "failed"
    assert (await svc.run_due(clock.advance(seconds=30))).failed == 0 and sender.calls == 1


# ---------------------------------------------------------------- re-planning


async def test_unstarring_before_the_reminder_cancels_it(store):
    """A user who unstars before the reminder time gets no reminder."""
    clock = FixedClock(at(9))
    sender = RecordingSender()
    svc = service(store, Programme(A10), clock, sender)
    await star_many(store, [(1, "a"), (2, "a")], clock.now())
    await svc.start()
    await store.unstar(1, "a")
    await svc.replan()
    await svc.run_due(at(9, 50))
    assert not sender.dms_to(1) and sender.dms_to(2)


# ---------------------------------------------------------------- on time at any scale


def paced_sender(**kw) -> RecordingSender:
    """A sender whose front end spends Discord's 50 requests a second (48 with the pacer's guard)."""
    return RecordingSender(pacer=Pacer(), **kw)


async def test_reminders_start_going_out_early_enough_to_be_done_when_due(store):
    """For 100 stargazers at Discord's rate the reminder starts a few seconds before 9:50, and none is early before that."""
    clock = FixedClock(at(9))
    sender = paced_sender()
    svc = service(store, Programme(A10), clock, sender)
    await star_many(store, [(u, "a") for u in range(1, 101)], clock.now())
    await svc.start()
    (job,) = svc.plan()
    window = timedelta(seconds=200 / (Pacer().rate * 0.9) + 2)  # 100 DM channels to open, 100 messages
    assert job.due_at == at(9, 50) and job.start_at == at(9, 50) - window
    assert (await svc.run_due(job.start_at - timedelta(seconds=1))).sent == 0
    clock.set(job.start_at)
    report = await svc.run_due()
    assert report.sent_dm == 100 and report.late == 0 and not any(reminder(sender, u).late for u in (1, 100))
    sent = await store.fetchall("SELECT sent_at FROM deliveries WHERE state = 'sent'")
    assert len(sent) == 100  # what went out early is recorded like what goes out on time
    assert (await svc.run_due(at(9, 50))).sent == 0 and sender.dm_count() == 100


async def test_a_restart_inside_the_window_carries_on_from_the_database(tmp_path):
    """Killed while sending a reminder early and back before it is due, the bot sends the rest on time, once each."""
    path = tmp_path / "bot.db"
    store = await Storage.open(path)
    await star_many(store, [(u, "a") for u in range(1, 101)], at(8))
    sender = CrashingSender(crash_on_call=40, pacer=Pacer())
    clock = FixedClock(at(9))
    svc = service(store, Programme(A10), clock, sender, concurrency=1)
    await svc.start()
    (job,) = svc.plan()
    clock.set(job.start_at)
    with pytest.raises(SimulatedCrash):
        await svc.run_due()
    await store.close()
    assert sender.dm_count() == 40

    sender.crash_on_call = 0
    clock.set(job.start_at + timedelta(seconds=3))  # back well before 9:50
    store = await Storage.open(path)
    try:
        report = await service(store, Programme(A10), clock, sender).start()
        rows = await store.fetchall("SELECT state, COUNT(*) FROM deliveries GROUP BY state")
    finally:
        await store.close()
    assert report.sent_dm == 61 and report.late == 0  # the 40th again, with its nonce: Discord drops it
    assert sorted(m.target for m in sender.messages) == list(range(1, 101)) and sender.deduplicated == 1
    assert rows == [("sent", 100)]


async def test_the_scheduler_wakes_the_bot_when_sending_must_start(store):
    """APScheduler's job for a busy reminder runs at the start of its window, not at its due time."""
    clock = FixedClock(at(9))
    scheduler = AsyncIOScheduler(timezone=TZ)
    sender = paced_sender()
    svc = service(store, Programme(A10), clock, sender, scheduler=scheduler)
    await star_many(store, [(u, "a") for u in range(1, 1001)], clock.now())
    await svc.start()
    (job,) = svc.plan()
    apjob = scheduler.get_job("reminder:a:10")
    assert apjob.trigger.run_date == job.start_at < at(9, 50)
    clock.set(job.start_at)
    await apjob.func(*apjob.args)
    assert sender.dm_count() == 1000
    await svc.stop()


# ---------------------------------------------------------------- one database error is not the end of the batch


class LockedAt(Storage):
    """A database that answers "database is locked" to chosen writes closing deliveries (counted from 1)."""

    fail_on: frozenset[int] = frozenset()
    marks = 0

    def _maybe_locked(self) -> None:
        self.marks += 1
        if self.marks in self.fail_on:
            raise sqlite3.OperationalError("database is locked")

    async def mark_sent(self, *args, **kwargs):
        self._maybe_locked()
        return await super().mark_sent(*args, **kwargs)

    async def mark_post_sent(self, *args, **kwargs):
        self._maybe_locked()
        return await super().mark_post_sent(*args, **kwargs)


async def test_one_database_error_while_marking_a_dm_does_not_stop_the_others(tmp_path):
    """A "database is locked" on the 20th of 100 DMs: all 100 are sent, and the 20th is closed on the next run."""
    store = await LockedAt.open(tmp_path / "bot.db")
    store.fail_on = frozenset({20})
    try:
        clock, sender = FixedClock(at(9, 50)), RecordingSender()
        svc = service(store, Programme(A10), clock, sender, concurrency=1)
        await star_many(store, [(u, "a") for u in range(1, 101)], at(8))
        await svc.replan()
        report = await svc.run_due()
        assert len(sender.attempts) == 100 and sender.dm_count() == 100
        assert report.sent_dm == 99 and report.db_errors == 1 and report.retrying == 1
        again = await svc.run_due(clock.advance(seconds=30))
        assert again.sent_dm == 1 and sender.deduplicated == 1 and sender.dm_count() == 100
        assert await store.pending_deliveries() == []
    finally:
        await store.close()


async def test_a_channel_post_is_closed_whole_so_a_database_error_never_pings_anyone_twice(tmp_path):
    """A "database is locked" while closing a channel post, then a restart: nobody is mentioned twice."""
    path = tmp_path / "bot.db"
    users = list(range(10**17, 10**17 + 300))
    clock = FixedClock(at(9, 50))
    sender = RecordingSender(per_post=73)
    locked = await LockedAt.open(path)
    locked.fail_on = frozenset({3})
    await star_many(locked, [(u, "a") for u in users], at(8))
    with contextlib.suppress(sqlite3.OperationalError):  # before: the error ended the run, as a kill would
        await service(locked, Programme(A10), clock, sender, default_delivery="channel", concurrency=1).start()
    await locked.close()

    clock.advance(seconds=30)
    store = await Storage.open(path)
    try:
        await service(store, Programme(A10), clock, sender, default_delivery="channel", concurrency=1).start()
        assert await store.pending_deliveries() == []
    finally:
        await store.close()
    mentioned = sender.mentioned(CHANNEL)
    assert sorted(mentioned) == users, f"{len(mentioned) - len(set(mentioned))} users mentioned twice"
    assert len(sender.channel_posts(CHANNEL)) == math.ceil(300 / 73)


async def test_two_bots_on_one_database_never_ping_a_user_twice(tmp_path):
    """A second bot that starts sending while the first is half-way through closing a post mentions nobody again."""
    path = tmp_path / "bot.db"
    users = list(range(10**17, 10**17 + 300))
    first_store = await LockedAt.open(path)
    await star_many(first_store, [(u, "a") for u in users], at(8))
    second_store = await Storage.open(path)
    held, release = asyncio.Event(), asyncio.Event()

    async def hold_third_mark() -> None:
        first_store.marks += 1
        if first_store.marks == 3:
            held.set()
            await release.wait()

    first_store._maybe_locked = lambda: None  # type: ignore[method-assign]  # the first bot is slow, not broken
    original_post, original_dm = first_store.mark_post_sent, first_store.mark_sent

    async def slow_post(*args, **kwargs):
        await hold_third_mark()
        return await original_post(*args, **kwargs)

    async def slow_dm(*args, **kwargs):
        await hold_third_mark()
        return await original_dm(*args, **kwargs)

    first_store.mark_post_sent = slow_post  # type: ignore[method-assign]
    first_store.mark_sent = slow_dm  # type: ignore[method-assign]
    sender = RecordingSender(per_post=73)
    clock = FixedClock(at(9, 50))
    try:
        first = asyncio.create_task(
            service(first_store, Programme(A10), clock, sender, default_delivery="channel", concurrency=1).start()
        )
        await asyncio.wait_for(held.wait(), 5)
        await service(second_store, Programme(A10), clock, sender, default_delivery="channel", concurrency=1).start()
        release.set()
        await first
    finally:
        await first_store.close()
        await second_store.close()
    mentioned = sender.mentioned(CHANNEL)
    assert sorted(mentioned) == users, f"{len(mentioned) - len(set(mentioned))} users mentioned twice"


# ---------------------------------------------------------------- after an outage longer than Discord remembers nonces


async def test_a_dm_left_uncertain_by_a_crash_is_looked_for_before_it_is_sent_again(tmp_path):
    """Back 8 minutes after a crash (Discord has forgotten the nonce), the DM that went out is found, not sent twice."""
    path = tmp_path / "bot.db"
    programme, clock = Programme(A10), FixedClock(at(9, 50))
    sender = CrashingSender(crash_on_call=2)
    store = await Storage.open(path)
    await star_many(store, [(u, "a") for u in range(1, 7)], at(8))
    with pytest.raises(SimulatedCrash):  # one at a time: sends are recorded as begun four at a time
        await service(store, programme, clock, sender, concurrency=1).start()
    await store.close()

    sender.crash_on_call = 0
    sender.forget_nonces()
    clock.advance(minutes=8)
    store = await Storage.open(path)
    try:
        report = await service(store, programme, clock, sender).start()
        assert await store.pending_deliveries() == []
    finally:
        await store.close()
    assert [len(sender.dms_to(u)) for u in range(1, 7)] == [1] * 6
    assert report.found == 1 and report.sent_dm == 4 and report.late == 4  # the others hear late, with an apology
    assert sender.searches == 3  # users 2 to 4 had begun (2's went out); 5 and 6 had not: not looked for


async def test_a_channel_post_left_uncertain_by_a_crash_is_looked_for_before_it_is_posted_again(tmp_path):
    """Back 8 minutes after a crash mid-post, the post that went out is found in the channel, not posted twice."""
    path = tmp_path / "bot.db"
    users = list(range(10**17, 10**17 + 300))
    programme, clock = Programme(A10), FixedClock(at(9, 50))
    sender = CrashingSender(crash_on_call=2, per_post=73)
    store = await Storage.open(path)
    await star_many(store, [(u, "a") for u in users], at(8))
    with pytest.raises(SimulatedCrash):
        await service(store, programme, clock, sender, default_delivery="channel", concurrency=1).start()
    await store.close()

    sender.crash_on_call = 0
    sender.forget_nonces()
    clock.advance(minutes=8)
    store = await Storage.open(path)
    try:
        report = await service(store, programme, clock, sender, default_delivery="channel").start()
    finally:
        await store.close()
    assert sorted(sender.mentioned(CHANNEL)) == users
    assert report.found == 73 and report.channel_posts == 3  # the second post found; the last three sent late
