"""The bot's one budget of requests to Discord: evenly spaced under the global limit, granted by priority.

Discord allows a bot 50 requests per second in all (interaction responses excepted) and answers more with
429; too many 429s get the bot banned.  One `Pacer` per bot process spaces every request it makes, so the
bot spends close to the limit without crossing it:

- requests are granted one every `(window + guard) / limit` seconds of real time; `guard` absorbs the
  network's jitter (a request granted on time may reach Discord a little late, the next one on time), so at
  50 per second with a 40 ms guard the bot spends 48 requests a second, 96 % of the limit;
- when requests wait, the one with the lowest `Priority` goes first (announcements and room posts, then
  reminders and change notices, then preparation), first come first served within a priority;
- a request made inside `at_priority(p)` waits with priority `p`; otherwise it is URGENT (a person is
  waiting, or it is the bot starting);
- `ahead(p)` takes a slot before the request is made, for work that may wait a long time (preparation
  waits until nothing else wants the budget, which could outlast an HTTP client's timeout).

The pacer knows nothing of HTTP: a front end asks `request_slot()` before each request it sends.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextvars import ContextVar

from bot.core.notices import Priority

__all__ = ["CHANNEL_POSTS_PER_SECOND", "DISCORD_LIMIT_PER_SECOND", "Pacer", "at_priority"]

DISCORD_LIMIT_PER_SECOND = 50  # Discord's global limit for a bot, per second
# What one channel takes: Discord's bucket for POST /channels/{id}/messages is 5 per 5 s (a route limit that
# discord.py waits out by itself), so 3,000 mentions in one reminders channel, 50 posts, take 50 s.
CHANNEL_POSTS_PER_SECOND = 1.0
GUARD = 0.04  # seconds of jitter a full window may absorb: 48 requests a second at Discord's limit

_priority: ContextVar[Priority] = ContextVar("pacer_priority", default=Priority.URGENT)
_prepaid: ContextVar[list[int] | None] = ContextVar("pacer_prepaid", default=None)


@contextlib.contextmanager
def at_priority(priority: Priority) -> Iterator[None]:
    """Requests made inside (in this task, and tasks it starts) wait with `priority`."""
    token = _priority.set(priority)
    try:
        yield
    finally:
        _priority.reset(token)


class Pacer:
    """At most `limit` requests in any `window` seconds (with `guard` to spare), granted lowest priority first."""

    def __init__(self, limit: int = DISCORD_LIMIT_PER_SECOND, window: float = 1.0, guard: float = GUARD):
        if limit < 1 or window <= 0 or guard < 0:
            raise ValueError("a pacer needs limit >= 1, window > 0 and guard >= 0")
        self.limit = limit
        self.window = window
        self.guard = guard
        self.interval = (window + guard) / limit
        # A grant the event loop made late may be made up for, by this much: less than the guard, so that
        # even then no `window` holds more than `limit` grants.
        self.catch_up = guard / 4
        self.granted: Counter[Priority] = Counter()
        self._next = float("-inf")  # the loop time of the next grant
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._timer: asyncio.TimerHandle | None = None

    @property
    def rate(self) -> float:
        """Requests per second of real time the pacer grants when busy."""
        return 1.0 / self.interval

    def waiting(self, up_to: Priority = Priority.PREPARE) -> int:
        """How many requests wait with priority `up_to` or more urgent."""
        return sum(1 for p, _, f in self._waiting if p <= up_to and not f.done())

    async def slot(self, priority: Priority = Priority.URGENT) -> None:
        """Wait for this request's turn."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        if not self._waiting and now >= self._next:
            self._grant(now, priority)
            return
        fut: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._waiting, (int(priority), next(self._order), fut))
        self._arm(loop)
        await fut  # cancelled while waiting: the dispatcher skips it; cancelled once granted: the slot is lost

    async def request_slot(self) -> None:
        """What a front end awaits before each request: a slot taken ahead, else one at the caller's priority."""
        prepaid = _prepaid.get()
        if prepaid is not None and prepaid[0] > 0:
            prepaid[0] -= 1
            return
        await self.slot(_priority.get())

    @contextlib.asynccontextmanager
    async def ahead(self, priority: Priority) -> AsyncIterator[None]:
        """Take a slot now; the first request made inside uses it (any further one waits at `priority`)."""
        await self.slot(priority)
        prepaid = _prepaid.set([1])
        try:
            with at_priority(priority):
                yield
        finally:
            _prepaid.reset(prepaid)

    # ------------------------------------------------------------ granting

    def _grant(self, now: float, priority: Priority) -> None:
        self._next = max(self._next, now - self.catch_up) + self.interval
        self.granted[priority] += 1

    def _arm(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._timer is None:
            self._timer = loop.call_at(max(self._next, loop.time()), self._dispatch, loop)

    def _dispatch(self, loop: asyncio.AbstractEventLoop) -> None:
        self._timer = None
        now = loop.time()
        while self._waiting and now >= self._next:
            priority, _, fut = heapq.heappop(self._waiting)
            if fut.done():  # its task was cancelled while it waited
                continue
            fut.set_result(None)
            self._grant(now, Priority(priority))
        if self._waiting:
            self._arm(loop)
