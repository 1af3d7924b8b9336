"""Acting as guild members: slash commands, options, autocomplete, clicks and modals reach the real discord.py bot."""

from __future__ import annotations

import pytest

from tests.fakediscord.harness import pointing_discord_at, running_bot
from tests.fakediscord.server import FakeDiscord, Perm
from tests.fakediscord.tinybot import SESSION_TITLES, tiny_bot


async def test_slash_command_replies_with_an_embed() -> None:
    """/hello reaches the command with the member's roles and answers with a type 4 embed message."""
    async with running_bot(tiny_bot) as (fake, _):
        it = await fake.slash("hello", {"name": "Ada"}, user="olivia")
        reply = await fake.wait_for_response(it)
        assert reply.callback_type == 4
        assert reply.embeds[0]["title"] == "Hello Ada"
        assert reply.embeds[0]["description"] == "asked by olivia in en-US"
        assert reply.embeds[0]["footer"]["text"] == "organizer"
        stored = fake.message(reply)
        assert stored["channel_id"] == str(fake.channel("general").id) and stored["type"] == 20

        attendee = await fake.slash("hello", {"name": "Bo"}, user="bob", locale="zh-CN")
        answer = await fake.wait_for_response(attendee)
        assert answer.embeds[0]["footer"]["text"] == "attendee"
        assert answer.embeds[0]["description"] == "asked by bob in zh-CN"


async def test_autocomplete_returns_filtered_choices() -> None:
    """Typing into an autocomplete option gets a type 8 answer with at most 25 matching choices."""
    async with running_bot(tiny_bot) as (fake, _):
        it = await fake.autocomplete("session", {"title": "typ"}, focused="title")
        answer = await fake.wait_for_response(it)
        assert answer.callback_type == 8
        assert [c["name"] for c in answer.choices] == [t for t in SESSION_TITLES if "Typing" in t]

        everything = await fake.autocomplete("session", {}, focused="title")
        assert len((await fake.wait_for_response(everything)).choices) == 25


async def test_button_click_updates_the_message() -> None:
    """Clicking a button on a message the bot sent dispatches type 3, answered by a type 7 update."""
    async with running_bot(tiny_bot) as (fake, _):
        it = await fake.slash("counter")
        sent = await fake.wait_for_response(it)
        assert sent.content == "Count: 0"
        for expected in ("Count: 1", "Count: 2"):
            click = await fake.click(sent, "counter:inc", user="bob")
            update = await fake.wait_for_response(click)
            assert update.callback_type == 7 and update.content == expected
        message = fake.message(sent)
        assert message["content"] == "Count: 2" and message["edited_timestamp"] is not None
        with pytest.raises(ValueError, match="no component"):
            await fake.click(sent, "counter:dec")


async def test_modal_is_shown_and_its_submission_answered() -> None:
    """A type 9 modal is recorded; submitting it dispatches type 5, answered with the values entered."""
    async with running_bot(tiny_bot) as (fake, _):
        it = await fake.slash("feedback")
        shown = await fake.wait_for_response(it)
        assert shown.callback_type == 9 and shown.payload["title"] == "Session feedback"
        submitted = await fake.submit_modal(it, {"feedback:stars": "5", "feedback:comment": "Loved it"})
        assert (await fake.wait_for_response(submitted)).content == "5 stars: Loved it"
        with pytest.raises(ValueError, match="no inputs"):
            await fake.submit_modal(it, {"feedback:typo": "x"})
        with pytest.raises(ValueError, match="required"):
            await fake.submit_modal(it, {"feedback:stars": "4"})
        with pytest.raises(ValueError, match="characters"):
            await fake.submit_modal(it, {"feedback:stars": "45", "feedback:comment": "x"})


async def test_attachment_option_is_resolved_and_downloadable() -> None:
    """An attachment option arrives resolved, and the bot can download the file from the fake."""
    async with running_bot(tiny_bot) as (fake, _):
        it = await fake.slash("measure", {"upload": ("talk.pdf", b"%PDF" + b"0" * 96)})
        assert (await fake.wait_for_response(it)).content == "talk.pdf: 100 bytes"


async def test_subcommand_with_channel_option_posts_for_organizers_only() -> None:
    """/admin announce nests its options under the subcommand, resolves the channel and checks the role."""
    async with running_bot(tiny_bot) as (fake, _):
        it = await fake.slash("admin announce", {"channel": "announcements", "text": "Doors open"}, user="olivia")
        assert it.data["options"][0]["name"] == "announce"
        assert (await fake.wait_for_response(it)).content == "announced in #announcements"
        posted = await fake.wait_for_message("announcements")
        assert posted.content == "Doors open"

        refused = await fake.slash("admin announce", {"channel": "general", "text": "spam"}, user="bob")
        assert (await fake.wait_for_response(refused)).content == "organizers only"
        assert fake.messages_in("general") == []
        with pytest.raises(ValueError, match="subcommand"):
            await fake.slash("admin", {"text": "x"})


async def test_slash_in_direct_messages_has_no_guild() -> None:
    """guild=False sends the interaction from the bot's DMs with a user, and the reply lands there."""
    async with running_bot(tiny_bot) as (fake, _):
        it = await fake.slash("hello", {"name": "DM"}, guild=False, user="alice")
        assert "member" not in it.payload and it.payload["context"] == 1
        reply = await fake.wait_for_response(it)
        assert reply.embeds[0]["footer"]["text"] == "attendee"
        assert fake.dms_to("alice", responses=True)[0]["id"] == str(reply.message_id)
        assert fake.dms_to("alice") == []  # no DM posted outside the interaction


async def test_unknown_option_or_user_is_a_test_error() -> None:
    """Helpers refuse options a command does not have, missing required ones, and unknown users."""
    async with running_bot(tiny_bot) as (fake, _):
        with pytest.raises(ValueError, match="no option"):
            await fake.slash("hello", {"nme": "typo"})
        with pytest.raises(ValueError, match="required"):
            await fake.slash("hello", {})
        with pytest.raises(KeyError, match="zed"):
            await fake.slash("hello", {"name": "x"}, user="zed")


async def test_permissions_follow_roles_and_can_be_overridden() -> None:
    """Member permissions are computed from roles; an explicit permissions value is sent as given."""
    async with FakeDiscord() as fake:
        assert fake.permissions_of("olivia") & Perm.MANAGE_GUILD
        assert not fake.permissions_of("alice") & Perm.MANAGE_GUILD
        with pointing_discord_at(fake):
            pass
    async with running_bot(tiny_bot) as (fake, _):
        it = await fake.slash("secret", permissions=Perm.ADMINISTRATOR, roles=["Organizer"])
        assert it.payload["member"]["permissions"] == str(Perm.ADMINISTRATOR)
        assert it.payload["member"]["roles"] == [str(fake.role("Organizer").id)]
        await fake.wait_for_response(it)
