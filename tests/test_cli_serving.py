"""`run` and `console` serve a database: checked at start, one process at a time; `ask` and `check` need neither."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from bot.core.storage import ServingLock
from tests.test_cli import bot

NOW = "2026-08-07T10:00"


def no_token(tmp_path: Path) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}


def _missing_folder(tmp_path: Path) -> Path:
    return tmp_path / "gone" / "bot.db"


def _a_folder(tmp_path: Path) -> Path:
    (tmp_path / "bot.db").mkdir()
    return tmp_path / "bot.db"


def _not_a_database(tmp_path: Path) -> Path:
    path = tmp_path / "bot.db"
    path.write_bytes(b"\x89PNG\r\n" + bytes(range(256)) * 20)
    return path


def _read_only(tmp_path: Path) -> Path:
    path = tmp_path / "bot.db"
    sqlite3.connect(path).close()
    path.chmod(0o444)
    return path


@pytest.mark.parametrize(
    "make",
    [_missing_folder, _a_folder, _not_a_database, _read_only],
    ids=["missing-folder", "folder", "junk", "read-only"],
)
@pytest.mark.parametrize("verb", ["run", "console"])
def test_a_database_that_cannot_serve_stops_the_bot_with_one_line(tmp_path, make, verb):
    """`run` (or `console`) on a bad database says in one line which file and why, and exits non-zero."""
    db = make(tmp_path)
    done = bot("--now", NOW, "--db", str(db), verb, stdin="/quit\n", env=no_token(tmp_path))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("database error: ") and str(db) in lines[0], done.stderr
    assert "console" not in done.stdout  # it never started


@pytest.mark.parametrize("verb", ["run", "console"])
def test_a_second_bot_on_the_same_database_refuses_to_start(tmp_path, verb):
    """With a bot already serving the database, a second `run` or `console` says so and exits non-zero."""
    db = tmp_path / "bot.db"
    with ServingLock(db):
        done = bot("--now", NOW, "--db", str(db), verb, stdin="/quit\n", env=no_token(tmp_path))
    assert done.returncode == 2
    assert "already serving the database" in done.stderr and str(db) in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_one_shot_commands_do_not_need_the_database_to_themselves(tmp_path):
    """`ask` and `check` run while a bot serves the database."""
    db = tmp_path / "bot.db"
    with ServingLock(db):
        asked = bot("--now", NOW, "--db", str(db), "ask", "/next")
        checked = bot("--db", str(db), "check")
    assert asked.returncode == 0 and asked.stdout.startswith("Next up")
    assert "sessions" in checked.stdout
