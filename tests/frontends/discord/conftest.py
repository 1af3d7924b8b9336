"""Fixtures for the Discord front end's tests: the real ConfBot against the fake Discord."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.config import Config


@pytest.fixture
def confbot_factory():
    """Makes `running_bot` factories for the real ConfBot: `confbot_factory(config, clock, ...)`."""
    return make_confbot_factory


def make_confbot_factory(config: Config, clock, *, guild: bool = True, prepare=None, **bot_kwargs):
    """A `running_bot` factory: the real ConfBot on `config`, pointed at the fake Discord through the same
    options a deployment behind a proxy would set; `prepare(fake, config)` may adjust the config first."""

    def factory(fake):
        from bot.frontends.discord.client import ConfBot

        d = config.discord
        d.api_base, d.gateway_url = fake.api_base, fake.gateway_url
        d.guild_id = fake.guild_id if guild else None
        d.announcements_channel_id = fake.channel("announcements").id
        d.reminders_channel_id = fake.channel("general").id
        if prepare is not None:
            prepare(fake, config)
        return ConfBot(App(config, clock), watch=False, guild_ready_timeout=0.05, **bot_kwargs)

    return factory
