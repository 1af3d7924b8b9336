"""The fake Discord and its harness, exercised by a real discord.py client with a small command tree."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands

from tests.fakediscord.harness import pointing_discord_at, running_bot
from tests.fakediscord.server import FLAG_EPHEMERAL, BotDied, FakeDiscord, Perm

SESSION_TITLES = [
    f"Talk {n:02d}: {topic}"
    for n, topic in enumerate(
        ["Async Python", "Packaging", "Typing", "Rust for Pythonistas", "Testing", "Security"] * 5
    )
]


class Counter(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.count = 0

    @discord.ui.button(label="+1", custom_id="counter:inc")
    async def inc(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.count += 1
        await interaction.response.edit_message(content=f"Count: {self.count}", view=self)

    @discord.ui.button(label="reset", custom_id="counter:reset")
    async def reset(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.defer()  # type 6: acknowledge now, edit the message afterwards
        self.count = 0
        await interaction.edit_original_response(content="Count: 0 (reset)")


class Feedback(discord.ui.Modal, title="Session feedback"):
    stars = discord.ui.TextInput(label="Stars (1-5)", custom_id="feedback:stars", max_length=1)
    comment = discord.ui.TextInput(label="Comment", custom_id="feedback:comment", style=discord.TextStyle.long)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"{self.stars.value} stars: {self.comment.value}", ephemeral=True)


class TinyBot(discord.Client):
    """A minimal bot whose commands each exercise one part of the protocol."""

    def __init__(self, *, sync: bool = True, **options: Any) -> None:
        super().__init__(
            intents=discord.Intents.default(), guild_ready_timeout=0.05, chunk_guilds_at_startup=False, **options
        )
        self.sync_on_start = sync
        self.tree = app_commands.CommandTree(self)
        self.release = asyncio.Event()  # commands that wait for the test
        self.started = asyncio.Event()
        self.outcomes: asyncio.Queue[Any] = asyncio.Queue()  # what a command observed, for the test
        self.resumed = asyncio.Event()
        self._add_commands()

    async def setup_hook(self) -> None:
        if self.sync_on_start:
            await self.tree.sync()

    async def on_resumed(self) -> None:
        self.resumed.set()

    def _add_commands(self) -> None:
        tree = self.tree

        @tree.command(description="Greet someone with an embed")
        @app_commands.describe(name="Who to greet")
        async def hello(interaction: discord.Interaction, name: str) -> None:
            member = interaction.user
            organizer = isinstance(member, discord.Member) and any(r.name == "Organizer" for r in member.roles)
            embed = discord.Embed(title=f"Hello {name}", description=f"asked by {member.name} in {interaction.locale}")
            embed.set_footer(text="organizer" if organizer else "attendee")
            await interaction.response.send_message(embed=embed)

        @tree.command(description="A reply only you can see")
        async def secret(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("only for you", ephemeral=True)

        @tree.command(description="Find a session")
        async def session(interaction: discord.Interaction, title: str) -> None:
            await interaction.response.send_message(f"You picked {title}")

        @session.autocomplete("title")
        async def session_titles(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
            found = [t for t in SESSION_TITLES if current.lower() in t.lower()]
            return [app_commands.Choice(name=t, value=t) for t in found[:25]]

        @tree.command(description="Defer, wait for the test, then follow up")
        async def slow(interaction: discord.Interaction) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            self.started.set()
            await self.release.wait()
            try:
                await interaction.followup.send("done at last")
            except discord.HTTPException as exc:
                await self.outcomes.put(exc.code)
            else:
                await self.outcomes.put("sent")

        @tree.command(description="Respond only when the test says so")
        async def late(interaction: discord.Interaction) -> None:
            self.started.set()
            await self.release.wait()
            try:
                await interaction.response.send_message("finally")
            except discord.NotFound as exc:
                await self.outcomes.put(exc.code)

        @tree.command(description="A message with a counter button")
        async def counter(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("Count: 0", view=Counter())

        @tree.command(description="Give feedback on a session")
        async def feedback(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(Feedback())

        @tree.command(description="DM a reminder to someone")
        async def remind(interaction: discord.Interaction, who: discord.Member, text: str) -> None:
            try:
                await who.send(f"Reminder: {text}")
            except discord.Forbidden as exc:
                await self.outcomes.put(exc)
                await interaction.response.send_message(f"could not DM {who.name}: {exc.code}", ephemeral=True)
            else:
                await interaction.response.send_message(f"reminded {who.name}", ephemeral=True)

        @tree.command(description="Post in this channel, twice with one nonce")
        async def post(interaction: discord.Interaction, text: str, nonce: int) -> None:
            await interaction.response.defer()
            first = await interaction.channel.send(text, nonce=nonce)
            second = await interaction.channel.send(text, nonce=nonce)
            await interaction.followup.send(f"{first.id} {second.id}")

        @tree.command(description="Post in this channel once")
        async def shout(interaction: discord.Interaction, text: str) -> None:
            await interaction.response.defer(ephemeral=True)
            try:
                message = await interaction.channel.send(text)
            except discord.HTTPException as exc:
                await self.outcomes.put(exc)
                await interaction.followup.send(f"failed: {exc.status}")
            else:
                await interaction.followup.send(f"posted {message.id}")

        @tree.command(description="A reply one character too long")
        async def long(interaction: discord.Interaction) -> None:
            try:
                await interaction.response.send_message("x" * 2001)
            except discord.HTTPException as exc:
                await self.outcomes.put(exc.code)
                await interaction.response.send_message("shortened")

        @tree.command(description="Pick an item (its autocomplete breaks the limits)")
        async def pick(interaction: discord.Interaction, item: str) -> None:
            await interaction.response.send_message(item)

        @pick.autocomplete("item")
        async def pick_items(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
            if current == "empty":
                return [app_commands.Choice(name="", value="x")]
            return [app_commands.Choice(name=f"item {i}", value=str(i)) for i in range(26)]

        @tree.command(description="The agenda as a calendar file")
        async def agenda(interaction: discord.Interaction) -> None:
            data = io.BytesIO(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
            await interaction.response.send_message("your agenda", file=discord.File(data, "agenda.ics"))

        @tree.command(description="Post, edit and delete messages, then edit the reply")
        async def notice(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("working", ephemeral=True)
            notice = await interaction.channel.send("v1")
            await notice.edit(content="v2")
            scratch = await interaction.channel.send("scratch")
            await scratch.delete()
            await interaction.edit_original_response(content=f"done {notice.id}")

        @tree.command(description="Measure an uploaded file")
        async def measure(interaction: discord.Interaction, upload: discord.Attachment) -> None:
            data = await upload.read()
            await interaction.response.send_message(f"{upload.filename}: {len(data)} bytes")

        @tree.command(description="Raise, as a buggy command would")
        async def broken(interaction: discord.Interaction) -> None:
            raise RuntimeError("bug in a command")

        admin = app_commands.Group(name="admin", description="Organizer tools")

        @admin.command(description="Announce in a channel")
        async def announce(interaction: discord.Interaction, channel: discord.TextChannel, text: str) -> None:
            member = interaction.user
            if not (isinstance(member, discord.Member) and any(r.name == "Organizer" for r in member.roles)):
                await interaction.response.send_message("organizers only", ephemeral=True)
                return
            target = interaction.guild.get_channel(channel.id)
            await target.send(text)
            await interaction.response.send_message(f"announced in #{target.name}", ephemeral=True)

        tree.add_command(admin)


def tiny_bot(fake: FakeDiscord) -> TinyBot:
    return TinyBot()


# ------------------------------------------------------------------------------ start-up


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
        assert bot.user.id == fake.bot_user.id
        guild = bot.get_guild(fake.guild_id)
        assert {c.name for c in guild.text_channels} == {"general", "announcements"}
        assert "Organizer" in {r.name for r in guild.roles}
        hello = fake.command("hello")
        assert hello["description"] == "Greet someone with an embed"
        assert hello["options"] == [{"type": 3, "name": "name", "description": "Who to greet", "required": True}]
        admin = fake.command("admin")
        assert [(o["name"], o["type"]) for o in admin["options"]] == [("announce", 1)]
        assert {c["name"] for c in fake.commands()} >= {"hello", "session", "admin", "remind"}


async def test_harness_restores_discord_settings_it_changed() -> None:
    """After the harness exits, discord.py's REST base and gateway point where they did before."""
    before = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    async with running_bot(tiny_bot) as (fake, _):
        assert fake.api_base == discord.http.Route.BASE
        assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == fake.gateway_url
    assert before == (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)


