"""The bot's memory in one SQLite file: stars, user settings, deliveries made exactly once, announcements, the last programme announced.

The database is the only record of what is due and what was sent: nothing that must survive a
restart lives in memory. Every write is one transaction; the schema is built and upgraded by the
numbered migrations in `MIGRATIONS`, each applied in its own transaction at `Storage.open`.

Datetimes are stored as ISO 8601 text in UTC with an explicit offset ('2026-08-07T02:00:00+00:00')
and come back as aware UTC datetimes; a naive datetime is refused with ValueError.

Exactly-once delivery (reminders and schedule-change notices) follows claim → send → mark:

1. `claim_delivery` / `claim_deliveries` insert a 'pending' row for (user, session, kind, key), or
   return the row that is already there. The row carries a nonce derived from the key alone, so a
   claim repeated after a crash (even one that lost the row) yields the same nonce.
2. The sender sends only rows whose state is 'pending', with `enforce_nonce` and that nonce, so
   Discord drops a duplicate of a message that did go out before the crash.
3. `mark_sent` (or `mark_missed` / `mark_failed`) closes the row. A row still 'pending' at start-up
   (`pending_deliveries`) was interrupted and is resent with its stored nonce, never a new one.

The `key` says which notice a row is: for a reminder, `reminder_key(due_at)` (a session moved to
another time gets a new reminder; the same time never gets two); for a change notice, the
fingerprint of the changed session, so each distinct change is announced once per user.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiosqlite

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Announcement",
    "Claim",
    "Delivery",
    "SchemaTooNewError",
    "SnapshotRow",
    "Storage",
    "UserSettings",
    "delivery_nonce",
    "reminder_key",
]

DELIVERY_KINDS = ("reminder", "change")
DELIVERY_STATES = ("pending", "sent", "missed", "failed")
DELIVERY_MODES = ("dm", "channel")
ANNOUNCEMENT_STATES = ("pending", "sent", "cancelled", "failed")
NONCE_LENGTH = 25  # Discord accepts a nonce of at most 25 characters


# Each entry is one schema version: a tuple of statements applied in one transaction.
# Never edit a released migration; append a new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: the first schema
    (
        """
        CREATE TABLE stars (
            user_id    INTEGER NOT NULL,
            session_id TEXT    NOT NULL,
            created_at TEXT    NOT NULL,
            PRIMARY KEY (user_id, session_id)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX stars_by_session ON stars (session_id, user_id)",
        """
        CREATE TABLE user_settings (
            user_id      INTEGER PRIMARY KEY,
            lead_minutes INTEGER NULL CHECK (lead_minutes IS NULL OR lead_minutes >= 0),
            delivery     TEXT    NULL CHECK (delivery IS NULL OR delivery IN ('dm', 'channel')),
            language     TEXT    NULL,
            timezone     TEXT    NULL,
            dm_closed    INTEGER NOT NULL DEFAULT 0 CHECK (dm_closed IN (0, 1))
        )
        """,
        """
        CREATE TABLE deliveries (
            id         INTEGER PRIMARY KEY,
            user_id    INTEGER NOT NULL,
            session_id TEXT    NOT NULL,
            kind       TEXT    NOT NULL CHECK (kind IN ('reminder', 'change')),
            key        TEXT    NOT NULL,
            due_at     TEXT    NOT NULL,
            state      TEXT    NOT NULL DEFAULT 'pending'
                               CHECK (state IN ('pending', 'sent', 'missed', 'failed')),
            attempts   INTEGER NOT NULL DEFAULT 0,
            nonce      TEXT    NOT NULL,
            created_at TEXT    NOT NULL,
            sent_at    TEXT    NULL,
            message_id INTEGER NULL,
            channel_id INTEGER NULL,
            error      TEXT    NULL,
            UNIQUE (user_id, session_id, kind, key)
        )
        """,
        "CREATE INDEX deliveries_pending ON deliveries (due_at) WHERE state = 'pending'",
        "CREATE INDEX deliveries_by_session ON deliveries (session_id, kind, key)",
        """
        CREATE TABLE announcements (
            id         INTEGER PRIMARY KEY,
            created_by INTEGER NOT NULL,
            channel_id INTEGER NOT NULL,
            text       TEXT    NOT NULL,
            due_at     TEXT    NOT NULL,
            state      TEXT    NOT NULL DEFAULT 'pending'
                               CHECK (state IN ('pending', 'sent', 'cancelled', 'failed')),
            created_at TEXT    NOT NULL,
            sent_at    TEXT    NULL,
            message_id INTEGER NULL,
            nonce      TEXT    NOT NULL UNIQUE,
            error      TEXT    NULL
        )
        """,
        "CREATE INDEX announcements_pending ON announcements (due_at) WHERE state = 'pending'",
        # start_at/end_at rather than start/end: END is an SQL keyword.
        """
        CREATE TABLE programme_snapshot (
            session_id  TEXT    PRIMARY KEY,
            fingerprint TEXT    NOT NULL,
            start_at    TEXT    NULL,
            end_at      TEXT    NULL,
            room        TEXT    NULL,
            title       TEXT    NOT NULL,
            cancelled   INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1))
        )
        """,
    ),
    # 2: an organizer may ask an announcement to ping (mentions are off unless asked for)
    ("ALTER TABLE announcements ADD COLUMN ping INTEGER NOT NULL DEFAULT 0 CHECK (ping IN (0, 1))",),
    # 3: the DM channel of each user the bot has written to, so a restart does not ask Discord for it again
    ("CREATE TABLE dm_channels (user_id INTEGER PRIMARY KEY, channel_id INTEGER NOT NULL)",),
    # 4: small facts about the bot itself, such as when it was last seen running
    ("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",),
)
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer confbot than this one."""


# ---------------------------------------------------------------- datetimes and keys


def _to_db(dt: datetime, what: str = "datetime") -> str:
    if not isinstance(dt, datetime):
        raise TypeError(f"{what} must be a datetime, got {type(dt).__name__}")
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {dt.isoformat()}")
    return dt.astimezone(UTC).isoformat()


def _opt_to_db(dt: datetime | None, what: str = "datetime") -> str | None:
    return None if dt is None else _to_db(dt, what)


def _from_db(text: str | None) -> datetime | None:
    if text is None:
        return None
    return datetime.fromisoformat(text).astimezone(UTC)


def reminder_key(due_at: datetime) -> str:
    """The delivery key of a reminder: the instant it is due, in canonical UTC text."""
    return _to_db(due_at, "due_at")


def delivery_nonce(user_id: int, session_id: str, kind: str, key: str) -> str:
    """The Discord nonce of a delivery: a function of its key alone, so a resend reuses it."""
    digest = hashlib.sha256(f"{kind}\x1f{user_id}\x1f{session_id}\x1f{key}".encode()).hexdigest()
    return digest[:NONCE_LENGTH]


# ---------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class UserSettings:
    """One user's preferences; None means "use the configured default"."""

    user_id: int
    lead_minutes: int | None = None
    delivery: str | None = None  # 'dm' | 'channel'
    language: str | None = None
    timezone: str | None = None  # IANA zone name
    dm_closed: bool = False  # the last DM bounced: the user has DMs from the server closed

    def effective_lead(self, default_minutes: int) -> int:
        return default_minutes if self.lead_minutes is None else self.lead_minutes


