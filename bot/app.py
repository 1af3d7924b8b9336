"""The running bot without its front ends: configuration, clock, programme, search index, storage."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.core.programme import Catalog, Programme, Reloaded
from bot.core.search import SearchIndex

if TYPE_CHECKING:  # storage is opened only by front ends that need it
    from bot.core.storage import Storage

log = logging.getLogger(__name__)


class App:
    """Holds what every command needs; both front ends drive the same App."""

    def __init__(self, config: Config, clock: Clock | None = None):
        self.config = config
        self.clock: Clock = clock or SystemClock()
        cache = None if str(config.database) == ":memory:" else Path(f"{config.database}.programme-cache")
        self.programme = Programme(
            config.sessions_dir, config.resolved_tracks_dir(), config.timezone, config.lengths, cache_path=cache
        )
        self.programme.load()
        self.storage: Storage | None = None
        self.reminders: Any = None  # ReminderService, when a front end runs one
        self.announcer: Any = None  # Announcer, likewise
        self.reload_hooks: list[Callable[[Reloaded], Awaitable[None]]] = []  # told after each reload

    @property
    def catalog(self) -> Catalog:
        return self.programme.catalog

    @property
    def index(self) -> SearchIndex:
        return self.programme.index

    @property
    def tz(self):
        return self.config.timezone

    def now(self) -> datetime:
        return self.clock.now()

    async def reload(self, changed: Iterable[str] | None = None) -> Reloaded:
        """Re-read the programme (only `changed` files when a watcher names them); broken files keep their last good version."""
        result = await self.programme.reload(changed)  # parsed and indexed off the event loop
        for hook in list(self.reload_hooks):
            try:
                await hook(result)
            except Exception:
                log.exception("reload hook %r failed", hook)
        return result

    async def open_storage(self) -> Storage:
        from bot.core.storage import Storage

        if self.storage is None:
            self.storage = await Storage.open(self.config.database)
        return self.storage

    async def close(self) -> None:
        self.programme.close()
        if self.storage is not None:
            await self.storage.close()
            self.storage = None
