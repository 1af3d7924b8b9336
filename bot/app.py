"""The running bot without its front ends: configuration, clock, the programme served, the running services."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.core.programme import Catalog, Programme, Reloaded
from bot.core.search import SearchIndex
from bot.runtime import Services

__all__ = ["App", "Reloaded"]


class App:
    """Holds what every command needs; both front ends drive the same App."""

    def __init__(self, config: Config, clock: Clock | None = None):
        self.config = config
        self.clock: Clock = clock or SystemClock()
        cache = None if str(config.database) == ":memory:" else Path(f"{config.database}.programme-cache")
        self.programme = Programme(
            config.sessions_dir,
            config.resolved_tracks_dir(),
            config.timezone,
            config.lengths,
            cache_path=cache,
            source=config.programme_source,
            zone_given=config.timezone_given,
        )
        self.programme.load()
        if self.programme.document is not None:  # a programme document may name the conference and its zone
            config.adopt_document(self.programme.catalog.tz, self.programme.document.title)
        # The database, and reminders and announcements while a front end runs them (bot.runtime).
        self.services = Services(config, self.clock, self)

    @property
    def catalog(self) -> Catalog:
        return self.programme.catalog

    @property
    def index(self) -> SearchIndex:
        return self.programme.index

    @property
    def tz(self) -> ZoneInfo:
        return self.config.timezone

    def now(self) -> datetime:
        return self.clock.now()

    async def reload(self, changed: Iterable[str] | None = None) -> Reloaded:
        """Re-read the programme (only `changed` files when a watcher names them); broken files keep their last good version."""
        result = await self.programme.reload(changed)  # parsed and indexed off the event loop
        result.changes = await self.services.programme_reloaded(result)
        return result

    async def close(self) -> None:
        self.programme.close()
        await self.services.close()
