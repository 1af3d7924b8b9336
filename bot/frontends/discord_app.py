"""The Discord front end: slash commands generated from the command layer, replies as embeds with buttons."""

from __future__ import annotations

import asyncio
import inspect
import io
import logging
import re
from datetime import datetime
from typing import Any, Optional, Sequence

import discord
import yarl
from discord import app_commands

from bot.app import App
from bot.clock import Clock
from bot.commands import REGISTRY, Ctx, Reply, User, run_command
from bot.commands.base import BOOL, CHOICE, INT, Command, Entry, error_reply
from bot.commands.complete import complete
from bot.commands.i18n import fmt_span, lang_of_locale, tr
from bot.config import Config
from bot.core.reminders import DMClosed, TransientSendError
from bot.runtime import Runtime

log = logging.getLogger(__name__)

DEFER_AFTER = 2.0  # seconds: a handler still running then is deferred, well inside Discord's 3-second limit
PAGE_TIMEOUT = 14 * 60  # paging buttons work while the interaction token does (15 minutes), and are greyed out before it ends
COLOUR = discord.Colour.from_rgb(46, 134, 193)
ERROR_COLOUR = discord.Colour.from_rgb(192, 57, 43)
NO_MENTIONS = discord.AllowedMentions.none()
SEND_RATE = 46.0  # requests per second for reminders and announcements: Discord allows 50 for the whole bot

def _unix(dt: datetime) -> int:
    return int(dt.timestamp())


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------ rendering


def _entry_markdown(entry: Entry, lang: str, dated: bool) -> str:
    """One entry: the reader's own time (a Discord timestamp) with the conference time beside it."""
    head = f"**{discord.utils.escape_markdown(entry.title)}**"
    lines = []
    if entry.start is not None:
        conference = fmt_span(entry.start, entry.end, lang, with_day=not dated)
        lines.append(f"<t:{_unix(entry.start)}:f> · <t:{_unix(entry.start)}:R> · {conference}")
    lines.insert(0, head)
    lines.extend(discord.utils.escape_mentions(line) for line in entry.lines)
    if entry.body:
        lines.append("")
        lines.append(discord.utils.escape_mentions(entry.body))
    return "\n".join(lines)


def render_embed(page: Reply, lang: str, zone: str | None = None) -> discord.Embed:
    """One page of a reply as an embed, inside Discord's limits; `zone` names the conference's time zone."""
    if page.error:
        embed = discord.Embed(description=_clip("❌ " + page.text, 4000), colour=ERROR_COLOUR)
        if page.footer:
            embed.set_footer(text=_clip(page.footer, 2000))
        return embed
    parts: list[str] = []
    if page.text:
        parts.append(page.text)
    for section in page.sections:
        if section.heading:
            parts.append(f"__**{discord.utils.escape_markdown(section.heading)}**__")
        for entry in section.entries:
            parts.append(_entry_markdown(entry, lang, section.dated))
    description = "\n\n".join(parts)
    embed = discord.Embed(title=_clip(page.title, 256) if page.title else None,
                          description=_clip(description, 4000) if description else None, colour=COLOUR)
    footer = []
    if page.footer and page.page == page.pages_total:
        footer.append(page.footer)
    if zone and any(entry.start is not None for section in page.sections for entry in section.entries):
        # Each reader sees the Discord timestamps in their own zone; say which zone the plain times are in.
        footer.append(tr("discord.conference_time", lang, zone=zone))
    if page.pages_total > 1:
        footer.append(tr("page", lang, i=page.page, n=page.pages_total))
    if footer:
        embed.set_footer(text=_clip(" · ".join(footer), 2000))
    return embed


class StarButton(discord.ui.DynamicItem[discord.ui.Button], template=r"confbot:(?P<action>star|unstar):(?P<sid>[^\s]{1,80})"):
    """A ☆ button on a session: works for whoever presses it, and across restarts."""

    def __init__(self, action: str, session_id: str, label: str = "☆ Star"):
        style = discord.ButtonStyle.secondary if action == "unstar" else discord.ButtonStyle.primary
        super().__init__(discord.ui.Button(label=_clip(label, 80), style=style, custom_id=f"confbot:{action}:{session_id}"))
        self.action = action
        self.session_id = session_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(match["action"], match["sid"])

    async def callback(self, interaction: discord.Interaction) -> None:
        bot: ConfBot = interaction.client  # type: ignore[assignment]
        await bot.respond(interaction, self.action, {"session": self.session_id}, ephemeral=True)


