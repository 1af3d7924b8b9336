"""The connection: one aiosqlite connection shared by every task, transactions under one lock, the schema kept current."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Self

import aiosqlite

from bot.core.storage import migrations

__all__ = ["Database", "SchemaTooNewError"]


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer confbot than this one."""


class Database:
    """An open database file (or ":memory:"). Open with `await Database.open(path)`; every method is a coroutine."""

    def __init__(self, db: aiosqlite.Connection, path: str):
        self._db = db
        self.path = path
        # One connection is shared by every task; the lock keeps one task's transaction from
        # interleaving with another's statements.
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | Path, *, busy_timeout_ms: int = 5000) -> Self:
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

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ------------------------------------------------------------ statements

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction; rolled back if anything inside raises."""
        async with self._lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")

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
