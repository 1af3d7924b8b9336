"""The pacer: the bot's one budget of requests, spent evenly under the limit, most urgent first."""

from __future__ import annotations

import asyncio
import time

from bot.core.delivery import Pacer, at_priority
from bot.core.notices import Priority


async def test_requests_are_spaced_evenly_at_the_pacers_rate():
    """Sixty requests at 600 a second take a tenth of a second: evenly spaced, not in a burst."""
    pacer = Pacer(limit=60, window=0.1, guard=0.0)
    assert pacer.rate == 600
    start = time.perf_counter()
    for _ in range(61):
        await pacer.slot()
    assert time.perf_counter() - start >= 60 / 600 * 0.95


async def test_no_window_ever_holds_more_than_the_limit():
    """However many ask at once, no window of the limit's length sees more requests than the limit."""
    pacer = Pacer(limit=20, window=0.05, guard=0.005)
    times: list[float] = []

    async def one(priority: Priority) -> None:
        await pacer.slot(priority)
        times.append(time.perf_counter())

    await asyncio.gather(*(one(Priority(i % 3)) for i in range(120)))
    times.sort()
    assert len(times) == 120
    for i in range(len(times) - 20):
        assert times[i + 20] - times[i] >= 0.05, f"21 requests within {times[i + 20] - times[i]:.4f}s"
    spent = len(times) / (times[-1] - times[0])
    assert spent >= 0.8 * pacer.rate  # and the budget is spent, not wasted


async def test_the_most_urgent_waiting_request_goes_first():
    """While the budget is spent, an announcement waiting goes before reminders, and reminders before preparation."""
    pacer = Pacer(limit=1, window=0.02, guard=0.0)
    order: list[str] = []

    async def one(name: str, priority: Priority) -> None:
        await pacer.slot(priority)
        order.append(name)

    await pacer.slot()  # the budget is spent for the next 20 ms
    tasks = [
        asyncio.create_task(one(n, p)) for n, p in (("prepare", Priority.PREPARE), ("remind-1", Priority.REMINDER))
    ]
    await asyncio.sleep(0)
    tasks.append(asyncio.create_task(one("remind-2", Priority.REMINDER)))
    tasks.append(asyncio.create_task(one("announce", Priority.URGENT)))
    await asyncio.sleep(0)
    assert pacer.waiting() == 4 and pacer.waiting(Priority.URGENT) == 1
    await asyncio.gather(*tasks)
    assert order == ["announce", "remind-1", "remind-2", "prepare"]
    assert pacer.granted == {Priority.URGENT: 2, Priority.REMINDER: 2, Priority.PREPARE: 1}


async def test_a_request_waits_with_the_priority_it_is_made_at():
    """A request made for a reminder waits behind an announcement made later, through the context it runs in."""
    pacer = Pacer(limit=1, window=0.02, guard=0.0)
    order: list[str] = []

    async def request(name: str) -> None:
        await pacer.request_slot()
        order.append(name)

    async def reminder() -> None:
        with at_priority(Priority.REMINDER):
            await request("reminder")

    await pacer.slot()
    first = asyncio.create_task(reminder())
    await asyncio.sleep(0)
    second = asyncio.create_task(request("announcement"))  # made outside any priority: URGENT
    await asyncio.gather(first, second)
    assert order == ["announcement", "reminder"]


async def test_a_slot_taken_ahead_is_used_by_the_next_request_without_waiting_again():
    """Preparation waits for its slot before it asks Discord; the request it then makes does not wait a second time."""
    pacer = Pacer(limit=1, window=0.05, guard=0.0)
    async with pacer.ahead(Priority.PREPARE):
        start = time.perf_counter()
        await pacer.request_slot()  # uses the slot taken ahead
        assert time.perf_counter() - start < 0.01
        await pacer.request_slot()  # a second request waits its turn
        assert time.perf_counter() - start >= 0.04
    assert pacer.granted[Priority.PREPARE] == 2


async def test_a_request_given_up_while_waiting_does_not_use_a_slot():
    """A waiting request that is cancelled leaves its turn to the next one."""
    pacer = Pacer(limit=1, window=0.03, guard=0.0)
    await pacer.slot()
    dropped = asyncio.create_task(pacer.slot(Priority.URGENT))
    kept = asyncio.create_task(pacer.slot(Priority.REMINDER))
    await asyncio.sleep(0)
    dropped.cancel()
    start = time.perf_counter()
    await kept
    assert time.perf_counter() - start < 0.045  # the next slot, not the one after
    assert pacer.granted == {Priority.URGENT: 1, Priority.REMINDER: 1}
