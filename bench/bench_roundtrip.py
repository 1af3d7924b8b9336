"""Round-trip time of a slash command through a real discord.py client and the fake Discord on loopback.

Sends N slash commands one after another and reports, in milliseconds, the time from the
fake dispatching INTERACTION_CREATE to the bot's callback being recorded by the fake (and, for
reference, to the callback's arrival).

    .venv/bin/python bench/bench_roundtrip.py [N]      (targets: median < 5 ms, p99 < 20 ms)
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import discord
from discord import app_commands

from tests.fakediscord.harness import running_bot

MEDIAN_TARGET_MS = 5.0
P99_TARGET_MS = 20.0


def make_bot(fake: object) -> discord.Client:
    client = discord.Client(intents=discord.Intents.default(), guild_ready_timeout=0.05, chunk_guilds_at_startup=False)
    tree = app_commands.CommandTree(client)

    @tree.command(description="Answer at once")
    async def ping(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message(embed=discord.Embed(title="pong", description=text))

    async def setup_hook() -> None:
        await tree.sync()

    client.setup_hook = setup_hook  # type: ignore[method-assign]
    return client


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


async def main(n: int) -> int:
    started = time.perf_counter()
    async with running_bot(make_bot) as (fake, _):
        ready_ms = (time.perf_counter() - started) * 1000
        for i in range(50):  # warm-up: first-use costs in aiohttp, discord.py and the fake
            await fake.wait_for_response(await fake.slash("ping", {"text": f"warm {i}"}))
        samples: list[float] = []
        arrivals: list[float] = []
        wall = time.perf_counter()
        for i in range(n):
            interaction = await fake.slash("ping", {"text": f"run {i}"})
            reply = await fake.wait_for_response(interaction)
            assert reply.callback_type == 4 and reply.embeds[0]["description"] == f"run {i}"
            samples.append((reply.recorded_at - interaction.sent_at) * 1000)
            arrivals.append((reply.at - interaction.sent_at) * 1000)
        wall = time.perf_counter() - wall
    samples.sort()
    arrivals.sort()
    median, p99 = statistics.median(samples), percentile(samples, 0.99)
    print(f"discord.py {discord.__version__}, {n} slash commands one after another")
    print(f"start-up to ready and synced: {ready_ms:.1f} ms")
    print(
        f"dispatch -> callback arrives: median {statistics.median(arrivals):.2f} ms, "
        f"p99 {percentile(arrivals, 0.99):.2f} ms"
    )
    print(
        f"dispatch -> callback recorded: median {median:.2f} ms, p90 {percentile(samples, 0.90):.2f} ms, "
        f"p99 {p99:.2f} ms, max {samples[-1]:.2f} ms"
    )
    print(f"throughput: {n / wall:.0f} commands/s (sequential)")
    ok = median < MEDIAN_TARGET_MS and p99 < P99_TARGET_MS
    print(f"targets median < {MEDIAN_TARGET_MS:g} ms, p99 < {P99_TARGET_MS:g} ms: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)))
