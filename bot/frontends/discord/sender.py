"""Delivery through discord.py: notices rendered for Discord, sent with their stored nonces, paced under Discord's limit."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Literal, Protocol

import discord

from bot.config import DiscordConfig
from bot.core.delivery import DMClosed, PermanentSendError, TransientSendError
from bot.core.notices import Notice, RoomPostNotice
from bot.core.text import clip
from bot.frontends.discord.notices import DISCORD_LIMIT, allowed_mentions, mentions_per_post, render
from bot.frontends.discord.render import NO_MENTIONS
from bot.frontends.discord.views import StarButton
from bot.i18n import tr
from bot.runtime import Channels

__all__ = ["SEND_RATE", "DMChannelStore", "DiscordSender", "Pacer", "channels_of"]

SEND_RATE = 46.0  # requests per second for reminders and announcements: Discord allows 50 for the whole bot
DM_CLOSED = 50007  # Discord's error code: cannot send messages to this user


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
        rate: float = SEND_RATE,
    ):
        self.client = client
        self.storage_getter = storage_getter
        self.pacer = Pacer(rate)
        self._dm_channels: dict[int, int] | None = None

    def mentions_per_post(self, notice: Notice, lang: str) -> int:
        return mentions_per_post(notice, lang)

    async def send_dm(self, user_id: int, notice: Notice, *, lang: str, nonce: str) -> int | None:
        return await self._send(await self._dm_channel(user_id), render(notice, lang), nonce, NO_MENTIONS)

    async def send_channel(
        self, channel_id: int, notice: Notice, *, lang: str, nonce: str, mention_user_ids: Sequence[int] = ()
    ) -> int | None:
        text = render(notice, lang, mention_user_ids)
        view = star_view(notice, lang) if isinstance(notice, RoomPostNotice) else None
        return await self._send(channel_id, text, nonce, allowed_mentions(notice, mention_user_ids), view)

    async def _send(
        self,
        channel_id: int,
        text: str,
        nonce: str,
        mentions: discord.AllowedMentions,
        view: discord.ui.View | None = None,
    ) -> int:
        channel = self.client.get_partial_messageable(channel_id)
        await self.pacer.wait()
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
        except (TimeoutError, discord.HTTPException, OSError) as exc:
            raise _send_error(exc) from exc
        self._dm_channels[user_id] = dm.id
        if storage is not None:
            await storage.remember_dm_channel(user_id, dm.id)
        return dm.id

    # ------------------------------------------------------------ live posts: threads, channel checks (issue 12)

    async def open_thread(self, channel_id: int, message_id: int, name: str) -> int:
        """A public thread on the post; one already started on it (a resend after a crash) is the same thread."""
        await self.pacer.wait()
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
        await self.pacer.wait()
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
