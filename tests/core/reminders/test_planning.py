"""Planning: one reminder job per starred, not-yet-started session and lead time its stargazers chose."""

from __future__ import annotations

import pytest

from bot.clock import FixedClock
from bot.core.reminders import PlannedJob
from tests.core.reminders.helpers import Programme, at, service, session
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
