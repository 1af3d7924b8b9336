"""End to end: the real discord.py bot, built from the command layer, against the fake Discord on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import discord
import pytest
import yarl

from bot.commands import REGISTRY
from bot.commands.options import BOOL, CHANNEL, CHOICE, INT
from bot.frontends.discord import client as discord_client
from bot.frontends.discord import render as discord_render
from tests.fakediscord.harness import FakeDiscord, running_bot

S = TypeVar("S")
SHANGHAI = ZoneInfo("Asia/Shanghai")
COMMONS = "keynote-104"  # "Who Pays for the Commons?", Fri 7 Aug 10:40-11:20 in Shanghai
COMMONS_START = int(datetime(2026, 8, 7, 10, 40, tzinfo=SHANGHAI).timestamp())
NO_PINGS: dict[str, list[str]] = {"parse": []}
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content
MANAGE_GUILD = 1 << 5
ERROR_COLOUR = discord_render.ERROR_COLOUR.value


@pytest.fixture
def make_factory(confbot_factory):
    """make_factory(sample_config, clock, tmp_path, guild=..., **bot_kwargs): a running_bot factory."""

    def make(sample_config, clock, tmp_path, *, guild=True, **bot_kwargs):
        return confbot_factory(sample_config, clock, guild=guild, **bot_kwargs)

    return make


@contextlib.asynccontextmanager
async def running_confbot(make_bot: Any, **kwargs: Any) -> AsyncIterator[tuple[FakeDiscord, discord_client.ConfBot]]:
    """`running_bot` for the ConfBot, typed as one."""
    async with running_bot(make_bot, **kwargs) as (fake, bot):
        assert isinstance(bot, discord_client.ConfBot)
        yield fake, bot


async def ask(fake, name, options=None, **kwargs):
    """Run a slash command and return the bot's first response to it."""
    return await fake.wait_for_response(await fake.slash(name, options, **kwargs))


def text_of(reply) -> str:
    """Everything a reader sees in a reply's embeds."""
    parts = []
    for embed in reply.embeds:
        parts += [embed.get("title") or "", embed.get("description") or "", (embed.get("footer") or {}).get("text", "")]
    return "\n".join(parts)


def custom_ids(message_or_reply) -> list[str]:
    components = (
        message_or_reply.components if hasattr(message_or_reply, "components") else message_or_reply["components"]
    )
    return [c["custom_id"] for row in components for c in row.get("components", []) if c.get("custom_id")]


def running(service: S | None) -> S:
    """A service the running bot must have started (reminders, announcer)."""
    assert service is not None, "the bot's services are not running"
    return service


async def announce(fake, options, user="olivia"):
    """/announce shows a preview; its Send button posts it: returns (preview, the reply to Send)."""
    preview = await ask(fake, "announce", options, user=user)
    [send] = [c for c in custom_ids(preview) if c.startswith("confbot:announce:send:")]
    return preview, await fake.wait_for_response(await fake.click(preview, send, user=user))


def quiet_scheduler(bot):
    """Keep APScheduler from firing on its own: the tests say when jobs run (and real time may be past the programme)."""
    bot.runtime.scheduler.pause()


