"""Stars through the command layer."""

from __future__ import annotations

from bot.commands import Ctx, User, run_command


async def test_starring_from_a_chinese_client_makes_reminders_chinese(sample_app, clock):
    """A user whose Discord speaks Chinese stars a talk: their reminders will be in Chinese, unless they chose otherwise."""
    await sample_app.services.open_storage()
    zh_user = User(id=77, name="陈", locale="zh-CN")
    await run_command(Ctx(sample_app, zh_user, clock.now(), "zh"), "star", {"session": "community-301"})
    assert (await sample_app.services.storage.get_settings(77)).language == "zh"
    en_user = User(id=78, name="Ann", locale="en-US")
    await sample_app.services.storage.update_settings(78, language="zh")  # chosen with /remind: a star does not undo it
    await run_command(Ctx(sample_app, en_user, clock.now(), "en"), "star", {"session": "community-301"})
    assert (await sample_app.services.storage.get_settings(78)).language == "zh"
