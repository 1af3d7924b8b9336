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
from bot.commands import Ctx, User, UserError, run_command
from bot.commands.base import error_reply
from bot.config import Config
from bot.frontends.text.parse import parse_line
from bot.frontends.text.render import render
from bot.frontends.text.sender import ConsoleSender
from bot.runtime import Channels, Runtime

log = logging.getLogger(__name__)
LOCAL_USER = User(id=1, name="you", is_organizer=True)
CONSOLE_CHANNEL = (
    1  # announcements "posted" in the console land here  # the console's one user runs their own conference
)
HISTORY = Path(os.environ.get("CONFBOT_HISTORY", Path.home() / ".confbot_history"))


async def ask_text(app: App, line: str, lang: str = "en", user: User = LOCAL_USER) -> tuple[str, bool]:
    """Run one command line; returns the printed reply and whether it succeeded."""
    try:
        parsed = parse_line(line)
    except UserError as exc:
        return render(error_reply(exc.message, exc.hint), lang), False
    ctx = Ctx(app=app, user=user, now=app.now(), lang=lang, channel_id=CONSOLE_CHANNEL)
    try:
        reply = await run_command(ctx, parsed.name, parsed.options)
    except Exception:
        log.exception("command failed: %s", line)
        reply = error_reply("Sorry, that command failed on our side; the details are in the log.")
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
    s = app.catalog.summary()
    stdout.write(
        f"confbot console: {cfg.name}, {s['sessions']} sessions, {s['tracks']} tracks"
        f"{', ' + str(s['problems']) + ' problems (python -m bot check)' if s['problems'] else ''}.\n"
        f"Clock: {app.now().astimezone(app.tz):%Y-%m-%d %H:%M} {app.tz.key}. /help lists commands; /quit or Ctrl-D leaves.\n"
    )
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