class PagedView(discord.ui.View):
    """◀ ▶ buttons that only the asker can press; star buttons for the sessions on the page."""

    def __init__(self, bot: "ConfBot", pages: list[Reply], owner_id: int, lang: str):
        super().__init__(timeout=PAGE_TIMEOUT)
        self.bot = bot
        self.pages = pages
        self.owner_id = owner_id
        self.lang = lang
        self.index = 0
        self.message: discord.InteractionMessage | discord.WebhookMessage | None = None
        self._build()

    def _build(self) -> None:
        self.clear_items()
        if len(self.pages) > 1:
            prev = discord.ui.Button(label="◀", style=discord.ButtonStyle.secondary, disabled=self.index == 0, row=0)
            nxt = discord.ui.Button(label="▶", style=discord.ButtonStyle.secondary, disabled=self.index >= len(self.pages) - 1, row=0)
            prev.callback = self._prev  # type: ignore[method-assign]
            nxt.callback = self._next  # type: ignore[method-assign]
            self.add_item(prev)
            self.add_item(nxt)
        for action in self.pages[0].actions[:5]:
            self.add_item(StarButton(action.kind, action.session_id, action.label))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        # Star buttons are DynamicItems, dispatched apart from this view: only ◀ ▶ come here.
        if interaction.user.id != self.owner_id:
            lang = lang_of_locale(str(interaction.locale), self.bot.app.config.language)
            await interaction.response.send_message(tr("discord.not_your_pages", lang), ephemeral=True, allowed_mentions=NO_MENTIONS)
            return False
        return True

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        self.index = max(0, min(len(self.pages) - 1, self.index + step))
        self._build()
        await interaction.response.edit_message(embed=render_embed(self.pages[self.index], self.lang, self.bot.zone),
                                                view=self, allowed_mentions=NO_MENTIONS)

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        await self.bot.report_bug(interaction, f"page button of a reply to user {self.owner_id}", error)

    async def _prev(self, interaction: discord.Interaction) -> None:
        await self._turn(interaction, -1)

    async def _next(self, interaction: discord.Interaction) -> None:
        await self._turn(interaction, +1)

    async def on_timeout(self) -> None:
        if self.message is not None and len(self.pages) > 1:
            for item in self.children:
                if isinstance(item, discord.ui.Button) and not (item.custom_id or "").startswith("confbot:"):
                    item.disabled = True
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                pass


# ------------------------------------------------------------------ slash commands from the registry


def _annotation(cmd: Command, opt) -> Any:
    if opt.kind == INT:
        base: Any = app_commands.Range[int, opt.min_value, opt.max_value] if opt.min_value is not None or opt.max_value is not None else int
    elif opt.kind == BOOL:
        base = bool
    else:
        base = str
    return base if opt.required else Optional[base]


def build_command(bot: "ConfBot", cmd: Command) -> app_commands.Command:
    """A discord.py slash command for one registry command: same name, options and descriptions."""

    async def callback(interaction: discord.Interaction, **options: Any) -> None:
        await bot.respond(interaction, cmd.name, {k: v for k, v in options.items() if v is not None})

    params = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction)]
    ordered = sorted(cmd.options, key=lambda o: not o.required)  # Discord wants required options first
    for opt in ordered:
        params.append(inspect.Parameter(opt.name, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=_annotation(cmd, opt),
                                        default=inspect.Parameter.empty if opt.required else None))
    callback.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    callback.__name__ = f"cmd_{cmd.name}"
    callback.__qualname__ = callback.__name__
    if cmd.options:
        app_commands.describe(**{o.name: _clip(o.description, 100) for o in cmd.options})(callback)
    choices = {o.name: [app_commands.Choice(name=c, value=c) for c in o.choices] for o in cmd.options if o.kind == CHOICE}
    if choices:
        app_commands.choices(**choices)(callback)
    completers = {o.name: bot.completer(o.autocomplete) for o in cmd.options if o.autocomplete and o.kind != CHOICE}
    if completers:
        app_commands.autocomplete(**completers)(callback)
    command = app_commands.Command(name=cmd.name, description=_clip(cmd.description, 100), callback=callback)
    if cmd.organizer_only:
        # default_permissions only hides the command from members without Manage Server (a server admin can
        # change that in the server's Integrations settings); the check is what enforces it.
        command.default_permissions = discord.Permissions(manage_guild=True)
        command.guild_only = True
        command.add_check(bot.organizer_check)
    return command


