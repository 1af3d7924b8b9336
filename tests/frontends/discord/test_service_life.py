"""The bot as a service manager runs it: `python -m bot` in a subprocess, stopped with SIGTERM, started without
a token or without a terminal."""

from __future__ import annotations

import asyncio
import os
import pty
import signal
import sys
from pathlib import Path

import pytest

from tests.fakediscord.server import FakeDiscord
from tests.paths import REPO

WAIT = 20.0  # seconds: the bound on every wait here (each step takes well under 2 s on an idle machine)
NOW = "2026-08-07T10:00"


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment: no token unless given, HOME in the test's folder (the console keeps its history there)."""
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    return {**env, "HOME": str(tmp_path), "PYTHONUNBUFFERED": "1", **extra}


async def spawn(tmp_path: Path, *args: str, stdin: int | None, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=REPO,
        env=env,
        stdin=stdin,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def finish(proc: asyncio.subprocess.Process) -> tuple[int, str, str]:
    """Wait for the process to exit (killing it after WAIT seconds) and return its code, stdout and stderr."""
    try:
        out, err = await asyncio.wait_for(proc.communicate(), WAIT)
    except TimeoutError:
        proc.kill()
        out, err = await proc.communicate()
        pytest.fail(f"the bot did not exit within {WAIT}s:\n{out.decode()}\n{err.decode()}", pytrace=False)
    assert proc.returncode is not None
    return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")


async def until_line(stream: asyncio.StreamReader, words: str) -> str:
    """Read lines from `stream` until one holds `words`; all read so far."""
    seen = ""
    while words not in seen:
        line = await asyncio.wait_for(stream.readline(), WAIT)
        if not line:
            pytest.fail(f"the output ended before {words!r}:\n{seen}", pytrace=False)
        seen += line.decode(errors="replace")
    return seen


def database_open(db: Path) -> bool:
    """A connection to the database is open (in WAL mode, SQLite keeps a -wal file while one is)."""
    return Path(f"{db}-wal").exists()


def database_closed(db: Path) -> bool:
    """SQLite in WAL mode removes the -wal file when the last connection closes cleanly."""
    return db.is_file() and not Path(f"{db}-wal").exists()


# ---------------------------------------------------------------- no token


async def test_run_without_a_token_and_without_a_terminal_exits_with_one_line(tmp_path):
    """Under a service manager (no terminal), `run` without DISCORD_TOKEN says so in one line and exits non-zero."""
    proc = await spawn(
        tmp_path,
        "--now",
        NOW,
        "--db",
        str(tmp_path / "db.sqlite"),
        "run",
        stdin=asyncio.subprocess.DEVNULL,
        env=environment(tmp_path),
    )
    code, out, err = await finish(proc)
    assert code != 0
    assert out == ""
    [line] = err.strip().splitlines()
    assert "DISCORD_TOKEN" in line and "token" in line.lower()


async def test_run_without_a_token_on_a_terminal_opens_the_console(tmp_path):
    """On a terminal, `run` without DISCORD_TOKEN says so in one line and opens the console, which answers and quits."""
    leader, follower = pty.openpty()
    try:
        proc = await spawn(
            tmp_path,
            "--now",
            NOW,
            "--db",
            str(tmp_path / "db.sqlite"),
            "run",
            stdin=follower,
            env=environment(tmp_path, TERM="dumb"),
        )
        os.close(follower)
        assert proc.stdout is not None
        await until_line(proc.stdout, "confbot console:")
        os.write(leader, b"/next\n/quit\n")
        code, out, err = await finish(proc)
    finally:
        os.close(leader)
    assert code == 0, err
    assert "10:40–11:20  Who Pays for the Commons?" in out
    assert "Traceback" not in out + err


# ---------------------------------------------------------------- SIGTERM


def discord_config(tmp_path: Path, fake: FakeDiscord) -> Path:
    config = tmp_path / "confbot.toml"
    config.write_text(
        f"""
[conference]
timezone = "Asia/Shanghai"
sessions = "{REPO / "sessions"}"

[database]
path = "{tmp_path / "confbot.db"}"

[discord]
guild_id = {fake.guild_id}
api_base = "{fake.api_base}"
gateway_url = "{fake.gateway_url}"
""",
        encoding="utf-8",
    )
    return config


async def test_sigterm_stops_the_discord_bot_cleanly(tmp_path):
    """SIGTERM to `run` closes the gateway, stops the scheduler and closes the database, and the exit code is 0."""
    async with FakeDiscord(token="fake-token") as fake:
        env = environment(tmp_path, DISCORD_TOKEN="fake-token")
        proc = await spawn(
            tmp_path,
            "--config",
            str(discord_config(tmp_path, fake)),
            "--now",
            NOW,
            "run",
            stdin=asyncio.subprocess.DEVNULL,
            env=env,
        )
        try:
            await fake.wait_for_gateway(lambda frame: frame.get("op") == 2, timeout=WAIT)  # identified: READY sent
            starred = await fake.wait_for_response(await fake.slash("star", {"session": "keynote-104"}), timeout=WAIT)
            assert "Starred" in starred.embeds[0]["description"]
            assert database_open(tmp_path / "confbot.db")
        except BaseException:
            proc.kill()
            raise
        proc.send_signal(signal.SIGTERM)
        code, out, err = await finish(proc)
        output = out + err
        assert code == 0, output
        assert "Scheduler has been shut down" in output
        assert database_closed(tmp_path / "confbot.db"), output
        assert "Traceback" not in output and " ERROR " not in output, output
        await asyncio.sleep(0.1)
        assert not fake.connected


async def test_sigterm_stops_the_console_cleanly_while_it_waits_for_a_line(tmp_path):
    """SIGTERM to `console` waiting for input stops the scheduler, closes the database and exits 0."""
    db = tmp_path / "db.sqlite"
    proc = await spawn(
        tmp_path,
        "-v",
        "--now",
        NOW,
        "--db",
        str(db),
        "console",
        stdin=asyncio.subprocess.PIPE,
        env=environment(tmp_path),
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(b"/star session:keynote-104\n")
    await proc.stdin.drain()
    await until_line(proc.stdout, "Starred")
    assert database_open(db)
    proc.send_signal(signal.SIGTERM)  # stdin stays open: the console is blocked reading the next line
    code, out, err = await finish(proc)
    assert code == 0, out + err
    assert "Scheduler has been shut down" in err
    assert database_closed(db), out + err
    assert "Traceback" not in out + err
