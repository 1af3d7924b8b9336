"""Shared fixtures: the sample programme on a set clock, and where the real programmes live."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.clock import FixedClock
from bot.config import Config
from tests.fakediscord.harness import fake_discord  # noqa: F401  (the fixture, for every test)
from tests.paths import HAVE_SHARED, SHARED

SHANGHAI = ZoneInfo("Asia/Shanghai")


def pytest_terminal_summary(terminalreporter) -> None:
    """Say once, in one line, that the tests on the real programmes did not run."""
    if not HAVE_SHARED:
        terminalreporter.write_line(
            f"note: {SHARED} (real programmes, time expressions) is missing: the tests that need it were skipped"
        )


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
