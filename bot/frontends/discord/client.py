"""The discord.py client: answers interactions through the command layer, never leaves a user in silence."""

from __future__ import annotations

import asyncio
import io
import logging
import sys
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, cast

import discord
import yarl
from discord import app_commands

from bot.app import App
from bot.clock import Clock
from bot.commands.context import Ctx, User
from bot.commands.registry import REGISTRY, run_command
from bot.commands.reply import Reply, error_reply
from bot.config import Config
from bot.core.text import clip
from bot.frontends.discord.announce_views import AnnounceButton, preview_view, with_channel
from bot.frontends.discord.render import NO_MENTIONS, render_embed
from bot.frontends.discord.sender import DiscordSender, channels_of
from bot.frontends.discord.slash import NotOrganizer, build_command
from bot.frontends.discord.views import (
    KeptReplies,
    PageButton,
    PageRef,
    SessionRefs,
    StarButton,
    replayable,
    reply_view,
)
from bot.i18n import lang_of_locale, tr
from bot.runtime import Runtime
from bot.service import serve

log = logging.getLogger(__name__)

DEFER_AFTER = 2.0  # seconds: a handler still running then is deferred, well inside Discord's 3-second limit


class ConfBot(discord.Client):
    """discord.py client for confbot: no privileged intents, no pings unless an organizer asks."""

    def __init__(self, app: App, *, runtime: bool = True, sync: bool = True, watch: bool = True, **kwargs: Any):
        intents = discord.Intents.none()
        intents.guilds = True  # roles and channels, for permission checks; not privileged
        kwargs.setdefault("chunk_guilds_at_startup", False)
        super().__init__(intents=intents, allowed_mentions=NO_MENTIONS, **kwargs)
        self.app = app
        self.tree = app_commands.CommandTree(self)
        self.tree.error(self.on_app_command_error)
        self.sync_on_start = sync
        self.sender = DiscordSender(self, lambda: self.app.services.storage)
        self.runtime = Runtime(app, self.sender, channels_of(app.config.discord), watch=watch) if runtime else None
        self.kept = KeptReplies()  # the pages of recent replies, for their ◀ ▶ buttons
        self.session_refs = SessionRefs()  # the sessions ☆ buttons refer to by a short key
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
        self.add_dynamic_items(
            StarButton, PageButton, AnnounceButton
        )  # they answer whenever pressed, also after a restart
        if self.sync_on_start:
            await self.sync_commands()
        if self.runtime is not None:
            await self.runtime.start(catch_up_in_background=True)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A press of one of our buttons that the message no longer shows (a client that had not yet seen a page
        turn): discord.py drops those silently, so answer it here, as the button would."""
        if interaction.type is not discord.InteractionType.component or interaction.message is None:
            return
        custom_id = cast("dict[str, Any]", interaction.data or {}).get("custom_id")
        if not isinstance(custom_id, str) or _shows(interaction.message.components, custom_id):
            return  # discord.py dispatches it to the button
        for button in (PageButton, StarButton):
            match = button.__discord_ui_compiled_template__.fullmatch(custom_id)
            if match is not None:
                item = await button.from_custom_id(interaction, discord.ui.Button(custom_id=custom_id), match)
                await item.callback(interaction)
                return

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
            hint = (
                " (was the bot invited with the applications.commands scope, and is guild_id right?)"
                if exc.status == 403
                else ""
            )
            log.error(
                "Discord refused the command sync to %s: %s%s",
                f"guild {guild_id}" if guild_id else "all servers",
                self.sync_error,
                hint,
            )
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
        raise NotOrganizer(interaction.command.name if interaction.command else "?")

    def _user(self, interaction: discord.Interaction) -> User:
        member = interaction.user
        return User(
            id=member.id,
            name=member.display_name,
            is_organizer=self.is_organizer(interaction),
            locale=str(interaction.locale),
        )

    def ctx_for(self, interaction: discord.Interaction) -> Ctx:
        user = self._user(interaction)
        return Ctx(
            app=self.app,
            user=user,
            now=self.app.now(),
            lang=lang_of_locale(user.locale, self.app.config.language),
            channel_id=interaction.channel_id,
        )

    # -- answering

    async def _run(
        self,
        interaction: discord.Interaction,
        ctx: Ctx,
        name: str,
        options: dict[str, Any],
        defer: Callable[[], Awaitable[Any]],
    ) -> tuple[Reply | None, bool]:
        """Run a command, deferring the interaction when the handler is slow; (None, _) after reporting a bug."""
        task = asyncio.ensure_future(run_command(ctx, name, options))
        deferred = False
        try:
            done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
            if not done:
                await defer()
                deferred = True
            return await task, deferred
        except Exception as exc:  # noqa: BLE001 - a bug: log it with context, apologise to the user
            if not task.done():
                task.cancel()
            await self.report_bug(interaction, f"/{name} with options {options!r}", exc)
            return None, deferred

    async def respond(
        self, interaction: discord.Interaction, name: str, options: dict[str, Any], *, ephemeral: bool | None = None
    ) -> None:
        """Run a command and send its reply; defer first when the handler is slow; never leave the user in silence."""
        ctx = self.ctx_for(interaction)
        cmd = REGISTRY.get(name)
        private = ephemeral if ephemeral is not None else (cmd.ephemeral if cmd else True)
        reply, deferred = await self._run(
            interaction, ctx, name, options, lambda: interaction.response.defer(ephemeral=private, thinking=True)
        )
        if reply is None:
            return
        if ephemeral is not None:
            reply.ephemeral = ephemeral
        try:
            await self.send_reply(
                interaction, reply, ctx.lang, deferred, ref=PageRef.first(interaction.user.id, name, options)
            )
        except Exception as exc:  # noqa: BLE001 - Discord refused the reply: say sorry in a plain one
            await self.report_bug(interaction, f"sending the reply to /{name} with options {options!r}", exc)

    async def send_reply(
        self,
        interaction: discord.Interaction,
        reply: Reply,
        lang: str,
        deferred: bool = False,
        *,
        ref: PageRef | None = None,
    ) -> None:
        """Send a reply's first page, with ◀ ▶ when it has more (kept, and found again through `ref`) and ☆ buttons."""
        pages = reply.paginate()
        if ref is not None and len(pages) > 1 and not reply.error:
            self.kept.keep(ref, pages)
        view: discord.ui.View | None = preview_view(reply, lang)  # an announcement's Send and Cancel
        if view is None:
            view = reply_view(pages, 0, ref if not reply.error else None)
        embed = with_channel(render_embed(pages[0], lang, self.zone), reply)
        kwargs: dict[str, Any] = {"embed": embed, "allowed_mentions": NO_MENTIONS}
        if view is not None:
            kwargs["view"] = view
        if reply.file is not None:
            kwargs["file"] = discord.File(io.BytesIO(reply.file[1]), filename=reply.file[0])
        ephemeral = reply.ephemeral or reply.error
        if deferred or interaction.response.is_done():
            await interaction.followup.send(ephemeral=ephemeral, wait=True, **kwargs)
        else:
            await interaction.response.send_message(ephemeral=ephemeral, **kwargs)

    async def press_star(self, interaction: discord.Interaction, action: str, ref: str) -> None:
        """A ☆ button: star (or unstar) the session it refers to for whoever pressed it, or say it is gone."""
        session_id = self.session_refs.resolve(self.app.catalog, ref)
        if session_id is None:
            lang = lang_of_locale(str(interaction.locale), self.app.config.language)
            gone = error_reply(tr("discord.session_gone", lang), tr("discord.session_gone.hint", lang))
            await self._send_error(interaction, gone, lang)
            return
        await self.respond(interaction, action, {"session": session_id}, ephemeral=True)

    async def turn_page(self, interaction: discord.Interaction, ref: PageRef) -> None:
        """A ◀ ▶ button: show page `ref.page` of the asker's reply in place, from memory or by asking again."""
        lang = lang_of_locale(str(interaction.locale), self.app.config.language)
        if interaction.user.id != ref.owner:
            await interaction.response.send_message(
                tr("discord.not_your_pages", lang), ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        deferred = False
        pages = self.kept.get(ref.key)
        if pages is not None:
            pass
        elif ref.options is not None and replayable(ref.command):
            # The bot restarted (or forgot): the command only reads, so asking it again rebuilds the pages.
            ctx = self.ctx_for(interaction)
            reply, deferred = await self._run(interaction, ctx, ref.command, ref.options, interaction.response.defer)
            if reply is None:
                return
            if reply.error:
                await self._send_error(interaction, reply, lang)
                return
            pages = reply.paginate()
            if len(pages) > 1:
                self.kept.keep(ref, pages)
        else:
            gone = error_reply(
                tr("discord.list_gone", lang), tr("discord.list_gone.hint", lang, command=f"/{ref.command}")
            )
            await self._send_error(interaction, gone, lang)
            return
        index = max(0, min(len(pages) - 1, ref.page - 1))
        page: dict[str, Any] = {
            "embed": render_embed(pages[index], lang, self.zone),
            "view": reply_view(pages, index, ref),
            "allowed_mentions": NO_MENTIONS,
        }
        if deferred:
            await interaction.edit_original_response(**page)
        else:
            await interaction.response.edit_message(**page)

    async def report_bug(self, interaction: discord.Interaction, what: str, error: BaseException) -> None:
        """A bug: logged with who, where and what, and the user gets a short apology (never a traceback, never silence)."""
        where = f"guild {interaction.guild_id} channel {interaction.channel_id}" if interaction.guild_id else "a DM"
        log.error("%s failed for user %s in %s", what, interaction.user.id, where, exc_info=error)
        lang = lang_of_locale(str(interaction.locale), self.app.config.language)
        await self._send_error(interaction, error_reply(tr("error.apology", lang)), lang)

    async def _send_error(self, interaction: discord.Interaction, reply: Reply, lang: str) -> None:
        try:
            await self.send_reply(interaction, reply, lang)
        except Exception:
            log.exception("could not even send an error reply to user %s", interaction.user.id)

    async def on_app_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        """The central error handler for what fails outside `respond` (transformers, checks, discord.py itself)."""
        lang = lang_of_locale(str(interaction.locale), self.app.config.language)
        name = interaction.command.name if interaction.command else "?"
        if isinstance(error, NotOrganizer):
            role = self.app.config.discord.organizer_role
            text = (
                tr("discord.organizers_only", lang, name=name, role=role)
                if role
                else tr("discord.organizers_only.no_role", lang, name=name)
            )
            reply = error_reply(text, tr("discord.organizers_only.hint", lang))
        elif isinstance(error, app_commands.NoPrivateMessage):
            reply = error_reply(tr("discord.server_only", lang, name=name))
        elif isinstance(error, app_commands.TransformerError):
            reply = error_reply(
                tr("discord.bad_value", lang, value=clip(str(error.value), 100)), tr("discord.bad_value.hint", lang)
            )
        else:
            await self.report_bug(interaction, f"/{name}", getattr(error, "original", error))
            return
        await self._send_error(interaction, reply, lang)


def _shows(components: Iterable[Any], custom_id: str) -> bool:
    """Whether a message's components (rows and what they hold) include one with this custom_id."""
    return any(
        getattr(c, "custom_id", None) == custom_id or _shows(getattr(c, "children", ()), custom_id) for c in components
    )


def point_at(config: Config) -> None:
    """Use the configured REST base and gateway (a proxy, or the tests' fake Discord)."""
    if config.discord.api_base:
        discord.http.Route.BASE = config.discord.api_base.rstrip("/")
    if config.discord.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(config.discord.gateway_url)


async def _connected(bot: ConfBot, token: str) -> int:
    """Serve Discord until the connection ends for good; however it ends, the bot closes everything it opened."""
    async with bot:  # on the way out (SIGTERM too): gateway closed, scheduler stopped, database closed
        await bot.start(token)
    return 0


def run_discord(config: Config, clock: Clock, token: str) -> int:
    """`python -m bot run` with a token: serve Discord until interrupted or terminated."""
    import aiohttp

    point_at(config)
    app = App(config, clock)
    bot = ConfBot(app)
    where = config.discord.api_base or "discord.com"
    try:
        return serve(lambda: _connected(bot, token))
    except discord.LoginFailure:
        print(
            f"Discord refused the token: check {config.discord.token_env} "
            "(Developer Portal → your application → Bot → Reset Token).",
            file=sys.stderr,
        )
        return 2
    except discord.PrivilegedIntentsRequired:  # pragma: no cover - we ask for none
        print(
            "Discord wants a privileged intent enabled for this bot; confbot needs none, so this is unexpected.",
            file=sys.stderr,
        )
        return 2
    except (aiohttp.ClientError, OSError) as exc:
        print(
            f"Could not reach Discord at {where}: {exc}. "
            "Check the network (or discord.api_base / gateway_url), then run again.",
            file=sys.stderr,
        )
        return 2
