"""The Discord sender: paced under the rate limit, DM channels remembered across restarts, errors mapped."""

from __future__ import annotations

import pytest

from bot.core.delivery import PermanentSendError, TransientSendError
from bot.core.notices import AnnouncementNotice
from bot.frontends.discord.client import ConfBot
from tests.fakediscord.harness import FakeDiscord, running_bot


@pytest.fixture
def factory_for(confbot_factory):
    """factory_for(sample_config, clock): a running_bot factory for the real ConfBot."""
    return confbot_factory


async def test_a_dm_channel_is_asked_of_discord_once_even_across_a_restart(sample_config, clock, factory_for):
    """The second bot on the same database writes to alice without asking Discord for her DM channel again."""
    async with FakeDiscord() as fake:
        async with running_bot(factory_for(sample_config, clock), fake=fake) as (_, bot):
            assert isinstance(bot, ConfBot)
            alice = fake.user("alice").id
            await bot.sender.send_dm(alice, AnnouncementNotice("first"), lang="en", nonce="n-first")
        opened = lambda: [r for r in fake.requests if r.method == "POST" and r.path == "/users/@me/channels"]  # noqa: E731
        assert len(opened()) == 1
        async with running_bot(factory_for(sample_config, clock), fake=fake) as (_, bot2):
            assert isinstance(bot2, ConfBot)
            await bot2.sender.send_dm(alice, AnnouncementNotice("second"), lang="en", nonce="n-second")
        assert len(opened()) == 1
        assert [m["content"] for m in fake.dms_to("alice")] == ["first", "second"]


async def test_a_5xx_when_opening_a_dm_is_a_transient_error(sample_config, clock, factory_for):
    """Discord failing to open a DM channel is retried later with the same nonce, not reported as a bug."""
    async with running_bot(factory_for(sample_config, clock)) as (fake, bot):
        assert isinstance(bot, ConfBot)
        fake.fail_next("POST", "/users/@me/channels", status=503)
        with pytest.raises(TransientSendError):
            await bot.sender.send_dm(fake.user("bob").id, AnnouncementNotice("hello"), lang="en", nonce="n-bob")
        assert fake.dms_to("bob") == []


async def test_a_post_discord_refuses_for_good_is_a_permanent_error(sample_config, clock, factory_for):
    """A channel the bot may not post in is reported as never deliverable, so nothing retries it forever."""
    async with running_bot(factory_for(sample_config, clock)) as (fake, bot):
        assert isinstance(bot, ConfBot)
        channel = fake.channel("general").id
        fake.fail_next("POST", f"/channels/{channel}/messages", status=403, code=50013, message="Missing Permissions")
        with pytest.raises(PermanentSendError):
            await bot.sender.send_channel(channel, AnnouncementNotice("hello"), lang="en", nonce="n-general")
        assert fake.messages_in("general") == []
