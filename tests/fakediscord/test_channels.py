"""Channels, threads and roles the bot creates or edits: Discord's caps, name limits and the rename rate limit."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
import pytest

from tests.fakediscord.harness import running_bot
from tests.fakediscord.server import FakeDiscord
from tests.fakediscord.tinybot import TinyBot, post_raw, text_channel, tiny_bot


async def start_thread(fake: FakeDiscord, name: str, **fields: Any) -> tuple[int, Any]:
    body = {"name": name, "type": 11, "auto_archive_duration": 1440, **fields}
    return await post_raw(fake, f"/channels/{fake.channel('general').id}/threads", body)


async def test_thread_from_a_message_is_created_and_posted_in() -> None:
    """/discuss starts a thread on its own message through discord.py and posts in it; the fake records both."""
    async with running_bot(tiny_bot) as (fake, bot):
        it = await fake.slash("discuss", {"name": "Async Python Q&A"})
        await fake.wait_for_response(it)
        done = await fake.wait_for_response(it)
        thread = await asyncio.wait_for(bot.outcomes.get(), 5)
        assert isinstance(thread, discord.Thread) and thread.name == "Async Python Q&A"
        [fake_thread] = fake.threads("general")
        assert done.text == f"thread {fake_thread.id}" and thread.parent_id == fake.channel("general").id
        opener = fake.messages_in("general")[0]
        assert int(opener["id"]) == fake_thread.id  # a thread started on a message takes the message's id
        assert [m["content"] for m in fake.messages_in(fake_thread)] == ["Questions for the speaker go here."]


async def test_thread_name_over_100_is_refused() -> None:
    """A thread name of 101 characters gets 400 Invalid Form Body in discord.py and is recorded."""
    async with running_bot(tiny_bot, check_violations=False) as (fake, bot):
        it = await fake.slash("discuss", {"name": "x" * 101})
        error = await asyncio.wait_for(bot.outcomes.get(), 5)
        assert isinstance(error, discord.HTTPException) and error.code == 50035
        await fake.wait_for_response(it)
        assert (await fake.wait_for_response(it)).text == "failed: 50035"
        violations = fake.take_violations()
        assert [v.kind for v in violations] == ["thread"] and "got 101" in str(violations[0])
        assert fake.threads() == []


async def test_thread_archive_duration_must_be_one_discord_offers() -> None:
    """auto_archive_duration is 60, 1440, 4320 or 10080 minutes; 100 characters of name are fine."""
    async with FakeDiscord() as fake:
        assert (await start_thread(fake, "n" * 100, auto_archive_duration=10080))[0] == 201
        status, answer = await start_thread(fake, "weekly", auto_archive_duration=120)
        assert status == 400 and "auto_archive_duration" in answer["errors"]
        assert [v.kind for v in fake.take_violations()] == ["thread"]


async def test_second_thread_on_one_message_is_refused() -> None:
    """A message holds one thread: a second answers 400 with code 160004."""
    async with FakeDiscord() as fake:
        general = fake.channel("general").id
        _, message = await post_raw(fake, f"/channels/{general}/messages", {"content": "Keynote"})
        path = f"/channels/{general}/messages/{message['id']}/threads"
        assert (await post_raw(fake, path, {"name": "keynote"}))[0] == 201
        status, answer = await post_raw(fake, path, {"name": "keynote again"})
        assert status == 400 and answer["code"] == 160004


async def test_active_threads_are_capped_until_one_is_archived() -> None:
    """Past the guild's active thread cap a new thread gets 160006; archiving one makes room again."""
    async with FakeDiscord(max_active_threads=2) as fake:
        _, first = await start_thread(fake, "one")
        assert (await start_thread(fake, "two"))[0] == 201
        status, answer = await start_thread(fake, "three")
        assert status == 400 and answer["code"] == 160006
        assert [v.kind for v in fake.take_violations()] == ["active_threads"]
        assert (await post_raw(fake, f"/channels/{first['id']}", {"archived": True}, "PATCH"))[0] == 200
        assert (await start_thread(fake, "three"))[0] == 201
        assert len(fake.threads()) == 3 and fake.violations == []


