"""Answers to interactions: callbacks, deferrals, followups and edits, the 3-second rule and the 15-minute token."""

from __future__ import annotations

import asyncio

import aiohttp

from tests.fakediscord.harness import running_bot
from tests.fakediscord.server import FLAG_EPHEMERAL
from tests.fakediscord.tinybot import answering, post_raw, tiny_bot


async def test_ephemeral_reply_carries_the_flag() -> None:
    """An ephemeral reply is sent with flag 64 and the created message stays ephemeral."""
    async with running_bot(tiny_bot) as (fake, _):
        it = await fake.slash("secret")
        reply = await fake.wait_for_response(it)
        assert reply.ephemeral and reply.content == "only for you"
        assert reply.response["interaction"]["response_message_ephemeral"] is True
        assert fake.message(reply)["flags"] & FLAG_EPHEMERAL


async def test_deferred_reply_then_followup_fills_the_thinking_message() -> None:
    """A type 5 deferral comes first; the followup then fills that ephemeral "thinking" message."""
    async with running_bot(tiny_bot) as (fake, bot):
        bot.release.set()
        it = await fake.slash("slow")
        deferral = await fake.wait_for_response(it)
        assert deferral.callback_type == 5 and deferral.ephemeral
        followup = await fake.wait_for_response(it)
        assert followup.kind == "followup" and followup.content == "done at last"
        assert followup.message_id == deferral.message_id == it.original_message_id
        assert fake.message(followup)["flags"] == FLAG_EPHEMERAL  # loading flag gone
        assert await bot.outcomes.get() == "sent"


async def test_deferred_update_then_edit_of_the_clicked_message() -> None:
    """A button answered with type 6 (deferred update) may then edit the clicked message as @original."""
    async with running_bot(tiny_bot) as (fake, _):
        sent = await fake.wait_for_response(await fake.slash("counter"))
        await fake.wait_for_response(await fake.click(sent, "counter:inc"))
        click = await fake.click(sent, "counter:reset")
        ack = await fake.wait_for_response(click)
        assert ack.callback_type == 6 and click.original_message_id == sent.message_id
        edit = await fake.wait_for_response(click)
        assert edit.kind == "edit_response" and fake.message(sent)["content"] == "Count: 0 (reset)"


async def test_file_reply_is_parsed_from_multipart() -> None:
    """A reply with a file arrives as multipart; the file is recorded and served at its attachment URL."""
    async with running_bot(tiny_bot) as (fake, _):
        it = await fake.slash("agenda")
        reply = await fake.wait_for_response(it)
        assert reply.content == "your agenda"
        assert [(f.filename, f.data) for f in reply.files] == [("agenda.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")]
        attachment = fake.message(reply)["attachments"][0]
        async with aiohttp.ClientSession() as http, http.get(attachment["url"]) as got:
            assert await got.read() == reply.files[0].data


async def test_first_response_after_three_seconds_is_unknown_interaction() -> None:
    """A first response later than 3 s (on the fake's clock) gets 404 code 10062 and is recorded."""
    async with running_bot(tiny_bot, check_violations=False) as (fake, bot):
        it = await fake.slash("late")
        await asyncio.wait_for(bot.started.wait(), 5)
        fake.advance(3.5)
        bot.release.set()
        assert await asyncio.wait_for(bot.outcomes.get(), 5) == 10062
        refused = await fake.wait_for(answering(it), include_rejected=True)
        assert refused.status == 404 and refused.error_code == 10062
        assert [v.kind for v in fake.take_violations()] == ["late_response"]


async def test_deferred_interaction_may_follow_up_late_until_the_token_expires() -> None:
    """After deferring, a followup 10 s later is fine; one after 15 minutes is refused (50027)."""
    async with running_bot(tiny_bot) as (fake, bot):
        await fake.slash("slow")
        await asyncio.wait_for(bot.started.wait(), 5)
        fake.advance(10)
        bot.release.set()
        assert await asyncio.wait_for(bot.outcomes.get(), 5) == "sent"

        bot.started.clear()
        late = await fake.slash("slow")
        await asyncio.wait_for(bot.started.wait(), 5)
        fake.advance(15 * 60 + 1)
        assert await asyncio.wait_for(bot.outcomes.get(), 5) == 50027
        assert [v.kind for v in fake.take_violations()] == ["expired_token"]
        assert late.initial_response is not None


async def test_second_initial_response_is_already_acknowledged() -> None:
    """A second initial response to one interaction gets 400 code 40060 and is recorded."""
    async with running_bot(tiny_bot) as (fake, _):
        it = await fake.slash("secret")
        await fake.wait_for_response(it)
        status, answer = await post_raw(
            fake,
            f"/interactions/{it.id}/{it.token}/callback?with_response=1",
            {"type": 4, "data": {"content": "again"}},
        )
        assert status == 400 and answer["code"] == 40060
        assert [v.kind for v in fake.take_violations()] == ["already_acknowledged"]


async def test_followup_before_any_response_is_refused() -> None:
    """A followup sent before the interaction was answered or deferred is refused and recorded."""
    async with running_bot(tiny_bot) as (fake, bot):
        it = await fake.slash("late")  # waits, without responding
        await asyncio.wait_for(bot.started.wait(), 5)
        status, answer = await post_raw(fake, f"/webhooks/{fake.application_id}/{it.token}", {"content": "too early"})
        assert status == 404 and answer["code"] == 10015
        assert [v.kind for v in fake.take_violations()] == ["no_initial_response"]
        bot.release.set()
        assert (await fake.wait_for_response(it)).content == "finally"
