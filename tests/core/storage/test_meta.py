"""Facts about the bot itself: the heartbeat a restart reads to know how long the bot was down."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

T0 = datetime(2026, 8, 7, 10, 0, tzinfo=ZoneInfo("Asia/Taipei"))


async def test_last_seen_round_trips_as_aware_utc(store):
    """The heartbeat is stored as an instant and read back as the same instant."""
    assert await store.last_seen() is None
    await store.mark_seen(T0)
    await store.mark_seen(T0 + timedelta(minutes=1))
    last = await store.last_seen()
    assert last == T0 + timedelta(minutes=1) and last.utcoffset() == timedelta(0)