async def test_next_round_trip(sample_config, clock, tmp_path, make_factory):
    """/next answers with an embed listing the next sessions, readable in every reader's zone."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, _bot):
        assert fake.command("next") is not None
        interaction = await fake.slash("next")
        reply = await fake.wait_for_response(interaction)
        assert reply.callback_type == 4
        embed = reply.embeds[0]
        assert "Who Pays for the Commons?" in embed["description"]
        assert "<t:" in embed["description"]


# ---------------------------------------------------------------- start-up


async def test_commands_synced_to_the_guild_match_the_command_layer(sample_config, clock, tmp_path, make_factory):
    """Every command of the text front end appears in the server with the same options and descriptions."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, _bot):
        assert [r.kind for r in fake.requests if r.kind.startswith("sync")] == ["sync_guild"]
        synced = {c["name"]: c for c in fake.commands(guild=True)}
        assert fake.commands(guild=False) == []
        assert set(synced) == set(REGISTRY)
        for name, cmd in REGISTRY.items():
            got = synced[name]
            assert got["description"] == cmd.description and len(got["description"]) <= 100
            options = got.get("options") or []
            required = [o["required"] for o in options]
            assert required == sorted(required, reverse=True), f"/{name}: required options must come first"
            assert {o["name"] for o in options} == {o.name for o in cmd.options}
            for opt in options:
                spec = cmd.option(opt["name"])
                assert spec is not None
                assert opt["description"] == spec.description and len(opt["description"]) <= 100
                assert opt["required"] == spec.required
                assert opt["type"] == {INT: 4, BOOL: 5, CHANNEL: 7}.get(spec.kind, 3)
                assert bool(opt.get("autocomplete")) == (spec.autocomplete is not None and spec.kind != CHOICE)
                if spec.kind == CHOICE:
                    assert [c["value"] for c in opt["choices"]] == list(spec.choices)
                if spec.min_value is not None:
                    assert opt["min_value"] == spec.min_value
            if cmd.organizer_only:
                assert int(got["default_member_permissions"]) == MANAGE_GUILD
            else:
                assert got["default_member_permissions"] is None


async def test_commands_synced_globally_when_no_guild_is_configured(sample_config, clock, tmp_path, make_factory):
    """Without a configured server the commands are published to every server the bot is in."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path, guild=False)) as (fake, _bot):
        assert [r.kind for r in fake.requests if r.kind.startswith("sync")] == ["sync_global"]
        assert {c["name"] for c in fake.commands(guild=False)} == set(REGISTRY)
        reply = await ask(fake, "tracks")
        assert "Tracks" in text_of(reply)


async def test_a_refused_sync_is_logged_with_the_reason_and_the_bot_keeps_running(
    sample_config, clock, tmp_path, caplog, make_factory
):
    """When Discord refuses the command sync the log says why, and commands synced before still answer."""
    fake = FakeDiscord()
    async with fake:
        fake.fail_next(
            "PUT", "/applications/{app}/guilds/{guild}/commands", status=403, code=50001, message="Missing Access"
        )
        with caplog.at_level(logging.ERROR, logger="bot.frontends.discord"):
            async with running_confbot(
                make_factory(sample_config, clock, tmp_path), fake=fake, wait_for_sync=False
            ) as (
                _,
                bot,
            ):
                refusals = [r for r in caplog.records if "refused the command sync" in r.getMessage()]
                assert len(refusals) == 1
                assert "403" in refusals[0].getMessage() and "Missing Access" in refusals[0].getMessage()
                assert fake.synced_commands == {}
                assert not bot.is_closed()
                # An earlier sync would have left the commands in place; dispatch one by name as Discord would.
                reply = await fake.wait_for_response(await fake.slash("tracks", []))
                assert "Tracks" in text_of(reply)


async def test_the_bot_asks_for_no_privileged_intents(sample_config, clock, tmp_path, make_factory):
    """The bot runs without the privileged intents (members, presences, message content) a server must approve."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, _bot):
        identify = await fake.wait_for_gateway(lambda f: f.get("op") == 2)
        intents = int(identify["d"]["intents"])
        assert intents & PRIVILEGED_INTENTS == 0
        assert intents & 1  # guilds: roles and channels, for the organizer check


async def test_rest_base_and_gateway_come_from_the_configuration(sample_config, clock, tmp_path, make_factory):
    """A deployment behind a REST and gateway proxy needs only the two config settings."""
    unreachable = "http://127.0.0.1:9/api/v10", yarl.URL("ws://127.0.0.1:9/")

    def factory(fake):
        bot = make_factory(sample_config, clock, tmp_path)(fake)
        # Undo the harness's process-wide pointing: only the configuration can lead the bot to the fake now.
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = unreachable
        return bot

    async with running_confbot(factory) as (fake, _bot):
        assert fake.identifies == 1
        assert "Tracks" in text_of(await ask(fake, "tracks"))