# ------------------------------------------------------------------------------ interactions


async def test_slash_command_replies_with_an_embed() -> None:
    """/hello reaches the command with the member's roles and answers with a type 4 embed message."""
    async with running_bot(tiny_bot) as (fake, _):
        it = await fake.slash("hello", {"name": "Ada"}, user="olivia")
        reply = await fake.wait_for_response(it)
        assert reply.callback_type == 4
        assert reply.embeds[0]["title"] == "Hello Ada"
        assert reply.embeds[0]["description"] == "asked by olivia in en-US"
        assert reply.embeds[0]["footer"]["text"] == "organizer"
        stored = fake.messages[reply.message_id]
        assert stored["channel_id"] == str(fake.channel("general").id) and stored["type"] == 20

        attendee = await fake.slash("hello", {"name": "Bo"}, user="bob", locale="zh-CN")
        answer = await fake.wait_for_response(attendee)
        assert answer.embeds[0]["footer"]["text"] == "attendee"
        assert answer.embeds[0]["description"] == "asked by bob in zh-CN"


async def test_ephemeral_reply_carries_the_flag() -> None:
    """An ephemeral reply is sent with flag 64 and the created message stays ephemeral."""
    async with running_bot(tiny_bot) as (fake, _):
        it = await fake.slash("secret")
        reply = await fake.wait_for_response(it)
        assert reply.ephemeral and reply.content == "only for you"
        assert reply.response["interaction"]["response_message_ephemeral"] is True
        assert fake.messages[reply.message_id]["flags"] & FLAG_EPHEMERAL


