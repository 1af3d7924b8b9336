"""The Discord token never appears in anything the bot prints: `python -m bot` in a subprocess, given the token
in the wrong places, and everything it writes searched for it."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.redact import HIDDEN, RedactingFilter, RedactingStream, Redactor
from tests.fakediscord.server import FakeDiscord
from tests.paths import REPO

# Shaped like a real token (the bot's id in base64, a timestamp, a signature), and one that is not.
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB"
ODD_TOKEN = "not-shaped-like-a-token-but-secret-4711"
WAIT = 20.0


def bot(*args: str, env: dict[str, str] | None = None, config: str | None = None, tmp: Path) -> tuple[int, str]:
    """Run `python -m bot ARGS` (with `config` as its config file) and return its exit code and all it wrote."""
    base = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    argv = [sys.executable, "-m", "bot"]
    if config is not None:
        path = tmp / "confbot.toml"
        path.write_text(config, encoding="utf-8")
        argv += ["--config", str(path)]
    done = subprocess.run(
        [*argv, "--db", str(tmp / "db.sqlite"), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**base, "HOME": str(tmp), **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    return done.returncode, done.stdout + done.stderr


# ---------------------------------------------------------------- the configuration


@pytest.mark.parametrize("secret", [TOKEN, ODD_TOKEN], ids=["token-shaped", "not token-shaped"])
@pytest.mark.parametrize("verb", ["run", "check", "console"])
def test_a_token_written_as_token_env_is_refused_without_being_shown(tmp_path, secret, verb):
    """A config whose token_env is the token itself stops with a message naming the option, never the token."""
    code, output = bot(verb, config=f'[discord]\ntoken_env = "{secret}"\n', env={secret: "x"}, tmp=tmp_path)
    assert code == 2
    assert "discord.token_env" in output and "environment variable" in output
    assert secret not in output


@pytest.mark.parametrize(
    "config",
    [
        '[discord]\nguild_id = "{token}"\n',
        '[discord]\napi_base = "{token}"\n',
        '[discord]\norganizer_role = 5\ntoken_env = "MY_BOT_TOKEN"\n[conference]\ntimezone = "{token}"\n',
        '[conference]\nlanguage = "{token}"\n[discord]\ntoken_env = "MY_BOT_TOKEN"\n',
        '[reminders]\ndelivery = "{token}"\n',
        '[discord]\ntoken = "{token}"\n',
    ],
    ids=["guild_id", "api_base", "timezone", "language", "delivery", "token in the file"],
)
@pytest.mark.parametrize("secret", [TOKEN, ODD_TOKEN], ids=["token-shaped", "not token-shaped"])
def test_an_option_that_echoes_its_value_never_shows_the_token(tmp_path, config, secret):
    """The token pasted into the wrong option is hidden in the error that names that option."""
    env = {"DISCORD_TOKEN": secret, "MY_BOT_TOKEN": secret}
    code, output = bot("run", config=config.format(token=secret), env=env, tmp=tmp_path)
    assert code == 2 and "config error" in output
    assert secret not in output


@pytest.mark.parametrize(
    "args",
    [("--timezone", "{token}", "check"), ("--now", "{token}", "run"), ("--lang", "{token}", "check")],
    ids=["--timezone", "--now", "--lang (argparse)"],
)
def test_a_command_line_option_that_echoes_its_value_never_shows_the_token(tmp_path, args):
    """The token given to a command-line option by mistake is hidden in the error that names the option."""
    for secret in (TOKEN, ODD_TOKEN):
        code, output = bot(*(a.format(token=secret) for a in args), env={"DISCORD_TOKEN": secret}, tmp=tmp_path)
        assert code == 2 and args[0] in output
        assert secret not in output


def test_a_token_that_names_no_variable_is_not_echoed_by_run(tmp_path):
    """`run` without a token names the variable to set; the message is one line and shows no secret."""
    code, output = bot("run", config='[discord]\ntoken_env = "MY_BOT_TOKEN"\n', tmp=tmp_path)
    assert code == 2 and output.strip().splitlines() == [
        "No Discord token: set the MY_BOT_TOKEN environment variable to the bot's token."
    ]


# ---------------------------------------------------------------- against Discord


def discord_config(tmp_path: Path, fake: FakeDiscord, token_env: str = "DISCORD_TOKEN") -> Path:
    config = tmp_path / "confbot.toml"
    config.write_text(
        f"""
