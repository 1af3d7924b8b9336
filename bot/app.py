"""The running bot without its front ends: configuration, clock, programme, search index, and its services."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.core.changes import Change
from bot.core.programme import Catalog, CatalogLoader
from bot.core.search import SearchIndex
from bot.runtime import Services


@dataclass(slots=True)
class Reloaded:
    """The outcome of a reload: the catalog before and after, and the files that broke."""

    old: Catalog
    new: Catalog
    broken: list[str]
    changes: list[Change] = field(default_factory=list)  # starred sessions moved, re-roomed, renamed, cancelled


def _settle(reloaded: bool) -> None:
    """Move the programme and its index out of the cyclic collector's sight.

    They are long-lived and hold no cycles worth collecting; at 10,000 sessions a full collection over them
    paused a command for 40-80 ms, which is what made the slowest replies slow.
    """
    if reloaded:  # what the last load froze may be garbage now (at start there is none worth a full pass)
        gc.unfreeze()
        gc.collect()
    gc.freeze()


class App:
    """Holds what every command needs; both front ends drive the same App."""

    def __init__(self, config: Config, clock: Clock | None = None):
        self.config = config
        self.clock: Clock = clock or SystemClock()
        self.loader = CatalogLoader(config.sessions_dir, config.resolved_tracks_dir(), config.timezone, config.lengths)
        self.catalog: Catalog = self.loader.load()
        self.index = SearchIndex(self.catalog.sessions, self.catalog.tracks)
        _settle(reloaded=False)
        # The database, and reminders and announcements while a front end runs them (bot.runtime).
        self.services = Services(config, self.clock, self)

    @property
    def tz(self) -> ZoneInfo:
        return self.config.timezone

    def now(self) -> datetime:
        return self.clock.now()

    async def reload(self, changed: Iterable[str] | None = None) -> Reloaded:
        """Re-read the programme (only `changed` files when a watcher names them); broken files keep their last good version."""
        old = self.catalog
        new = self.loader.load(keep_last_good=True, changed=changed)
        self.catalog = new
        self.index = SearchIndex(new.sessions, new.tracks)
        _settle(reloaded=True)
        result = Reloaded(old=old, new=new, broken=list(new.failed_files))
        result.changes = await self.services.programme_reloaded(result)
        return result

    async def close(self) -> None:
        await self.services.close()