async def test_autocomplete_returns_filtered_choices() -> None:
    """Typing into an autocomplete option gets a type 8 answer with at most 25 matching choices."""
    async with running_bot(tiny_bot) as (fake, _):
        it = await fake.autocomplete("session", {"title": "typ"}, focused="title")
        answer = await fake.wait_for_response(it)
        assert answer.callback_type == 8
        assert [c["name"] for c in answer.choices] == [t for t in SESSION_TITLES if "Typing" in t]

        everything = await fake.autocomplete("session", {}, focused="title")
        assert len((await fake.wait_for_response(everything)).choices) == 25


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
        assert fake.messages[followup.message_id]["flags"] == FLAG_EPHEMERAL  # loading flag gone
        assert await bot.outcomes.get() == "sent"


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
        message = fake.messages[sent.message_id]
        assert message["content"] == "Count: 2" and message["edited_timestamp"] is not None
        with pytest.raises(ValueError, match="no component"):
            await fake.click(sent, "counter:dec")


async def test_deferred_update_then_edit_of_the_clicked_message() -> None:
    """A button answered with type 6 (deferred update) may then edit the clicked message as @original."""
    async with running_bot(tiny_bot) as (fake, _):
        sent = await fake.wait_for_response(await fake.slash("counter"))
        await fake.wait_for_response(await fake.click(sent, "counter:inc"))
        click = await fake.click(sent, "counter:reset")
        ack = await fake.wait_for_response(click)
        assert ack.callback_type == 6 and click.original_message_id == sent.message_id
        edit = await fake.wait_for_response(click)
        assert edit.kind == "edit_response" and fake.messages[sent.message_id]["content"] == "Count: 0 (reset)"


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