# ---------------------------------------------------------------- every command's round trip


ROUND_TRIPS = [
    # (command, options, user, words the reply must show)
    (
        "talk",
        {"query": "commons"},
        "alice",
        ["Who Pays for the Commons?", f"<t:{COMMONS_START}:f>", f"<t:{COMMONS_START}:R>", "10:40–11:20"],
    ),
    ("next", {}, "alice", ["Next up", "Who Pays for the Commons?"]),
    ("now", {}, "alice", ["On now", "The Next Ten Years of Open Source Foundations in Asia"]),
    ("schedule", {"day": "day 2"}, "alice", ["Programme", "Day 2"]),
    ("speaker", {"name": "Priya Raman"}, "alice", ["Sessions by Priya Raman", "Small Models on Small Machines"]),
    ("tracks", {}, "alice", ["Tracks", "Data Engineering"]),
    ("when", {"text": "tomorrow 3pm"}, "alice", ["2026-08-08T15:00+08:00", "<t:"]),
    ("help", {}, "alice", ["Commands", "/agenda", "/star session:"]),
    ("star", {"session": COMMONS}, "alice", ["Starred", "Who Pays for the Commons?"]),
    ("unstar", {"session": COMMONS}, "alice", ["was not starred"]),
    ("agenda", {}, "alice", ["My agenda", "not starred any session"]),
    ("remind", {"lead": "15 minutes", "delivery": "channel"}, "alice", ["15 min", "reminders channel"]),
    (
        "announce",
        {"message": "Coffee is served on Pier 2"},
        "olivia",
        ["Preview of announcement #1", "Coffee is served"],
    ),
    ("announce-send", {"id": 1}, "olivia", ["no preview #1"]),
    ("announce-edit", {"id": 1, "message": "Tea"}, "olivia", ["no waiting announcement #1"]),
    ("announcements", {}, "olivia", ["No announcements are waiting"]),
    ("unannounce", {"id": 1}, "olivia", ["no waiting announcement #1"]),
    ("popular", {}, "olivia", ["Most starred", "No session"]),
    ("stats", {}, "olivia", ["Conference stats", "0 attendees"]),
    ("reload", {}, "olivia", ["Programme reloaded", "sessions"]),
]


def test_the_round_trips_cover_every_command():
    """No command escapes the round-trip test."""
    assert {name for name, *_ in ROUND_TRIPS} == set(REGISTRY)


@pytest.mark.parametrize("name,options,user,words", ROUND_TRIPS, ids=[r[0] for r in ROUND_TRIPS])
async def test_every_command_answers_with_an_embed_within_discord_limits(
    sample_config, clock, tmp_path, name, options, user, words, make_factory
):
    """Each command answers at once with an embed, public or private as the command says, and pings nobody."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, _bot):
        reply = await ask(fake, name, options, user=user)
        assert reply.callback_type == 4
        assert len(reply.embeds) == 1
        shown = text_of(reply)
        for word in words:
            assert word in shown
        assert reply.payload["allowed_mentions"] == NO_PINGS
        # nothing to send, edit or cancel: a friendly error, still a round trip
        expect_error = name in ("unannounce", "announce-send", "announce-edit")
        assert (reply.embeds[0]["color"] == ERROR_COLOUR) == expect_error
        assert reply.ephemeral == (REGISTRY[name].ephemeral or expect_error)
        assert "Traceback" not in shown
    # the harness fails the test on any Discord limit broken or error logged by discord.py


async def test_session_times_show_in_the_readers_zone_beside_the_conference_time(
    sample_config, clock, tmp_path, make_factory
):
    """A session's start is a Discord timestamp (each reader's own zone), with the conference's time and zone beside it."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, _bot):
        reply = await ask(fake, "talk", {"query": COMMONS})
        description = reply.embeds[0]["description"]
        line = next(x for x in description.splitlines() if "<t:" in x)
        assert line == f"<t:{COMMONS_START}:f> · <t:{COMMONS_START}:R> · Fri 7 Aug 10:40–11:20"
        assert "Conference time: Asia/Shanghai" in reply.embeds[0]["footer"]["text"]


