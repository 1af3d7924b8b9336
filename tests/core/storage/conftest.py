"""Fixtures for the storage tests: an in-memory database and a clock on the conference's first morning."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.core.storage import Storage

TAIPEI = ZoneInfo("Asia/Taipei")
T0 = datetime(2026, 8, 7, 10, 0, tzinfo=TAIPEI)  # 02:00 UTC


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
async def store():
    s = await Storage.open(":memory:")
    yield s
    await s.close()
