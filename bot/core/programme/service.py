"""The programme being served: its current catalog and search index. Loaded once at start (from the start-up
cache when the files did not change), reloaded off the event loop, and swapped in one step.

A reload reads and parses the changed files in a worker thread, makes the next catalog without touching the
sessions the current one serves, updates the search index for the changed sessions only, and then, back on
the event loop, swaps catalog and index together: a command sees the old pair or the new one, never a mix.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.programme import cache
from bot.core.programme.catalog import Catalog
from bot.core.programme.document import DocumentLoader
from bot.core.programme.hugo import HUGO
from bot.core.programme.loader import CatalogLoader
from bot.core.programme.remote import origin_for
from bot.core.programme.source import DEFAULT_TZ, Lengths, ProgrammeFormat
from bot.core.search import Change, SearchIndex

__all__ = ["Programme", "Reloaded"]

log = logging.getLogger(__name__)

_SETTLE_SHARE = 4  # a reload that changed more than a quarter of the sessions leaves many new long-lived objects


@dataclass(slots=True)
class Reloaded:
    """The outcome of a reload: the catalog now served, the files that broke (they keep their last good
    version), and the changes worth telling stargazers (filled by reload hooks)."""

    new: Catalog
    broken: list[str]
    changes: list[Any] = field(default_factory=list)


def changes_between(old: Catalog, new: Catalog) -> list[Change]:
    """The sessions that differ between two catalogs, as (old, new) pairs: None for added or removed.
    Sessions are compared by identity: the loader keeps the object of every session it did not change."""
    old_by_id, new_by_id = old.by_id, new.by_id
    out: list[Change] = [(old_by_id.get(sid), s) for sid, s in new_by_id.items() if old_by_id.get(sid) is not s]
    out += [(s, None) for sid, s in old_by_id.items() if sid not in new_by_id]
    return out


class Programme:
    """The programme a running bot answers from: `catalog` and `index`, always a matching pair.

    `load()` once at start (synchronous: nothing is served before it), then `await reload(changed)` for each
    edit. With a `cache_path`, the loaded programme is saved there in the background after each load and
    reload (debounced by `save_delay` seconds), and the next start reads only the files that changed since.

    With a `source` (a file or URL of one programme document: bot.core.programme.document), that document is
    the programme instead of the sessions folder; `document` is then its loader, and a URL's last good copy is
    kept beside `cache_path` (which then holds no start-up cache: a document is read whole anyway).
    """

    def __init__(
        self,
        sessions_dir: Path,
        tracks_dir: Path | None = None,
        tz: ZoneInfo = DEFAULT_TZ,
        lengths: Lengths | None = None,
        *,
        cache_path: Path | None = None,
        save_delay: float = 5.0,
        fmt: ProgrammeFormat[Any] = HUGO,
        source: str | None = None,
        zone_given: bool = True,
    ):
        self.loader = CatalogLoader(sessions_dir, tracks_dir, tz, lengths, fmt)
        self.document: DocumentLoader | None = None  # the programme as one file or URL, instead of the folder
        if source is not None:  # read whole each time (no start-up cache); a URL's last good copy kept beside it
            copy = Path(cache_path).with_suffix(".programme-source") if cache_path is not None else None
            self.document = DocumentLoader(origin_for(source, copy), tz, lengths, zone_given=zone_given)
            cache_path = None
        self.cache_path = Path(cache_path) if cache_path is not None else None
        self.save_delay = save_delay
        self._served: tuple[Catalog, SearchIndex] | None = None
        self._latest: tuple[Catalog, SearchIndex] | None = None  # what the loader's state stands for
        self._inputs: dict[str, Any] = {}
        self._reloading = asyncio.Lock()
        self._state = threading.Lock()  # the loader and the cache file: one thread at a time
        self._save = threading.Condition()
        self._save_due: float | None = None
        self._saver: threading.Thread | None = None

    @property
    def catalog(self) -> Catalog:
        """The programme as served now."""
        return self._current()[0]

    @property
    def index(self) -> SearchIndex:
        """The search index of `catalog`."""
        return self._current()[1]

    def _current(self) -> tuple[Catalog, SearchIndex]:
        if self._served is None:
            raise RuntimeError("Programme.load() has not been called")
        return self._served

    # ------------------------------------------------------------------ loading

    def load(self) -> Catalog:
        """Read the programme (or restore it from the cache, reading only files changed since) and index it."""
        with self._state:
            if self.document is None:  # before the side files are read: an edit meanwhile shows
                self._inputs = cache.inputs(self.loader)
            catalog, index, save = self._first_load()
            self._served = self._latest = (catalog, index)
        # The programme and its index are long-lived and hold no cycles worth collecting; at 10,000 sessions a
        # full collection over them paused a command for 40-80 ms, which is what made the slowest replies slow.
        gc.freeze()
        if save:  # once start-up is done, not in its way
            self._save_soon()
        return catalog

    def _first_load(self) -> tuple[Catalog, SearchIndex, bool]:
        if self.document is not None:
            catalog = self.document.load()
            return catalog, SearchIndex(catalog.sessions, catalog.tracks), False
        snapshot = cache.read(self.cache_path, self._inputs) if self.cache_path is not None else None
        if snapshot is None:
            catalog = self.loader.load()
            folder = self.loader.sessions_dir.is_dir()
            return catalog, SearchIndex(catalog.sessions, catalog.tracks), folder and self.cache_path is not None
        self.loader = snapshot.loader
        stale = self.loader.stale()
        if not stale:
            return snapshot.catalog, snapshot.index, False
        log.info("programme cache: %d file(s) changed since it was saved; reading them", len(stale))
        catalog = self.loader.load(changed=stale)
        index = snapshot.index.updated(changes_between(snapshot.catalog, catalog), catalog.tracks)
        return catalog, index, True

    async def reload(self, changed: Iterable[str] | None = None) -> Reloaded:
        """Re-read the programme (only `changed` files when a watcher names them) without blocking the event
        loop; broken files keep their last good version. Reloads run one at a time, in the order called."""
        paths = None if changed is None else list(changed)
        async with self._reloading:
            old = self._current()
            catalog, index, many = await asyncio.to_thread(self._next, old, paths)
            self._served = (catalog, index)  # one step: readers see the old pair or the new one
        if many:
            gc.freeze()  # a rebuilt index is a million long-lived objects: keep full collections off them
        self._save_soon()
        return Reloaded(new=catalog, broken=list(catalog.failed_files))

    def _next(self, old: tuple[Catalog, SearchIndex], paths: list[str] | None) -> tuple[Catalog, SearchIndex, bool]:
        """The next catalog and index (in a worker thread): the current ones are only read."""
        with self._state:
            reader = self.document if self.document is not None else self.loader
            catalog = reader.load(keep_last_good=True, changed=paths)
            changes = changes_between(old[0], catalog)
            index = old[1].updated(changes, catalog.tracks)
            self._latest = (catalog, index)
        return catalog, index, len(changes) * _SETTLE_SHARE > max(len(catalog.sessions), 1)

    # ------------------------------------------------------------------ the start-up cache

    def save_cache(self) -> bool:
        """Write the start-up cache now (in the calling thread); False when there is none to write."""
        if self.cache_path is None:
            return False
        with self._state:
            if self._latest is None or not self.loader.sessions_dir.is_dir():
                return False
            catalog, index = self._latest
            try:
                cache.write(self.cache_path, cache.Snapshot(self._inputs, self.loader, catalog, index))
            except Exception as exc:  # noqa: BLE001 - the cache is an optimisation: the bot runs on without it
                log.warning("could not write the programme cache %s: %s", self.cache_path, exc)
                return False
        return True

    def _save_soon(self) -> None:
        """Save the cache in a background thread once no load or reload has come for `save_delay` seconds."""
        if self.cache_path is None:
            return
        with self._save:
            self._save_due = time.monotonic() + self.save_delay
            self._save.notify_all()
            if self._saver is None:
                self._saver = threading.Thread(target=self._save_later, name="confbot-programme-cache", daemon=True)
                self._saver.start()

    def _save_later(self) -> None:
        while True:
            with self._save:
                while self._save_due is not None and (wait := self._save_due - time.monotonic()) > 0:
                    self._save.wait(wait)
                if self._save_due is None:
                    self._saver = None
                    return
                self._save_due = None
            self.save_cache()

    def close(self, timeout: float = 30.0) -> None:
        """Write a pending cache save now, and wait for it (a restart then starts from it)."""
        with self._save:
            if self._save_due is not None:
                self._save_due = time.monotonic()
                self._save.notify_all()
            saver = self._saver
        if saver is not None:
            saver.join(timeout)
