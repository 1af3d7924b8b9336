"""Announcements: stored with their nonce, handed out when due, cancelled only while pending."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.storage import Storage

T0 = datetime(2026, 8, 7, 10, 0, tzinfo=ZoneInfo("Asia/Taipei"))


async def test_announcements_come_due_in_order(store, clock):
    """Scheduled announcements are listed in time order and handed out when due."""
    later = await store.add_announcement(1, 100, "Lunch is served", T0 + timedelta(hours=2), clock.now())
    soon = await store.add_announcement(1, 100, "Keynote in 10 min", T0 + timedelta(minutes=30), clock.now())
    assert [a.id for a in await store.upcoming_announcements()] == [soon.id, later.id]
    assert await store.due_announcements(clock.now()) == []
    assert [a.text for a in await store.due_announcements(clock.advance(minutes=30))] == ["Keynote in 10 min"]
    assert await store.mark_announcement_sent(soon.id, clock.now(), message_id=555) is True
    assert await store.mark_announcement_sent(soon.id, clock.now(), message_id=556) is False
    assert await store.due_announcements(clock.advance(hours=5)) == [await store.get_announcement(later.id)]


async def test_cancelled_announcement_is_never_posted(store, clock):
    """An organizer can cancel a pending announcement, but not one already posted."""
    a = await store.add_announcement(1, 100, "Room change", T0, clock.now())
    b = await store.add_announcement(1, 100, "Reminder", T0, clock.now())
    await store.mark_announcement_sent(b.id, T0)
    assert await store.cancel_announcement(a.id) is True
    assert await store.cancel_announcement(b.id) is False
    assert await store.due_announcements(T0 + timedelta(days=1)) == []
    assert await store.upcoming_announcements() == []
    cancelled = await store.get_announcement(a.id)
    assert cancelled is not None and cancelled.state == "cancelled"


async def test_a_failed_announcement_is_closed(store, clock):
    """An announcement that can never be posted is recorded failed with the reason, and not handed out again."""
    a = await store.add_announcement(1, 100, "Into the void", T0, clock.now())
    assert await store.mark_announcement_failed(a.id, "Unknown Channel") is True
    assert await store.mark_announcement_failed(a.id, "again") is False
    failed = await store.get_announcement(a.id)
    assert failed is not None and (failed.state, failed.error) == ("failed", "Unknown Channel")
    assert await store.due_announcements(T0 + timedelta(days=1)) == []


async def test_announcement_keeps_its_nonce_across_restart(tmp_path, clock):
    """An announcement interrupted mid-send is resent after a restart with the same nonce."""
    path = tmp_path / "bot.db"
    s = await Storage.open(path)
    a = await s.add_announcement(1, 100, "你好，歡迎來到大會", T0, clock.now())
    b = await s.add_announcement(1, 100, "你好，歡迎來到大會", T0, clock.now())
    await s.close()
    s = await Storage.open(path)
    try:
        due = await s.due_announcements(T0)
    finally:
        await s.close()
    assert [(x.nonce, x.text) for x in due] == [(a.nonce, a.text), (b.nonce, b.text)]
    assert a.nonce != b.nonce and len(a.nonce) <= 25


async def test_empty_announcement_is_refused(store):
    """An announcement without text is refused."""
    with pytest.raises(ValueError):
        await store.add_announcement(1, 100, "   ", T0, T0)
