"""The bot's database as one object: every table family's queries over one connection."""

from __future__ import annotations

from bot.core.storage.announcements import AnnouncementsTable
from bot.core.storage.deliveries import DeliveriesTable
from bot.core.storage.live import LiveTable
from bot.core.storage.meta import MetaTable
from bot.core.storage.settings import SettingsTable
from bot.core.storage.snapshot import SnapshotTable
from bot.core.storage.stars import StarsTable

__all__ = ["Storage"]


class Storage(StarsTable, SettingsTable, DeliveriesTable, AnnouncementsTable, SnapshotTable, MetaTable, LiveTable):
    """The bot's database. Open with `await Storage.open(path)`; every method is a coroutine."""
