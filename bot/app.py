"""The running bot without its front ends: configuration, clock, programme, search index, storage."""

from __future__ import annotations

import gc
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.core.programme import Catalog, CatalogLoader
from bot.core.search import SearchIndex

if TYPE_CHECKING:  # storage is opened only by front ends that need it
    from bot.core.storage import Storage

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Reloaded:
    """The outcome of a reload: the catalog before and after, and the files that broke."""

    old: Catalog
    new: Catalog
    broken: list[str]
    changes: list[Any] = field(
        default_factory=list
    )  # starred sessions moved/re-roomed/renamed/cancelled (filled by hooks)


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
        self.storage: Storage | None = None
        self.reminders: Any = None  # ReminderService, when a front end runs one
        self.announcer: Any = None  # Announcer, likewise
        self.reload_hooks: list[Callable[[Reloaded], Awaitable[None]]] = []  # told after each reload

    @property
    def tz(self):
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
        if self.storage is not None:
            await self.storage.close()
            self.storage = None
