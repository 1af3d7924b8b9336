"""What the bot knows of each user: reminder settings, DMs that bounce, DM channels."""

from __future__ import annotations

import pytest

from bot.core.storage import Storage, UserSettings


async def test_settings_default_to_none(store):
    """A user who never touched settings gets the configured defaults (all None)."""
    assert await store.get_settings(42) == UserSettings(42)


async def test_settings_update_and_reset(store):
    """Settings change one field at a time, and None puts a field back to the default."""
    s = await store.update_settings(42, lead_minutes=15, delivery="channel")
    assert (s.lead_minutes, s.delivery, s.language) == (15, "channel", None)
    s = await store.update_settings(42, language="zh", timezone="Asia/Taipei")
    assert (s.lead_minutes, s.delivery, s.language, s.timezone) == (15, "channel", "zh", "Asia/Taipei")
    s = await store.update_settings(42, lead_minutes=None)
    assert s.lead_minutes is None and s.effective_lead(10) == 10 and s.delivery == "channel"


async def test_bad_settings_are_refused(store):
    """Unknown zones, delivery modes, negative lead times and unknown fields are refused."""
    with pytest.raises(ValueError):
        await store.update_settings(1, delivery="carrier-pigeon")
    with pytest.raises(ValueError):
        await store.update_settings(1, lead_minutes=-5)
    with pytest.raises(ValueError):
        await store.update_settings(1, timezone="Mars/Olympus_Mons")
    with pytest.raises(TypeError):
        await store.update_settings(1, colour="blue")
    assert await store.get_settings(1) == UserSettings(1)


async def test_dm_closed_flag(store):
    """A user whose DMs bounced is remembered, and forgotten when DMs work again."""
    await store.update_settings(5, lead_minutes=20)
    await store.set_dm_closed(5, True)
    s = await store.get_settings(5)
    assert s.dm_closed is True and s.lead_minutes == 20
    await store.set_dm_closed(5, False)
    assert (await store.get_settings(5)).dm_closed is False


async def test_stargazer_settings_are_those_of_a_sessions_stargazers_who_set_any(store, clock):
    """Sending a session's reminders reads the settings of its stargazers only; the others use the defaults."""
    await store.star(1, "a", clock.now())
    await store.star(2, "a", clock.now())
    await store.star(3, "b", clock.now())
    await store.update_settings(2, language="zh")
    await store.update_settings(3, delivery="channel")
    assert await store.stargazer_settings("a") == {2: UserSettings(2, language="zh")}


async def test_dm_channels_are_remembered_across_a_restart(tmp_path):
    """A user's DM channel survives a re-open, and the newest one Discord gave wins."""
    path = tmp_path / "c.db"
    s = await Storage.open(path)
    await s.remember_dm_channel(7, 700)
    await s.remember_dm_channel(7, 701)  # Discord gave another: the newest wins
    await s.remember_dm_channel(8, 800)
    await s.close()
    s = await Storage.open(path)
    try:
        assert await s.dm_channels() == {7: 701, 8: 800}
    finally:
        await s.close()
