"""Watches the programme folder and reports edits once the organizers have stopped typing: a burst of saves is one change."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

from bot.clock import Clock
from bot.core.programme.hugo import is_session_file
from bot.core.programme.loader import Stamp, list_sources

log = logging.getLogger(__name__)


def _scan(folder: Path) -> dict[str, Stamp]:
    """The session files of a folder and their stamps, without reading them, as the loader lists them."""
    try:
        found, _ = list_sources(str(folder), is_session_file)
    except OSError:
        return {}  # a missing folder reads as empty; the catalog reports the problem
    return {path: stamp for path, stamp in found.items() if stamp is not None}


class ProgrammeWatcher:
    """Polls a sessions folder (os.scandir, no extra package) and calls `on_change(paths)` after a quiet spell.

    A change is reported once the folder has been quiet for `debounce`, with every path touched meanwhile;
    an organizer who never stops saving is reported at least every `max_wait`.
    """

    def __init__(
        self,
        sessions_dir: Path,
        on_change: Callable[[list[str]], Awaitable[None]],
        *,
        clock: Clock,
        poll_interval: float = 2.0,
        debounce: timedelta = timedelta(seconds=60),
        max_wait: timedelta | None = None,
    ):
        self.sessions_dir = Path(sessions_dir)
        self.on_change = on_change
        self.clock = clock
        self.poll_interval = poll_interval
        self.debounce = debounce
        self.max_wait = max_wait if max_wait is not None else debounce * 5
        self._last: dict[str, Stamp] = _scan(self.sessions_dir)  # the baseline: edits after construction count
        self._pending: set[str] = set()
        self._first_change: datetime | None = None
        self._last_change: datetime | None = None

    @property
    def waiting(self) -> list[str]:
        """Paths changed but not yet reported (the folder is not quiet yet)."""
        return sorted(self._pending)

    async def poll_once(self) -> list[str]:
        """Compare the folder with the last scan; the paths changed, added or removed since."""
        current = await asyncio.to_thread(_scan, self.sessions_dir)
        previous = self._last
        changed = [p for p, st in current.items() if previous.get(p) != st]
        changed += [p for p in previous if p not in current]
        self._last = current
        return sorted(changed)

    async def tick(self) -> bool:
        """Poll once; report the pending paths if the folder has been quiet long enough. True when reported."""
        changed = await self.poll_once()
        now = self.clock.now()
        if changed:
            self._pending.update(changed)
            self._last_change = now
            if self._first_change is None:
                self._first_change = now
        if not self._pending or self._first_change is None or self._last_change is None:
            return False
        quiet = now - self._last_change >= self.debounce
        overdue = now - self._first_change >= self.max_wait
        if not (quiet or overdue):
            return False
        paths = sorted(self._pending)
        try:
            await self.on_change(paths)
        except Exception:
            log.exception("programme reload after edits to %d file(s) failed", len(paths))
            self._last_change = now
            self._first_change = now
            return False
        self._pending.difference_update(paths)
        self._first_change = self._last_change = None
        return True

    async def run(self) -> None:
        """Tick every poll_interval until cancelled (the only place that sleeps)."""
        while True:
            try:
                await self.tick()
            except Exception:
                log.exception("watching %s failed", self.sessions_dir)
            await asyncio.sleep(self.poll_interval)