async def test_file_reply_is_parsed_from_multipart() -> None:
    """A reply with a file arrives as multipart; the file is recorded and served at its attachment URL."""
    async with running_bot(tiny_bot) as (fake, _):
        it = await fake.slash("agenda")
        reply = await fake.wait_for_response(it)
        assert reply.content == "your agenda"
        assert [(f.filename, f.data) for f in reply.files] == [("agenda.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")]
        attachment = fake.messages[reply.message_id]["attachments"][0]
        async with aiohttp.ClientSession() as http, http.get(attachment["url"]) as got:
            assert await got.read() == reply.files[0].data


async def test_channel_message_edits_and_deletes_and_reply_edit_are_recorded() -> None:
    """Edits and deletes of channel messages and of the original reply change the fake's stored messages."""
    async with running_bot(tiny_bot) as (fake, _):
        it = await fake.slash("notice")
        assert (await fake.wait_for_response(it)).content == "working"
        edited = await fake.wait_for_response(it)
        assert edited.kind == "edit_response" and edited.path.endswith("/messages/@original")
        notice_id = int(edited.content.split()[1])
        assert fake.messages[it.original_message_id]["content"] == edited.content
        assert [m["content"] for m in fake.messages_in("general")] == ["v2"]
        assert fake.messages[notice_id]["edited_timestamp"] is not None
        assert [m["content"] for m in fake.deleted_messages.values()] == ["scratch"]
        assert [r.kind for r in fake.requests if r.kind.endswith("message")] == [
            "channel_message",
            "edit_message",
            "channel_message",
            "delete_message",
        ]


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


# ------------------------------------------------------------------------------ faults


async def test_rate_limited_followup_is_retried_and_delivered() -> None:
    """A 429 on the followup makes discord.py wait retry_after and send again; the followup arrives once."""
    async with running_bot(tiny_bot) as (fake, bot):
        fault = fake.fail_next("POST", "/webhooks/{app}/{token}", status=429, retry_after=0.05)
        bot.release.set()
        it = await fake.slash("slow")
        await fake.wait_for_response(it)  # the deferral
        followup = await fake.wait_for_response(it)
        assert followup.content == "done at last"
        assert [r.status for r in fake.requests if r.kind == "followup"] == [429, 200]
        assert fault.hits[0].raw_response and fault.remaining == 0


async def test_rate_limited_channel_post_is_retried_and_delivered() -> None:
    """A 429 on a channel post is retried by discord.py and the message is posted exactly once."""
    async with running_bot(tiny_bot) as (fake, _bot):
        fake.fail_next("POST", "/channels/{id}/messages", times=2, retry_after=0.02)
        it = await fake.slash("shout", {"text": "hello room"})
        await fake.wait_for_response(it)
        done = await fake.wait_for_response(it)
        assert done.content.startswith("posted ")
        assert [r.status for r in fake.requests if r.kind == "channel_message"] == [429, 429, 200]
        assert [m["content"] for m in fake.messages_in("general")] == ["hello room"]


async def test_server_error_surfaces_as_discord_server_error() -> None:
    """A 503 on a channel post reaches the command as discord.DiscordServerError, without retries."""
    async with running_bot(tiny_bot) as (fake, bot):
        fake.fail_next("POST", "/channels/{id}/messages", status=503)
        it = await fake.slash("shout", {"text": "x"})
        error = await asyncio.wait_for(bot.outcomes.get(), 5)
        assert isinstance(error, discord.DiscordServerError) and error.status == 503
        assert (await fake.wait_for_response(it)).callback_type == 5


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


# ------------------------------------------------------------------------------ limits