async def test_star_agenda_export_and_unstar(sample_config, clock, tmp_path, make_factory):
    """A starred session shows in /agenda, exports as an .ics file, and leaves the agenda when unstarred."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, bot):
        quiet_scheduler(bot)
        assert "Starred" in text_of(await ask(fake, "star", {"session": COMMONS}))
        agenda = await ask(fake, "agenda")
        assert "Who Pays for the Commons?" in text_of(agenda)
        export = await ask(fake, "agenda", {"export": True})
        assert [f.filename for f in export.files] == ["agenda.ics"]
        ics = export.files[0].data.decode()
        assert ics.startswith("BEGIN:VCALENDAR") and "Who Pays for the Commons?" in ics
        assert export.payload["attachments"][0]["filename"] == "agenda.ics"
        assert export.ephemeral
        assert "Unstarred" in text_of(await ask(fake, "unstar", {"session": COMMONS}))
        assert "not starred any session" in text_of(await ask(fake, "agenda"))


async def test_announcements_can_be_listed_and_cancelled(sample_config, clock, tmp_path, make_factory):
    """An organizer sees a scheduled announcement in /announcements and can cancel it before it goes out."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, bot):
        quiet_scheduler(bot)
        _, scheduled = await announce(fake, {"message": "Doors close at six", "at": "in 2 hours"})
        assert "Scheduled (#1)" in text_of(scheduled)
        assert "Doors close at six" in text_of(await ask(fake, "announcements", user="olivia"))
        assert "cancelled" in text_of(await ask(fake, "unannounce", {"id": 1}, user="olivia"))
        assert "No announcements are waiting" in text_of(await ask(fake, "announcements", user="olivia"))
        clock.advance(hours=3)
        assert await running(bot.app.services.announcer).run_due() == 0
        assert fake.messages_in("announcements") == []


# ---------------------------------------------------------------- autocomplete


AUTOCOMPLETE = [
    # (command, option typed into, what is typed, a value that must be offered)
    ("talk", "query", "commons", COMMONS),
    ("next", "track", "data", "data"),
    ("next", "room", "pier", "Pier 2"),
    ("speaker", "name", "priya", "Priya Raman"),
    ("schedule", "day", "", "2026-08-08"),
    ("next", "at", "tomorrow 9am", "tomorrow 9am"),
    ("remind", "lead", "", "15 minutes"),
]


@pytest.mark.parametrize("name,option,typed,expected", AUTOCOMPLETE, ids=[f"{a[0]}-{a[1]}" for a in AUTOCOMPLETE])
async def test_autocomplete_offers_matching_choices(
    sample_config, clock, tmp_path, name, option, typed, expected, make_factory
):
    """Typing into an option offers at most 25 suggestions that include the one the user means."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, _bot):
        reply = await fake.wait_for_response(await fake.autocomplete(name, {option: typed}, focused=option))
        assert reply.callback_type == 8
        choices = reply.choices
        assert 1 <= len(choices) <= 25
        assert expected in [c["value"] for c in choices]


async def test_autocomplete_with_nothing_typed_offers_the_next_sessions(sample_config, clock, tmp_path, make_factory):
    """An empty session box suggests what starts from now on, soonest first, never more than Discord's 25."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, _bot):
        reply = await fake.wait_for_response(await fake.autocomplete("star", {"session": ""}, focused="session"))
        values = [c["value"] for c in reply.choices]
        assert 1 <= len(values) <= 25
        assert values[:2] == ["keynote-103", COMMONS]  # 10:00 (now) and 10:40


# ---------------------------------------------------------------- buttons


