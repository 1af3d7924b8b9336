"""DM channels opened ahead: a reminder to someone whose DM channel is open costs one request when it is due.

Discord needs a DM channel before a first DM, which costs a request of its own. The preparer opens the DM
channels of stargazers reminded by DM, most urgent session first, as soon as they star and through the
quiet time before the conference, with the pacer's lowest priority: only capacity that announcements,
room posts and reminders do not want. A user whose DMs turn out closed (50007) is remembered as such and
never tried again; a front end without DM channels (the console) stops the preparer at its first answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from bot.core.delivery import DMClosed, NoticeSender, TransientSendError

__all__ = ["DMPreparer", "PreparationStore"]

log = logging.getLogger(__name__)


class PreparationStore(Protocol):
    async def cold_stars(self, default_delivery: str = "dm") -> list[tuple[str, int]]: ...
    async def set_dm_closed(self, user_id: int, closed: bool) -> None: ...


class DMPreparer:
    """Opens stargazers' DM channels ahead of their reminders, in the background, when nothing else is sent."""

    def __init__(
        self,
        *,
        storage: PreparationStore,
        sender: NoticeSender,
        upcoming: Callable[[], Sequence[str]],
        default_delivery: str = "dm",
        progress: Callable[[], Awaitable[None]] | None = None,
        progress_every: float = 5.0,  # seconds of real time between two re-plans while opening
        pause_after_error: float = 30.0,
    ):
        self.storage = storage
        self.sender = sender
        self.upcoming = upcoming  # session ids with reminders to come, most urgent first
        self.default_delivery = default_delivery
        self.progress = progress  # told every few seconds while opening: reminders need fewer requests now
        self.progress_every = progress_every
        self.pause_after_error = pause_after_error  # seconds of real time after Discord failed to open one
        self.opened = 0
        self._tried: set[int] = set()  # asked once in this process: never asked again, whatever came of it
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()  # set while there is nothing to open
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="confbot-dm-preparer")

    def wake(self) -> None:
        """Someone starred, or the plan changed: look for DM channels to open."""
        self._idle.clear()
        self._wake.set()

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def idle(self) -> None:
        """Wait until every DM channel worth opening is open (for tests and benches)."""
        if self._task is not None and not self._task.done():
            await self._idle.wait()

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                outcome = await self._open_all()
            except Exception:
                log.exception("opening DM channels ahead failed; trying again later")
                await asyncio.sleep(self.pause_after_error)
                continue
            if outcome is None:
                self._idle.set()
                return  # this front end has no DM channels to open
            if not self._wake.is_set():
                self._idle.set()
                await self._wake.wait()

    async def _cold_users(self) -> list[int]:
        """Users whose DM channel is worth opening, by their most urgent reminder to come."""
        rank = {sid: n for n, sid in enumerate(self.upcoming())}
        stars = sorted(
            (rank[sid], user_id)
            for sid, user_id in await self.storage.cold_stars(self.default_delivery)
            if sid in rank and user_id not in self._tried
        )
        return list(dict.fromkeys(user_id for _, user_id in stars))

    async def _open_all(self) -> int | None:
        """Open the DM channels worth opening, telling `progress` every few seconds, until none is left or someone
        new stars (then the order is read again); how many were opened (None: the front end has none to open)."""
        users = await self._cold_users()
        opened = 0
        loop = asyncio.get_running_loop()
        told = loop.time()
        for n, user_id in enumerate(users, 1):
            self._tried.add(user_id)
            try:
                channel_id = await self.sender.open_dm(user_id)
            except DMClosed:
                await self.storage.set_dm_closed(user_id, True)
                continue
            except TransientSendError as exc:
                log.info("Discord could not open a DM channel ahead (%s); trying again later", exc)
                self._tried.discard(user_id)
                await asyncio.sleep(self.pause_after_error)
                self._wake.set()  # read the list again
                break
            except Exception:
                log.warning("could not open the DM channel of user %s ahead", user_id, exc_info=True)
                continue
            if channel_id is None:
                return None
            opened += 1
            self.opened += 1
            if n == len(users) or loop.time() - told >= self.progress_every:
                told = loop.time()
                await self._progress()
                if self._wake.is_set():
                    break  # someone starred: their reminder may be more urgent
        return opened

    async def _progress(self) -> None:
        if self.progress is None:
            return
        try:
            await self.progress()
        except Exception:
            log.exception("re-planning after opening DM channels failed")