[conference]
sessions = "{REPO / "sessions"}"

[database]
path = "{tmp_path / "confbot.db"}"

[discord]
guild_id = {fake.guild_id}
api_base = "{fake.api_base}"
gateway_url = "{fake.gateway_url}"
token_env = "{token_env}"
""",
        encoding="utf-8",
    )
    return config


async def run_bot(tmp_path: Path, config: Path, env: dict[str, str], *extra: str) -> asyncio.subprocess.Process:
    base = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *extra,
        "--config",
        str(config),
        "--now",
        "2026-08-07T10:00",
        "run",
        cwd=REPO,
        env={**base, "HOME": str(tmp_path), "PYTHONUNBUFFERED": "1", **env},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def output_of(proc: asyncio.subprocess.Process) -> tuple[int, str]:
    try:
        out, err = await asyncio.wait_for(proc.communicate(), WAIT)
    except TimeoutError:
        proc.kill()
        out, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, (out + err).decode(errors="replace")


@pytest.mark.parametrize("secret", [TOKEN, ODD_TOKEN], ids=["token-shaped", "not token-shaped"])
async def test_a_refused_token_is_not_shown(tmp_path, secret):
    """When Discord refuses the token, the bot says so and names its variable, never the token."""
    async with FakeDiscord(token="the-right-token") as fake:
        proc = await run_bot(tmp_path, discord_config(tmp_path, fake, "MY_BOT_TOKEN"), {"MY_BOT_TOKEN": secret})
        code, output = await output_of(proc)
    assert code == 2 and "Discord refused the token" in output and "MY_BOT_TOKEN" in output
    assert secret not in output


@pytest.mark.parametrize("secret", [TOKEN, ODD_TOKEN], ids=["token-shaped", "not token-shaped"])
async def test_the_token_typed_into_a_command_is_hidden_in_debug_logs(tmp_path, secret):
    """With -v, the logs of every request (which quote what users typed) never show the token."""
    async with FakeDiscord(token=secret) as fake:
        proc = await run_bot(tmp_path, discord_config(tmp_path, fake), {"DISCORD_TOKEN": secret}, "-v")
        try:
            await fake.wait_for_gateway(lambda frame: frame.get("op") == 2, timeout=WAIT)
            reply = await fake.wait_for_response(await fake.slash("talk", {"query": secret}), timeout=WAIT)
            assert reply.callback_type == 4  # answered: its request, quoting the query, is in the logs
        finally:
            proc.send_signal(signal.SIGTERM)
        code, output = await output_of(proc)
    assert code == 0, output
    assert "/interactions/" in output  # the request log lines are there, with what they carried hidden
    assert secret not in output and HIDDEN in output


# ---------------------------------------------------------------- the parts


def test_the_redactor_hides_given_secrets_and_anything_token_shaped():
    """A registered secret and any Discord-token-shaped text are hidden; ordinary text is left alone."""
    redact = Redactor()
    redact.add(ODD_TOKEN)
    redact.add("short")  # too short to be a secret worth hiding
    text = f"a {ODD_TOKEN} b {TOKEN} c short, keynote-104, https://discord.com/api/v10"
    assert redact(text) == f"a {HIDDEN} b {HIDDEN} c short, keynote-104, https://discord.com/api/v10"


def test_streams_and_log_handlers_hide_the_token():
    """A protected stream and a filtered log handler write the token as hidden, tracebacks included."""
    redact = Redactor()
    redact.add(ODD_TOKEN)
    sink = io.StringIO()
    RedactingStream(sink, redact).write(f"token {ODD_TOKEN}\n")
    assert sink.getvalue() == f"token {HIDDEN}\n"
    logged = io.StringIO()
    handler = logging.StreamHandler(logged)
    handler.addFilter(RedactingFilter(redact))
    logger = logging.getLogger("tests.secrets")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError(f"bad value {ODD_TOKEN!r}")
        except ValueError:
            logger.exception("failed with %s", ODD_TOKEN)
    finally:
        logger.removeHandler(handler)
    assert (
        ODD_TOKEN not in logged.getvalue() and "failed with" in logged.getvalue() and "ValueError" in logged.getvalue()
    )