async def test_schedule_pages_turn_with_buttons(sample_config, clock, tmp_path, make_factory):
    """A long /schedule comes in pages; ▶ and ◀ turn them in place."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, _bot):
        first = await ask(fake, "schedule")
        assert first.ephemeral
        footer = first.embeds[0]["footer"]["text"]
        assert "page 1 of" in footer
        total = int(footer.rsplit(" of ", 1)[1])
        assert total > 1
        prev_id, next_id = custom_ids(first)[:2]
        message = fake.messages[first.message_id]
        assert message["components"][0]["components"][0]["disabled"]  # ◀ on the first page

        turned = await fake.wait_for_response(await fake.click(message, next_id))
        assert turned.callback_type == 7
        assert f"page 2 of {total}" in turned.embeds[0]["footer"]["text"]
        assert turned.embeds[0]["description"] != first.embeds[0]["description"]
        message = fake.messages[first.message_id]
        prev_id, next_id = custom_ids(message)[:2]
        back = await fake.wait_for_response(await fake.click(message, prev_id))
        assert back.callback_type == 7
        assert back.embeds[0]["description"] == first.embeds[0]["description"]


async def test_a_stranger_cannot_turn_someone_elses_pages(sample_config, clock, tmp_path, make_factory):
    """Only the asker turns the pages of a shared reply; anyone else is told so privately and the page stays."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, _bot):
        first = await ask(fake, "talk", {"query": "open source"})
        assert not first.ephemeral
        assert "page 1 of" in first.embeds[0]["footer"]["text"]
        message = fake.messages[first.message_id]
        next_id = custom_ids(message)[1]
        refusal = await fake.wait_for_response(await fake.click(message, next_id, user="bob"))
        assert refusal.callback_type == 4 and refusal.ephemeral
        assert "someone else's reply" in refusal.payload["content"]
        assert fake.messages[first.message_id]["embeds"] == first.embeds
        turned = await fake.wait_for_response(await fake.click(message, next_id, user="alice"))
        assert turned.callback_type == 7 and "page 2 of" in turned.embeds[0]["footer"]["text"]


async def test_anyone_pressing_star_stars_for_themselves(sample_config, clock, tmp_path, make_factory):
    """The ☆ button under a shared session stars it for whoever presses it, with a private confirmation."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, bot):
        quiet_scheduler(bot)
        shared = await ask(fake, "talk", {"query": COMMONS}, user="alice")
        assert f"confbot:star:{COMMONS}" in custom_ids(shared)
        confirmation = await fake.wait_for_response(
            await fake.click(shared.message_id, f"confbot:star:{COMMONS}", user="bob")
        )
        assert confirmation.callback_type == 4 and confirmation.ephemeral
        assert "Starred" in text_of(confirmation)
        assert await (await bot.app.services.open_storage()).stars_of(fake.user("bob").id) == [COMMONS]
        assert await (await bot.app.services.open_storage()).stars_of(fake.user("alice").id) == []


async def test_star_buttons_work_after_a_restart(sample_config, clock, tmp_path, make_factory):
    """A ☆ button on a message from before a restart still stars the session for whoever presses it."""
    async with FakeDiscord() as fake:
        async with running_confbot(make_factory(sample_config, clock, tmp_path), fake=fake) as (_, bot):
            shared = await ask(fake, "talk", {"query": COMMONS})
        async with running_confbot(make_factory(sample_config, clock, tmp_path), fake=fake) as (_, bot):
            quiet_scheduler(bot)
            assert fake.identifies == 2
            confirmation = await fake.wait_for_response(
                await fake.click(shared.message_id, f"confbot:star:{COMMONS}", user="bob")
            )
            assert "Starred" in text_of(confirmation)
            assert await (await bot.app.services.open_storage()).stars_of(fake.user("bob").id) == [COMMONS]


# ---------------------------------------------------------------- who may do what


async def test_organizer_commands_are_refused_to_others_and_work_for_organizers(
    sample_config, clock, tmp_path, make_factory
):
    """Bob (no organizer role) is told /announce needs the organizer role; Olivia's announcement is posted."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, bot):
        refused = await ask(fake, "announce", {"message": "free beer @everyone"}, user="bob")
        assert refused.ephemeral and refused.embeds[0]["color"] == ERROR_COLOUR
        assert "Organizer" in text_of(refused) and "Manage Server" in text_of(refused)
        assert fake.messages_in("announcements") == []
        assert await (await bot.app.services.open_storage()).upcoming_announcements() == []

        _, posted = await announce(fake, {"message": "Lunch is in the Sail Loft @everyone"})
        assert "Posted" in text_of(posted)
        [message] = fake.messages_in("announcements")
        assert message["content"].startswith("Lunch is in the Sail Loft")
        post = await fake.wait_for_message("announcements")
        assert post.json["allowed_mentions"] == NO_PINGS