class NotOrganizer(app_commands.CheckFailure):
    """An organizer-only command used by someone without the organizer role or Manage Server."""


# ------------------------------------------------------------------ delivery of reminders and announcements


class Pacer:
    """Spaces requests evenly under Discord's 50 requests per second for the whole bot.

    discord.py only slows down once Discord answers 429, and too many 429s (10,000 in 10 minutes) get a bot
    banned; so the fan-out of reminders keeps its own pace, a little under the limit, leaving room for replies.
    """

    def __init__(self, rate: float = SEND_RATE):
        self.interval = 1.0 / rate
        self._next = 0.0

    async def wait(self) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        slot = max(now, self._next)
        self._next = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)


def _transient(exc: BaseException) -> bool:
    """Worth trying again later with the same nonce: Discord's 5xx, a 429 discord.py gave up on, the network."""
    if isinstance(exc, discord.HTTPException):
        return exc.status >= 500 or exc.status == 429
    return isinstance(exc, (OSError, asyncio.TimeoutError))


class DiscordSender:
    """Reminders, change notices and announcements, sent through discord.py with the stored nonces."""

    def __init__(self, client: discord.Client, storage_getter=lambda: None, rate: float = SEND_RATE):
        self.client = client
        self.storage_getter = storage_getter
        self.pacer = Pacer(rate)
        self._dm_channels: dict[int, int] | None = None

    async def _send(self, channel_id: int, text: str, nonce: str, mentions: discord.AllowedMentions) -> str:
        channel = self.client.get_partial_messageable(channel_id)
        await self.pacer.wait()
        try:
            message = await channel.send(content=_clip(text, 2000), nonce=nonce, allowed_mentions=mentions)
        except discord.Forbidden as exc:
            if exc.code == 50007:
                raise DMClosed(str(exc)) from exc
            raise
        except (discord.HTTPException, OSError, asyncio.TimeoutError) as exc:
            if _transient(exc):
                raise TransientSendError(str(exc)) from exc
            raise
        return str(message.id)

    async def _dm_channel(self, user_id: int) -> int:
        """The DM channel with a user: remembered in the database, so a restart does not ask Discord again."""
        storage = self.storage_getter()
        if self._dm_channels is None:
            self._dm_channels = await storage.dm_channels() if storage is not None else {}
        channel_id = self._dm_channels.get(user_id)
        if channel_id is not None:
            return channel_id
        await self.pacer.wait()
        try:
            dm = await self.client.create_dm(discord.Object(id=user_id))
        except discord.Forbidden as exc:
            raise DMClosed(str(exc)) from exc
        except (discord.HTTPException, OSError, asyncio.TimeoutError) as exc:
            if _transient(exc):
                raise TransientSendError(str(exc)) from exc
            raise
        self._dm_channels[user_id] = dm.id
        if storage is not None:
            await storage.remember_dm_channel(user_id, dm.id)
        return dm.id

    async def send_dm(self, user_id: int, text: str, *, nonce: str) -> str | None:
        return await self._send(await self._dm_channel(user_id), text, nonce, NO_MENTIONS)

    async def send_channel(self, channel_id: int, text: str, *, nonce: str, mention_user_ids: Sequence[int] = ()) -> str | None:
        mentions = discord.AllowedMentions(everyone=False, roles=False, users=[discord.Object(id=u) for u in mention_user_ids])
        return await self._send(channel_id, text, nonce, mentions)

    async def send_announcement(self, channel_id: int, text: str, *, nonce: str, ping: bool) -> str | None:
        mentions = discord.AllowedMentions.all() if ping else NO_MENTIONS
        return await self._send(channel_id, text, nonce, mentions)


# ------------------------------------------------------------------ the client


