"""Delivery through discord.py: notices rendered for Discord, sent with their stored nonces, every request paced.

One `Pacer` per bot spends Discord's global budget of 50 requests a second. It sits where discord.py hands
each request to aiohttp (`http_trace`, discord.py's documented hook), so every REST request the bot makes
waits its turn, retries and the requests of commands included; interaction responses and webhook
follow-ups are outside Discord's global limit and go at once. A request waits with the priority of the
notice it delivers (`bot.core.notices.PRIORITY`); anything else is URGENT.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Literal, Protocol

import aiohttp
import discord

from bot.config import DiscordConfig
from bot.core.delivery import DMClosed, Pacer, PermanentSendError, TransientSendError, at_priority
from bot.core.notices import Notice, Priority, RoomPostNotice, priority_of
from bot.core.text import clip
from bot.frontends.discord.notices import DISCORD_LIMIT, allowed_mentions, mentions_per_post, render
from bot.frontends.discord.render import NO_MENTIONS
from bot.frontends.discord.views import StarButton
from bot.i18n import tr
from bot.runtime import Channels

__all__ = ["HISTORY_LIMIT", "DMChannelStore", "DiscordSender", "channels_of", "paced"]

log = logging.getLogger(__name__)

DM_CLOSED = 50007  # Discord's error code: cannot send messages to this user
HISTORY_LIMIT = 100  # recent messages looked through for a send whose answer was lost (one request)
UNPACED = ("/interactions/", "/webhooks/")  # outside Discord's global limit


class DMChannelStore(Protocol):
    """Where the DM channel of each user is remembered (bot.core.storage.Storage is one)."""

    async def dm_channels(self) -> dict[int, int]: ...
    async def remember_dm_channel(self, user_id: int, channel_id: int) -> None: ...


def channels_of(config: DiscordConfig) -> Channels:
    """The channels this server's configuration names for reminders, announcements and organizers."""
    return Channels(
        reminders=config.reminders_channel_id,
        announcements=config.announcements_channel_id,
        organizers=config.organizers_channel_id,
    )


def paced(client: discord.Client, pacer: Callable[[], Pacer]) -> None:
    """Make every REST request `client` sends wait for a slot of `pacer()` first (before the client logs in)."""

    async def on_request_start(
        session: aiohttp.ClientSession, context: SimpleNamespace, params: aiohttp.TraceRequestStartParams
    ) -> None:
        url = params.url
        if url.scheme in ("ws", "wss") or params.headers.get("Upgrade", "").lower() == "websocket":
            return  # the gateway
        if any(part in url.path for part in UNPACED):
            return
        await pacer().request_slot()

    trace = client.http.http_trace
    if trace is None:
        trace = client.http.http_trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_request_start)


def _send_error(exc: BaseException) -> Exception:
    """A discord.py failure as the delivery port's error: transient (try later, same nonce) or permanent."""
    if isinstance(exc, discord.HTTPException):
        if exc.status >= 500 or exc.status == 429:
            return TransientSendError(str(exc))
        return PermanentSendError(str(exc))
    return TransientSendError(str(exc))  # the network, or a timeout


