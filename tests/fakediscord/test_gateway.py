"""The gateway: a dropped socket RESUMEs with the missed events replayed; a forgotten session IDENTIFYs again."""

from __future__ import annotations

import asyncio

from tests.fakediscord.harness import running_bot
from tests.fakediscord.tinybot import TinyBot, tiny_bot


async def test_dropped_gateway_resumes_and_replays_missed_events() -> None:
    """After a 4000 close the bot RESUMEs; an interaction sent while it was away is replayed and answered."""
    async with running_bot(tiny_bot) as (fake, bot):
        frames_before = len(fake.gateway_frames)
        drop = asyncio.create_task(fake.drop_connection(4000))
        await asyncio.sleep(0)  # let the drop detach the socket before the next dispatch
        assert not fake.connected
        it = await fake.slash("hello", {"name": "while away"})
        await drop
        resume = await fake.wait_for_gateway(lambda f: f["op"] == 6, since=frames_before)
        reply = await fake.wait_for_response(it)
        assert reply.embeds[0]["title"] == "Hello while away"
        assert resume["d"]["seq"] < it.seq  # the interaction came by replay
        await asyncio.wait_for(bot.resumed.wait(), 5)
        assert (fake.identifies, fake.resumes) == (1, 1)
        assert len(it.responses) == 1


class QuickReidentifyBot(TinyBot):
    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py sleeps 5 s before a non-initial IDENTIFY; this test bot does not."""


async def test_invalidated_session_makes_the_bot_identify_again() -> None:
    """When the session is forgotten, RESUME gets op 9 and the bot IDENTIFYs afresh, then works."""
    async with running_bot(lambda fake: QuickReidentifyBot()) as (fake, _):
        frames_before = len(fake.gateway_frames)
        await fake.drop_connection(4000, invalidate=True)
        await fake.wait_for_gateway(lambda f: f["op"] == 2, since=frames_before)
        assert fake.identifies == 2
        it = await fake.slash("secret")
        assert (await fake.wait_for_response(it)).content == "only for you"
