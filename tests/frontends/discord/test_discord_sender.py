"""The Discord sender: paced under the rate limit, DM channels remembered across restarts, errors mapped."""

from __future__ import annotations

import time

import pytest

from bot.core.reminders import TransientSendError
from bot.frontends.discord.sender import Pacer
from tests.fakediscord.harness import FakeDiscord, running_bot


async def test_pacer_spaces_requests_at_its_rate():
    """Sixty sends at 600 a second take a tenth of a second: evenly spaced, not in a burst."""
    pacer = Pacer(rate=600)
    start = time.perf_counter()
    for _ in range(61):
        await pacer.wait()
    assert time.perf_counter() - start >= 60 / 600 * 0.95


@pytest.fixture
def factory_for(confbot_factory):
    """factory_for(sample_config, clock): a running_bot factory for the real ConfBot."""
    return confbot_factory


async def test_a_dm_channel_is_asked_of_discord_once_even_across_a_restart(sample_config, clock, factory_for):
    """The second bot on the same database writes to alice without asking Discord for her DM channel again."""
    async with FakeDiscord() as fake:
        async with running_bot(factory_for(sample_config, clock), fake=fake) as (_, bot):
            alice = fake.user("alice").id
            await bot.sender.send_dm(alice, "first", nonce="n-first")
        opened = lambda: [r for r in fake.requests if r.method == "POST" and r.path == "/users/@me/channels"]  # noqa: E731
        assert len(opened()) == 1
        async with running_bot(factory_for(sample_config, clock), fake=fake) as (_, bot2):
            await bot2.sender.send_dm(alice, "second", nonce="n-second")
        assert len(opened()) == 1
        assert [m["content"] for m in fake.dms_to("alice")] == ["first", "second"]


async def test_a_5xx_when_opening_a_dm_is_a_transient_error(sample_config, clock, factory_for):
    """Discord failing to open a DM channel is retried later with the same nonce, not reported as a bug."""
    async with running_bot(factory_for(sample_config, clock)) as (fake, bot):
        fake.fail_next("POST", "/users/@me/channels", status=503)
        with pytest.raises(TransientSendError):
            await bot.sender.send_dm(fake.user("bob").id, "hello", nonce="n-bob")
        assert fake.dms_to("bob") == []
