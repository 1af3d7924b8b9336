"""Reminders: planned from stars, sent once to each stargazer, never lost or doubled by crashes and downtime."""

from __future__ import annotations

import asyncio
import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import FixedClock
from bot.core.model import Session
from bot.core.programme import Catalog
from bot.core.reminders import (
    DISCORD_LIMIT,
    PlannedJob,
    PrintSender,
    RecordingSender,
    ReminderService,
    reminder_text,
)
from bot.core.storage import Claim, Storage, delivery_nonce, reminder_key

TZ = ZoneInfo("Asia/Shanghai")
DAY = datetime(2026, 8, 7, tzinfo=TZ)
CHANNEL = 555


def at(h: int, m: int = 0, s: int = 0, day: int = 7) -> datetime:
    return datetime(2026, 8, day, h, m, s, tzinfo=TZ)


def session(
    sid: str,
    start: datetime | None,
    *,
    room: str | None = "Pier 1",
    title: str | None = None,
    title_zh: str | None = None,
) -> Session:
    return Session(
        id=sid,
        path=f"{sid}.md",
        title=title or f"Talk {sid}",
        start=start,
        end=start + timedelta(minutes=40) if start else None,
        track="ai",
        room=room,
        title_zh=title_zh,
    )


class Programme:
    """A catalog that tests can swap, as a reload would."""

    def __init__(self, *sessions: Session):
        self.set(*sessions)

    def set(self, *sessions: Session) -> None:
        far = datetime.max.replace(tzinfo=TZ)
        ordered = sorted(sessions, key=lambda s: (s.start is None, s.start or far, s.id))
        self.catalog = Catalog(TZ, ordered, {}, [], [], [], [])

    def __call__(self) -> Catalog:
        return self.catalog


def service(store: Storage, programme: Programme, clock: FixedClock, sender=None, **kw) -> ReminderService:
    kw.setdefault("reminders_channel_id", CHANNEL)
    return ReminderService(
        storage=store,
        catalog_getter=programme,
        clock=clock,
        sender=sender or RecordingSender(),
        default_lead=timedelta(minutes=10),
        **kw,
    )


@pytest.fixture
async def store():
    s = await Storage.open(":memory:")
    yield s
    await s.close()


class SimulatedCrash(BaseException):
    """The process dying mid-send: not an Exception, so nothing in the service swallows it."""


class CrashingSender(RecordingSender):
    """Delivers the message, then dies before the bot can record it, on the chosen call."""

    def __init__(self, crash_on_call: int, **kw):
        super().__init__(**kw)
        self.crash_on_call = crash_on_call

    def _record(self, *args):
        message_id = super()._record(*args)
        if self.calls == self.crash_on_call:
            raise SimulatedCrash()
        return message_id


# ---------------------------------------------------------------- planning

A10 = session("a", at(10))
B14 = session("b", at(14))
PAST = session("past", at(9))
NOTIME = session("tbd", None)

PLAN_CASES = [
    # (id, sessions, stars, lead settings, now, expected jobs)
    ("default-lead", [A10], [(1, "a")], {}, at(8), [("a", 10, at(9, 50))]),
    ("users-share-one-job", [A10], [(1, "a"), (2, "a"), (3, "a")], {3: 10}, at(8), [("a", 10, at(9, 50))]),
    (
        "different-leads-one-job-each",
        [A10],
        [(1, "a"), (2, "a"), (3, "a")],
        {2: 30, 3: 0},
        at(8),
        [("a", 30, at(9, 30)), ("a", 10, at(9, 50)), ("a", 0, at(10))],
    ),
    ("unstarred-session-not-planned", [A10, B14], [(1, "b")], {}, at(8), [("b", 10, at(13, 50))]),
    ("past-session-not-planned", [PAST, A10], [(1, "past"), (1, "a")], {}, at(9, 30), [("a", 10, at(9, 50))]),
    ("overdue-but-not-started-is-planned", [A10], [(1, "a")], {}, at(9, 55), [("a", 10, at(9, 50))]),
    ("unscheduled-session-not-planned", [NOTIME, A10], [(1, "tbd")], {}, at(8), []),
    ("star-of-unknown-session-ignored", [A10], [(1, "gone")], {}, at(8), []),
    ("lead-settings-of-users-without-stars-ignored", [A10], [(1, "a")], {9: 45}, at(8), [("a", 10, at(9, 50))]),
]


