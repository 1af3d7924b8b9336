"""The harness: start-up against the fake, restoring discord.py's settings, and failing tests on what discord.py hides."""

from __future__ import annotations

import asyncio

import discord
import pytest

from tests.fakediscord.harness import running_bot
from tests.fakediscord.server import BotDied, FakeDiscord
from tests.fakediscord.tinybot import TinyBot, noop, tiny_bot


async def test_startup_logs_in_identifies_and_syncs_commands() -> None:
    """The bot logs in, sees the guild with its roles and channels, and its synced commands are recorded."""
    async with running_bot(tiny_bot) as (fake, bot):
        routes = [r.route for r in fake.requests]
        assert routes[:3] == [
            "GET /users/@me",
            "GET /oauth2/applications/@me",
            "PUT /applications/{application_id}/commands",
        ]
        assert fake.identifies == 1 and fake.resumes == 0
        assert bot.user is not None and bot.user.id == fake.bot_user.id
        guild = bot.get_guild(fake.guild_id)
        assert guild is not None
        assert {c.name for c in guild.text_channels} == {"general", "announcements"}
        assert "Organizer" in {r.name for r in guild.roles}
        hello, admin = fake.command("hello"), fake.command("admin")
        assert hello is not None and admin is not None
        assert hello["description"] == "Greet someone with an embed"
        assert hello["options"] == [{"type": 3, "name": "name", "description": "Who to greet", "required": True}]
        assert [(o["name"], o["type"]) for o in admin["options"]] == [("announce", 1)]
        assert {c["name"] for c in fake.commands()} >= {"hello", "session", "admin", "remind"}


async def test_harness_restores_discord_settings_it_changed() -> None:
    """After the harness exits, discord.py's REST base and gateway point where they did before."""
    before = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    async with running_bot(tiny_bot) as (fake, _):
        assert fake.api_base == discord.http.Route.BASE
        assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == fake.gateway_url
    assert before == (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)


async def test_fixture_points_discord_at_the_fake(fake_discord: FakeDiscord) -> None:
    """The fake_discord fixture yields a started fake that discord.py already points at."""
    assert fake_discord.api_base == discord.http.Route.BASE
    async with running_bot(tiny_bot, fake=fake_discord) as (fake, _bot):
        assert fake is fake_discord
        it = await fake.slash("secret")
        assert (await fake.wait_for_response(it)).ok
    assert fake_discord.started  # the harness leaves a fake it did not start running


async def test_harness_fails_a_test_that_leaves_violations() -> None:
    """Without check_violations=False, a recorded violation fails the test when the harness exits."""
    with pytest.raises(pytest.fail.Exception, match="content_length"):
        async with running_bot(tiny_bot) as (fake, bot):
            await fake.slash("long")
            await asyncio.wait_for(bot.outcomes.get(), 5)


async def test_harness_fails_a_test_when_a_command_raises() -> None:
    """An exception discord.py swallows in a command still fails the test, with the error shown."""
    with pytest.raises(pytest.fail.Exception, match="bug in a command"):
        async with running_bot(tiny_bot) as (fake, _bot):
            await fake.slash("broken")
            await fake.wait_for_response(await fake.slash("secret"))
            while not fake.bot_errors:
                await asyncio.sleep(0)


async def test_bot_task_dying_surfaces_its_exception() -> None:
    """A malformed dispatch kills client.start(); waits fail at once and the harness re-raises the KeyError."""
    with pytest.raises(KeyError):
        async with running_bot(tiny_bot) as (fake, _):
            await fake.dispatch("INTERACTION_CREATE", {"type": 2})
            with pytest.raises(BotDied) as died:
                await fake.wait_for(lambda r: False, timeout=5)
            assert isinstance(died.value.__cause__, KeyError)


async def test_bot_whose_sync_is_refused_fails_with_the_violation_noted() -> None:
    """A bot that syncs an invalid command dies at start-up; the error carries the recorded violation."""

    def make(fake: FakeDiscord) -> TinyBot:
        bot = TinyBot()
        bot.tree.command(name="wordy", description="w" * 100 + "!")(noop)  # discord.py lets 101 through
        return bot

    with pytest.raises(discord.HTTPException) as refused:
        async with running_bot(make):
            pass
    assert refused.value.code == 50035 and "In command 'wordy'" in str(refused.value)
    assert any(
        "command: " in note and "Must be between 1 and 100 in length (got 101)" in note
        for note in refused.value.__notes__
    )