_SETTING_FIELDS = ("lead_minutes", "delivery", "language", "timezone")


class Claim(NamedTuple):
    """One delivery to claim: who, which session, which notice, when it is due."""

    user_id: int
    session_id: str
    kind: str  # 'reminder' | 'change'
    key: str  # reminder_key(due_at) for reminders; the change fingerprint for change notices
    due_at: datetime


@dataclass(frozen=True, slots=True)
class Delivery:
    """A reminder or change notice to one user, and how far its sending got."""

    id: int
    user_id: int
    session_id: str
    kind: str
    key: str
    due_at: datetime
    state: str  # 'pending' | 'sent' | 'missed' | 'failed'
    attempts: int
    nonce: str
    created_at: datetime
    sent_at: datetime | None
    message_id: int | None
    channel_id: int | None
    error: str | None

    @property
    def pending(self) -> bool:
        return self.state == "pending"


@dataclass(frozen=True, slots=True)
class Announcement:
    """An organizer's message to post in a channel at a set time."""

    id: int
    created_by: int
    channel_id: int
    text: str
    due_at: datetime
    state: str  # 'pending' | 'sent' | 'cancelled' | 'failed'
    created_at: datetime
    sent_at: datetime | None
    message_id: int | None
    nonce: str
    error: str | None
    ping: bool = False  # allow the text's mentions to ping