@pytest.mark.parametrize(
    "sessions,stars,leads,now,expected", [c[1:] for c in PLAN_CASES], ids=[c[0] for c in PLAN_CASES]
)
async def test_plan(store, sessions, stars, leads, now, expected):
    """Each starred, not-yet-started session gets one reminder job per lead time its stargazers chose."""
    await store.star_many(stars, at(7))
    for user, lead in leads.items():
        await store.update_settings(user, lead_minutes=lead)
    clock = FixedClock(now)
    svc = service(store, Programme(*sessions), clock)
    await svc.replan()
    assert svc.plan() == [PlannedJob(*e) for e in expected]


# ---------------------------------------------------------------- sending


async def test_due_reminder_reaches_every_stargazer_once(store):
    """At the due time each stargazer gets one DM with title, Discord timestamps, conference time, room and /unstar."""
    clock = FixedClock(at(9))
    sender = RecordingSender()
    svc = service(store, Programme(A10), clock, sender)
    await store.star_many([(1, "a"), (2, "a")], clock.now())
    await svc.start()
    assert (await svc.run_due(at(9, 49, 59))).sent == 0
    report = await svc.run_due(at(9, 50))
    assert report.sent_dm == 2 and report.late == 0
    text = sender.dms_to(1)[0]
    unix = int(at(10).timestamp())
    assert "“Talk a”" in text and f"<t:{unix}:t>" in text and f"<t:{unix}:R>" in text
    assert "Fri 7 Aug 10:00 (Asia/Shanghai)" in text and "Pier 1" in text and "/unstar a" in text
    assert (await svc.run_due(at(9, 50))).sent == 0
    assert (await svc.run_due(at(9, 55))).sent == 0
    assert sender.dm_count() == 2


async def test_reminder_in_the_users_language(store):
    """A user who chose Chinese gets the reminder in Chinese, with the Chinese title."""
    clock = FixedClock(at(9, 50))
    sender = RecordingSender()
    svc = service(store, Programme(session("a", at(10), title="Edge AI", title_zh="边缘人工智能")), clock, sender)
    await store.star_many([(1, "a"), (2, "a")], clock.now())
    await store.update_settings(2, language="zh")
    await svc.replan()
    await svc.run_due()
    assert "Edge AI" in sender.dms_to(1)[0]
    zh = sender.dms_to(2)[0]
    assert "《边缘人工智能》" in zh and "会议时间：8月7日 周五 10:00" in zh and "/unstar a" in zh


def test_reminder_text_stays_under_discords_limit():
    """Even a session with an absurdly long title and room fits in one Discord message."""
    s = session("long", at(10), title="T" * 5000, room="R" * 3000)
    for lang in ("en", "zh"):
        assert len(reminder_text(s, tz=TZ, lang=lang, late=True)) < DISCORD_LIMIT


async def test_users_with_different_leads_are_reminded_at_their_own_time(store):
    """Someone who wants 30 minutes' notice is reminded at 9:30, the others at 9:50."""
    clock = FixedClock(at(9))
    sender = RecordingSender()
    svc = service(store, Programme(A10), clock, sender)
    await store.star_many([(1, "a"), (2, "a")], clock.now())
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
        async def send_dm(self, user_id, text, *, nonce):
            if user_id == 1:
                await release.wait()
            out = await super().send_dm(user_id, text, nonce=nonce)
            if self.dm_count() == 9:
                nine_done.set()
            return out

    clock = FixedClock(at(9, 50))
    sender = SlowForUser1()
    svc = service(store, Programme(A10), clock, sender, concurrency=4)
    await store.star_many([(u, "a") for u in range(1, 11)], clock.now())
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

        async def send_dm(self, user_id, text, *, nonce):
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            if self.in_flight == 5:
                full.set()
            await gate.wait()
            self.in_flight -= 1
            return await super().send_dm(user_id, text, nonce=nonce)

    clock = FixedClock(at(9, 50))
    sender = Gated()
    svc = service(store, Programme(A10), clock, sender, concurrency=5)
    await store.star_many([(u, "a") for u in range(1, 51)], clock.now())
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
    await store.star_many([(1, "a"), (2, "a"), (3, "a")], at(8))
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
    await store.star_many([(1, "a"), (2, "a"), (3, "a")], at(8))
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
        states = [await store.delivery_state(u, "a", "reminder", reminder_key(at(9, 50))) for u in (1, 2, 3)]
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
    await store.star_many([(1, "a"), (2, "a")], at(8))
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
    await store.star_many([(1, "a")], at(8))
    svc = service(store, Programme(A10), FixedClock(at(9, 57)), sender)
    report = await svc.start()
    assert report.late == 1
    assert sender.dms_to(1)[0].startswith("⏰ Sorry, this reminder is late: “Talk a”")


