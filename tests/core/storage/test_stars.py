"""Stars: a user's agenda and a session's stargazers, and who wants each session's reminder when."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from bot.core.storage import Need, Storage
from tests.seed import star_many

T0 = datetime(2026, 8, 7, 10, 0, tzinfo=ZoneInfo("Asia/Taipei"))


async def test_star_and_unstar_report_whether_anything_changed(store, clock):
    """Starring twice keeps one star; unstarring something not starred says so."""
    assert await store.star(7, "ai-1026", clock.now()) is True
    assert await store.star(7, "ai-1026", clock.now()) is False
    assert await store.stars_of(7) == ["ai-1026"]
    assert await store.unstar(7, "ai-1026") is True
    assert await store.unstar(7, "ai-1026") is False
    assert await store.stars_of(7) == []


async def test_star_queries_from_both_sides(store, clock):
    """A user's stars and a session's stargazers agree."""
    await star_many(store, [(1, "a"), (2, "a"), (2, "b"), (3, "a")], clock.now())
    assert await store.stargazers("a") == [1, 2, 3]
    assert await store.stargazers("b") == [2]
    assert sorted(await store.stars_of(2)) == ["a", "b"]
    assert await store.stars_of(1) == ["a"]


async def test_stars_of_lists_oldest_star_first(store, clock):
    """A user's stars come back in the order they were starred."""
    await store.star(1, "z", clock.now())
    await store.star(1, "a", clock.advance(minutes=1))
    assert await store.stars_of(1) == ["z", "a"]


async def test_reminder_audiences_follow_each_users_lead_time(store, clock):
    """Users get the reminder at their own lead time, or the default when they set none."""
    await star_many(store, [(1, "a"), (2, "a"), (3, "a"), (4, "b")], clock.now())
    await store.update_settings(2, lead_minutes=5)
    await store.update_settings(3, lead_minutes=10)  # same as the default
    await store.update_settings(9, lead_minutes=60)  # no stars: irrelevant
    assert await store.reminder_demand(default_lead=10) == {
        "a": {5: Need(1, cold=1), 10: Need(2, cold=2)},
        "b": {10: Need(1, cold=1)},
    }
    assert await store.users_for_reminder("a", 10, default_lead=10) == [1, 3]
    assert await store.users_for_reminder("a", 5, default_lead=10) == [2]
    assert await store.users_for_reminder("b", 5, default_lead=10) == []


async def test_what_a_reminder_costs_counts_channel_posts_and_dm_channels_not_yet_open(store):
    """A reminder's cost: a message per DM, one more for a DM channel not open yet, one post per few dozen mentions."""
    await star_many(store, [(u, "a") for u in range(1, 8)], T0)
    await store.remember_dm_channel(1, 101)  # warm
    await store.remember_dm_channel(2, 102)
    await store.update_settings(3, delivery="channel")
    await store.set_dm_closed(4, True)  # bounced once: mentioned in the channel from now on
    await store.remember_dm_channel(4, 104)
    need = (await store.reminder_demand(10))["a"][10]
    assert need == Need(users=7, channel=2, cold=3)  # 5, 6, 7 have no DM channel yet
    assert need.requests() == 5 + 3 + 1
    assert Need(200, channel=200).requests(mentions_per_post=60) == 4
    everyone_in_channel = (await store.reminder_demand(10, default_delivery="channel"))["a"][10]
    assert everyone_in_channel == Need(users=7, channel=7, cold=0)


async def test_dm_channels_worth_opening_are_those_of_dm_stargazers_without_one(store):
    """The DM channels to open ahead: stargazers reminded by DM, their DMs not closed, with no channel open yet."""
    await star_many(store, [(5, "late"), (1, "late"), (2, "soon"), (3, "soon"), (5, "soon"), (4, "never")], T0)
    await store.remember_dm_channel(3, 103)
    await store.update_settings(1, delivery="channel")
    assert sorted(await store.cold_stars()) == [("late", 5), ("never", 4), ("soon", 2), ("soon", 5)]
    await store.set_dm_closed(2, True)
    assert ("soon", 2) not in await store.cold_stars()
    assert await store.cold_stars(default_delivery="channel") == []  # nobody chose DMs


async def test_stargazers_with_leads_uses_each_users_own_lead_or_the_default(store):
    """One query gives every stargazer of several sessions with their effective lead time."""
    await star_many(store, [(1, "a"), (2, "a"), (2, "b")], T0)
    await store.update_settings(2, lead_minutes=30)
    got = sorted(await store.stargazers_with_leads(["a", "b", "c"], 10))
    assert got == [("a", 1, 10), ("a", 2, 30), ("b", 2, 30)]


# ---------------------------------------------------------------- property test


class StarsMachine(RuleBasedStateMachine):
    """Random star/unstar sequences against a plain Python set of (user, session) pairs."""

    users = st.integers(min_value=1, max_value=4)
    sessions = st.sampled_from(["a", "b", "c", "ai-1026"])

    def __init__(self) -> None:
        super().__init__()
        self.runner = asyncio.Runner()
        self.store = self.runner.run(Storage.open(":memory:"))
        self.model: set[tuple[int, str]] = set()

    @rule(user=users, session=sessions)
    def star(self, user: int, session: str) -> None:
        new = self.runner.run(self.store.star(user, session, T0))
        assert new == ((user, session) not in self.model)
        self.model.add((user, session))

    @rule(user=users, session=sessions)
    def unstar(self, user: int, session: str) -> None:
        removed = self.runner.run(self.store.unstar(user, session))
        assert removed == ((user, session) in self.model)
        self.model.discard((user, session))

    @invariant()
    def agrees_with_model(self) -> None:
        for u in range(1, 5):
            assert set(self.runner.run(self.store.stars_of(u))) == {s for uu, s in self.model if uu == u}
        for s in ("a", "b", "c", "ai-1026"):
            assert self.runner.run(self.store.stargazers(s)) == sorted(u for u, ss in self.model if ss == s)

    def teardown(self) -> None:
        self.runner.run(self.store.close())
        self.runner.close()


StarsMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=20, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def test_stars_behave_like_a_set():
    """Any sequence of star and unstar leaves exactly the stars a user would expect."""
    StarsMachine.TestCase().runTest()
