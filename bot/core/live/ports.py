"""What a front end may add to its sender for the live service: threads, channel checks."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

__all__ = ["ChannelChecker", "ThreadSender"]


@runtime_checkable
class ThreadSender(Protocol):
    """A sender that can open a discussion thread under a post and archive it (Discord's can; the console's not).

    Both raise TransientSendError (try later) or PermanentSendError (never: no permission, the active-thread cap).
    """

    async def open_thread(self, channel_id: int, message_id: int, name: str) -> int:
        """Open a public thread named `name` under the message; returns its id. Opening it twice is harmless."""
        ...

    async def archive_thread(self, thread_id: int) -> None: ...


@runtime_checkable
class ChannelChecker(Protocol):
    """A sender that can tell, at start, whether the bot may post (and open threads) in a channel."""

    async def check_channel(self, channel_id: int, *, threads: bool) -> list[tuple[str, str]]:
        """What stands in the way, as (kind, what the platform said): kinds 'channel_missing', 'cannot_post',
        'no_threads' (cannot open threads), 'no_archive' (cannot archive them); [] when all is well."""
        ...
