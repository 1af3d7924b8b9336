"""The database file: its schema built and upgraded by migrations, times stored as UTC, a newer schema refused."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.storage import (
    SCHEMA_VERSION,
    DatabaseError,
    DatabaseGoneError,
    SchemaTooNewError,
    SnapshotRow,
    Storage,
    migrations,
)
from tests.seed import claim_one, schema_version

T0 = datetime(2026, 8, 7, 10, 0, tzinfo=ZoneInfo("Asia/Taipei"))  # 02:00 UTC


async def test_new_database_gets_the_whole_schema(tmp_path):
    """A fresh database file is created with every table and the current schema version."""
    path = tmp_path / "bot.db"
    s = await Storage.open(path)
    assert await schema_version(s) == SCHEMA_VERSION
    await s.close()
    con = sqlite3.connect(path)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    mode = con.execute("PRAGMA journal_mode").fetchone()[0]
    con.close()
    assert {"stars", "user_settings", "deliveries", "announcements", "programme_snapshot"} <= tables
    assert mode == "wal"


async def test_reopening_keeps_data_and_does_not_migrate_again(tmp_path, clock):
    """Restarting the bot keeps every star and leaves the schema as it was."""
    path = tmp_path / "bot.db"
    s = await Storage.open(path)
    await s.star(1, "ai-1026", clock.now())
    await s.close()
    s = await Storage.open(path)
    try:
        assert await schema_version(s) == SCHEMA_VERSION
        assert await s.stars_of(1) == ["ai-1026"]
    finally:
        await s.close()


async def test_database_from_a_newer_bot_is_refused(tmp_path):
    """An older bot will not open (and damage) a database written by a newer one."""
    path = tmp_path / "bot.db"
    await (await Storage.open(path)).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    with pytest.raises(SchemaTooNewError, match=f"version {SCHEMA_VERSION + 1}"):
        await Storage.open(path)


async def test_a_failing_migration_leaves_the_database_at_the_previous_version(tmp_path, monkeypatch):
    """A migration that breaks half-way is rolled back whole, so the next start can retry it."""
    path = tmp_path / "bot.db"
    s = await Storage.open(path)
    await s.close()
    broken = ("CREATE TABLE half_done (x INTEGER)", "THIS IS NOT SQL")
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, broken))
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(sqlite3.OperationalError):
        await Storage.open(path)
    con = sqlite3.connect(path)
    version = con.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    con.close()
    assert version == SCHEMA_VERSION
    assert "half_done" not in tables


async def test_datetimes_are_stored_as_utc_iso_text(tmp_path, clock):
    """Times written in any zone are stored as UTC ISO text and read back as aware UTC datetimes."""
    path = tmp_path / "bot.db"
    s = await Storage.open(path)
    await s.save_snapshot([SnapshotRow("ai-1", "fp", T0, T0 + timedelta(minutes=30), "R1", "Talk")])
    row = (await s.load_snapshot())["ai-1"]
    await s.close()
    con = sqlite3.connect(path)
    raw = con.execute("SELECT start_at FROM programme_snapshot").fetchone()[0]
    con.close()
    assert raw == "2026-08-07T02:00:00+00:00"
    assert row.start == T0 and row.start.tzinfo is UTC


async def test_naive_datetimes_are_refused(store):
    """A naive datetime anywhere is a bug, and storage says so instead of guessing a zone."""
    naive = datetime(2026, 8, 7, 10, 0)
    with pytest.raises(ValueError, match="naive"):
        await store.star(1, "a", naive)
    with pytest.raises(ValueError, match="naive"):
        await claim_one(store, 1, "a", "reminder", "k", naive)
    with pytest.raises(ValueError, match="naive"):
        await store.add_announcement(1, 2, "hello", naive, T0)
    with pytest.raises(ValueError, match="naive"):
        await store.save_snapshot([SnapshotRow("a", "fp", naive, None, None, "t")])
    assert await store.stars_of(1) == []


# ---------------------------------------------------------------- a file that cannot serve the bot


def _missing_folder(tmp_path):
    return tmp_path / "no-such-folder" / "bot.db"


def _a_folder(tmp_path):
    (tmp_path / "bot.db").mkdir()
    return tmp_path / "bot.db"


def _not_a_database(tmp_path):
    path = tmp_path / "bot.db"
    path.write_text("stars: alice, bob\n" * 200)
    return path


def _read_only(tmp_path):
    path = tmp_path / "bot.db"
    sqlite3.connect(path).close()
    path.chmod(0o444)
    return path


@pytest.mark.parametrize(
    "make,says",
    [
        (_missing_folder, "does not exist"),
        (_a_folder, "is a folder"),
        (_not_a_database, "not a SQLite database"),
        (_read_only, "read-only"),
    ],
    ids=["missing-folder", "directory", "not-a-database", "read-only"],
)
async def test_a_database_that_cannot_serve_the_bot_is_refused_in_one_line_naming_it(tmp_path, make, says):
    """A bad database path gives one clear line that names the file, not a traceback from SQLite."""
    path = make(tmp_path)
    with pytest.raises(DatabaseError) as caught:
        store = await Storage.open(path)
        try:
            await store.check()
        finally:
            await store.close()
    message = str(caught.value)
    assert str(path) in message and says in message and "\n" not in message


async def test_a_healthy_database_passes_the_check(tmp_path):
    """A new or existing database that can be written passes the start-up check."""
    store = await Storage.open(tmp_path / "bot.db")
    try:
        await store.check()
    finally:
        await store.close()


# ---------------------------------------------------------------- the file going away under the bot


async def test_a_database_deleted_while_running_refuses_the_next_write_loudly(tmp_path, clock, caplog):
    """Deleting the database under a running bot: the next star is refused, not acknowledged into a lost file."""
    path = tmp_path / "bot.db"
    store = await Storage.open(path)
    try:
        assert await store.star(1, "a", clock.now())
        for leftover in (path, path.with_name("bot.db-wal"), path.with_name("bot.db-shm")):
            leftover.unlink(missing_ok=True)
        with pytest.raises(DatabaseGoneError, match=f"{path} was deleted"):
            await store.star(2, "a", clock.now())
        with pytest.raises(DatabaseGoneError):
            await store.update_settings(2, lead_minutes=5)
    finally:
        await store.close()
    assert [r.levelname for r in caplog.records if "was deleted" in r.getMessage()] == ["CRITICAL"]


async def test_a_database_replaced_while_running_refuses_the_next_write(tmp_path, clock):
    """A restored backup copied over the running bot's file is noticed: writes stop instead of going astray."""
    path = tmp_path / "bot.db"
    backup = tmp_path / "backup.db"
    await (await Storage.open(backup)).close()
    store = await Storage.open(path)
    try:
        await store.star(1, "a", clock.now())
        os.replace(backup, path)
        with pytest.raises(DatabaseGoneError, match="replaced"):
            await store.star(2, "a", clock.now())
    finally:
        await store.close()