async def test_reply_over_the_content_limit_is_a_violation() -> None:
    """A 2,001-character reply gets 400 Invalid Form Body and is recorded; the interaction stays answerable."""
    async with running_bot(tiny_bot, check_violations=False) as (fake, bot):
        it = await fake.slash("long")
        assert await asyncio.wait_for(bot.outcomes.get(), 5) == 50035
        assert (await fake.wait_for_response(it)).content == "shortened"
        assert [v.kind for v in fake.violations] == ["content_length"]
    assert [v.kind for v in fake.violations] == ["content_length"]  # still recorded; the check was skipped


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
        bot.tree.command(name="wordy", description="w" * 100 + "!")(_noop)  # discord.py lets 101 through
        return bot

    with pytest.raises(discord.HTTPException) as refused:
        async with running_bot(make):
            pass
    assert refused.value.code == 50035 and "In command 'wordy'" in str(refused.value)
    assert any(
        "command: " in note and "Must be between 1 and 100 in length (got 101)" in note
        for note in refused.value.__notes__
    )


async def _noop(interaction: discord.Interaction) -> None:
    """A command body that does nothing."""


LIMIT_CASES = {
    "content": ({"content": "x" * 2001}, "content_length"),
    "title": ({"embeds": [{"title": "t" * 257}]}, "embed_limit"),
    "description": ({"embeds": [{"description": "d" * 4097}]}, "embed_limit"),
    "fields": ({"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]}, "embed_limit"),
    "field name": ({"embeds": [{"fields": [{"name": "n" * 257, "value": "v"}]}]}, "embed_limit"),
    "field value": ({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}, "embed_limit"),
    "footer": ({"embeds": [{"footer": {"text": "f" * 2049}}]}, "embed_limit"),
    "author": ({"embeds": [{"author": {"name": "a" * 257}}]}, "embed_limit"),
    "6000 in all": ({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}, "embed_limit"),
    "11 embeds": ({"embeds": [{"title": "t"}] * 11}, "embed_count"),
    "6 rows": (
        {
            "components": [
                {"type": 1, "components": [{"type": 2, "style": 1, "label": "b", "custom_id": f"b{i}"}]}
                for i in range(6)
            ]
        },
        "components",
    ),
    "empty": ({"content": ""}, "empty_message"),
}
AT_LIMIT = {
    "content": {"content": "x" * 2000},
    "embed": {
        "embeds": [
            {
                "title": "t" * 256,
                "description": "d" * 4096,
                "footer": {"text": "f" * 1390},
                "author": {"name": "a" * 256},
                "fields": [{"name": "n", "value": "v"}] * 1,
            }
        ]
    },
    "25 fields": {"embeds": [{"fields": [{"name": "n" * 10, "value": "v" * 200}] * 25}]},
    "10 embeds": {"embeds": [{"title": "t"}] * 10},
}


async def _post_raw(fake: FakeDiscord, path: str, body: Any, method: str = "POST") -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, fake.api_base + path, json=body, headers={"Authorization": "Bot fake-token"}) as response,
    ):
        return response.status, (await response.json() if response.status != 204 else None)


@pytest.mark.parametrize("case", list(LIMIT_CASES))
async def test_message_over_a_limit_is_refused_and_recorded(case: str) -> None:
    """Each message limit Discord enforces is answered 400 and recorded as a violation of its kind."""
    body, kind = LIMIT_CASES[case]
    async with FakeDiscord() as fake:
        status, answer = await _post_raw(fake, f"/channels/{fake.channel('general').id}/messages", body)
        assert status == 400 and answer["code"] in (50035, 50006)
        assert [v.kind for v in fake.violations] == [kind]
        assert fake.messages == {}


@pytest.mark.parametrize("case", list(AT_LIMIT))
async def test_message_at_the_limits_is_accepted(case: str) -> None:
    """A message exactly at Discord's limits is posted without a violation."""
    async with FakeDiscord() as fake:
        status, answer = await _post_raw(fake, f"/channels/{fake.channel('general').id}/messages", AT_LIMIT[case])
        assert status == 200 and fake.violations == []
        assert int(answer["id"]) in fake.messages


