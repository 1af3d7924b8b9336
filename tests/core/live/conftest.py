"""Fixtures for the live tests: an in-memory database."""

from __future__ import annotations

import pytest

from bot.core.storage import Storage


@pytest.fixture
async def store():
    s = await Storage.open(":memory:")
    yield s
    await s.close()