async def test_manage_server_makes_an_organizer_without_the_role(sample_config, clock, tmp_path, make_factory):
    """A member with Manage Server but not the organizer role may use organizer commands."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, _bot):
        reply = await ask(fake, "reload", user="bob", permissions=MANAGE_GUILD | (1 << 31))
        assert "Programme reloaded" in text_of(reply)


async def test_organizer_commands_are_refused_in_direct_messages(sample_config, clock, tmp_path, make_factory):
    """Even an organizer is told that /announce works only in the server, not in a DM with the bot."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, _bot):
        reply = await ask(fake, "announce", {"message": "from my DMs"}, user="olivia", guild=False)
        assert reply.ephemeral and "only in the conference server" in text_of(reply)
        assert fake.messages_in("announcements") == []


async def test_help_lists_organizer_commands_only_to_organizers(sample_config, clock, tmp_path, make_factory):
    """/help shows /announce to an organizer and hides it from everyone else."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, _bot):
        assert "/announce" not in text_of(await ask(fake, "help", user="bob"))
        assert "/announce" in text_of(await ask(fake, "help", user="olivia"))


# ---------------------------------------------------------------- language, mistakes, bugs, slowness, rate limits


async def test_a_chinese_locale_user_gets_chinese(sample_config, clock, tmp_path, make_factory):
    """A user whose Discord speaks Chinese gets the reply in Chinese."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, _bot):
        reply = await ask(fake, "next", locale="zh-CN")
        shown = text_of(reply)
        assert "接下来" in shown and "会议时间" in shown
        assert "Next up" not in shown