@dataclass(frozen=True, slots=True)
class SnapshotRow:
    """What the bot last announced about one session, to tell later what changed."""

    session_id: str
    fingerprint: str
    start: datetime | None
    end: datetime | None
    room: str | None
    title: str
    cancelled: bool = False


_DELIVERY_COLUMNS = (
    "id, user_id, session_id, kind, key, due_at, state, attempts, nonce, "
    "created_at, sent_at, message_id, channel_id, error"
)
_ANNOUNCEMENT_COLUMNS = (
    "id, created_by, channel_id, text, due_at, state, created_at, sent_at, message_id, nonce, error, ping"
)


def _delivery(row: Sequence[Any]) -> Delivery:
    return Delivery(
        id=row[0],
        user_id=row[1],
        session_id=row[2],
        kind=row[3],
        key=row[4],
        due_at=_from_db(row[5]),  # type: ignore[arg-type]
        state=row[6],
        attempts=row[7],
        nonce=row[8],
        created_at=_from_db(row[9]),  # type: ignore[arg-type]
        sent_at=_from_db(row[10]),
        message_id=row[11],
        channel_id=row[12],
        error=row[13],
    )


def _announcement(row: Sequence[Any]) -> Announcement:
    return Announcement(
        id=row[0],
        created_by=row[1],
        channel_id=row[2],
        text=row[3],
        due_at=_from_db(row[4]),  # type: ignore[arg-type]
        state=row[5],
        created_at=_from_db(row[6]),  # type: ignore[arg-type]
        sent_at=_from_db(row[7]),
        message_id=row[8],
        nonce=row[9],
        error=row[10],
        ping=bool(row[11]),
    )


def _check_claim(c: Claim) -> tuple[int, str, str, str, str, str]:
    if c.kind not in DELIVERY_KINDS:
        raise ValueError(f"delivery kind must be one of {DELIVERY_KINDS}, got {c.kind!r}")
    if not c.key:
        raise ValueError("a delivery needs a non-empty key")
    due = _to_db(c.due_at, "due_at")
    return (c.user_id, c.session_id, c.kind, c.key, due, delivery_nonce(c.user_id, c.session_id, c.kind, c.key))


# ---------------------------------------------------------------- the store


