"""`run` and `console` serve a database: checked at start, one process at a time; `ask` and `check` need neither."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from pathlib import Path

import pytest

from bot.core.storage import ServingLock
from tests.paths import REPO
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


# ---------------------------------------------------------------- `ask` beside a running bot: one shot, no delivery

LIVE_CONFIG = '[discord.room_channels]\n"Lighthouse Hall" = 111111111111111111\n'


def _seed(db: Path) -> None:
    """The database a running bot serves: user 1 (the one `ask` speaks for) starred the 10:40 keynote with an
    hour's lead, so its reminder fell due at 09:40; and an organizer's announcement waits, previewed, unsent."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.core.storage import Storage

    async def seed() -> None:
        t0 = datetime(2026, 8, 7, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
        async with await Storage.open(db) as storage:
            await storage.star(1, "keynote-104", t0)
            await storage.update_settings(1, lead_minutes=60)
            await storage.add_announcement(1, 77, "Coffee on Pier 2", t0, t0, draft=True, post_now=True)

    asyncio.run(seed())


def _rows(db: Path, sql: str) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchall()


def test_ask_beside_a_running_bot_delivers_nothing_the_bot_owes(tmp_path):
    """While a bot serves the database, `ask /agenda` and `ask /star` at 10:36 answer and write the star, but
    neither prints nor marks sent the overdue reminder or the hall's 10:40 room post: the bot delivers those."""
    db, config = tmp_path / "bot.db", tmp_path / "config.toml"
    config.write_text(LIVE_CONFIG, encoding="utf-8")
    _seed(db)
    common = ("--config", str(config), "--sessions", str(REPO / "sessions"), "--now", "2026-08-07T10:36")
    with ServingLock(db):
        agenda = bot(*common, "--db", str(db), "ask", "/agenda")
        starred = bot(*common, "--db", str(db), "ask", "/star session:community-301")
    assert agenda.returncode == 0 and "Who Pays for the Commons?" in agenda.stdout
    assert starred.returncode == 0 and "community-301" in starred.stdout
    for done in (agenda, starred):
        assert "⏰" not in done.stdout and "[#Lighthouse Hall]" not in done.stdout, done.stdout
    assert _rows(db, "SELECT session_id FROM stars WHERE user_id = 1 ORDER BY 1") == [
        ("community-301",),
        ("keynote-104",),
    ]
    assert _rows(db, "SELECT state FROM deliveries") == []  # nothing claimed, nothing marked sent
    assert _rows(db, "SELECT state FROM live_posts") == []
    assert _rows(db, "SELECT value FROM meta WHERE key = 'last_seen'") == []  # nor the bot's heartbeat touched


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "needs the running bot or the console"), ("zh", "需要运行中的机器人或控制台")],
)
def test_ask_refuses_a_command_that_sends_in_both_languages(tmp_path, lang, said):
    """`ask '/announce-send id:1'` posts nothing to the terminal: it says, in the reader's language, that sending
    needs the running bot or the console, exits 2, and the announcement still waits for its Send."""
    db = tmp_path / "bot.db"
    _seed(db)
    with ServingLock(db):
        done = bot("--now", NOW, "--lang", lang, "--db", str(db), "ask", "/announce-send id:1")
    assert done.returncode == 2 and said in done.stdout, done.stdout
    assert "Coffee on Pier 2" not in done.stdout
    assert _rows(db, "SELECT state FROM announcements") == [("draft",)]


def test_ask_edits_and_cancels_a_waiting_announcement_in_the_database(tmp_path):
    """`ask /announce-edit` and `ask /unannounce` need no delivery: they change the stored announcement, which a
    running bot reads when it falls due."""
    db = tmp_path / "bot.db"
    _seed(db)
    edited = bot("--now", NOW, "--db", str(db), "ask", '/announce-edit id:1 message:"Tea on Pier 3"')
    assert edited.returncode == 0 and "Tea on Pier 3" in edited.stdout, edited.stdout
    cancelled = bot("--now", NOW, "--db", str(db), "ask", "/unannounce id:1")
    assert cancelled.returncode == 0 and "cancelled" in cancelled.stdout
    assert _rows(db, "SELECT text, state FROM announcements") == [("Tea on Pier 3", "cancelled")]
