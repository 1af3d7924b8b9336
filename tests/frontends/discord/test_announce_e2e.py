"""End to end: an announcement previewed with Send and Cancel buttons, sent to a picked channel, and one Discord
refuses for good reported to the organizers."""

from __future__ import annotations

from bot.frontends.discord.client import ConfBot
from tests.fakediscord.harness import running_bot


def text_of(reply) -> str:
    return "\n".join(
        (e.get("title") or "") + "\n" + (e.get("description") or "") + "\n" + (e.get("footer") or {}).get("text", "")
        for e in reply.embeds
    )


def buttons(reply) -> dict[str, str]:
    return {c["label"]: c["custom_id"] for row in reply.components for c in row.get("components", [])}


def with_organizers(confbot_factory, sample_config, clock):
    def prepare(fake, cfg) -> None:
        cfg.discord.organizers_channel_id = fake.add_channel("organizers").id
        fake.add_channel("lobby")

    return confbot_factory(sample_config, clock, prepare=prepare)


async def test_the_preview_shows_send_and_cancel_and_nothing_goes_out_before_send(
    sample_config, clock, confbot_factory
):
    """Olivia's preview is private, names the channel, and posts only when she presses Send; Cancel drops another."""
    async with running_bot(with_organizers(confbot_factory, sample_config, clock)) as (fake, _bot):
        preview = await fake.wait_for_response(await fake.slash("announce", {"message": "Coffee"}, user="olivia"))
        assert preview.ephemeral and "Preview of announcement #1" in text_of(preview)
        assert buttons(preview) == {"Send": "confbot:announce:send:1", "Cancel": "confbot:announce:cancel:1"}
        assert preview.embeds[0]["fields"] == [
            {"name": "📍", "value": f"<#{fake.channel('announcements').id}>", "inline": False}
        ]
        assert fake.messages_in("announcements") == []
        sent = await fake.wait_for_response(await fake.click(preview, "confbot:announce:send:1", user="olivia"))
        assert "Posted" in text_of(sent) and [m["content"] for m in fake.messages_in("announcements")] == ["Coffee"]
        other = await fake.wait_for_response(await fake.slash("announce", {"message": "Tea"}, user="olivia"))
        cancelled = await fake.wait_for_response(await fake.click(other, "confbot:announce:cancel:2", user="olivia"))
        assert "Announcement #2 cancelled" in text_of(cancelled)
        bob = await fake.wait_for_response(await fake.click(preview, "confbot:announce:send:1", user="bob"))
        assert bob.ephemeral and "organizers" in text_of(bob)  # the buttons refuse anyone but an organizer
        assert len(fake.messages_in("announcements")) == 1


async def test_the_channel_picker_sends_it_elsewhere(sample_config, clock, confbot_factory):
    """channel:#lobby from Discord's channel picker posts it in #lobby."""
    async with running_bot(with_organizers(confbot_factory, sample_config, clock)) as (fake, _bot):
        preview = await fake.wait_for_response(
            await fake.slash("announce", {"message": "Room change", "channel": fake.channel("lobby")}, user="olivia")
        )
        assert "the channel you chose" in text_of(preview)
        await fake.wait_for_response(await fake.click(preview, "confbot:announce:send:1", user="olivia"))
        assert [m["content"] for m in fake.messages_in("lobby")] == ["Room change"]
        assert fake.messages_in("announcements") == []


async def test_an_announcement_discord_refuses_is_failed_and_the_organizers_are_told(
    sample_config, clock, confbot_factory
):
    """Discord answers 403 Missing Access: the announcement is marked failed and #organizers hears why, once."""
    async with running_bot(with_organizers(confbot_factory, sample_config, clock)) as (fake, bot):
        channel = fake.channel("announcements").id
        fake.fail_next("POST", f"/channels/{channel}/messages", status=403, code=50001, message="Missing Access")
        preview = await fake.wait_for_response(await fake.slash("announce", {"message": "Lunch"}, user="olivia"))
        await fake.wait_for_response(await fake.click(preview, "confbot:announce:send:1", user="olivia"))
        told = await fake.wait_for_message("organizers")
        assert "Announcement #1 could not be posted in" in (told.content or "") and "Missing Access" in (
            told.content or ""
        )
        assert isinstance(bot, ConfBot)
        a = await (await bot.app.services.open_storage()).get_announcement(1)
        assert a is not None and a.state == "failed"
        assert len(fake.messages_in("organizers")) == 1 and fake.messages_in("announcements") == []
