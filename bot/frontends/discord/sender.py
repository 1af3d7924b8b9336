"""Delivery through discord.py: reminders, change notices and announcements sent with their stored nonces, paced under Discord's limit."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import discord

from bot.core.reminders import DMClosed, TransientSendError
from bot.core.text import clip
from bot.frontends.discord.render import NO_MENTIONS

SEND_RATE = 46.0  # requests per second for reminders and announcements: Discord allows 50 for the whole bot


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
            message = await channel.send(content=clip(text, 2000), nonce=nonce, allowed_mentions=mentions)
        except discord.Forbidden as exc:
            if exc.code == 50007:
                raise DMClosed(str(exc)) from exc
            raise
        except (TimeoutError, discord.HTTPException, OSError) as exc:
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
        except (TimeoutError, discord.HTTPException, OSError) as exc:
            if _transient(exc):
                raise TransientSendError(str(exc)) from exc
            raise
        self._dm_channels[user_id] = dm.id
        if storage is not None:
            await storage.remember_dm_channel(user_id, dm.id)
        return dm.id

    async def send_dm(self, user_id: int, text: str, *, nonce: str) -> str | None:
        return await self._send(await self._dm_channel(user_id), text, nonce, NO_MENTIONS)

    async def send_channel(
        self, channel_id: int, text: str, *, nonce: str, mention_user_ids: Sequence[int] = ()
    ) -> str | None:
        mentions = discord.AllowedMentions(
            everyone=False, roles=False, users=[discord.Object(id=u) for u in mention_user_ids]
        )
        return await self._send(channel_id, text, nonce, mentions)

    async def send_announcement(self, channel_id: int, text: str, *, nonce: str, ping: bool) -> str | None:
        mentions = discord.AllowedMentions.all() if ping else NO_MENTIONS
        return await self._send(channel_id, text, nonce, mentions)
