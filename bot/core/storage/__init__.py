"""The bot's memory in one SQLite file: stars, user settings, deliveries made exactly once, announcements, the last programme announced.

The database is the only record of what is due and what was sent: nothing that must survive a
restart lives in memory. Every write is one transaction; the schema is built and upgraded by the
numbered migrations in `migrations.MIGRATIONS`, each applied in its own transaction at `Storage.open`.

Datetimes are stored as ISO 8601 text in UTC with an explicit offset ('2026-08-07T02:00:00+00:00')
and come back as aware UTC datetimes; a naive datetime is refused with ValueError.

One module per concern: `database` (the connection, transactions, migrations, the file's health), `lock`
(one serving process per database), `stars` (and what each reminder will cost), `settings` (and DM
channels), `deliveries` (exactly-once: claim, send with the nonce, mark), `announcements`, `snapshot` (the
programme as last announced), `meta` (the heartbeat), `live` (room posts, their threads, the public changes
channel, organizers' counts); `store.Storage` is all of the tables. A service types its storage as the
table family it uses (`AnnouncementsTable`, `LiveTable`), so their methods are declared once.
"""

from bot.core.storage.announcements import Announcement, AnnouncementsTable
from bot.core.storage.database import Database, DatabaseError, DatabaseGoneError, SchemaTooNewError
from bot.core.storage.deliveries import Claim, Delivery, delivery_nonce, reminder_key
from bot.core.storage.live import LivePost, LiveTable, LiveThread, PostClaim
from bot.core.storage.lock import DatabaseBusyError, ServingLock
from bot.core.storage.migrations import MIGRATIONS, SCHEMA_VERSION
from bot.core.storage.settings import UserSettings
from bot.core.storage.snapshot import SnapshotRow
from bot.core.storage.stars import MENTIONS_PER_POST, Need
from bot.core.storage.store import Storage

__all__ = [
    "MENTIONS_PER_POST",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Announcement",
    "AnnouncementsTable",
    "Claim",
    "Database",
    "DatabaseBusyError",
    "DatabaseError",
    "DatabaseGoneError",
    "Delivery",
    "LivePost",
    "LiveTable",
    "LiveThread",
    "Need",
    "PostClaim",
    "SchemaTooNewError",
    "ServingLock",
    "SnapshotRow",
    "Storage",
    "UserSettings",
    "delivery_nonce",
    "reminder_key",
]
