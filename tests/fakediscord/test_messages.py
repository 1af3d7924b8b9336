"""Channel posts, edits, deletes and DMs, and nonces: a repeat within Discord's window is answered with the first message."""

from __future__ import annotations

import asyncio

import discord

from tests.fakediscord.harness import running_bot
from tests.fakediscord.server import FakeDiscord
from tests.fakediscord.tinybot import post_raw, tiny_bot


async def test_channel_message_edits_and_deletes_and_reply_edit_are_recorded() -> None:
    """Edits and deletes of channel messages and of the original reply change the fake's stored messages."""
    async with running_bot(tiny_bot) as (fake, _):
        it = await fake.slash("notice")
        assert (await fake.wait_for_response(it)).content == "working"
        edited = await fake.wait_for_response(it)
        assert edited.kind == "edit_response" and edited.path.endswith("/messages/@original")
        notice_id = int(edited.text.split()[1])
        assert fake.message(edited)["content"] == edited.content and edited.message_id == it.original_message_id
        assert [m["content"] for m in fake.messages_in("general")] == ["v2"]
        assert fake.messages[notice_id]["edited_timestamp"] is not None
        assert [m["content"] for m in fake.deleted_messages.values()] == ["scratch"]
        assert [r.kind for r in fake.requests if r.kind.endswith("message")] == [
            "channel_message",
            "edit_message",
            "channel_message",
            "delete_message",
        ]


async def test_dm_to_user_who_closed_dms_fails_with_50007() -> None:
    """A DM to a user with closed DMs raises discord.Forbidden with code 50007 in the bot."""
    async with running_bot(tiny_bot) as (fake, bot):
        fake.close_dms("bob")
        it = await fake.slash("remind", {"who": "bob", "text": "keynote"})
        error = await asyncio.wait_for(bot.outcomes.get(), 5)
        assert isinstance(error, discord.Forbidden) and error.code == 50007
        assert (await fake.wait_for_response(it)).content == "could not DM bob: 50007"
        refused = await fake.wait_for_dm("bob", include_rejected=True)
        assert refused.status == 403 and refused.error_code == 50007
        assert fake.dms_to("bob") == []

        ok = await fake.slash("remind", {"who": "alice", "text": "keynote"})
        assert (await fake.wait_for_response(ok)).content == "reminded alice"
        assert (await fake.wait_for_dm("alice")).content == "Reminder: keynote"


async def test_same_nonce_in_a_channel_returns_the_first_message() -> None:
    """Two posts with one nonce and enforce_nonce create one message; the second gets the first back."""
    async with running_bot(tiny_bot) as (fake, _):
        it = await fake.slash("post", {"text": "Keynote in 10 minutes", "nonce": 4242})
        await fake.wait_for_response(it)
        ids = (await fake.wait_for_response(it)).text.split()
        assert ids[0] == ids[1]
        posts = [r for r in fake.requests if r.kind == "channel_message"]
        assert [r.json["enforce_nonce"] for r in posts] == [True, True]
        assert [r.deduplicated for r in posts] == [False, True]
        assert [m["content"] for m in fake.messages_in("general")] == ["Keynote in 10 minutes"]

        fake.advance(fake.nonce_window + 1)  # the nonce is forgotten after a few minutes
        again = await fake.slash("post", {"text": "Keynote in 10 minutes", "nonce": 4242})
        await fake.wait_for_response(again)
        assert len(set((await fake.wait_for_response(again)).text.split()) - set(ids)) == 1


async def post_with_nonce(fake: FakeDiscord, channel: str, nonce: str, *, enforce: bool = True) -> tuple[int, str]:
    """Post "hello" with a nonce the way the bot's sender does; the status and the id of the message answered."""
    body = {"content": "hello", "nonce": nonce, "enforce_nonce": enforce}
    status, answer = await post_raw(fake, f"/channels/{fake.channel(channel).id}/messages", body)
    return status, answer["id"]


async def test_nonce_is_honoured_for_the_window_then_posts_again() -> None:
    """A repeated nonce gets the first message back for nonce_window seconds; after that it posts a second one."""
    async with FakeDiscord(nonce_window=300) as fake:
        _, first = await post_with_nonce(fake, "general", "reminder-1")
        fake.advance(299)
        assert await post_with_nonce(fake, "general", "reminder-1") == (200, first)
        fake.advance(2)
        _, second = await post_with_nonce(fake, "general", "reminder-1")
        assert second != first
        assert await post_with_nonce(fake, "general", "reminder-1") == (200, second)  # the window starts again
        assert [r.deduplicated for r in fake.requests] == [False, True, False, True]
        assert len(fake.messages_in("general")) == 2


async def test_aged_nonces_post_again_while_interactions_stay_answerable() -> None:
    """age_nonces simulates an outage longer than the window without expiring the interactions in flight."""
    async with running_bot(tiny_bot) as (fake, bot):
        it = await fake.slash("late")  # not answered yet: Discord's 3 seconds are running
        await asyncio.wait_for(bot.started.wait(), 5)
        _, first = await post_with_nonce(fake, "general", "announce-7")
        fake.age_nonces(fake.nonce_window + 1)
        _, again = await post_with_nonce(fake, "general", "announce-7")
        assert again != first and len(fake.messages_in("general")) == 2
        bot.release.set()
        assert (await fake.wait_for_response(it)).content == "finally"  # advance() would have made it late


async def test_forgotten_nonces_post_again() -> None:
    """After forget_nonces a repeated nonce creates a new message, as after Discord's window."""
    async with FakeDiscord() as fake:
        _, first = await post_with_nonce(fake, "general", "n-1")
        fake.forget_nonces()
        _, second = await post_with_nonce(fake, "general", "n-1")
        assert first != second


async def test_nonce_repeat_in_another_channel_returns_the_first_message() -> None:
    """Discord checks a nonce per author, not per channel: a repeat elsewhere gets the first message back."""
    async with FakeDiscord() as fake:
        _, first = await post_with_nonce(fake, "general", "n-2")
        assert await post_with_nonce(fake, "announcements", "n-2") == (200, first)
        assert fake.messages_in("announcements") == []


async def test_nonce_without_enforce_nonce_posts_every_time() -> None:
    """Without enforce_nonce a nonce is only echoed back: every post creates a message."""
    async with FakeDiscord() as fake:
        _, first = await post_with_nonce(fake, "general", "n-3", enforce=False)
        _, second = await post_with_nonce(fake, "general", "n-3", enforce=False)
        assert first != second and [m["nonce"] for m in fake.messages_in("general")] == ["n-3", "n-3"]