class DiscordSender:
    """The Discord front end's NoticeSender: renders each notice for Discord and sends it with its nonce."""

    def __init__(
        self,
        client: discord.Client,
        storage_getter: Callable[[], DMChannelStore | None] = lambda: None,
        pacer: Pacer | None = None,
    ):
        self.client = client
        self.storage_getter = storage_getter
        self.pacer = pacer or Pacer()  # the bot's one budget: replace it before the bot logs in, not after
        self._dm_channels: dict[int, int] | None = None
        self._no_history = False  # warned once that the bot may not read a channel's history
        paced(client, lambda: self.pacer)

    def mentions_per_post(self, notice: Notice, lang: str) -> int:
        return mentions_per_post(notice, lang)

    async def send_dm(self, user_id: int, notice: Notice, *, lang: str, nonce: str) -> int | None:
        with at_priority(priority_of(notice)):
            return await self._send(await self._dm_channel(user_id), render(notice, lang), nonce, NO_MENTIONS)

    async def send_channel(
        self, channel_id: int, notice: Notice, *, lang: str, nonce: str, mention_user_ids: Sequence[int] = ()
    ) -> int | None:
        text = render(notice, lang, mention_user_ids)
        view = star_view(notice, lang) if isinstance(notice, RoomPostNotice) else None
        with at_priority(priority_of(notice)):
            return await self._send(channel_id, text, nonce, allowed_mentions(notice, mention_user_ids), view)

    async def open_dm(self, user_id: int) -> int | None:
        """Open a user's DM channel ahead, with capacity nothing else wants (the pacer's PREPARE priority)."""
        known = await self._known_dm(user_id)
        if known is not None:
            return known
        async with self.pacer.ahead(Priority.PREPARE):
            return await self._dm_channel(user_id)  # a reminder may have opened it while this waited

    async def find_dm(self, user_id: int, forms: Sequence[Notice], *, lang: str, nonce: str) -> int | None:
        channel_id = await self._known_dm(user_id)
        if channel_id is None:
            return None  # never opened: nothing can have been sent there
        texts = {clip(render(f, lang), DISCORD_LIMIT) for f in forms}
        with at_priority(priority_of(forms[0]) if forms else Priority.URGENT):
            return await self._find(channel_id, texts, nonce)

    async def find_post(
        self, channel_id: int, forms: Sequence[Notice], *, lang: str, nonce: str, mention_user_ids: Sequence[int]
    ) -> int | None:
        texts = {clip(render(f, lang, mention_user_ids), DISCORD_LIMIT) for f in forms}
        with at_priority(priority_of(forms[0]) if forms else Priority.URGENT):
            return await self._find(channel_id, texts, nonce)

    # ------------------------------------------------------------ requests

    async def _send(
        self,
        channel_id: int,
        text: str,
        nonce: str,
        mentions: discord.AllowedMentions,
        view: discord.ui.View | None = None,
    ) -> int:
        channel = self.client.get_partial_messageable(channel_id)
        content = clip(text, DISCORD_LIMIT)
        try:
            if view is None:
                message = await channel.send(content=content, nonce=nonce, allowed_mentions=mentions)
            else:
                message = await channel.send(content=content, nonce=nonce, allowed_mentions=mentions, view=view)
        except discord.Forbidden as exc:
            if exc.code == DM_CLOSED:
                raise DMClosed(str(exc)) from exc
            raise _send_error(exc) from exc
        except (TimeoutError, discord.HTTPException, OSError) as exc:
            raise _send_error(exc) from exc
        return message.id

    async def _find(self, channel_id: int, texts: set[str], nonce: str) -> int | None:
        """The bot's own message among the channel's recent ones with this nonce or one of these texts."""
        me = self.client.user
        if me is None:
            raise TransientSendError("not logged in yet")
        channel = self.client.get_partial_messageable(channel_id)
        wanted = {t.strip() for t in texts}
        try:
            async for message in channel.history(limit=HISTORY_LIMIT):
                if message.author.id != me.id:
                    continue
                if (message.nonce is not None and str(message.nonce) == nonce) or message.content.strip() in wanted:
                    return message.id
        except discord.Forbidden as exc:
            # Without Read Message History the bot cannot look; sending again risks a repeat, losing it is worse.
            if not self._no_history:
                self._no_history = True
                log.warning("cannot read the history of channel %s to rule out a repeat: %s", channel_id, exc)
            return None
        except (TimeoutError, discord.HTTPException, OSError) as exc:
            raise _send_error(exc) from exc
        return None

    async def _known_dm(self, user_id: int) -> int | None:
        if self._dm_channels is None:
            storage = self.storage_getter()
            self._dm_channels = await storage.dm_channels() if storage is not None else {}
        return self._dm_channels.get(user_id)

    async def _dm_channel(self, user_id: int) -> int:
        """The DM channel with a user: remembered in the database, so a restart does not ask Discord again."""
        channel_id = await self._known_dm(user_id)
        if channel_id is not None:
            return channel_id
        try:
            dm = await self.client.create_dm(discord.Object(id=user_id))
        except discord.Forbidden as exc:
            raise DMClosed(str(exc)) from exc
        except (TimeoutError, discord.HTTPException, OSError) as exc:
            raise _send_error(exc) from exc
        assert self._dm_channels is not None  # loaded by _known_dm
        self._dm_channels[user_id] = dm.id
        storage = self.storage_getter()
        if storage is not None:
            await storage.remember_dm_channel(user_id, dm.id)
        return dm.id

    # ------------------------------------------------------------ live posts: threads, channel checks (issue 12)

    async def open_thread(self, channel_id: int, message_id: int, name: str) -> int:
        """A public thread on the post; one already started on it (a resend after a crash) is the same thread.
        Paced like every request (see `paced`), at the default URGENT priority: the post it belongs to is."""
        try:
            thread = await self.client.http.start_thread_with_message(
                channel_id, message_id, name=clip(name, 100) or "…", auto_archive_duration=THREAD_ARCHIVE_MINUTES
            )
        except discord.HTTPException as exc:
            if exc.code == THREAD_EXISTS:
                return message_id  # a thread started on a message takes the message's id
            raise _send_error(exc) from exc
        except (TimeoutError, OSError) as exc:
            raise _send_error(exc) from exc
        return int(thread["id"])

    async def archive_thread(self, thread_id: int) -> None:
        try:
            await self.client.http.edit_channel(thread_id, archived=True, reason="the session has ended")
        except (TimeoutError, discord.HTTPException, OSError) as exc:
            raise _send_error(exc) from exc

    async def check_channel(self, channel_id: int, *, threads: bool) -> list[tuple[str, str]]:
        """Whether the bot can see the channel, post in it and, with `threads`, open and archive threads there."""
        try:  # the channels and the bot's roles arrive with the guild, once connected
            await asyncio.wait_for(self.client.wait_until_ready(), READY_WAIT)
        except TimeoutError:
            return []  # not connected: the first post will tell
        channel = self.client.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self.client.fetch_channel(channel_id)
            except (discord.NotFound, discord.Forbidden) as exc:  # Discord hides what the bot may not see
                return [("channel_missing", str(exc))]
            except (TimeoutError, discord.HTTPException, OSError):
                return []  # Discord is not answering: the first post will tell
        if not isinstance(channel, discord.abc.GuildChannel):
            return [("cannot_post", f"{type(channel).__name__} is not a server channel")]
        me = getattr(channel.guild, "me", None)  # a channel fetched from an uncached guild has no member
        if not isinstance(me, discord.Member):
            return []  # the bot's member is not cached: Discord will say at the first post
        perms = channel.permissions_for(me)
        if not (perms.view_channel and perms.send_messages):
            return [("cannot_post", f"permissions {perms.value}")]
        found = []
        if threads and not perms.create_public_threads:
            found.append(("no_threads", "Create Public Threads"))
        elif threads and not perms.manage_threads:
            found.append(("no_archive", "Manage Threads"))
        return found


# ---------------------------------------------------------------- the conference, live (issue 12)

MAX_STARS = 25  # buttons on one message: five rows of five
THREAD_ARCHIVE_MINUTES: Literal[60] = (
    60  # Discord's shortest auto-archive: a thread the bot could not archive goes quiet soon
)
THREAD_EXISTS = 160004  # a thread was already started on this message
READY_WAIT = 30.0  # seconds a channel check waits for the connection to Discord


def star_view(notice: RoomPostNotice, lang: str) -> discord.ui.View:
    """The ☆ button of each session in a room post, built by the views' StarButton (works across restarts).

    The view is finished before it is sent: the buttons are dispatched by their custom ids (the client's dynamic
    items), so discord.py need not keep a view in memory for every post of the conference."""
    view = discord.ui.View(timeout=None)
    single = len(notice.sessions) == 1
    for item in notice.sessions[:MAX_STARS]:
        title = item.session.title_in(lang)
        label = tr("action.star", lang) if single else tr("live.post.star", lang, title=clip(title, 60))
        view.add_item(StarButton("star", item.session.id, label))
    view.stop()
    return view
