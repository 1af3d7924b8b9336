"""The connection: one aiosqlite connection shared by every task, transactions under one lock, the schema kept current.

Every problem with the file is a `DatabaseError` whose message is one line naming the path: a folder that
does not exist, a folder where the file should be, a file that is not a database or is damaged, a file that
cannot be written, a schema from a newer confbot. `check()` proves at start that the file can serve the
bot. While it runs, every write first makes sure the file is still the one opened: a database deleted or
replaced under the bot refuses the write (`DatabaseGoneError`), loudly, instead of acknowledging a star
into a file nobody will read again.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import stat
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Self, TypeVar

import aiosqlite

from bot.core.storage import migrations

__all__ = [
    "MAX_PARAMS",
    "Database",
    "DatabaseError",
    "DatabaseGoneError",
    "SchemaTooNewError",
    "in_chunks",
    "update_each",
]

log = logging.getLogger(__name__)

MAX_PARAMS = 500  # bound parameters in one statement: well under SQLite's limit
T = TypeVar("T")


def in_chunks(items: Sequence[T]) -> Iterator[tuple[Sequence[T], str]]:
    """`items` at most MAX_PARAMS at a time, each chunk with the placeholders of its `IN (…)`: "?,?,?"."""
    for i in range(0, len(items), MAX_PARAMS):
        chunk = items[i : i + MAX_PARAMS]
        yield chunk, ",".join("?" * len(chunk))


async def update_each(db: Any, sql: str, params: Sequence[Any], ids: Sequence[Any]) -> int:
    """Run an UPDATE whose WHERE holds `IN ({ids})` once for each chunk of `ids` (bound after `params`), in the
    caller's transaction; returns how many rows it changed."""
    changed = 0
    for chunk, marks in in_chunks(ids):
        cur = await db.execute(sql.format(ids=marks), (*params, *chunk))
        changed += cur.rowcount
    return changed


class DatabaseError(RuntimeError):
    """The database cannot serve the bot; the message is one line that names the file and says why."""


class SchemaTooNewError(DatabaseError):
    """The database was written by a newer confbot than this one."""


class DatabaseGoneError(DatabaseError):
    """The database file was deleted or replaced while the bot was running."""


def _is_file(path: str) -> bool:
    return path != ":memory:" and not path.startswith("file:")