async def test_reminder_a_few_seconds_late_is_not_called_late(store):
    """A reminder sent within the grace period after its time carries no apology."""
    sender = RecordingSender()
    await store.star_many([(1, "a")], at(8))
    svc = service(store, Programme(A10), FixedClock(at(9, 50, 30)), sender)
    await svc.start()
    assert sender.dms_to(1)[0].startswith("⏰ Reminder: “Talk a”")


async def test_reminder_due_while_down_for_a_started_session_is_recorded_missed(store):
    """Back after the session started, the bot does not send a useless reminder, and records it as missed."""
    sender = RecordingSender()
    await store.star_many([(1, "a"), (2, "a")], at(8))
    svc = service(store, Programme(A10), FixedClock(at(10, 5)), sender)
    report = await svc.start()
    assert sender.calls == 0 and report.missed == 2
    assert await store.delivery_state(1, "a", "reminder", reminder_key(at(9, 50))) == "missed"


async def test_a_restart_looks_back_only_over_the_downtime_its_heartbeat_shows(store):
    """Seen running at 12:00, back at 15:00: the 14:00 talk's reminder is missed; the 11:00 talk's is not touched."""
    early, late = session("early", at(11)), session("late", at(14))
    await store.star_many([(1, "early"), (1, "late")], at(8))
    await store.mark_seen(at(12))  # the last heartbeat before the bot went down
    report = await service(store, Programme(early, late), FixedClock(at(15))).start()
    assert report.missed == 1
    assert await store.delivery_state(1, "late", "reminder", reminder_key(at(13, 50))) == "missed"
    assert await store.delivery_state(1, "early", "reminder", reminder_key(at(10, 50))) is None
    assert await store.last_seen() == at(15)


# ---------------------------------------------------------------- channel delivery


async def test_closed_dms_fall_back_to_the_channel_and_are_remembered(store):
    """A user whose DMs bounce is mentioned in the reminders channel, and next time goes straight there."""
    clock = FixedClock(at(9))
    sender = RecordingSender(closed_dms=[2])
    svc = service(store, Programme(A10, B14), clock, sender)
    await store.star_many([(1, "a"), (2, "a"), (2, "b")], clock.now())
    await svc.start()
    report = await svc.run_due(at(9, 50))
    assert report.sent_dm == 1 and report.sent_channel == 1 and report.dm_closed == 1
    post = sender.channel_posts(CHANNEL)[0]
    assert post.mention_user_ids == (2,) and "<@2>" in post.text and "“Talk a”" in post.text
    assert (await store.get_settings(2)).dm_closed is True

    await svc.run_due(at(13, 50))
    assert sender.attempts.count(("dm", 2)) == 1  # no second bounce: straight to the channel
    assert sender.mentioned(CHANNEL) == [2, 2]


async def test_closed_dms_without_a_channel_are_recorded_failed(store):
    """With no reminders channel configured, a bounced DM is recorded as failed, not retried forever."""
    clock = FixedClock(at(9, 50))
    sender = RecordingSender(closed_dms=[1])
    svc = service(store, Programme(A10), clock, sender, reminders_channel_id=None)
    await store.star_many([(1, "a"), (2, "a")], clock.now())
    await svc.replan()
    report = await svc.run_due()
    assert report.failed == 1 and report.sent_dm == 1
    assert await store.delivery_state(1, "a", "reminder", reminder_key(at(9, 50))) == "failed"
    assert (await svc.run_due()).sent == 0 and sender.attempts.count(("dm", 1)) == 1


