"""The interactive console: the bot's commands in a terminal, with line editing and history."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from pathlib import Path

from bot.app import App
from bot.clock import Clock
from bot.commands.context import Ctx, User, UserError
from bot.commands.registry import run_command
from bot.commands.reply import error_reply
from bot.config import Config
from bot.frontends.text.parse import parse_line
from bot.frontends.text.render import render
from bot.frontends.text.sender import ConsoleSender
from bot.i18n import tr
from bot.runtime import Channels, Runtime

log = logging.getLogger(__name__)
LOCAL_USER = User(id=1, name="you", is_organizer=True)  # the console's one user runs their own conference
CONSOLE_CHANNEL = 1  # announcements "posted" in the console land here
HISTORY = Path(os.environ.get("CONFBOT_HISTORY", Path.home() / ".confbot_history"))


async def ask_text(app: App, line: str, lang: str = "en", user: User = LOCAL_USER) -> tuple[str, bool]:
    """Run one command line; returns the printed reply and whether it succeeded."""
    try:
        parsed = parse_line(line, lang)
    except UserError as exc:
        return render(error_reply(exc.message, exc.hint), lang), False
    ctx = Ctx(app=app, user=user, now=app.now(), lang=lang, channel_id=CONSOLE_CHANNEL)
    try:
        reply = await run_command(ctx, parsed.name, parsed.options)
    except Exception:
        log.exception("command failed: %s", line)
        reply = error_reply(tr("text.apology", lang))
    return render(reply, lang), not reply.error


def _setup_readline() -> None:
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return
    with contextlib.suppress(FileNotFoundError, OSError):
        readline.read_history_file(HISTORY)
    readline.set_history_length(1000)
    import atexit

    atexit.register(lambda: _save_history(readline))


def _save_history(readline) -> None:
    with contextlib.suppress(OSError):
        readline.write_history_file(HISTORY)


def _banner(app: App, lang: str) -> str:
    """What the console says first: the conference, its size, its problems, and the clock."""
    s = app.catalog.summary()
    problems = tr("console.problems", lang, n=s["problems"]) if s["problems"] else ""
    return "\n".join(
        (
            tr(
                "console.banner",
                lang,
                name=app.config.conference_name(lang),
                sessions=s["sessions"],
                tracks=s["tracks"],
                problems=problems,
            ),
            tr("console.clock", lang, time=f"{app.now().astimezone(app.tz):%Y-%m-%d %H:%M}", zone=app.tz.key),
            "",
        )
    )


async def run_console(cfg: Config, clock: Clock, stdin=None, stdout=None) -> int:
    """Read lines until EOF or /quit; answer each as the bot would."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty()
    if interactive:
        _setup_readline()
    app = App(cfg, clock)
    runtime = Runtime(app, ConsoleSender(cfg.timezone, stdout), Channels(reminders=CONSOLE_CHANNEL))
    await runtime.start()
    stdout.write(_banner(app, cfg.language))
    loop = asyncio.get_running_loop()
    try:
        while True:
            try:
                if interactive:
                    line = await loop.run_in_executor(None, input, "> ")
                else:
                    line = await loop.run_in_executor(None, stdin.readline)
                    if not line:
                        break
            except EOFError:
                break
            line = line.strip()
            if not line:
                continue
            if line in ("/quit", "/exit", "quit", "exit"):
                break
            text, _ = await ask_text(app, line, lang=cfg.language)
            stdout.write(text)
            stdout.flush()
    finally:
        await runtime.stop()
        await app.close()
    if interactive:
        stdout.write("\n")
    return 0
