"""Waiting for what the bot does: a recorded request, an interaction's next answer, a post, a DM, a gateway frame.

Dispatching returns before the bot's handler runs, so tests await what the fake records.  Every
wait fails at once with `BotDied` (its cause the bot's own exception) when the watched bot task
ends, and on timeout names the last requests the fake saw and the errors discord.py logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from tests.fakediscord.guild import Guild
from tests.fakediscord.models import ChannelLike, UserLike
from tests.fakediscord.records import Interaction, Request


class BotDied(RuntimeError):
    """The bot task ended while a test waited on the fake; the bot's own exception is the cause."""


class Waiters:
    """Futures waiting for a recorded item that matches a predicate."""

    def __init__(self) -> None:
        self._pending: list[tuple[Callable[[Any], bool], asyncio.Future[Any]]] = []

    def add(self, predicate: Callable[[Any], bool]) -> asyncio.Future[Any]:
        fut = asyncio.get_running_loop().create_future()
        self._pending.append((predicate, fut))
        return fut

    def discard(self, fut: asyncio.Future[Any]) -> None:
        self._pending = [(p, f) for p, f in self._pending if f is not fut]

    def notify(self, item: Any) -> None:
        if not self._pending:
            return
        keep = []
        for predicate, fut in self._pending:
            if fut.done():
                continue
            try:
                matched = predicate(item)
            except Exception as exc:  # a broken predicate is the test's bug: show it to the test
                fut.set_exception(exc)
                continue
            if matched:
                fut.set_result(item)
            else:
                keep.append((predicate, fut))
        self._pending = keep


class Waiting:
    """The waiting side of the fake (mixed into FakeDiscord)."""

    guild: Guild
    requests: list[Request]
    gateway_frames: list[dict[str, Any]]
    bot_errors: list[logging.LogRecord]
    request_waiters: Waiters
    gateway_waiters: Waiters
    _bot_task: asyncio.Task[Any] | None

    async def wait_for(
        self,
        predicate: Callable[[Request], bool],
        timeout: float = 5.0,
        *,
        since: int = 0,
        include_rejected: bool = False,
    ) -> Request:
        """The first recorded request from index `since` on that the predicate accepts (awaiting it if need be).

        Only requests the fake accepted (2xx) are considered unless `include_rejected`.
        """

        def matches(r: Request) -> bool:
            return (include_rejected or r.ok) and predicate(r)

        for r in self.requests[since:]:
            if matches(r):
                return r
        fut = self.request_waiters.add(matches)
        try:
            found: Request = await self._await(fut, timeout, "a request matching the predicate")
            return found
        finally:
            self.request_waiters.discard(fut)

    async def wait_for_response(self, interaction: Interaction, timeout: float = 5.0) -> Request:
        """The next accepted request answering `interaction`: its callback, then followups and edits, in order."""
        index = interaction.cursor
        if index >= len(interaction.responses):
            fut = self.request_waiters.add(lambda r: r.interaction is interaction and r.ok)
            try:
                await self._await(fut, timeout, f"a response to {interaction!r}")
            finally:
                self.request_waiters.discard(fut)
        interaction.cursor = index + 1
        return interaction.responses[index]

    async def wait_for_message(
        self,
        channel: ChannelLike,
        predicate: Callable[[Request], bool] | None = None,
        timeout: float = 5.0,
        *,
        since: int = 0,
    ) -> Request:
        """The first message the bot posted (`POST /channels/{id}/messages`) in this channel."""
        cid = str(self.guild.channel(channel).id)
        return await self.wait_for(
            _posted_in(cid, predicate),
            timeout,
            since=since,
        )

    async def wait_for_dm(
        self,
        user: UserLike,
        predicate: Callable[[Request], bool] | None = None,
        timeout: float = 5.0,
        *,
        since: int = 0,
        include_rejected: bool = False,
    ) -> Request:
        """The first DM the bot sent to this user (`include_rejected` to see one refused with 50007)."""
        cid = str(self.guild.dm_channel(user).id)
        return await self.wait_for(
            _posted_in(cid, predicate),
            timeout,
            since=since,
            include_rejected=include_rejected,
        )

    async def wait_for_sync(self, timeout: float = 5.0, *, since: int = 0) -> Request:
        """The first accepted command sync (global or guild)."""
        return await self.wait_for(lambda r: r.kind in ("sync_global", "sync_guild"), timeout, since=since)

    async def wait_for_gateway(
        self,
        predicate: Callable[[dict[str, Any]], bool],
        timeout: float = 5.0,
        *,
        since: int = 0,
    ) -> dict[str, Any]:
        """The first gateway frame the bot sent (from index `since`), once the fake has answered it."""
        for frame in self.gateway_frames[since:]:
            if predicate(frame):
                return frame
        fut = self.gateway_waiters.add(predicate)
        try:
            found: dict[str, Any] = await self._await(fut, timeout, "a gateway frame matching the predicate")
            return found
        finally:
            self.gateway_waiters.discard(fut)

    async def _await(self, fut: asyncio.Future[Any], timeout: float, what: str) -> Any:
        waiting: set[asyncio.Future[Any]] = {fut}
        bot = self._bot_task
        if bot is not None:
            waiting.add(bot)
        done, _ = await asyncio.wait(waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if fut in done:
            return fut.result()
        fut.cancel()
        if bot is not None and bot in done:
            cause = None if bot.cancelled() else bot.exception()
            raise BotDied(f"the bot stopped while the test waited for {what}") from cause
        raise TimeoutError(self._timeout_message(timeout, what))

    def _timeout_message(self, timeout: float, what: str) -> str:
        lines = [f"waited {timeout}s for {what}; the last requests the fake saw:"]
        lines += [f"  {r.method} {r.path} -> {r.status}" for r in self.requests[-8:]] or ["  (none)"]
        if self.bot_errors:
            lines.append("errors discord.py logged:")
            for record in self.bot_errors[-3:]:
                lines.append(f"  {record.getMessage()}")
                if record.exc_info:
                    lines.append("  " + logging.Formatter().formatException(record.exc_info).replace("\n", "\n  "))
        return "\n".join(lines)


def _posted_in(channel_id: str, predicate: Callable[[Request], bool] | None) -> Callable[[Request], bool]:
    """A message the bot posted in this channel (a DM channel too) that `predicate`, if any, accepts."""
    return lambda r: (
        r.kind == "channel_message" and r.params.get("channel_id") == channel_id and (predicate is None or predicate(r))
    )