def _identity(path: str) -> tuple[int, int] | None:
    """Which file `path` names now (device and inode), or None when there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _refuse_unusable_path(path: str) -> None:
    """What can be said of the path before SQLite tries it, each in words an organizer can act on."""
    p = Path(path)
    if p.is_dir():
        raise DatabaseError(f"the database {path} is a folder, not a file: set database.path (or --db) to a file")
    if not p.parent.is_dir():
        raise DatabaseError(f"the database {path} cannot be created: the folder {p.parent} does not exist")
    if p.exists() and not p.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise DatabaseError(f"the database {path} is read-only: confbot must be able to write to it")


def _explain(path: str, exc: BaseException) -> DatabaseError | None:
    """An SQLite error that says the file cannot serve the bot, as one line naming it (None: another error)."""
    text = str(exc)
    if "not a database" in text:
        return DatabaseError(f"{path} is not a SQLite database (or it is damaged): move it away or name another file")
    if "readonly" in text or "read-only" in text:
        return DatabaseError(f"the database {path} is read-only: confbot must be able to write to it")
    if "unable to open" in text:
        return DatabaseError(f"the database {path} cannot be opened: {text}")
    if "malformed" in text or "corrupt" in text:
        return DatabaseError(f"the database {path} is damaged ({text}): restore a backup or name another file")
    if "disk I/O" in text or "locked" in text:
        return DatabaseError(f"the database {path} cannot be used: {text}")
    return None


class Database:
    """An open database file (or ":memory:"). Open with `await Database.open(path)`; every method is a coroutine."""

    def __init__(self, db: aiosqlite.Connection, path: str):
        self._db = db
        self.path = path
        # One connection is shared by every task; the lock keeps one task's transaction from
        # interleaving with another's statements.
        self._lock = asyncio.Lock()
        self._identity = _identity(path) if _is_file(path) else None
        self._gone: str | None = None  # why writes are refused, once the file is found deleted or replaced
        self._data_version: int | None = None  # SQLite's count of commits by other connections, when last read

    @classmethod
    async def open(cls, path: str | Path, *, busy_timeout_ms: int = 5000) -> Self:
        """Open (creating if need be) the database at `path` or ":memory:" and bring its schema up to date.

        Raises DatabaseError (one line naming the path) when the file cannot serve the bot."""
        path = str(path)
        if _is_file(path):
            _refuse_unusable_path(path)
        # isolation_level=None: the sqlite3 module never opens transactions behind our back;
        # every transaction here is an explicit BEGIN IMMEDIATE ... COMMIT.
        try:
            db = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise (_explain(path, exc) or DatabaseError(f"the database {path} cannot be opened: {exc}")) from exc
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
            await store.written_elsewhere()  # what was there at open is the baseline
        except sqlite3.Error as exc:
            await db.close()
            explained = _explain(path, exc)
            if explained is None:
                raise
            raise explained from exc
        except BaseException:
            await db.close()
            raise
        return store

    async def check(self) -> None:
        """Prove the database can serve the bot: not damaged (quick_check) and writable. DatabaseError if not."""
        try:
            async with self._lock:
                async with self._db.execute("PRAGMA quick_check") as cur:
                    result = [str(r[0]) for r in await cur.fetchall()]
                if result != ["ok"]:
                    raise DatabaseError(
                        f"the database {self.path} is damaged ({'; '.join(result)[:200]}): restore a backup or name another file"
                    )
                # A write that changes nothing proves the file, its folder and the journal can be written.
                await self._db.execute("BEGIN IMMEDIATE")
                try:
                    await self._db.execute(f"PRAGMA user_version = {await self._user_version()}")
                    await self._db.execute("COMMIT")
                except BaseException:
                    await self._db.execute("ROLLBACK")
                    raise
        except sqlite3.Error as exc:
            raise (
                _explain(self.path, exc) or DatabaseError(f"the database {self.path} cannot be used: {exc}")
            ) from exc

    async def close(self) -> None:
        async with self._lock:
            await self._db.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ------------------------------------------------------------ statements

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction; rolled back if anything inside raises, or if the file is no longer the one
        opened (DatabaseGoneError): what is written is acknowledged only once it is in the bot's database."""
        async with self._lock:
            self._still_there()
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._still_there()
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")

    def _still_there(self) -> None:
        """DatabaseGoneError when the file opened was deleted or replaced since (said loudly, once)."""
        if self._identity is None:
            return
        if self._gone is None:
            now = _identity(self.path)
            if now == self._identity:
                return
            what = "deleted" if now is None else "replaced by another file"
            self._gone = (
                f"the database {self.path} was {what} while the bot was running: nothing more is written, "
                "so nothing is acknowledged that would be lost; restore the file and restart the bot"
            )
            log.critical("%s", self._gone)
        raise DatabaseGoneError(self._gone)

    async def written_elsewhere(self) -> bool:
        """Whether another connection (a one-shot `ask /star`, another tool) committed to this database since the
        last call; the first call only takes note. Our own writes never count (SQLite's `data_version`)."""
        row = await self.fetchone("PRAGMA data_version")
        version = int(row[0])
        before, self._data_version = self._data_version, version
        return before is not None and version != before

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        async with self._lock, self._db.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Any:
        async with self._lock, self._db.execute(sql, params) as cur:
            return await cur.fetchone()

    # ------------------------------------------------------------ migrations

    async def _user_version(self) -> int:
        async with self._db.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def _migrate(self) -> None:
        # Read through the module, not imported names: a test may append a migration.
        async with self._lock:
            version = await self._user_version()
            self._refuse_if_too_new(version)
            while version < migrations.SCHEMA_VERSION:
                await self._db.execute("BEGIN IMMEDIATE")
                try:
                    # Re-read under the write lock: another process may have migrated meanwhile.
                    version = await self._user_version()
                    self._refuse_if_too_new(version)
                    if version < migrations.SCHEMA_VERSION:
                        for statement in migrations.MIGRATIONS[version]:
                            await self._db.execute(statement)
                        version += 1
                        await self._db.execute(f"PRAGMA user_version = {version}")
                    await self._db.execute("COMMIT")
                except BaseException:
                    await self._db.execute("ROLLBACK")
                    raise

    def _refuse_if_too_new(self, version: int) -> None:
        if version > migrations.SCHEMA_VERSION:
            raise SchemaTooNewError(
                f"the database {self.path} has schema version {version}, but this confbot only knows "
                f"up to version {migrations.SCHEMA_VERSION}; upgrade confbot or use another database file"
            )
