"""End to end: 1,000 attendees star one talk; at Discord's 50 requests a second every DM arrives by its due time.

The real ConfBot runs against the fake Discord with its global rate limit on, five times faster than real
time so the test stays short: the fake allows 50 requests per fifth of a second, the bot's clock runs five
times as fast (so 50 requests per second of the bot's clock) and its pacer spends the same budget (at
200-odd requests a second of real time, well within what this machine does under load). The
bot starts before the reminder's window and sends on its own (APScheduler wakes it); the test reads the
fake's record of when each DM arrived, on the bot's clock.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import RunningClock
from bot.core.delivery import Pacer
from bot.core.storage import Storage
from bot.frontends.discord.client import ConfBot
from tests.fakediscord.harness import running_bot
from tests.fakediscord.server import FakeDiscord
from tests.seed import star_many

SHANGHAI = ZoneInfo("Asia/Shanghai")
TALK = "community-301"  # Fri 7 Aug 2026 13:30 in Shanghai
DUE = datetime(2026, 8, 7, 13, 20, tzinfo=SHANGHAI)  # ten minutes before
SPEED = 5  # the bot's clock runs five times as fast as real time, and the fake's limit is five times as tight
N = 1000


async def test_a_thousand_reminders_arrive_between_their_lead_time_plus_margin_and_their_due_time(
    sample_config, confbot_factory
):
    """1,000 stargazers of one talk each get one DM, none before lead time plus the planned margin, none after due."""
    fake = FakeDiscord(members={}, rate_limit_per_second=50, rate_limit_window=1 / SPEED)
    users = [fake.add_member(f"attendee{i:04d}") for i in range(N)]
    storage = await Storage.open(sample_config.database)
    try:
        await star_many(storage, [(u.id, TALK) for u in users], DUE - timedelta(days=1))
        for u in users:  # opened ahead (tests/core/reminders/test_preparation.py): one request per reminder
            await storage.remember_dm_channel(u.id, fake.dm_channel(u).id)
    finally:
        await storage.close()
    sample_config.reminders.lead = timedelta(minutes=10)
    sample_config.reminders.delivery = "dm"
    window = timedelta(seconds=N / (50 * 0.9) + 2)  # what the plan should need at 50 a second (less the guard)
    clock = RunningClock(DUE - window - timedelta(seconds=4), speed=SPEED)
    make = confbot_factory(sample_config, clock)

    def factory(fake: FakeDiscord) -> ConfBot:
        bot = make(fake)
        # Discord's budget on the fake's shorter window; the guard (20 ms) absorbs this machine's jitter.
        bot.sender.pacer = Pacer(limit=50, window=1 / SPEED, guard=0.02)
        return bot

    channels = {str(fake.dm_channel(u).id) for u in users}
    async with running_bot(factory, fake=fake, ready_timeout=10) as (_, bot):
        assert isinstance(bot, ConfBot)
        await bot.app.services.caught_up()
        reminders = bot.app.services.reminders
        assert reminders is not None
        (job,) = [j for j in reminders.plan() if j.session_id == TALK]
        assert job.due_at == DUE
        margin = job.margin
        # The documented margin: the requests over 90 % of the pacer's rate on the bot's clock, plus 2 s.
        rate = bot.sender.pacer.rate / SPEED
        assert abs(margin.total_seconds() - (N / (rate * 0.9) + 2)) < 0.01
        assert timedelta(seconds=N / 50) < margin < timedelta(seconds=40)
        pc0, t0 = time.perf_counter(), clock.now()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            dms = [r for r in fake.requests if r.kind == "channel_message" and r.params.get("channel_id") in channels]
            if len(dms) >= N:
                break
            await asyncio.sleep(0.1)
        while await bot.app.services.storage.pending_deliveries() and time.monotonic() < deadline:  # type: ignore[union-attr]
            await asyncio.sleep(0.05)
    on_bot_clock = sorted(t0 + timedelta(seconds=(r.recorded_at - pc0) * SPEED) for r in dms)
    assert len(dms) == N and all(r.ok and not r.deduplicated for r in dms)
    assert {len(fake.dms_to(u)) for u in users} == {1}
    first, last = on_bot_clock[0], on_bot_clock[-1]
    print(
        f"\n{N} DMs from {(DUE - first).total_seconds():.1f} s to {(DUE - last).total_seconds():.1f} s before due "
        f"(margin {margin.total_seconds():.1f} s); {fake.invalid_requests} answered 429"
    )
    assert first >= DUE - margin - timedelta(seconds=0.5), "a DM went out before lead time plus margin"
    assert last <= DUE, f"the last DM was {(last - DUE).total_seconds():.1f} s late"
    assert "Your First Pull Request Is a Conversation" in fake.dms_to(users[0])[0]["content"]
