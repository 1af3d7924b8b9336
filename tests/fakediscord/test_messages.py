"""Channel posts, edits, deletes and DMs, and nonces: a repeat within Discord's window is answered with the first message."""

from __future__ import annotations

import asyncio

import discord

from tests.fakediscord.harness import running_bot
from tests.fakediscord.tinybot import tiny_bot


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
