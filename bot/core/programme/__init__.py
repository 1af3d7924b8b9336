"""Where sessions come from: programme sources, the catalog they make, and the watcher that notices edits."""

from bot.core.programme.catalog import (
    Catalog,
    CatalogLoader,
    is_session_file,
    load_catalog,
    parse_file,
    session_stem,
)
from bot.core.programme.watcher import ProgrammeWatcher

__all__ = [
    "Catalog",
    "CatalogLoader",
    "ProgrammeWatcher",
    "is_session_file",
    "load_catalog",
    "parse_file",
    "session_stem",
]
