"""Delivery through discord.py: notices rendered for Discord, sent with their stored nonces, paced under Discord's limit."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Protocol

import discord

from bot.config import DiscordConfig
from bot.core.delivery import DMClosed, PermanentSendError, TransientSendError
from bot.core.notices import Notice
from bot.core.text import clip
from bot.frontends.discord.notices import DISCORD_LIMIT, allowed_mentions, mentions_per_post, render
from bot.frontends.discord.render import NO_MENTIONS
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
        return await self._send(channel_id, text, nonce, allowed_mentions(notice, mention_user_ids))

    async def _send(self, channel_id: int, text: str, nonce: str, mentions: discord.AllowedMentions) -> int:
        channel = self.client.get_partial_messageable(channel_id)
        await self.pacer.wait()
        try:
            message = await channel.send(content=clip(text, DISCORD_LIMIT), nonce=nonce, allowed_mentions=mentions)
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