async def test_too_many_autocomplete_choices_are_a_violation() -> None:
    """An autocomplete answer with 26 choices, or an empty choice name, is refused and recorded."""
    async with running_bot(tiny_bot, check_errors=False) as (fake, _):
        for typed, kind in (("many", "26 choices"), ("empty", "empty name")):
            it = await fake.autocomplete("pick", {"item": typed}, focused="item")
            refused = await fake.wait_for(lambda r: r.interaction is it, include_rejected=True)
            assert refused.status == 400 and refused.error_code == 50035, kind
        assert [v.kind for v in fake.take_violations()] == ["autocomplete", "autocomplete"]
        assert "Ignoring exception in autocomplete" in fake.bot_errors[0].getMessage()


async def test_invalid_commands_are_refused_at_sync() -> None:
    """Syncing a command with 26 options or an over-long description fails and is recorded."""
    async with running_bot(lambda fake: TinyBot(sync=False), wait_for_sync=False) as (fake, bot):
        bad = [
            {
                "name": "big",
                "description": "x",
                "type": 1,
                "options": [{"name": f"o{i}", "description": "d", "type": 3} for i in range(26)],
            },
            {"name": "wordy", "description": "w" * 101, "type": 1},
            {"name": "Upper", "description": "x", "type": 1},
        ]
        status, answer = await _post_raw(fake, f"/applications/{fake.application_id}/commands", bad, "PUT")
        assert status == 400 and answer["code"] == 50035
        kinds = fake.take_violations()
        assert len(kinds) == 3 and {v.kind for v in kinds} == {"command"}
        assert fake.synced_commands == {}

        many = [{"name": f"c{i}", "description": "x", "type": 1} for i in range(101)]
        status, _ = await _post_raw(fake, f"/applications/{fake.application_id}/commands", many, "PUT")
        assert status == 400 and "101 slash commands" in str(fake.take_violations())

        synced = await bot.tree.sync()  # what discord.py builds is within limits
        assert {c.name for c in synced} == {c["name"] for c in fake.commands()}


async def test_global_rate_limit_answers_429_and_discord_py_recovers() -> None:
    """Past the global bucket the fake answers 429 with X-RateLimit headers; discord.py waits and succeeds."""
    fake = FakeDiscord(rate_limit_per_second=5, rate_limit_window=0.1)
    async with running_bot(tiny_bot, fake=fake, check_violations=False) as (fake, bot):
        channel = bot.get_channel(fake.channel("general").id)
        sent = await asyncio.gather(*(channel.send(f"m{i}") for i in range(12)))
        assert sorted(m.content for m in sent) == sorted(f"m{i}" for i in range(12))
        limited = [r for r in fake.requests if r.status == 429]
        assert limited and all(r.response["global"] is True for r in limited)
        assert {v.kind for v in fake.violations} == {"global_rate_limit"}
        assert len(fake.messages_in("general")) == 12


async def test_global_rate_limit_headers() -> None:
    """The global 429 carries Via, Retry-After, X-RateLimit-Global and a JSON retry_after."""
    async with FakeDiscord(rate_limit_per_second=2, rate_limit_window=60) as fake:
        path = f"/channels/{fake.channel('general').id}/messages"
        async with aiohttp.ClientSession() as http:
            statuses = []
            for _ in range(3):
                async with http.post(fake.api_base + path, json={"content": "x"}) as response:
                    statuses.append(response.status)
                    headers, body = response.headers, await response.json()
        assert statuses == [200, 200, 429]
        assert headers["Content-Type"] == "application/json" and headers["Via"]
        assert headers["X-RateLimit-Global"] == "true" and headers["X-RateLimit-Scope"] == "global"
        assert 0 < body["retry_after"] <= 60 and body["global"] is True
        fake.take_violations()


# ------------------------------------------------------------------------------ nonces


