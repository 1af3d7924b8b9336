"""The programme as last announced: replaced whole, or not at all."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.storage import SnapshotRow

T0 = datetime(2026, 8, 7, 10, 0, tzinfo=ZoneInfo("Asia/Taipei"))


async def test_snapshot_is_replaced_whole(store):
    """Saving the programme snapshot replaces the previous one, dropped sessions included."""
    first = [
        SnapshotRow("a", "fp1", T0, T0 + timedelta(minutes=30), "R1", "Talk A"),
        SnapshotRow("b", "fp2", None, None, None, "Unscheduled B"),
    ]
    await store.save_snapshot(first)
    assert await store.load_snapshot() == {r.session_id: r for r in first}
    second = [SnapshotRow("a", "fp3", T0, T0 + timedelta(minutes=45), "R2", "Talk A", cancelled=True)]
    await store.save_snapshot(second)
    assert await store.load_snapshot() == {"a": second[0]}


async def test_snapshot_save_is_all_or_nothing(store):
    """A snapshot save that fails part-way leaves the previous snapshot intact."""
    good = [SnapshotRow("a", "fp1", T0, None, "R1", "Talk A")]
    await store.save_snapshot(good)
    dup = [SnapshotRow("x", "f", None, None, None, "X"), SnapshotRow("x", "g", None, None, None, "X")]
    with pytest.raises(sqlite3.IntegrityError):
        await store.save_snapshot(dup)
    assert await store.load_snapshot() == {"a": good[0]}