async def test_channel_post_mentions_everyone_in_parts_under_the_limit(tmp_path):
    """Hundreds of channel-mode users are all mentioned once, in posts under 2,000 characters, never reposted after a restart."""
    path = tmp_path / "bot.db"
    programme, clock, sender = Programme(A10), FixedClock(at(9, 50)), RecordingSender()
    users = [10**17 + u for u in range(500)]  # real snowflakes are 18-19 digits
    store = await Storage.open(path)
    await store.star_many([(u, "a") for u in users], at(8))
    report = await service(store, programme, clock, sender, default_delivery="channel").start()
    await store.close()
    posts = sender.channel_posts(CHANNEL)
    assert report.sent_channel == 500 and report.channel_posts == len(posts) > 1
    assert all(len(p.text) <= DISCORD_LIMIT for p in posts)
    assert sorted(sender.mentioned()) == users
    assert len({p.nonce for p in posts}) == len(posts) and all(len(p.nonce) <= 25 for p in posts)
    assert all(f"<@{u}>" in p.text for p in posts for u in p.mention_user_ids)

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
    await store.star_many([(u, "a") for u in users], at(8))
    with pytest.raises(SimulatedCrash):
        await service(store, programme, clock, sender, default_delivery="channel", concurrency=1).start()
    await store.close()
    parts = math.ceil(300 / len(sender.channel_posts()[0].mention_user_ids))

    sender.crash_on_call = 0
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
    await store.star_many([(1, "a"), (2, "a"), (3, "a")], clock.now())
    await store.update_settings(2, delivery="channel")
    await store.update_settings(3, delivery="channel")
    await svc.replan()
    await svc.run_due()
    assert [p.mention_user_ids for p in sender.channel_posts()] == [(2, 3)]
    assert sender.dm_count() == 1 and sender.dms_to(1)


# ---------------------------------------------------------------- transient failures


async def test_transient_failure_is_retried_later_with_the_same_nonce(store):
    """A Discord outage delays a reminder to the next run; it then arrives once, with its original nonce."""
    clock = FixedClock(at(9, 50))
    sender = RecordingSender()
    sender.fail_transiently(2, user_id=1)
    svc = service(store, Programme(A10), clock, sender)
    await store.star_many([(1, "a"), (2, "a")], clock.now())
    await svc.replan()
    first = await svc.run_due()
    assert first.sent_dm == 1 and first.retrying == 1
    assert (await svc.run_due(clock.advance(seconds=30))).retrying == 1
    assert (await svc.run_due(clock.advance(seconds=30))).sent_dm == 1
    assert sender.messages[-1].nonce == delivery_nonce(1, "a", "reminder", reminder_key(at(9, 50)))
    assert len(sender.dms_to(1)) == 1 and (await svc.run_due(clock.advance(seconds=30))).sent == 0


async def test_transient_failure_schedules_a_retry_run(store):
    """After a failed send the bot wakes itself up a little later to try again, without waiting for the next reminder."""
    clock = FixedClock(at(9, 50))
    sender = RecordingSender()
    sender.fail_transiently(1, user_id=1)
    scheduler = AsyncIOScheduler(timezone=TZ)
    svc = service(store, Programme(A10), clock, sender, scheduler=scheduler, retry_delay=timedelta(seconds=30))
    await store.star_many([(1, "a")], clock.now())
    await svc.start()
    retry = scheduler.get_job("reminder-retry")
    assert retry.trigger.run_date == at(9, 50, 30)
    clock.set(at(9, 50, 30))
    await retry.func(*retry.args)
    assert len(sender.dms_to(1)) == 1


async def test_persistent_failure_gives_up_after_the_allowed_attempts(store):
    """A reminder that fails every time is given up after max_attempts and not tried again."""
    clock = FixedClock(at(9, 50))
    sender = RecordingSender()
    sender.fail_transiently(100, user_id=1)
    svc = service(store, Programme(A10), clock, sender, max_attempts=3)
    await store.star_many([(1, "a")], clock.now())
    await svc.replan()
    reports = [await svc.run_due(clock.advance(seconds=30)) for _ in range(5)]
    assert [r.failed for r in reports] == [0, 0, 1, 0, 0]
    assert sender.attempts.count(("dm", 1)) == 3
    assert await store.delivery_state(1, "a", "reminder", reminder_key(at(9, 50))) == "failed"


# ---------------------------------------------------------------- re-planning


async def test_unstarring_before_the_reminder_cancels_it(store):
    """A user who unstars before the reminder time gets no reminder."""
    clock = FixedClock(at(9))
    sender = RecordingSender()
    svc = service(store, Programme(A10), clock, sender)
    await store.star_many([(1, "a"), (2, "a")], clock.now())
    await svc.start()
    await store.unstar(1, "a")
    await svc.replan()
    await svc.run_due(at(9, 50))
    assert not sender.dms_to(1) and sender.dms_to(2)


