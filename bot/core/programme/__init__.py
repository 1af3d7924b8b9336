"""Where sessions come from: programme formats, the catalog they make, the programme being served, and the
watcher that notices edits.

Modules: fields (field values), front_matter and hugo (the Hugo format), source (the seam a format plugs
into), loader (incremental loading), catalog (one version's queries), cache (the start-up cache), service
(the programme being served: catalog and search index, reloaded off the event loop), watcher.
"""

from typing import TYPE_CHECKING

from bot.core.programme.catalog import Catalog
from bot.core.programme.hugo import is_session_file, parse_file, session_stem
from bot.core.programme.loader import CatalogLoader, load_catalog

if TYPE_CHECKING:
    from bot.core.programme.service import Programme, Reloaded
    from bot.core.programme.watcher import ProgrammeWatcher

__all__ = [
    "Catalog",
    "CatalogLoader",
    "Programme",
    "ProgrammeWatcher",
    "Reloaded",
    "is_session_file",
    "load_catalog",
    "parse_file",
    "session_stem",
]

_LATER = {"Programme": "service", "Reloaded": "service", "ProgrammeWatcher": "watcher"}


def __getattr__(name: str) -> object:
    """The serving side (search, asyncio) is imported when first asked for: `check` reads files and no more."""
    if name in _LATER:
        from importlib import import_module

        return getattr(import_module(f"bot.core.programme.{_LATER[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
