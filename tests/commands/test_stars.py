"""Stars through the command layer."""

from __future__ import annotations

from bot.commands import Ctx, User, run_command
from bot.config import Config


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


async def test_star_buttons_speak_the_readers_language(sample_app, clock):
    """/star offers an Unstar button and /unstar a Star button, labelled in the reader's language."""
    await sample_app.services.open_storage()
    user = User(id=79, name="陈")
    starred = await run_command(Ctx(sample_app, user, clock.now(), "zh"), "star", {"session": "community-301"})
    assert [(a.kind, a.label) for a in starred.actions] == [("unstar", "取消收藏")]
    unstarred = await run_command(Ctx(sample_app, user, clock.now(), "zh"), "unstar", {"session": "community-301"})
    assert [(a.kind, a.label) for a in unstarred.actions] == [("star", "☆ 收藏")]
    again = await run_command(Ctx(sample_app, user, clock.now(), "en"), "star", {"session": "community-301"})
    assert [a.label for a in again.actions] == ["Unstar"]


async def test_an_exported_agenda_is_named_in_the_readers_language_when_the_conference_has_no_name(
    sample_app, clock, monkeypatch
):
    """A programme without a name of its own: the .ics calendar is called 大会 for a Chinese reader and
    "the conference" for an English one."""
    monkeypatch.setattr(Config, "known_name", lambda self: None)
    await sample_app.services.open_storage()
    user = User(id=80, name="陈")
    await run_command(Ctx(sample_app, user, clock.now(), "zh"), "star", {"session": "community-301"})
    for lang, name in (("zh", "大会"), ("en", "the conference")):
        reply = await run_command(Ctx(sample_app, user, clock.now(), lang), "agenda", {"export": "true"})
        assert reply.file is not None
        assert f"X-WR-CALNAME:{name}\r\n" in reply.file[1].decode("utf-8")
