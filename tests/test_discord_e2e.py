"""End to end: the real discord.py bot, built from the command layer, against the fake Discord on loopback."""

from __future__ import annotations

from datetime import timedelta

import pytest

from discord_harness import running_bot

from bot.app import App
from bot.frontends.discord_app import ConfBot


def make_factory(sample_config, clock, tmp_path, **bot_kwargs):
    def factory(fake):
        cfg = sample_config
        cfg.discord.api_base = fake.api_base
        cfg.discord.gateway_url = fake.gateway_url
        cfg.discord.guild_id = fake.guild_id
        cfg.discord.announcements_channel_id = fake.channel("announcements").id
        cfg.discord.reminders_channel_id = fake.channel("general").id
        app = App(cfg, clock)
        bot = ConfBot(app, watch=False, guild_ready_timeout=0.05, **bot_kwargs)
        return bot
    return factory


async def test_next_round_trip(sample_config, clock, tmp_path):
    """/next answers with an embed listing the next sessions, readable in every reader's zone."""
    async with running_bot(make_factory(sample_config, clock, tmp_path)) as (fake, bot):
        assert fake.command("next") is not None
        interaction = await fake.slash("next")
        reply = await fake.wait_for_response(interaction)
        assert reply.callback_type == 4
        embed = reply.embeds[0]
        assert "Who Pays for the Commons?" in embed["description"]
        assert "<t:" in embed["description"]