async def test_an_unknown_track_gets_a_private_error_with_a_suggestion(sample_config, clock, tmp_path, make_factory):
    """A mistyped track is answered privately, saying what is wrong and which track was probably meant."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, _bot):
        reply = await ask(fake, "next", {"track": "data enginering"})
        assert reply.callback_type == 4 and reply.ephemeral
        assert reply.embeds[0]["color"] == ERROR_COLOUR
        shown = text_of(reply)
        assert "no track “data enginering”" in shown
        assert "Did you mean" in shown and "Data Engineering" in shown


async def test_a_bug_gets_an_apology_and_a_logged_error(
    sample_config, clock, tmp_path, monkeypatch, caplog, make_factory
):
    """When a command crashes the user gets a short apology, and the log has the error with its context."""

    async def broken(ctx, **options):
        raise RuntimeError("the catalog fell into the harbour")

    monkeypatch.setattr(REGISTRY["tracks"], "handler", broken)
    with caplog.at_level(logging.ERROR, logger="bot.frontends.discord"):
        async with running_confbot(make_factory(sample_config, clock, tmp_path), check_errors=False) as (fake, _bot):
            reply = await ask(fake, "tracks", user="bob")
            assert reply.callback_type == 4 and reply.ephemeral
            shown = text_of(reply)
            assert shown.strip().startswith("❌ Sorry, something went wrong")
            assert "harbour" not in shown and "RuntimeError" not in shown
    [record] = [r for r in caplog.records if r.exc_info and isinstance(r.exc_info[1], RuntimeError)]
    assert "/tracks" in record.getMessage() and str(fake.user("bob").id) in record.getMessage()


async def test_a_bug_behind_a_page_button_gets_an_apology(
    sample_config, clock, tmp_path, monkeypatch, caplog, make_factory
):
    """When turning a page crashes the presser gets a private apology, not a failed interaction."""

    async def broken(self, interaction, ref):
        raise RuntimeError("the page blew overboard")

    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, _bot):
        first = await ask(fake, "schedule")
        monkeypatch.setattr(discord_client.ConfBot, "turn_page", broken)
        with caplog.at_level(logging.ERROR, logger="bot.frontends.discord"):
            apology = await fake.wait_for_response(await fake.click(first.message_id, custom_ids(first)[1]))
        assert apology.callback_type == 4 and apology.ephemeral
        assert "Sorry, something went wrong" in text_of(apology) and "overboard" not in text_of(apology)
    assert any(r.exc_info and "overboard" in str(r.exc_info[1]) for r in caplog.records)


async def test_a_slow_command_is_deferred_then_answered(sample_config, clock, tmp_path, monkeypatch, make_factory):
    """A command still working after the defer delay shows "thinking…" in time, and its answer follows."""
    release = asyncio.Event()
    original = REGISTRY["tracks"].handler

    async def slow(ctx, **options):
        await release.wait()
        return await original(ctx, **options)

    monkeypatch.setattr(REGISTRY["tracks"], "handler", slow)
    monkeypatch.setattr(discord_client, "DEFER_AFTER", 0.05)
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, _bot):
        interaction = await fake.slash("tracks")
        deferred = await fake.wait_for_response(interaction)
        assert deferred.callback_type == 5
        assert not deferred.ephemeral  # /tracks is shared, and so is its "thinking…"
        fake.advance(60)  # long past Discord's 3 seconds: only the deferral keeps the interaction alive
        release.set()
        followup = await fake.wait_for_response(interaction)
        assert followup.kind == "followup"
        assert "Data Engineering" in text_of(followup)
        assert deferred.message_id is not None
        assert "Data Engineering" in fake.messages[deferred.message_id]["embeds"][0]["description"]


async def test_a_rate_limited_reply_is_retried_and_delivered_once(sample_config, clock, tmp_path, make_factory):
    """A 429 on the reply is waited out and the reply arrives, once."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, _bot):
        fault = fake.fail_next("POST", "/interactions/{id}/{token}/callback", retry_after=0.01)
        interaction = await fake.slash("tracks")
        reply = await fake.wait_for_response(interaction)
        assert len(fault.hits) == 1 and fault.hits[0].status == 429
        assert reply.callback_type == 4 and "Data Engineering" in text_of(reply)
        assert [r.status for r in fake.requests if r.kind == "callback"] == [429, 200]


async def test_a_rate_limited_followup_is_retried_and_delivered_once(
    sample_config, clock, tmp_path, monkeypatch, make_factory
):
    """A 429 on the answer that follows a deferral is waited out and the answer arrives, once."""
    release = asyncio.Event()
    original = REGISTRY["tracks"].handler

    async def slow(ctx, **options):
        await release.wait()
        return await original(ctx, **options)

    monkeypatch.setattr(REGISTRY["tracks"], "handler", slow)
    monkeypatch.setattr(discord_client, "DEFER_AFTER", 0.05)
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, _bot):
        interaction = await fake.slash("tracks")
        assert (await fake.wait_for_response(interaction)).callback_type == 5
        fault = fake.fail_next("POST", "/webhooks/{app}/{token}", retry_after=0.01)
        release.set()
        followup = await fake.wait_for_response(interaction)
        assert len(fault.hits) == 1
        assert "Data Engineering" in text_of(followup)
        assert [r.status for r in fake.requests if r.kind == "followup"] == [429, 200]


# ---------------------------------------------------------------- reminders and announcements


async def _star_and_reach_the_reminder(fake, bot, clock, user):
    star = await ask(fake, "star", {"session": COMMONS}, user=user)
    assert "Starred" in text_of(star)
    assert bot.runtime.scheduler.get_job(f"reminder:{COMMONS}:10") is not None  # planned for 10 minutes before
    clock.set(datetime(2026, 8, 7, 10, 30, tzinfo=SHANGHAI))