async def test_channel_renamed_twice_in_ten_minutes_then_rate_limited() -> None:
    """Two name or topic edits per channel per 10 minutes; the third gets a 429 to wait out, on the fake's clock."""
    async with FakeDiscord() as fake:
        path = f"/channels/{fake.channel('general').id}"
        assert (await post_raw(fake, path, {"name": "room-a"}, "PATCH"))[0] == 200
        fake.advance(60)
        assert (await post_raw(fake, path, {"topic": "Now: keynote"}, "PATCH"))[0] == 200
        assert (await post_raw(fake, path, {"nsfw": False}, "PATCH"))[0] == 200  # neither name nor topic
        status, answer = await post_raw(fake, path, {"name": "room-b"}, "PATCH")
        assert status == 429 and 539 <= answer["retry_after"] <= 541 and answer["global"] is False
        assert fake.requests[-1].response_headers["Via"]
        assert [v.kind for v in fake.take_violations()] == ["channel_edit_rate_limit"]
        assert fake.channel("room-a").topic == "Now: keynote"
        fake.advance(541)
        assert (await post_raw(fake, path, {"name": "room-b"}, "PATCH"))[0] == 200
        assert (await post_raw(fake, f"/channels/{fake.channel('announcements').id}", {"name": "news"}, "PATCH"))[
            0
        ] == 200


async def test_discord_py_sees_the_rename_limit_as_rate_limited() -> None:
    """A bot with max_ratelimit_timeout gets discord.RateLimited on the third rename instead of sleeping 10 minutes."""
    async with running_bot(lambda fake: TinyBot(max_ratelimit_timeout=30.0), check_violations=False) as (fake, bot):
        channel = text_channel(bot, fake, "general")
        for name in ("room-a", "room-b"):
            channel = await channel.edit(name=name)
        with pytest.raises(discord.RateLimited) as limited:
            await channel.edit(name="room-c")
        assert limited.value.retry_after > 590
        assert [v.kind for v in fake.take_violations()] == ["channel_edit_rate_limit"]


async def test_channel_name_must_have_1_to_100_characters() -> None:
    """Creating or renaming a channel to an empty name or one of 101 characters is refused."""
    async with FakeDiscord() as fake:
        create = f"/guilds/{fake.guild_id}/channels"
        assert (await post_raw(fake, create, {"name": "x" * 101}))[0] == 400
        assert (await post_raw(fake, f"/channels/{fake.channel('general').id}", {"name": ""}, "PATCH"))[0] == 400
        assert (await post_raw(fake, create, {"name": "x" * 100}))[0] == 201
        assert [v.kind for v in fake.take_violations()] == ["channel", "channel"]


async def test_guild_channel_cap_counts_channels_not_threads() -> None:
    """Past the guild's channel cap (500 on Discord) a new channel gets 30013; threads still open."""
    async with FakeDiscord(max_guild_channels=3) as fake:
        create = f"/guilds/{fake.guild_id}/channels"
        status, _ = await post_raw(fake, create, {"name": "session-1", "topic": "Async Python"})
        assert status == 201 and fake.channel("session-1").topic == "Async Python"
        status, answer = await post_raw(fake, create, {"name": "session-2"})
        assert status == 400 and answer["code"] == 30013
        assert [v.kind for v in fake.take_violations()] == ["guild_channels"]
        assert (await start_thread(fake, "session-2"))[0] == 201


async def test_guild_role_cap() -> None:
    """Past the guild's role cap (250 on Discord) a new role gets 30005 and is recorded."""
    async with FakeDiscord(max_roles=4) as fake:  # @everyone, Organizer and the bot's role exist
        roles = f"/guilds/{fake.guild_id}/roles"
        status, role = await post_raw(fake, roles, {"name": "Speaker", "permissions": "0"})
        assert status == 200 and fake.role("Speaker").id == int(role["id"])
        status, answer = await post_raw(fake, roles, {"name": "Volunteer"})
        assert status == 400 and answer["code"] == 30005
        assert [v.kind for v in fake.take_violations()] == ["guild_roles"]


async def test_channels_the_bot_creates_reach_it_through_the_gateway() -> None:
    """A channel and a role created through discord.py show up in the bot's guild, dispatched as Discord does."""
    async with running_bot(tiny_bot) as (fake, bot):
        guild = bot.get_guild(fake.guild_id)
        assert guild is not None
        channel_seen = asyncio.ensure_future(bot.wait_for("guild_channel_create", timeout=5))
        role_seen = asyncio.ensure_future(bot.wait_for("guild_role_create", timeout=5))
        channel = await guild.create_text_channel("session-42", topic="Rust for Pythonistas")
        role = await guild.create_role(name="Speaker")
        assert fake.channel("session-42").topic == "Rust for Pythonistas" and fake.role("Speaker").id == role.id
        assert (await channel_seen).id == channel.id and (await role_seen).id == role.id
        assert guild.get_channel(channel.id) is not None and guild.get_role(role.id) is not None
