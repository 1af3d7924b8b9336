"""A small discord.py bot whose commands each exercise one part of the fake Discord, and raw HTTP for the rest."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Callable
from typing import Any

import aiohttp
import discord
from discord import app_commands

from tests.fakediscord.server import FakeDiscord, Interaction, Request

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
    stars: discord.ui.TextInput[Feedback] = discord.ui.TextInput(
        label="Stars (1-5)", custom_id="feedback:stars", max_length=1
    )
    comment: discord.ui.TextInput[Feedback] = discord.ui.TextInput(
        label="Comment", custom_id="feedback:comment", style=discord.TextStyle.long
    )

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
            first = await here(interaction).send(text, nonce=nonce)
            second = await here(interaction).send(text, nonce=nonce)
            await interaction.followup.send(f"{first.id} {second.id}")

        @tree.command(description="Post in this channel once")
        async def shout(interaction: discord.Interaction, text: str) -> None:
            await interaction.response.defer(ephemeral=True)
            try:
                message = await here(interaction).send(text)
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
            if current == "long":  # Discord allows 100 characters in a choice's value
                return [app_commands.Choice(name="long", value="v" * 101)]
            return [app_commands.Choice(name=f"item {i}", value=str(i)) for i in range(26)]

        @tree.command(description="The agenda as a calendar file")
        async def agenda(interaction: discord.Interaction) -> None:
            data = io.BytesIO(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
            await interaction.response.send_message("your agenda", file=discord.File(data, "agenda.ics"))

        @tree.command(description="Post, edit and delete messages, then edit the reply")
        async def notice(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("working", ephemeral=True)
            notice = await here(interaction).send("v1")
            await notice.edit(content="v2")
            scratch = await here(interaction).send("scratch")
            await scratch.delete()
            await interaction.edit_original_response(content=f"done {notice.id}")

        @tree.command(description="Measure an uploaded file")
        async def measure(interaction: discord.Interaction, upload: discord.Attachment) -> None:
            data = await upload.read()
            await interaction.response.send_message(f"{upload.filename}: {len(data)} bytes")

        @tree.command(description="Raise, as a buggy command would")
        async def broken(interaction: discord.Interaction) -> None:
            raise RuntimeError("bug in a command")

        @tree.command(description="Open a discussion thread on a session")
        async def discuss(interaction: discord.Interaction, name: str) -> None:
            await interaction.response.defer(ephemeral=True)
            channel = here(interaction)
            assert isinstance(channel, discord.TextChannel)
            try:
                opener = await channel.send(f"Discussion: {name}")
                thread = await opener.create_thread(name=name, auto_archive_duration=1440)
                await thread.send("Questions for the speaker go here.")
            except discord.HTTPException as exc:
                await self.outcomes.put(exc)
                await interaction.followup.send(f"failed: {exc.code}")
            else:
                await self.outcomes.put(thread)
                await interaction.followup.send(f"thread {thread.id}")

        admin = app_commands.Group(name="admin", description="Organizer tools")

        @admin.command(description="Announce in a channel")
        async def announce(interaction: discord.Interaction, channel: discord.TextChannel, text: str) -> None:
            member = interaction.user
            if not (isinstance(member, discord.Member) and any(r.name == "Organizer" for r in member.roles)):
                await interaction.response.send_message("organizers only", ephemeral=True)
                return
            assert interaction.guild is not None
            target = interaction.guild.get_channel(channel.id)
            assert isinstance(target, discord.TextChannel)
            await target.send(text)
            await interaction.response.send_message(f"announced in #{target.name}", ephemeral=True)

        tree.add_command(admin)


def tiny_bot(fake: FakeDiscord) -> TinyBot:
    return TinyBot()


def here(interaction: discord.Interaction) -> discord.TextChannel | discord.Thread | discord.DMChannel:
    """The channel an interaction came from, as something the bot can post in."""
    channel = interaction.channel
    assert isinstance(channel, discord.TextChannel | discord.Thread | discord.DMChannel), channel
    return channel


def text_channel(bot: discord.Client, fake: FakeDiscord, name: str) -> discord.TextChannel:
    """The bot's view of one of the fake guild's text channels."""
    channel = bot.get_channel(fake.channel(name).id)
    assert isinstance(channel, discord.TextChannel), channel
    return channel


async def post_raw(
    fake: FakeDiscord, path: str, body: Any = None, method: str = "POST", *, token: str = "fake-token"
) -> tuple[int, Any]:
    """Send one request to the fake as the bot would, without discord.py (to break a limit on purpose).

    Answers with the status and the JSON body (None for an empty one, the text for one that is not JSON).
    """
    headers = {"Authorization": f"Bot {token}"}
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, fake.api_base + path, json=body, headers=headers) as response,
    ):
        raw = await response.read()
        if response.content_type == "application/json":
            return response.status, json.loads(raw)
        return response.status, raw.decode() or None


def answering(interaction: Interaction) -> Callable[[Request], bool]:
    """A `wait_for` predicate: the requests that answer this interaction."""
    return lambda r: r.interaction is interaction


async def noop(interaction: discord.Interaction) -> None:
    """A command body that does nothing."""