class Storage:
    """The bot's database. Open with `await Storage.open(path)`; every method is a coroutine."""

    def __init__(self, db: aiosqlite.Connection, path: str):
        self._db = db
        self.path = path
        # One connection is shared by every task; the lock keeps one task's transaction from
        # interleaving with another's statements.
        self._lock = asyncio.Lock()

    # ------------------------------------------------------------ lifecycle

    @classmethod
    async def open(cls, path: str | Path, *, busy_timeout_ms: int = 5000) -> Storage:
        """Open (creating if need be) the database at `path` or ":memory:" and bring its schema up to date."""
        path = str(path)
        # isolation_level=None: the sqlite3 module never opens transactions behind our back;
        # every transaction here is an explicit BEGIN IMMEDIATE ... COMMIT.
        db = await aiosqlite.connect(path, isolation_level=None)
        try:
            await db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            await db.execute("PRAGMA foreign_keys = ON")
            if path != ":memory:":
                await db.execute("PRAGMA journal_mode = WAL")
                # NORMAL in WAL survives a crash of the bot; a power cut may lose the last commits,
                # and a claim redone then gets the same nonce, which Discord deduplicates.
                await db.execute("PRAGMA synchronous = NORMAL")
            store = cls(db, path)
            await store._migrate()
        except BaseException:
            await db.close()
            raise
        return store

    async def close(self) -> None:
        async with self._lock:
            await self._db.close()

    async def __aenter__(self) -> Storage:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def schema_version(self) -> int:
        async with self._lock:
            return await self._user_version()

    async def _user_version(self) -> int:
        async with self._db.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def _migrate(self) -> None:
        async with self._lock:
            version = await self._user_version()
            self._refuse_if_too_new(version)
            while version < SCHEMA_VERSION:
                await self._db.execute("BEGIN IMMEDIATE")
                try:
                    # Re-read under the write lock: another process may have migrated meanwhile.
                    version = await self._user_version()
                    self._refuse_if_too_new(version)
                    if version < SCHEMA_VERSION:
                        for statement in MIGRATIONS[version]:
                            await self._db.execute(statement)
                        version += 1
                        await self._db.execute(f"PRAGMA user_version = {version}")
                    await self._db.execute("COMMIT")
                except BaseException:
                    await self._db.execute("ROLLBACK")
                    raise

    def _refuse_if_too_new(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise SchemaTooNewError(
                f"the database {self.path} has schema version {version}, but this confbot only knows "
                f"up to version {SCHEMA_VERSION}; upgrade confbot or use another database file"
            )

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction; rolled back if anything inside raises."""
        async with self._lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")

    async def _fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        async with self._lock, self._db.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def _fetchone(self, sql: str, params: Sequence[Any] = ()) -> Any:
        async with self._lock, self._db.execute(sql, params) as cur:
            return await cur.fetchone()

    # ------------------------------------------------------------ stars

    async def star(self, user_id: int, session_id: str, now: datetime) -> bool:
        """Star a session for a user; True if it was not starred before."""
        created = _to_db(now, "now")
        async with self._write() as db:
            cur = await db.execute(
                "INSERT INTO stars (user_id, session_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (user_id, session_id, created),
            )
            return cur.rowcount == 1

    async def star_many(self, pairs: Iterable[tuple[int, str]], now: datetime) -> int:
        """Star many (user_id, session_id) pairs in one transaction; returns how many were new."""
        created = _to_db(now, "now")
        rows = sorted((u, s, created) for u, s in pairs)  # key order: much faster B-tree inserts
        async with self._write() as db:
            before = db.total_changes
            await db.executemany(
                "INSERT INTO stars (user_id, session_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                rows,
            )
            return db.total_changes - before

    async def unstar(self, user_id: int, session_id: str) -> bool:
        """Remove a star; True if there was one."""
        async with self._write() as db:
            cur = await db.execute("DELETE FROM stars WHERE user_id = ? AND session_id = ?", (user_id, session_id))
            return cur.rowcount == 1

    async def is_starred(self, user_id: int, session_id: str) -> bool:
        row = await self._fetchone("SELECT 1 FROM stars WHERE user_id = ? AND session_id = ?", (user_id, session_id))
        return row is not None

    async def stars_of(self, user_id: int) -> list[str]:
        """The sessions a user starred, oldest star first."""
        rows = await self._fetchall(
            "SELECT session_id FROM stars WHERE user_id = ? ORDER BY created_at, session_id", (user_id,)
        )
        return [r[0] for r in rows]

    async def stargazers(self, session_id: str) -> list[int]:
        """The users who starred a session, by user id."""
        rows = await self._fetchall("SELECT user_id FROM stars WHERE session_id = ? ORDER BY user_id", (session_id,))
        return [r[0] for r in rows]

    async def star_counts(self) -> dict[str, int]:
        """How many users starred each session (sessions without stars are absent)."""
        rows = await self._fetchall("SELECT session_id, COUNT(*) FROM stars GROUP BY session_id")
        return dict(rows)

    async def all_stars(self) -> list[tuple[int, str]]:
        """Every (user_id, session_id) star, for planning reminders at start-up."""
        return await self._fetchall("SELECT user_id, session_id FROM stars ORDER BY user_id, session_id")

    # ------------------------------------------------------------ settings

    async def get_settings(self, user_id: int) -> UserSettings:
        """A user's settings; all None (defaults) for a user who never set any."""
        row = await self._fetchone(
            "SELECT lead_minutes, delivery, language, timezone, dm_closed FROM user_settings WHERE user_id = ?",
            (user_id,),
        )
        if row is None:
            return UserSettings(user_id)
        return UserSettings(user_id, row[0], row[1], row[2], row[3], bool(row[4]))

    async def update_settings(self, user_id: int, **fields: Any) -> UserSettings:
        """Set some of lead_minutes, delivery, language, timezone; None puts one back to the default."""
        unknown = set(fields) - set(_SETTING_FIELDS)
        if unknown:
            raise TypeError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        _validate_settings(fields)
        if fields:
            names = list(fields)
            columns = ", ".join(["user_id", *names])
            marks = ", ".join("?" * (len(names) + 1))
            updates = ", ".join(f"{n} = excluded.{n}" for n in names)
            async with self._write() as db:
                await db.execute(
                    f"INSERT INTO user_settings ({columns}) VALUES ({marks}) "
                    f"ON CONFLICT (user_id) DO UPDATE SET {updates}",
                    (user_id, *fields.values()),
                )
        return await self.get_settings(user_id)

    async def set_dm_closed(self, user_id: int, closed: bool) -> None:
        """Remember that a user's DMs bounce (or work again)."""
        async with self._write() as db:
            await db.execute(
                "INSERT INTO user_settings (user_id, dm_closed) VALUES (?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET dm_closed = excluded.dm_closed",
                (user_id, int(bool(closed))),
            )

    async def reminder_demand(self, default_lead: int) -> dict[str, frozenset[int]]:
        """Each starred session's distinct effective lead times (a user's own, or the default): what to plan."""
        rows = await self._fetchall(
            "SELECT s.session_id, COALESCE(u.lead_minutes, ?) FROM stars AS s "
            "LEFT JOIN user_settings AS u ON u.user_id = s.user_id GROUP BY 1, 2",
            (default_lead,),
        )
        demand: dict[str, set[int]] = {}
        for session_id, lead in rows:
            demand.setdefault(session_id, set()).add(int(lead))
        return {k: frozenset(v) for k, v in demand.items()}

    async def stargazers_with_leads(self, session_ids: Sequence[str], default_lead: int) -> list[tuple[str, int, int]]:
        """(session, user, effective lead minutes) for every star on these sessions, in one query."""
        out: list[tuple[str, int, int]] = []
        ids = list(session_ids)
        for i in range(0, len(ids), 500):  # SQLite's limit on bound parameters
            chunk = ids[i : i + 500]
            out.extend(
                await self._fetchall(
                    "SELECT s.session_id, s.user_id, COALESCE(u.lead_minutes, ?) FROM stars AS s "
                    f"LEFT JOIN user_settings AS u ON u.user_id = s.user_id WHERE s.session_id IN ({','.join('?' * len(chunk))})",
                    (default_lead, *chunk),
                )
            )
        return [(sid, uid, int(lead)) for sid, uid, lead in out]

    async def stargazer_settings(self, session_id: str) -> dict[int, UserSettings]:
        """The settings of a session's stargazers who have any (the others use the defaults)."""
        rows = await self._fetchall(
            "SELECT u.user_id, u.lead_minutes, u.delivery, u.language, u.timezone, u.dm_closed "
            "FROM stars AS s JOIN user_settings AS u ON u.user_id = s.user_id WHERE s.session_id = ?",
            (session_id,),
        )
        return {r[0]: UserSettings(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in rows}

    async def last_seen(self) -> datetime | None:
        """When the bot last said it was running: reminders due before then were handled then."""
        row = await self._fetchone("SELECT value FROM meta WHERE key = 'last_seen'")
        return _from_db(row[0]) if row else None

    async def mark_seen(self, now: datetime) -> None:
        value = _to_db(now, "now")
        async with self._write() as db:
            await db.execute(
                "INSERT INTO meta (key, value) VALUES ('last_seen', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (value,),
            )

    async def dm_channels(self) -> dict[int, int]:
        """Every known DM channel, by user."""
        return dict(await self._fetchall("SELECT user_id, channel_id FROM dm_channels"))

    async def remember_dm_channel(self, user_id: int, channel_id: int) -> None:
        async with self._write() as db:
            await db.execute(
                "INSERT INTO dm_channels (user_id, channel_id) VALUES (?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET channel_id = excluded.channel_id",
                (user_id, channel_id),
            )

    async def lead_times_in_use(self, default_minutes: int) -> set[int]:
        """The distinct effective reminder lead times of users who starred anything."""
        rows = await self._fetchall(
            "SELECT DISTINCT COALESCE(u.lead_minutes, ?) "
            "FROM (SELECT DISTINCT user_id FROM stars) AS s "
            "LEFT JOIN user_settings AS u ON u.user_id = s.user_id",
            (default_minutes,),
        )
        return {r[0] for r in rows}

    async def users_for_reminder(self, session_id: str, lead_minutes: int, default_lead: int) -> list[int]:
        """The users who starred a session and want its reminder `lead_minutes` before it."""
        rows = await self._fetchall(
            "SELECT s.user_id FROM stars AS s "
            "LEFT JOIN user_settings AS u ON u.user_id = s.user_id "
            "WHERE s.session_id = ? AND COALESCE(u.lead_minutes, ?) = ? ORDER BY s.user_id",
            (session_id, default_lead, lead_minutes),
        )
        return [r[0] for r in rows]

    async def forget_user(self, user_id: int) -> None:
        """Erase everything stored about a user: stars, settings, delivery records, their DM channel."""
        async with self._write() as db:
            await db.execute("DELETE FROM stars WHERE user_id = ?", (user_id,))
            await db.execute("DELETE FROM user_settings WHERE user_id = ?", (user_id,))
            await db.execute("DELETE FROM deliveries WHERE user_id = ?", (user_id,))
            await db.execute("DELETE FROM dm_channels WHERE user_id = ?", (user_id,))

    # ------------------------------------------------------------ deliveries

    async def claim_delivery(
        self, user_id: int, session_id: str, kind: str, key: str, due_at: datetime, *, now: datetime | None = None
    ) -> Delivery:
        """Claim one delivery: a new 'pending' row, or the row already claimed for the same key."""
        return (await self.claim_deliveries([Claim(user_id, session_id, kind, key, due_at)], now=now))[0]

    async def claim_deliveries(self, claims: Iterable[Claim | tuple], *, now: datetime | None = None) -> list[Delivery]:
        """Claim many deliveries in one transaction; returns their rows in the order given.

        Rows that already exist are returned as they are (whatever their state), so claiming
        twice is harmless. `now` is when the claim is made (defaults to each row's due_at).
        """
        checked = [_check_claim(Claim(*c)) for c in claims]
        if not checked:
            return []
        created = _opt_to_db(now, "now")
        rows = [(*c, c[4] if created is None else created) for c in checked]
        async with self._write() as db:
            await db.executemany(
                "INSERT INTO deliveries (user_id, session_id, kind, key, due_at, nonce, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, session_id, kind, key) DO NOTHING",
                rows,
            )
            # Read the rows back through a temporary key table: one indexed join for any batch size.
            await db.execute(
                "CREATE TEMP TABLE IF NOT EXISTS claim_keys "
                "(pos INTEGER PRIMARY KEY, user_id INTEGER, session_id TEXT, kind TEXT, key TEXT)"
            )
            await db.execute("DELETE FROM temp.claim_keys")
            await db.executemany(
                "INSERT INTO temp.claim_keys (pos, user_id, session_id, kind, key) VALUES (?, ?, ?, ?, ?)",
                [(i, c[0], c[1], c[2], c[3]) for i, c in enumerate(checked)],
            )
            cols = ", ".join(f"d.{c.strip()}" for c in _DELIVERY_COLUMNS.split(","))
            async with db.execute(
                f"SELECT {cols} FROM temp.claim_keys AS k JOIN deliveries AS d "
                "ON d.user_id = k.user_id AND d.session_id = k.session_id AND d.kind = k.kind AND d.key = k.key "
                "ORDER BY k.pos"
            ) as cur:
                found = [_delivery(r) for r in await cur.fetchall()]
            await db.execute("DELETE FROM temp.claim_keys")
        return found

    async def record_missed(self, claims: Iterable[Claim | tuple], reason: str, *, now: datetime) -> int:
        """Record deliveries as missed without sending: new rows are created missed, pending ones become missed,
        sent ones stay sent. One transaction, no rows read back; returns how many became missed."""
        checked = [_check_claim(Claim(*c)) for c in claims]
        if not checked:
            return 0
        created = _to_db(now, "now")
        async with self._write() as db:
            before = db.total_changes
            await db.executemany(
                "INSERT INTO deliveries (user_id, session_id, kind, key, due_at, nonce, created_at, state, error) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'missed', ?) ON CONFLICT (user_id, session_id, kind, key) DO UPDATE "
                "SET state = 'missed', error = excluded.error WHERE deliveries.state = 'pending'",
                [(*c, created, reason) for c in checked],
            )
            return db.total_changes - before

    async def get_delivery(self, delivery_id: int) -> Delivery | None:
        row = await self._fetchone(f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE id = ?", (delivery_id,))
        return None if row is None else _delivery(row)

    async def note_attempt(self, delivery_id: int) -> int:
        """Count one more attempt at sending a pending delivery (call before sending); returns the count."""
        async with self._write() as db:
            await db.execute(
                "UPDATE deliveries SET attempts = attempts + 1 WHERE id = ? AND state = 'pending'", (delivery_id,)
            )
            async with db.execute("SELECT attempts FROM deliveries WHERE id = ?", (delivery_id,)) as cur:
                row = await cur.fetchone()
        if row is None:
            raise KeyError(delivery_id)
        return int(row[0])

    async def mark_sent(
        self, delivery_id: int, sent_at: datetime, message_id: int | None = None, channel_id: int | None = None
    ) -> bool:
        """Record that a delivery went out; False if it was not pending (already closed)."""
        sent = _to_db(sent_at, "sent_at")
        async with self._write() as db:
            cur = await db.execute(
                "UPDATE deliveries SET state = 'sent', sent_at = ?, message_id = ?, channel_id = ?, error = NULL "
                "WHERE id = ? AND state = 'pending'",
                (sent, message_id, channel_id, delivery_id),
            )
            return cur.rowcount == 1

    async def mark_missed(self, delivery_id: int, reason: str | None = None) -> bool:
        """Give up on a pending delivery that is too late to be useful; False if it was not pending."""
        return await self._close_delivery(delivery_id, "missed", reason)

    async def mark_failed(self, delivery_id: int, error: str) -> bool:
        """Give up on a pending delivery that cannot be sent (e.g. DMs closed); False if it was not pending."""
        return await self._close_delivery(delivery_id, "failed", error)

    async def _close_delivery(self, delivery_id: int, state: str, error: str | None) -> bool:
        async with self._write() as db:
            cur = await db.execute(
                "UPDATE deliveries SET state = ?, error = ? WHERE id = ? AND state = 'pending'",
                (state, error, delivery_id),
            )
            return cur.rowcount == 1

    async def pending_deliveries(self, due_before: datetime | None = None) -> list[Delivery]:
        """Deliveries claimed but not closed (interrupted by a crash, or in flight), earliest due first."""
        if due_before is None:
            rows = await self._fetchall(
                f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE state = 'pending' ORDER BY due_at, id"
            )
        else:
            rows = await self._fetchall(
                f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE state = 'pending' AND due_at <= ? "
                "ORDER BY due_at, id",
                (_to_db(due_before, "due_before"),),
            )
        return [_delivery(r) for r in rows]

    async def delivery_state(self, user_id: int, session_id: str, kind: str, key: str) -> str | None:
        """The state of one delivery, or None if it was never claimed."""
        row = await self._fetchone(
            "SELECT state FROM deliveries WHERE user_id = ? AND session_id = ? AND kind = ? AND key = ?",
            (user_id, session_id, kind, key),
        )
        return None if row is None else row[0]

    async def delivered_keys(self, session_id: str, kind: str) -> set[tuple[int, str]]:
        """(user_id, key) of every delivery of one kind for a session that is no longer pending."""
        rows = await self._fetchall(
            "SELECT user_id, key FROM deliveries WHERE session_id = ? AND kind = ? AND state != 'pending'",
            (session_id, kind),
        )
        return {(u, k) for u, k in rows}

    async def prune_deliveries(self, before: datetime) -> int:
        """Delete closed delivery records due before `before` (housekeeping after the conference)."""
        async with self._write() as db:
            cur = await db.execute(
                "DELETE FROM deliveries WHERE state != 'pending' AND due_at < ?", (_to_db(before, "before"),)
            )
            return cur.rowcount

    # ------------------------------------------------------------ announcements

    async def add_announcement(
        self, created_by: int, channel_id: int, text: str, due_at: datetime, now: datetime, *, ping: bool = False
    ) -> Announcement:
        """Schedule an organizer's announcement for `due_at`."""
        if not text.strip():
            raise ValueError("an announcement needs some text")
        due, created = _to_db(due_at, "due_at"), _to_db(now, "now")
        # Stored with the row, so a resend after a crash reuses it.
        nonce = secrets.token_hex(12)
        async with self._write() as db:
            cur = await db.execute(
                "INSERT INTO announcements (created_by, channel_id, text, due_at, created_at, nonce, ping) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (created_by, channel_id, text, due, created, nonce, int(ping)),
            )
            new_id = cur.lastrowid
            async with db.execute(f"SELECT {_ANNOUNCEMENT_COLUMNS} FROM announcements WHERE id = ?", (new_id,)) as cur2:
                row = await cur2.fetchone()
        return _announcement(row)

    async def get_announcement(self, announcement_id: int) -> Announcement | None:
        row = await self._fetchone(
            f"SELECT {_ANNOUNCEMENT_COLUMNS} FROM announcements WHERE id = ?", (announcement_id,)
        )
        return None if row is None else _announcement(row)

    async def due_announcements(self, now: datetime) -> list[Announcement]:
        """Pending announcements whose time has come, earliest first."""
        rows = await self._fetchall(
            f"SELECT {_ANNOUNCEMENT_COLUMNS} FROM announcements WHERE state = 'pending' AND due_at <= ? "
            "ORDER BY due_at, id",
            (_to_db(now, "now"),),
        )
        return [_announcement(r) for r in rows]

    async def upcoming_announcements(self) -> list[Announcement]:
        """Every announcement still to be posted (overdue ones included), earliest first."""
        rows = await self._fetchall(
            f"SELECT {_ANNOUNCEMENT_COLUMNS} FROM announcements WHERE state = 'pending' ORDER BY due_at, id"
        )
        return [_announcement(r) for r in rows]

    async def next_announcement_due(self) -> datetime | None:
        """When the earliest pending announcement is due: what the dispatcher sleeps until."""
        row = await self._fetchone("SELECT MIN(due_at) FROM announcements WHERE state = 'pending'")
        return _from_db(row[0]) if row else None

    async def mark_announcement_sent(
        self, announcement_id: int, sent_at: datetime, message_id: int | None = None
    ) -> bool:
        """Record that an announcement was posted; False if it was not pending."""
        sent = _to_db(sent_at, "sent_at")
        async with self._write() as db:
            cur = await db.execute(
                "UPDATE announcements SET state = 'sent', sent_at = ?, message_id = ? WHERE id = ? AND state = 'pending'",
                (sent, message_id, announcement_id),
            )
            return cur.rowcount == 1

    async def mark_announcement_failed(self, announcement_id: int, error: str) -> bool:
        """Give up on an announcement that cannot be posted; False if it was not pending."""
        async with self._write() as db:
            cur = await db.execute(
                "UPDATE announcements SET state = 'failed', error = ? WHERE id = ? AND state = 'pending'",
                (error, announcement_id),
            )
            return cur.rowcount == 1

    async def cancel_announcement(self, announcement_id: int) -> bool:
        """Cancel a pending announcement; False if it was already posted, cancelled or unknown."""
        async with self._write() as db:
            cur = await db.execute(
                "UPDATE announcements SET state = 'cancelled' WHERE id = ? AND state = 'pending'",
                (announcement_id,),
            )
            return cur.rowcount == 1

    # ------------------------------------------------------------ programme snapshot

    async def load_snapshot(self) -> dict[str, SnapshotRow]:
        """The programme as last announced, by session id (empty before the first save)."""
        rows = await self._fetchall(
            "SELECT session_id, fingerprint, start_at, end_at, room, title, cancelled FROM programme_snapshot"
        )
        return {r[0]: SnapshotRow(r[0], r[1], _from_db(r[2]), _from_db(r[3]), r[4], r[5], bool(r[6])) for r in rows}

    async def save_snapshot(self, rows: Iterable[SnapshotRow]) -> None:
        """Replace the whole snapshot with `rows`, in one transaction."""
        values = [
            (
                r.session_id,
                r.fingerprint,
                _opt_to_db(r.start, "start"),
                _opt_to_db(r.end, "end"),
                r.room,
                r.title,
                int(bool(r.cancelled)),
            )
            for r in rows
        ]
        async with self._write() as db:
            await db.execute("DELETE FROM programme_snapshot")
            await db.executemany(
                "INSERT INTO programme_snapshot (session_id, fingerprint, start_at, end_at, room, title, cancelled) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                values,
            )


def _validate_settings(fields: dict[str, Any]) -> None:
    lead = fields.get("lead_minutes")
    if lead is not None and (isinstance(lead, bool) or not isinstance(lead, int) or lead < 0):
        raise ValueError(f"lead_minutes must be a whole number of minutes >= 0, got {lead!r}")
    mode = fields.get("delivery")
    if mode is not None and mode not in DELIVERY_MODES:
        raise ValueError(f"delivery must be one of {DELIVERY_MODES}, got {mode!r}")
    lang = fields.get("language")
    if lang is not None and (not isinstance(lang, str) or not lang):
        raise ValueError(f"language must be a language code, got {lang!r}")
    zone = fields.get("timezone")
    if zone is not None:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            raise ValueError(f"unknown time zone {zone!r}") from exc