async def test_starring_after_the_reminder_time_reminds_at_once_without_apology(store):
    """Starring a session a few minutes before it starts brings the reminder right away, not an apology."""
    clock = FixedClock(at(9, 50))
    sender = RecordingSender()
    scheduler = AsyncIOScheduler()
    svc = service(store, Programme(A10), clock, sender, scheduler=scheduler)
    await store.star_many([(1, "a")], clock.now())
    await svc.start()
    clock.set(at(9, 55))
    await store.star(2, "a", clock.now())
    await svc.replan()
    catchup = scheduler.get_job("reminder-catchup")
    assert catchup is not None
    await catchup.func(*catchup.args)
    assert sender.dms_to(2)[0].startswith("⏰ Reminder:") and len(sender.dms_to(1)) == 1


async def test_apscheduler_jobs_follow_the_plan(store):
    """APScheduler holds one job per session and lead time at the due time, moved and removed with the plan."""
    clock = FixedClock(at(9))
    sender = RecordingSender()
    programme = Programme(A10, B14)
    scheduler = AsyncIOScheduler(timezone=TZ)  # never started: jobs are inspected, not waited for
    svc = service(store, programme, clock, sender, scheduler=scheduler)
    await store.star_many([(1, "a"), (2, "a"), (1, "b")], clock.now())
    await store.update_settings(2, lead_minutes=30)
    await svc.start()
    assert scheduler.get_job("reminder-heartbeat") is not None
    jobs = {j.id: j.trigger.run_date for j in scheduler.get_jobs() if j.id != "reminder-heartbeat"}
    assert jobs == {
        "reminder:a:30": at(9, 30),
        "reminder:a:10": at(9, 50),
        "reminder:b:10": at(13, 50),
        "reminder-horizon": at(12),
    }

    programme.set(session("a", at(11)), B14)  # the talk moved an hour later
    await store.unstar(1, "b")
    await svc.replan()
    jobs = {j.id: j.trigger.run_date for j in scheduler.get_jobs() if j.id != "reminder-heartbeat"}
    assert jobs == {"reminder:a:30": at(10, 30), "reminder:a:10": at(10, 50), "reminder-horizon": at(12)}

    for job_id, when, user in (("reminder:a:30", at(10, 30), 2), ("reminder:a:10", at(10, 50), 1)):
        job = scheduler.get_job(job_id)
        clock.set(when)
        await job.func(*job.args)  # what APScheduler would run at that time
        assert [m.target for m in sender.messages][-1:] == [user]
    assert sender.dm_count() == 2 and sender.dms_to(1)[0].startswith("⏰ Reminder:")
    await svc.stop()
    assert scheduler.get_jobs() == []


async def test_apscheduler_holds_only_the_next_hours_and_the_horizon_job_brings_in_the_rest(store):
    """A talk tomorrow is not yet in APScheduler; when the horizon job runs the next day, its reminder is."""
    clock = FixedClock(at(9))
    scheduler = AsyncIOScheduler(timezone=TZ)
    tomorrow = session("b", at(9) + timedelta(days=1))
    svc = service(store, Programme(A10, tomorrow), clock, RecordingSender(), scheduler=scheduler)
    await store.star_many([(1, "a"), (1, "b")], clock.now())
    await svc.start()
    ids = {j.id for j in scheduler.get_jobs()}
    assert "reminder:a:10" in ids and "reminder:b:10" not in ids
    clock.set(at(9) + timedelta(hours=20))
    horizon = scheduler.get_job("reminder-horizon")
    await horizon.func(*horizon.args)
    job = scheduler.get_job("reminder:b:10")
    assert job is not None and job.trigger.run_date == at(9) + timedelta(days=1, minutes=-10)
    await svc.stop()


async def test_print_sender_prints_reminder_lines(store):
    """In the text console each reminder appears as a "⏰ reminder" line."""
    import io

    out = io.StringIO()
    clock = FixedClock(at(9, 50))
    svc = service(store, Programme(A10), clock, PrintSender(out))
    await store.star_many([(1, "a")], clock.now())
    await svc.replan()
    await svc.run_due()
    assert out.getvalue().startswith("⏰ reminder (DM to user 1): Reminder: “Talk a”")
