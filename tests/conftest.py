"""Shared fixtures: the sample programme on a set clock, and where the real programmes live."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.clock import FixedClock
from bot.config import Config

REPO = Path(__file__).resolve().parents[1]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def shared_dir() -> Path:
    """`shared/` sits beside the repository (CI copies it there); CONFBOT_SHARED may point elsewhere."""
    env = os.environ.get("CONFBOT_SHARED")
    return Path(env) if env else REPO.parent / "shared"


@pytest.fixture
def clock() -> FixedClock:
    """Friday 7 August 2026, 10:00 in Shanghai: day 1 of the sample conference, mid-morning."""
    return FixedClock(datetime(2026, 8, 7, 10, 0, tzinfo=SHANGHAI))


@pytest.fixture
def sample_config(tmp_path) -> Config:
    cfg = Config()
    cfg.database = tmp_path / "confbot.db"
    return cfg


@pytest.fixture
async def sample_app(sample_config, clock):
    app = App(sample_config, clock)
    yield app
    await app.close()


def confbot_factory(config: Config, clock, *, guild: bool = True, prepare=None, **bot_kwargs):
    """A `running_bot` factory: the real ConfBot on `config`, pointed at the fake Discord through the same
    options a deployment behind a proxy would set; `prepare(fake, config)` may adjust the config first."""

    def factory(fake):
        from bot.frontends.discord_app import ConfBot

        d = config.discord
        d.api_base, d.gateway_url = fake.api_base, fake.gateway_url
        d.guild_id = fake.guild_id if guild else None
        d.announcements_channel_id = fake.channel("announcements").id
        d.reminders_channel_id = fake.channel("general").id
        if prepare is not None:
            prepare(fake, config)
        return ConfBot(App(config, clock), watch=False, guild_ready_timeout=0.05, **bot_kwargs)

    return factory
