"""DM channels opened ahead of reminders, with spare capacity: each reminder then costs one request when it is due."""

from __future__ import annotations

import asyncio

from bot.clock import FixedClock
from bot.core.delivery import DMClosed, Pacer
from tests.core.reminders.helpers import Programme, at, service, session
from tests.doubles import RecordingSender
from tests.seed import star_many

A10 = session("a", at(10))
B14 = session("b", at(14))


async def settle(svc) -> None:
    assert svc.preparer is not None
    await asyncio.wait_for(svc.preparer.idle(), 5)


async def test_dm_channels_of_stargazers_are_opened_ahead_most_urgent_first(store):
    """After starting, the bot opens the DM channels of stargazers of the next talk first, each once."""
    clock = FixedClock(at(8))
    sender = RecordingSender(pacer=Pacer(), dm_store=store)
    await star_many(store, [(3, "b"), (1, "b"), (2, "a"), (1, "a"), (4, "b")], clock.now())
    await store.update_settings(4, delivery="channel")  # mentioned in the channel: needs no DM channel
    await store.remember_dm_channel(2, 502)  # already open
    svc = service(store, Programme(A10, B14), clock, sender)
    await svc.start()
    await settle(svc)
    assert sender.opened == [1, 3]  # 1 for the 10:00 talk, then 3 for the 14:00 one
    assert await store.dm_channels() == {1: 9_000_001, 2: 502, 3: 9_000_003}

    await store.star(5, "a", clock.now())
    await svc.replan()  # what /star does
    await settle(svc)
    assert sender.opened == [1, 3, 5]
    await svc.stop()


async def test_a_reminder_whose_dm_channels_are_open_needs_half_the_time(store):
    """Once the DM channels are open ahead, the reminder's window shrinks to one request per stargazer."""
    clock = FixedClock(at(8))
    sender = RecordingSender(pacer=Pacer(), dm_store=store)
    await star_many(store, [(u, "a") for u in range(1, 501)], clock.now())
    svc = service(store, Programme(A10), clock, sender, prepare_dms=False)
    await svc.start()
    (cold,) = svc.plan()
    await svc.stop()

    svc = service(store, Programme(A10), clock, sender)
    await svc.start()
    await settle(svc)
    (warm,) = svc.plan()
    assert sorted(sender.opened) == list(range(1, 501))
    assert warm.due_at == cold.due_at and warm.start_at > cold.start_at
    rate = Pacer().rate * 0.9
    assert abs((cold.margin - warm.margin).total_seconds() - 500 / rate) < 0.01
    await svc.stop()


async def test_a_user_whose_dms_are_closed_is_learnt_once_and_never_asked_again(store):
    """Discord refusing a user's DMs (50007) is remembered: no second try, and their reminder goes to the channel."""

    class Closed(RecordingSender):
        async def open_dm(self, user_id: int) -> int | None:
            self.opened.append(user_id)
            if user_id == 2:
                raise DMClosed("50007: Cannot send messages to this user")
            return await super().open_dm(user_id)

    clock = FixedClock(at(8))
    sender = Closed(pacer=Pacer(), dm_store=store)
    await star_many(store, [(1, "a"), (2, "a"), (2, "b")], clock.now())
    svc = service(store, Programme(A10, B14), clock, sender)
    await svc.start()
    await settle(svc)
    assert (await store.get_settings(2)).dm_closed
    await svc.replan()
    await settle(svc)
    assert sender.opened.count(2) == 1
    await svc.run_due(at(9, 50))
    assert sender.mentioned() == [2] and sender.attempts.count(("dm", 2)) == 0
    await svc.stop()


async def test_a_front_end_without_a_budget_prepares_nothing(store):
    """The console sends without a rate limit: a reminder costs nothing at its time, so nothing is opened ahead."""
    clock = FixedClock(at(8))
    sender = RecordingSender()
    await star_many(store, [(1, "a"), (2, "a")], clock.now())
    svc = service(store, Programme(A10), clock, sender)
    await svc.start()
    assert svc.preparer is None and sender.opened == []
    await svc.stop()


async def test_a_front_end_without_dm_channels_is_not_asked_again(store):
    """A front end that answers it has no DM channels to open is not asked again."""

    class NoChannels(RecordingSender):
        async def open_dm(self, user_id: int) -> int | None:
            self.opened.append(user_id)
            return None

    clock = FixedClock(at(8))
    sender = NoChannels(pacer=Pacer())
    await star_many(store, [(1, "a"), (2, "a")], clock.now())
    svc = service(store, Programme(A10), clock, sender)
    await svc.start()
    await settle(svc)
    await store.star(3, "a", clock.now())
    await svc.replan()
    await asyncio.sleep(0.05)
    assert sender.opened == [1]
    await svc.stop()
