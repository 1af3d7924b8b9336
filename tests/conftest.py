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
