"""Where sessions come from: programme sources, the catalog they make, and the watcher that notices edits."""

from bot.core.programme.catalog import Catalog, CatalogLoader, load_catalog, parse_file
from bot.core.programme.watcher import ProgrammeWatcher

__all__ = ["Catalog", "CatalogLoader", "ProgrammeWatcher", "load_catalog", "parse_file"]