class ConfBot(discord.Client):
    """discord.py client for confbot: no privileged intents, no pings unless an organizer asks."""

    def __init__(self, app: App, *, runtime: bool = True, sync: bool = True, watch: bool = True, **kwargs: Any):
        intents = discord.Intents.none()
        intents.guilds = True  # roles and channels, for permission checks; not privileged
        kwargs.setdefault("chunk_guilds_at_startup", False)
        super().__init__(intents=intents, allowed_mentions=NO_MENTIONS, **kwargs)
        self.app = app
        self.tree = app_commands.CommandTree(self)
        self.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]
        self.sync_on_start = sync
        self.sender = DiscordSender(self, lambda: self.app.storage)
        self.runtime = Runtime(app, self.sender, watch=watch) if runtime else None
        self.synced: list[app_commands.AppCommand] = []
        self.sync_error: str | None = None  # why Discord refused the last sync, if it did
        for cmd in REGISTRY.values():
            self.tree.add_command(build_command(self, cmd))

    @property
    def zone(self) -> str:
        tz = self.app.tz
        return getattr(tz, "key", None) or str(tz)

    async def login(self, token: str) -> None:
        point_at(self.app.config)  # a REST or gateway proxy from the configuration, before the first request
        await super().login(token)

    async def setup_hook(self) -> None:
        self.add_dynamic_items(StarButton)
        if self.sync_on_start:
            await self.sync_commands()
        if self.runtime is not None:
            await self.runtime.start(catch_up_in_background=True)

    async def sync_commands(self) -> None:
        guild_id = self.app.config.discord.guild_id
        try:
            if guild_id:
                guild = discord.Object(id=guild_id)
                self.tree.copy_global_to(guild=guild)
                self.synced = await self.tree.sync(guild=guild)
                log.info("synced %d commands to guild %s", len(self.synced), guild_id)
            else:
                self.synced = await self.tree.sync()
                log.info("synced %d commands globally (may take up to an hour to appear)", len(self.synced))
        except discord.HTTPException as exc:
            # The bot keeps running: the commands synced last time still work.
            self.sync_error = f"{exc.status} {exc.code}: {exc.text}"
            hint = " (was the bot invited with the applications.commands scope, and is guild_id right?)" if exc.status == 403 else ""
            log.error("Discord refused the command sync to %s: %s%s", f"guild {guild_id}" if guild_id else "all servers",
                      self.sync_error, hint)
        except app_commands.AppCommandError as exc:
            self.sync_error = str(exc)
            log.error("the command sync failed: %s", exc)

    async def close(self) -> None:
        if self.runtime is not None:
            await self.runtime.stop()
        await super().close()
        await self.app.close()

    # -- who is asking

    def is_organizer(self, interaction: discord.Interaction) -> bool:
        """The configured organizer role (by name or id), or Manage Server; never in DMs."""
        member = interaction.user
        if not isinstance(member, discord.Member):
            return False
        perms = interaction.permissions  # what Discord computed for this member, administrator included
        if perms.manage_guild or perms.administrator:
            return True
        guild_perms = member.guild_permissions
        if guild_perms.manage_guild or guild_perms.administrator:
            return True
        role = self.app.config.discord.organizer_role
        return role is not None and any(r.name == role or str(r.id) == role for r in member.roles)

    async def organizer_check(self, interaction: discord.Interaction) -> bool:
        if self.is_organizer(interaction):
            return True
        if interaction.guild_id is None:
            raise app_commands.NoPrivateMessage()
        raise NotOrganizer(interaction.command.name if interaction.command else "this command")

    def _user(self, interaction: discord.Interaction) -> User:
        member = interaction.user
        return User(id=member.id, name=member.display_name, is_organizer=self.is_organizer(interaction),
                    locale=str(interaction.locale))

    def ctx_for(self, interaction: discord.Interaction) -> Ctx:
        user = self._user(interaction)
        return Ctx(app=self.app, user=user, now=self.app.now(), lang=lang_of_locale(user.locale, self.app.config.language),
                   channel_id=interaction.channel_id)

    def completer(self, kind: str):
        async def autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
            ctx = self.ctx_for(interaction)
            try:
                pairs = complete(ctx, kind, current)
            except Exception:  # noqa: BLE001 - a broken suggestion must not break typing
                log.exception("autocomplete %s failed for %r", kind, current)
                return []
            return [app_commands.Choice(name=_clip(label, 100) or value[:100], value=value[:100]) for label, value in pairs[:25]]

        return autocomplete

    # -- answering

    async def respond(self, interaction: discord.Interaction, name: str, options: dict[str, Any], *, ephemeral: bool | None = None) -> None:
        """Run a command and send its reply; defer first when the handler is slow; never leave the user in silence."""
        ctx = self.ctx_for(interaction)
        cmd = REGISTRY.get(name)
        task = asyncio.ensure_future(run_command(ctx, name, options))
        deferred = False
        try:
            done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
            if not done:
                private = ephemeral if ephemeral is not None else (cmd.ephemeral if cmd else True)
                await interaction.response.defer(ephemeral=private, thinking=True)
                deferred = True
            reply = await task
        except Exception as exc:  # noqa: BLE001 - a bug: log it with context, apologise to the user
            if not task.done():
                task.cancel()
            await self.report_bug(interaction, f"/{name} with options {options!r}", exc)
            return
        if ephemeral is not None:
            reply.ephemeral = ephemeral
        try:
            await self.send_reply(interaction, reply, ctx.lang, deferred)
        except Exception as exc:  # noqa: BLE001 - Discord refused the reply: say sorry in a plain one
            await self.report_bug(interaction, f"sending the reply to /{name} with options {options!r}", exc)

    async def send_reply(self, interaction: discord.Interaction, reply: Reply, lang: str, deferred: bool = False) -> None:
        pages = reply.paginate()
        view = PagedView(self, pages, interaction.user.id, lang) if (len(pages) > 1 or reply.actions) else None
        kwargs: dict[str, Any] = {"embed": render_embed(pages[0], lang, self.zone), "allowed_mentions": NO_MENTIONS}
        if view is not None:
            kwargs["view"] = view
        if reply.file is not None:
            kwargs["file"] = discord.File(io.BytesIO(reply.file[1]), filename=reply.file[0])
        ephemeral = reply.ephemeral or reply.error
        if deferred or interaction.response.is_done():
            message = await interaction.followup.send(ephemeral=ephemeral, wait=True, **kwargs)
        else:
            callback = await interaction.response.send_message(ephemeral=ephemeral, **kwargs)
            message = callback.resource if isinstance(callback.resource, discord.InteractionMessage) else None
        if view is not None:
            view.message = message  # for greying out the page buttons when they stop working

    async def report_bug(self, interaction: discord.Interaction, what: str, error: BaseException) -> None:
        """A bug: logged with who, where and what, and the user gets a short apology (never a traceback, never silence)."""
        where = f"guild {interaction.guild_id} channel {interaction.channel_id}" if interaction.guild_id else "a DM"
        log.error("%s failed for user %s in %s", what, interaction.user.id, where, exc_info=error)
        lang = lang_of_locale(str(interaction.locale), self.app.config.language)
        await self._send_error(interaction, error_reply(tr("error.apology", lang)), lang)

    async def _send_error(self, interaction: discord.Interaction, reply: Reply, lang: str) -> None:
        try:
            await self.send_reply(interaction, reply, lang)
        except Exception:  # noqa: BLE001 - Discord is unreachable or the token expired: the log is all that is left
            log.exception("could not even send an error reply to user %s", interaction.user.id)

    async def on_app_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        """The central error handler for what fails outside `respond` (transformers, checks, discord.py itself)."""
        lang = lang_of_locale(str(interaction.locale), self.app.config.language)
        name = interaction.command.name if interaction.command else "?"
        if isinstance(error, NotOrganizer):
            role = self.app.config.discord.organizer_role
            text = tr("discord.organizers_only", lang, name=name, role=role) if role else tr("discord.organizers_only.no_role", lang, name=name)
            reply = error_reply(text, tr("discord.organizers_only.hint", lang))
        elif isinstance(error, app_commands.NoPrivateMessage):
            reply = error_reply(tr("discord.server_only", lang, name=name))
        elif isinstance(error, app_commands.TransformerError):
            reply = error_reply(tr("discord.bad_value", lang, value=_clip(str(error.value), 100)), tr("discord.bad_value.hint", lang))
        else:
            await self.report_bug(interaction, f"/{name}", getattr(error, "original", error))
            return
        await self._send_error(interaction, reply, lang)


def point_at(config: Config) -> None:
    """Use the configured REST base and gateway (a proxy, or the tests' fake Discord)."""
    if config.discord.api_base:
        discord.http.Route.BASE = config.discord.api_base.rstrip("/")
    if config.discord.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(config.discord.gateway_url)


def run_discord(config: Config, clock: Clock, token: str) -> int:
    """`python -m bot run` with a token: serve Discord until interrupted."""
    import aiohttp

    point_at(config)
    app = App(config, clock)
    bot = ConfBot(app)
    where = config.discord.api_base or "discord.com"
    try:
        bot.run(token, log_handler=None)
    except discord.LoginFailure:
        print("Discord refused the token: check DISCORD_TOKEN (Developer Portal → your application → Bot → Reset Token).")
        return 2
    except discord.PrivilegedIntentsRequired:  # pragma: no cover - we ask for none
        print("Discord wants a privileged intent enabled for this bot; confbot needs none, so this is unexpected.")
        return 2
    except (aiohttp.ClientError, OSError) as exc:
        print(f"Could not reach Discord at {where}: {exc}. Check the network (or discord.api_base / gateway_url), then run again.")
        return 2
    return 0