async def test_a_starred_session_is_reminded_by_one_dm(sample_config, clock, tmp_path, make_factory):
    """Ten minutes before a starred session the user gets exactly one DM with its time, and no more after."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, bot):
        quiet_scheduler(bot)
        await _star_and_reach_the_reminder(fake, bot, clock, "alice")
        report = await running(bot.app.services.reminders).run_due()
        assert report.sent_dm == 1
        dm = await fake.wait_for_dm("alice")
        assert f"<t:{COMMONS_START}:" in dm.json["content"] and "Who Pays for the Commons?" in dm.json["content"]
        assert dm.json["allowed_mentions"] == NO_PINGS
        assert dm.json["enforce_nonce"] is True
        again = await running(bot.app.services.reminders).run_due()
        assert again.sent == 0
        assert len(fake.dms_to("alice")) == 1
        assert fake.messages_in("general") == []


async def test_a_closed_dm_falls_back_to_a_mention_in_the_reminders_channel(
    sample_config, clock, tmp_path, make_factory
):
    """Someone who closed their DMs is reminded by a mention in the reminders channel that pings only them."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, bot):
        quiet_scheduler(bot)
        fake.close_dms("bob")
        await _star_and_reach_the_reminder(fake, bot, clock, "bob")
        await running(bot.app.services.reminders).run_due()
        refused = await fake.wait_for_dm("bob", include_rejected=True)
        assert refused.error_code == 50007
        post = await fake.wait_for_message("general")
        bob = fake.user("bob").id
        assert f"<@{bob}>" in post.json["content"] and "Who Pays for the Commons?" in post.json["content"]
        assert post.json["allowed_mentions"]["parse"] == []
        assert post.json["allowed_mentions"]["users"] == [bob]
        assert (await running(bot.app.services.reminders).run_due()).sent == 0
        assert len(fake.messages_in("general")) == 1 and fake.dms_to("bob") == []


async def test_a_rate_limited_reminder_dm_is_retried_and_delivered_once(sample_config, clock, tmp_path, make_factory):
    """A 429 on the reminder DM is waited out; the user gets the reminder once."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, bot):
        quiet_scheduler(bot)
        await _star_and_reach_the_reminder(fake, bot, clock, "alice")
        fault = fake.fail_next("POST", f"/channels/{fake.dm_channel('alice').id}/messages", retry_after=0.01)
        report = await running(bot.app.services.reminders).run_due()
        assert report.sent_dm == 1 and len(fault.hits) == 1
        assert len(fake.dms_to("alice")) == 1
        assert (await running(bot.app.services.reminders).run_due()).sent == 0
        assert len(fake.dms_to("alice")) == 1


async def test_a_scheduled_announcement_is_posted_once_when_due_without_pings(
    sample_config, clock, tmp_path, make_factory
):
    """An announcement for "in 10 minutes" appears in the announcements channel then, once, pinging nobody."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, bot):
        quiet_scheduler(bot)
        _, reply = await announce(fake, {"message": "Group photo on the quay @everyone", "at": "in 10 minutes"})
        assert "Scheduled" in text_of(reply)
        assert await running(bot.app.services.announcer).run_due() == 0
        assert fake.messages_in("announcements") == []
        clock.advance(minutes=10)
        assert await running(bot.app.services.announcer).run_due() == 1
        post = await fake.wait_for_message("announcements")
        assert post.json["content"] == "Group photo on the quay @everyone"
        assert post.json["allowed_mentions"] == NO_PINGS
        assert await running(bot.app.services.announcer).run_due() == 0
        assert len(fake.messages_in("announcements")) == 1


async def test_an_organizer_may_ask_an_announcement_to_ping(sample_config, clock, tmp_path, make_factory):
    """With ping:true the organizer's @everyone notifies people."""
    async with running_confbot(make_factory(sample_config, clock, tmp_path)) as (fake, _bot):
        await announce(fake, {"message": "@everyone the keynote starts now", "ping": True})
        post = await fake.wait_for_message("announcements")
        assert "everyone" in post.json["allowed_mentions"]["parse"]
