"""Planning: one reminder job per starred, not-yet-started session and lead time its stargazers chose."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.core.model import Session
from bot.core.programme import Catalog
from bot.core.reminders import Budget, PlannedJob
from bot.core.reminders.planning import plan
from bot.core.storage import Need
from tests.core.reminders.helpers import Programme, at, catalog, service, session
from tests.doubles import RecordingSender
from tests.seed import star_many

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
    await star_many(store, stars, at(7))
    for user, lead in leads.items():
        await store.update_settings(user, lead_minutes=lead)
    clock = FixedClock(now)
    svc = service(store, Programme(*sessions), clock)
    await svc.replan()
    assert svc.plan() == [PlannedJob(*e) for e in expected]


# ---------------------------------------------------------------- when sending starts


def need_of(users: int, cold: int = 0, channel: int = 0) -> dict[int, Need]:
    return {10: Need(users, channel=channel, cold=cold)}


def test_a_fan_out_starts_early_enough_to_be_done_when_due():
    """1,000 DMs at 48 requests a second (90 % of it for reminders) start 25 s early; cold ones take twice as long."""
    budget = Budget(rate=48.0)
    (warm,) = plan(catalog(A10), {"a": need_of(1000)}, at(8), budget)
    assert warm.due_at == at(9, 50)
    assert warm.margin == timedelta(seconds=1000 / (48 * 0.9) + 2)
    (cold,) = plan(catalog(A10), {"a": need_of(1000, cold=1000)}, at(8), budget)
    assert cold.margin == timedelta(seconds=2000 / (48 * 0.9) + 2)
    (posted,) = plan(catalog(A10), {"a": need_of(600, channel=600)}, at(8), budget)
    assert posted.margin == timedelta(seconds=10 / (48 * 0.9) + 2)  # 600 mentions in posts of 60


def test_thousands_of_mentions_in_one_channel_start_early_enough_for_the_channel_limit():
    """3,000 mentions in the reminders channel are 50 posts, which one channel takes at 1 a second: 52 s early."""
    budget = Budget(rate=48.0, channel_rate=1.0)
    (posted,) = plan(catalog(A10), {"a": need_of(3_000, channel=3_000)}, at(8), budget)
    assert posted.margin == timedelta(seconds=50 / 1.0 + 2)  # the global budget alone would say 3.2 s
    (mixed,) = plan(catalog(A10), {"a": need_of(5_000, channel=60)}, at(8), budget)
    assert mixed.margin == timedelta(seconds=(4_940 + 1) / (48 * 0.9) + 2)  # one post: the DMs decide


def test_sessions_due_at_the_same_instant_share_one_window():
    """10,000 and 2,000 stargazers due the same minute: both start early enough for all 12,000 DMs."""
    budget = Budget(rate=48.0)
    c = catalog(A10, session("a2", at(10), room="Pier 2"))
    jobs = plan(c, {"a": need_of(10_000), "a2": need_of(2_000)}, at(8), budget)
    assert {j.session_id for j in jobs} == {"a", "a2"}
    assert {j.start_at for j in jobs} == {at(9, 50) - timedelta(seconds=12_000 / (48 * 0.9) + 2)}


def test_instants_close_together_are_planned_backwards_so_each_is_done_in_time():
    """A busy instant a minute after another pushes the earlier one's start back so both are done when due."""
    budget = Budget(rate=48.0)
    c = catalog(A10, session("b", at(10, 1)))
    a, b = plan(c, {"a": need_of(1_000), "b": need_of(3_000)}, at(8), budget)
    assert b.start_at == at(9, 51) - timedelta(seconds=3000 / 43.2 + 2)  # 71.4 s before 9:51
    assert b.start_at < a.due_at  # b's window reaches back before a is due
    b_sending = b.start_at + timedelta(seconds=2)  # b's slack is its own
    assert a.start_at == b_sending - timedelta(seconds=1000 / 43.2 + 2)  # so a is sent before b's sending begins


def test_reminders_a_second_apart_each_start_their_own_slack_before_they_are_due():
    """Small reminders a second apart do not push each other back: each starts about 2 s before it is due."""
    sessions = [session(f"s{i}", at(10, 0, i)) for i in range(10)]
    jobs = plan(catalog(*sessions), {s.id: need_of(1, cold=1) for s in sessions}, at(8), Budget(rate=48.0))
    assert [round(j.margin.total_seconds(), 2) for j in jobs] == [round(2 / 43.2 + 2, 2)] * 10


def test_no_reminder_starts_more_than_the_longest_margin_before_it_is_due():
    """However many stargazers, sending starts at most 15 minutes early (beyond that some may come late)."""
    (job,) = plan(catalog(A10), {"a": need_of(1_000_000)}, at(8), Budget(rate=48.0))
    assert job.margin == timedelta(minutes=15)


def test_without_a_budget_every_reminder_starts_when_due():
    """A front end that sends without a rate limit (the console) sends each reminder at its due time."""
    (job,) = plan(catalog(A10), {"a": need_of(10_000, cold=10_000)}, at(8), Budget())
    assert job.start_at == job.due_at == at(9, 50)


# ---------------------------------------------------------------- daylight saving


NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    "start,due_utc",
    [
        # spring forward: 02:00 EST jumps to 03:00 EDT; an hour before 03:00 EDT (07:00 UTC) is 01:00 EST
        (datetime(2024, 3, 10, 3, 0, tzinfo=NEW_YORK), datetime(2024, 3, 10, 6, 0, tzinfo=UTC)),
        # fall back: 01:00-02:00 happens twice; an hour before 02:00 EST (07:00 UTC) is the second 01:00
        (datetime(2023, 11, 5, 2, 0, tzinfo=NEW_YORK), datetime(2023, 11, 5, 6, 0, tzinfo=UTC)),
    ],
    ids=["spring-forward", "fall-back"],
)
async def test_a_lead_time_is_elapsed_time_across_daylight_saving(store, start, due_utc):
    """A 60-minute reminder comes 60 real minutes before the session, on the nights the clocks change too."""
    talk = Session(id="dst", path="dst.md", title="Night talk", start=start, end=None, track="ai", room="R")
    cat = Catalog(NEW_YORK, [talk], {}, [], [], [], [])
    (job,) = plan(cat, {"dst": {60: Need(1)}}, start - timedelta(days=1))
    assert job.due_at.astimezone(UTC) == due_utc  # (the second 01:00 compares equal to no other zone's instant)
    assert job.session_start.astimezone(UTC) == start.astimezone(UTC)

    await star_many(store, [(1, "dst")], start - timedelta(days=2))
    await store.update_settings(1, lead_minutes=60)
    sender = RecordingSender()
    svc = service(store, lambda: cat, FixedClock(start - timedelta(days=1)), sender)  # type: ignore[arg-type]
    await svc.start()
    assert (await svc.run_due(due_utc - timedelta(seconds=1))).sent == 0
    assert (await svc.run_due(due_utc)).sent_dm == 1
