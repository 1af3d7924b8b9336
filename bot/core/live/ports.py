"""What the live service needs of storage, and what a front end may add to its sender: threads, channel checks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.core.live.changes import ChangesStore
from bot.core.storage import LivePost, LiveThread, PostClaim

__all__ = ["ChannelChecker", "LiveStore", "ThreadSender"]


class LiveStore(ChangesStore, Protocol):
    """bot.core.storage.Storage is one."""

    async def claim_live_posts(self, claims: Iterable[PostClaim], now: datetime) -> list[LivePost]: ...
    async def pending_live_posts(self) -> list[LivePost]: ...
    async def mark_live_posts_sent(
        self,
        post_ids: Sequence[int],
        sent_at: datetime,
        message_id: int | None,
        thread: tuple[int, str, datetime] | None = None,
    ) -> None: ...
    async def note_live_sending(self, post_ids: Sequence[int], now: datetime) -> None: ...
    async def note_live_attempt(self, post_ids: Sequence[int]) -> int: ...
    async def close_live_posts(self, post_ids: Sequence[int], state: str, reason: str) -> int: ...
    async def live_threads(self, *states: str) -> list[LiveThread]: ...
    async def set_thread_state(self, thread_id: int, state: str, error: str | None = None) -> None: ...
    async def live_thread_sessions(self, thread_ids: Sequence[int]) -> dict[int, list[str]]: ...
    async def move_thread_archive(self, thread_id: int, archive_at: datetime) -> None: ...


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
