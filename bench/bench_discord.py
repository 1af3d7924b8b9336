"""Round-trip time of /next and /talk through the real ConfBot (discord.py) and the fake Discord on loopback.

Starts the fake and ConfBot on the sample programme (a fresh database in a temporary folder, the clock
fixed at 7 Aug 2026 10:00 in Shanghai), then sends N slash commands one after another, alternating
/next and /talk, and reports in milliseconds the time from the fake dispatching INTERACTION_CREATE
to the bot's callback being recorded by the fake.

    .venv/bin/python bench/bench_discord.py [N] [--runtime]

The runtime (storage, reminders, announcements, APScheduler) is off unless --runtime is given;
neither command touches it.  Targets: median < 5 ms, p99 < 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import discord

from bot.app import App
from bot.clock import FixedClock
from bot.config import Config
from bot.frontends.discord.client import ConfBot
from tests.fakediscord.harness import running_bot

MEDIAN_TARGET_MS = 5.0
P99_TARGET_MS = 20.0
TALK_QUERIES = ("commons", "kubernetes operators", "keynote-104", "stream processing late data", "小模型")


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def describe(label: str, samples: list[float]) -> str:
    s = sorted(samples)
    return (
        f"{label:<6} n={len(s):>5}  median {statistics.median(s):6.2f} ms  p90 {percentile(s, 0.90):6.2f} ms  "
        f"p99 {percentile(s, 0.99):6.2f} ms  max {s[-1]:6.2f} ms"
    )


def command(i: int) -> tuple[str, dict[str, str]]:
    if i % 2 == 0:
        return "next", {}
    return "talk", {"query": TALK_QUERIES[(i // 2) % len(TALK_QUERIES)]}


async def main(n: int, runtime: bool) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        config = Config()
        config.database = Path(tmp) / "bench.db"
        clock = FixedClock(datetime(2026, 8, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))

        def make_bot(fake):
            config.discord.api_base = fake.api_base
            config.discord.gateway_url = fake.gateway_url
            config.discord.guild_id = fake.guild_id
            config.discord.announcements_channel_id = fake.channel("announcements").id
            config.discord.reminders_channel_id = fake.channel("general").id
            return ConfBot(App(config, clock), runtime=runtime, watch=False, guild_ready_timeout=0.05)

        started = time.perf_counter()
        async with running_bot(make_bot) as (fake, bot):
            ready_ms = (time.perf_counter() - started) * 1000
            assert isinstance(bot, ConfBot)
            if bot.runtime is not None:
                assert bot.runtime is not None and bot.runtime.scheduler is not None
                bot.runtime.scheduler.pause()  # the fixed clock is not real time: keep jobs from firing
            for i in range(100):  # warm-up: first-use costs in aiohttp, discord.py, the search index and the fake
                name, options = command(i)
                await fake.wait_for_response(await fake.slash(name, options))
            samples: dict[str, list[float]] = {"next": [], "talk": []}
            wall = time.perf_counter()
            for i in range(n):
                name, options = command(i)
                interaction = await fake.slash(name, options)
                reply = await fake.wait_for_response(interaction)
                assert reply.callback_type == 4 and reply.embeds, reply
                samples[name].append((reply.recorded_at - interaction.sent_at) * 1000)
            wall = time.perf_counter() - wall
            assert not fake.violations, fake.violations

    every = samples["next"] + samples["talk"]
    ordered = sorted(every)
    median, p99 = statistics.median(ordered), percentile(ordered, 0.99)
    print(
        f"discord.py {discord.__version__}, ConfBot on the sample programme, runtime {'on' if runtime else 'off'}; "
        f"{n} slash commands one after another (/next and /talk alternating)"
    )
    print(f"start-up to ready and synced: {ready_ms:.1f} ms")
    print("dispatch -> callback recorded:")
    print("  " + describe("/next", samples["next"]))
    print("  " + describe("/talk", samples["talk"]))
    print("  " + describe("all", every))
    print(f"throughput: {n / wall:.0f} commands/s (sequential)")
    ok = median < MEDIAN_TARGET_MS and p99 < P99_TARGET_MS
    print(f"targets median < {MEDIAN_TARGET_MS:g} ms, p99 < {P99_TARGET_MS:g} ms: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=1000, help="how many commands to send (default 1000)")
    parser.add_argument("--runtime", action="store_true", help="start storage, reminders and APScheduler too")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.n, args.runtime)))