async def test_same_nonce_in_a_channel_returns_the_first_message() -> None:
    """Two posts with one nonce and enforce_nonce create one message; the second gets the first back."""
    async with running_bot(tiny_bot) as (fake, _):
        it = await fake.slash("post", {"text": "Keynote in 10 minutes", "nonce": 4242})
        await fake.wait_for_response(it)
        ids = (await fake.wait_for_response(it)).content.split()
        assert ids[0] == ids[1]
        posts = [r for r in fake.requests if r.kind == "channel_message"]
        assert [r.json["enforce_nonce"] for r in posts] == [True, True]
        assert [r.deduplicated for r in posts] == [False, True]
        assert [m["content"] for m in fake.messages_in("general")] == ["Keynote in 10 minutes"]

        fake.advance(fake.nonce_window + 1)  # the nonce is forgotten after a few minutes
        again = await fake.slash("post", {"text": "Keynote in 10 minutes", "nonce": 4242})
        await fake.wait_for_response(again)
        assert len(set((await fake.wait_for_response(again)).content.split()) - set(ids)) == 1


# ------------------------------------------------------------------------------ gateway


async def test_dropped_gateway_resumes_and_replays_missed_events() -> None:
    """After a 4000 close the bot RESUMEs; an interaction sent while it was away is replayed and answered."""
    async with running_bot(tiny_bot) as (fake, bot):
        frames_before = len(fake.gateway_frames)
        drop = asyncio.create_task(fake.drop_connection(4000))
        await asyncio.sleep(0)  # let the drop detach the socket before the next dispatch
        assert not fake.connected
        it = await fake.slash("hello", {"name": "while away"})
        await drop
        resume = await fake.wait_for_gateway(lambda f: f["op"] == 6, since=frames_before)
        reply = await fake.wait_for_response(it)
        assert reply.embeds[0]["title"] == "Hello while away"
        assert resume["d"]["seq"] < it.seq  # the interaction came by replay
        await asyncio.wait_for(bot.resumed.wait(), 5)
        assert (fake.identifies, fake.resumes) == (1, 1)
        assert len(it.responses) == 1


class QuickReidentifyBot(TinyBot):
    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py sleeps 5 s before a non-initial IDENTIFY; this test bot does not."""


async def test_invalidated_session_makes_the_bot_identify_again() -> None:
    """When the session is forgotten, RESUME gets op 9 and the bot IDENTIFYs afresh, then works."""
    async with running_bot(lambda fake: QuickReidentifyBot()) as (fake, _):
        frames_before = len(fake.gateway_frames)
        await fake.drop_connection(4000, invalidate=True)
        await fake.wait_for_gateway(lambda f: f["op"] == 2, since=frames_before)
        assert fake.identifies == 2
        it = await fake.slash("secret")
        assert (await fake.wait_for_response(it)).content == "only for you"


# ------------------------------------------------------------------------------ the 3-second rule


async def test_first_response_after_three_seconds_is_unknown_interaction() -> None:
    """A first response later than 3 s (on the fake's clock) gets 404 code 10062 and is recorded."""
    async with running_bot(tiny_bot, check_violations=False) as (fake, bot):
        it = await fake.slash("late")
        await asyncio.wait_for(bot.started.wait(), 5)
        fake.advance(3.5)
        bot.release.set()
        assert await asyncio.wait_for(bot.outcomes.get(), 5) == 10062
        refused = await fake.wait_for(lambda r: r.interaction is it, include_rejected=True)
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
        status, answer = await _post_raw(
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
        status, answer = await _post_raw(fake, f"/webhooks/{fake.application_id}/{it.token}", {"content": "too early"})
        assert status == 404 and answer["code"] == 10015
        assert [v.kind for v in fake.take_violations()] == ["no_initial_response"]
        bot.release.set()
        assert (await fake.wait_for_response(it)).content == "finally"


# ------------------------------------------------------------------------------ fixture and helpers


async def test_fixture_points_discord_at_the_fake(fake_discord: FakeDiscord) -> None:
    """The fake_discord fixture yields a started fake that discord.py already points at."""
    assert fake_discord.api_base == discord.http.Route.BASE
    async with running_bot(tiny_bot, fake=fake_discord) as (fake, _bot):
        assert fake is fake_discord
        it = await fake.slash("secret")
        assert (await fake.wait_for_response(it)).ok
    assert fake_discord.started  # the harness leaves a fake it did not start running


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
